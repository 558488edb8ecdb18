"""The hand-written example history (examples/vejapro) is itself correct:
seed conventions, ruff-formatted, and it applies, undoes and re-applies on
PostgreSQL and on SQLite."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import psycopg
import pytest
from alembic_run import AlembicRunner
from dbschema import pg_insert_row, pg_snapshot, pg_tables, sqlite_snapshot, sqlite_tables
from vmcli import EXAMPLE_COUNT, EXAMPLE_HEAD, EXAMPLE_VERSIONS, ruff_format_check

FILE_NAME = re.compile(r"^(\d{8})_(\d{6})_([a-z0-9]+(?:_[a-z0-9]+)*)\.py$")
EXAMPLE_TABLES = {
    "users",
    "projects",
    "project_members",
    "tasks",
    "comments",
    "attachments",
    "api_keys",
    "audit_log",
    "labels",
    "task_labels",
    "notifications",
    "feature_flags",
    "invitations",
    "webhooks",
}


def migration_files() -> list[Path]:
    return sorted(p for p in EXAMPLE_VERSIONS.iterdir() if p.suffix == ".py")


def module_values(path: Path) -> dict:
    tree = ast.parse(path.read_text())
    values = {"__doc__": ast.get_docstring(tree, clean=False)}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    return values


def test_example_files_follow_the_seed_conventions():
    files = migration_files()
    assert len(files) == EXAMPLE_COUNT
    previous = None
    for index, path in enumerate(files, start=1):
        match = FILE_NAME.match(path.name)
        assert match, path.name
        date, sequence, _slug = match.groups()
        assert int(sequence) == index
        values = module_values(path)
        revision = f"{date}_{sequence}"
        assert values["revision"] == revision
        assert values["down_revision"] == previous
        assert values["branch_labels"] is None and values["depends_on"] is None
        doc = values["__doc__"]
        assert f"\nRevision ID: {revision}\n" in doc
        assert f"\nRevises: {previous}\n" in doc  # the first migration says `Revises: None`
        assert f"\nCreate Date: {date[:4]}-{date[4:6]}-{date[6:]}" in doc
        text = path.read_text()
        for line in (
            "from __future__ import annotations",
            "import sqlalchemy as sa",
            "from alembic import op",
            "from sqlalchemy.dialects import postgresql",
            "def upgrade() -> None:",
            "def downgrade() -> None:",
        ):
            assert f"\n{line}\n" in text, f"{path.name}: missing {line!r}"
        previous = revision
    assert previous == EXAMPLE_HEAD


def test_example_history_is_ruff_formatted():
    result = ruff_format_check(EXAMPLE_VERSIONS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_example_history_compiles():
    for path in migration_files():
        compile(path.read_text(), str(path), "exec")


def test_example_history_has_one_head(tmp_path, script_location):
    runner = AlembicRunner(EXAMPLE_VERSIONS, "sqlite:///" + str(tmp_path / "x.db"), script_location)
    assert runner.heads() == [EXAMPLE_HEAD]


@pytest.mark.postgres
def test_postgres_upgrade_downgrade_roundtrip(pg_server, pg_db, script_location):
    """Step by step up, then step by step down: every downgrade restores the schema exactly."""
    runner = AlembicRunner(EXAMPLE_VERSIONS, pg_server.url(pg_db), script_location)
    revisions = runner.revisions_base_to_head()
    assert len(revisions) == EXAMPLE_COUNT
    with pg_server.connect(pg_db) as conn:
        snapshots = [pg_snapshot(conn)]
    for revision in revisions:
        runner.upgrade(revision)
        with pg_server.connect(pg_db) as conn:
            snapshots.append(pg_snapshot(conn))
    with pg_server.connect(pg_db) as conn:
        assert pg_tables(conn) == EXAMPLE_TABLES | {"alembic_version"}
    for step in range(len(revisions), 0, -1):
        runner.downgrade("-1")
        with pg_server.connect(pg_db) as conn:
            assert pg_snapshot(conn) == snapshots[step - 1], f"downgrade of {revisions[step - 1]} is not exact"
    with pg_server.connect(pg_db) as conn:
        assert pg_tables(conn) == {"alembic_version"}
    runner.upgrade("head")
    with pg_server.connect(pg_db) as conn:
        assert pg_snapshot(conn) == snapshots[-1]


@pytest.mark.postgres
def test_postgres_downgrade_base_and_upgrade_again(pg_server, pg_db, script_location):
    runner = AlembicRunner(EXAMPLE_VERSIONS, pg_server.url(pg_db), script_location)
    runner.upgrade("head")
    with pg_server.connect(pg_db) as conn:
        head = pg_snapshot(conn)
    runner.downgrade("base")
    with pg_server.connect(pg_db) as conn:
        assert pg_tables(conn) == {"alembic_version"}
    runner.upgrade("head")
    with pg_server.connect(pg_db) as conn:
        assert pg_snapshot(conn) == head


@pytest.mark.postgres
def test_postgres_defaults_and_constraints_work(pg_server, pg_example_db):
    """Every example table takes a row that relies on its server defaults."""
    with pg_server.connect(pg_example_db) as conn:
        for table in sorted(EXAMPLE_TABLES - {"feature_flags"}):
            row = pg_insert_row(conn, table)
            assert row
        project = pg_insert_row(conn, "projects")
        assert project["status"] == "DRAFT" and project["currency"] == "EUR"
        assert project["created_at"] is not None
        # chk_projects_status was widened by 20251020_000012
        conn.execute("UPDATE projects SET status = 'ARCHIVED' WHERE id = %s", (project["id"],))
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE projects SET status = 'LOST' WHERE id = %s", (project["id"],))
        flags = conn.execute("SELECT key, enabled FROM feature_flags").fetchall()
        assert flags == [("new_board", False)]


@pytest.mark.postgres
def test_postgres_check_constraint_alteration_downgrades(pg_server, pg_db, script_location):
    runner = AlembicRunner(EXAMPLE_VERSIONS, pg_server.url(pg_db), script_location)
    runner.upgrade("20251020_000012")
    runner.downgrade("-1")
    with pg_server.connect(pg_db) as conn:
        project = pg_insert_row(conn, "projects")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("UPDATE projects SET status = 'ARCHIVED' WHERE id = %s", (project["id"],))


@pytest.mark.postgres
def test_postgres_offline_sql_renders(pg_server, script_location):
    runner = AlembicRunner(EXAMPLE_VERSIONS, pg_server.url("unused"), script_location)
    sql = runner.upgrade_sql("base:head")
    assert "CREATE TABLE users" in sql
    assert "CONSTRAINT chk_projects_status CHECK" in sql


@pytest.mark.sqlite
def test_sqlite_upgrade_downgrade_roundtrip(tmp_path, script_location):
    path = tmp_path / "example.db"
    runner = AlembicRunner(EXAMPLE_VERSIONS, f"sqlite:///{path}", script_location)
    revisions = runner.revisions_base_to_head()
    snapshots = [sqlite_snapshot(str(path))]
    for revision in revisions:
        runner.upgrade(revision)
        snapshots.append(sqlite_snapshot(str(path)))
    assert sqlite_tables(str(path)) == EXAMPLE_TABLES | {"alembic_version"}
    for step in range(len(revisions), 0, -1):
        runner.downgrade("-1")
        assert sqlite_snapshot(str(path)) == snapshots[step - 1], f"downgrade of {revisions[step - 1]} is not exact"
    assert sqlite_tables(str(path)) == {"alembic_version"}
    runner.upgrade("head")
    runner.downgrade("base")
    runner.upgrade("head")
    assert sqlite_snapshot(str(path)) == snapshots[-1]


@pytest.mark.sqlite
def test_sqlite_keeps_check_constraints_through_batch_mode(sqlite_example_db):
    """Batch mode recreates tables on SQLite; the CHECK constraints must survive it."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(sqlite_example_db)) as conn:
        sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'projects'").fetchone()[0]
    assert "chk_projects_status" in sql
    assert "ARCHIVED" in sql
