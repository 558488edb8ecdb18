"""The contract's Defaults on a real PostgreSQL: what is accepted is what the server reads,
and an expression is never frozen into the value it had when the migration ran."""

from __future__ import annotations

import psycopg
import pytest
from alembic_run import AlembicRunner
from vmcli import created_files, new_with_spec

UUID_PK_COLUMN = {"name": "id", "type": "uuid", "primary_key": True}

TIMESTAMPS = [
    "2026-01-31",
    "2026-01-31 09:00",
    "2026-01-31 09:00:00",
    "2026-01-31T09:00:00Z",
    "2026-01-31 09:00:00.123456+02:00",
    "2026-01-31 09:00:00 UTC",
    "2026-01-31 09:00:00-0530",
    "2024-02-29 23:59:59+00",
    "infinity",
    "-infinity",
    "epoch",
    # refused by vejamigrate
    "not a time at all",
    "2026-02-30 10:00",
    "2026-13-01",
    "2026-01-31 25:00",
    "31/01/2026",
    "",
    "now",
    "now()",
    "CURRENT_TIMESTAMP",
    "today",
]


def spec_with_default(column_type: str, default) -> dict:
    return {
        "description": "add schedule table",
        "create_table": {
            "name": "schedules",
            "columns": [UUID_PK_COLUMN, {"name": "at", "type": column_type, "nullable": False, "default": default}],
        },
    }


def postgres_reads(conn, text: str, type_name: str) -> bool:
    try:
        with conn.transaction():
            conn.execute(f"SELECT %s::{type_name}", (text,))
        return True
    except psycopg.errors.DataError:
        return False


@pytest.mark.cli
@pytest.mark.postgres
@pytest.mark.parametrize("column_type,pg_type", [("datetime", "timestamptz"), ("date", "date")])
def test_literal_defaults_are_what_postgres_reads(column_type, pg_type, tmp_path, pg_server, pg_db):
    """Every literal vejamigrate accepts, PostgreSQL reads; every one PostgreSQL refuses, vejamigrate refuses.
    Relative values ('now', 'today') PostgreSQL reads once, at CREATE TABLE: vejamigrate refuses them as literals."""
    with pg_server.connect(pg_db) as conn:
        for i, text in enumerate(TIMESTAMPS):
            if text == "now":
                continue  # "now" is the keyword for now() / CURRENT_DATE, not a literal
            result, _versions = new_with_spec(tmp_path / str(i), spec_with_default(column_type, text), "--dry-run")
            accepted = result.code == 0
            reads = postgres_reads(conn, text, pg_type)
            if accepted:
                assert reads, f"vejamigrate accepts {text!r} for {column_type}, PostgreSQL does not read it"
            else:
                assert result.code == 1, str(result)
                assert "create_table.columns[1].default" in result.stderr, str(result)
            if not reads:
                assert not accepted, text
            if text.lower() in ("now()", "current_timestamp", "today"):
                assert not accepted and '"now"' in result.stderr, str(result)


@pytest.mark.cli
@pytest.mark.parametrize("text", ["now()", "CURRENT_TIMESTAMP", "not a time at all"])
def test_a_frozen_or_unreadable_datetime_default_writes_nothing(text, tmp_path):
    result, versions = new_with_spec(tmp_path, spec_with_default("datetime", text))
    assert result.code == 1, str(result)
    assert created_files(versions) == []
    assert "error: create_table.columns[1].default:" in result.stderr


@pytest.mark.cli
@pytest.mark.postgres
def test_now_and_sql_defaults_are_evaluated_on_every_insert(tmp_path, pg_server, pg_example_db, script_location):
    spec = {
        "description": "add schedule table",
        "create_table": {
            "name": "schedules",
            "columns": [
                UUID_PK_COLUMN,
                {"name": "at", "type": "datetime", "nullable": False, "default": "now"},
                {"name": "on_day", "type": "date", "nullable": False, "default": "now"},
                {"name": "token", "type": "uuid", "nullable": False, "default": {"sql": "gen_random_uuid()"}},
                {"name": "later", "type": "datetime", "nullable": False, "default": {"sql": "now() + interval '1 day'"}},
            ],
        },
    }
    result, versions = new_with_spec(tmp_path, spec)
    assert result.code == 0, str(result)
    AlembicRunner(versions, pg_server.url(pg_example_db), script_location).upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        defaults = dict(
            conn.execute(
                "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d"
                " JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum"
                " WHERE d.adrelid = 'schedules'::regclass"
            ).fetchall()
        )
        # The server keeps the expressions, not a timestamp taken when the migration ran.
        assert defaults["at"] == "now()", defaults
        assert defaults["on_day"] == "CURRENT_DATE", defaults
        assert defaults["token"] == "gen_random_uuid()", defaults
        assert defaults["later"] == "(now() + '1 day'::interval)", defaults
        first = conn.execute("INSERT INTO schedules DEFAULT VALUES RETURNING token").fetchone()
        second = conn.execute("INSERT INTO schedules DEFAULT VALUES RETURNING token").fetchone()
        assert first != second


@pytest.mark.cli
def test_injection_through_an_sql_default_is_refused(tmp_path):
    for i, expr in enumerate(["1); DROP TABLE projects; --", "'x' -- rest", "(SELECT 1)"]):
        result, versions = new_with_spec(tmp_path / str(i), spec_with_default("text", {"sql": expr}))
        assert result.code == 1, str(result)
        assert "create_table.columns[1].default.sql" in result.stderr
        assert created_files(versions) == []
