"""Fixtures: one real PostgreSQL server for the session, a fresh database per test,
and Alembic runners for PostgreSQL and SQLite."""

from __future__ import annotations

import atexit
import shutil
import sqlite3
import os
import sys
import tempfile
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # Alembic imports migration files; keep __pycache__ out of the example tree

from alembic_run import AlembicRunner, write_script_location
from pgserver import PostgresServer
from vmcli import EXAMPLE_VERSIONS


def pytest_configure(config):
    # The history cache (docs/schema.md) in a folder of this run's, not the user's ~/.cache.
    if not os.environ.get("VEJAMIGRATE_CACHE_DIR"):
        os.environ["VEJAMIGRATE_CACHE_DIR"] = tempfile.mkdtemp(prefix="vejamigrate-cache-")
    # Registered here too, so the markers are known when this folder runs together with Tests/e2e.
    for marker in (
        "postgres: needs the PostgreSQL server started by the session fixture",
        "cli: needs the built vejamigrate binary",
        "sqlite: runs migrations on SQLite (also run on SQLAlchemy 2.0 by make test-sa20)",
    ):
        config.addinivalue_line("markers", marker)


@pytest.fixture(scope="session")
def script_location(tmp_path_factory) -> Path:
    return write_script_location(tmp_path_factory.mktemp("alembic_env"))


@pytest.fixture(scope="session")
def pg_server():
    server = PostgresServer()
    atexit.register(server.stop)  # also on an interrupted run
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_db(pg_server):
    """A new, empty database for this test; yields its name."""
    name = pg_server.create_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def pg_example_template(pg_server, script_location, tmp_path_factory) -> str:
    """A database with the example history applied, used as CREATE DATABASE ... TEMPLATE."""
    name = pg_server.create_database()
    AlembicRunner(EXAMPLE_VERSIONS, pg_server.url(name), script_location).upgrade("head")
    return name


@pytest.fixture
def pg_example_db(pg_server, pg_example_template):
    """A new database that already has the example history (at 20260211_000017)."""
    name = pg_server.create_database(template=pg_example_template)
    yield name
    pg_server.drop_database(name)


@pytest.fixture(scope="session")
def sqlite_example_template(script_location) -> Path:
    directory = Path(tempfile.mkdtemp(prefix="vmsqlite-"))
    try:
        path = directory / "example_head.db"
        AlembicRunner(EXAMPLE_VERSIONS, f"sqlite:///{path}", script_location).upgrade("head")
        yield path
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def sqlite_example_db(sqlite_example_template, tmp_path) -> Path:
    """A SQLite file that already has the example history applied."""
    path = tmp_path / "test.db"
    src, dst = sqlite3.connect(sqlite_example_template), sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return path
