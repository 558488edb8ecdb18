"""The last gaps of changing existing tables, proven on real PostgreSQL and SQLite with real Alembic:
identity and serial columns put back exactly by a downgrade, the NOT NULL backfill in committed
batches, and the type-change rules (which changes need `using`, which rewrite the table) checked
pair by pair against what the server does."""

from __future__ import annotations

import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg
import pytest
from alembic_run import AlembicRunner
from dbschema import pg_insert_row, pg_snapshot, sqlite_snapshot
from test_new_matrix import generate, split_sql, sql_statements
from test_operations import refused, sqlite_state
from vmcli import DATE, run, write_spec

# --- a small history of our own ---------------------------------------------------------------


def migration_text(number: int, upgrade: str, downgrade: str = "pass") -> tuple[str, str]:
    """A migration in the seed's layout: (file name, text)."""
    revision = f"20260101_{number:06d}"
    down = f'"20260101_{number - 1:06d}"' if number > 1 else "None"

    def body(text: str) -> str:
        return "\n".join("    " + line if line else "" for line in text.strip("\n").splitlines())

    text = f'''"""step {number}

Revision ID: {revision}
Revises: {down.strip('"') if number > 1 else "None"}
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "{revision}"
down_revision = {down}
branch_labels = None
depends_on = None


def upgrade() -> None:
{body(upgrade)}


def downgrade() -> None:
{body(downgrade)}
'''
    return f"{revision}_step_{number}.py", text


def write_history(directory: Path, upgrades: list[tuple[str, str]]) -> Path:
    versions = directory / "backend" / "app" / "migrations" / "versions"
    versions.mkdir(parents=True)
    for i, (up, down) in enumerate(upgrades, start=1):
        name, text = migration_text(i, up, down)
        (versions / name).write_text(text)
    return versions


def new_file(tmp_path: Path, versions: Path, spec: dict) -> Path:
    before = set(versions.iterdir())
    result = run(["new", "--spec", str(write_spec(tmp_path, spec)), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    (path,) = set(versions.iterdir()) - before
    return path


# --- identity and serial columns ----------------------------------------------------------------

COUNTERS = (
    """
op.create_table(
    "counters",
    sa.Column("id", sa.Integer(), sa.Identity(always=True), primary_key=True),
    sa.Column("ticket", sa.BigInteger(), sa.Identity(), nullable=False),
    sa.Column("label", sa.Text(), nullable=True),
)
""",
    'op.drop_table("counters")',
)
# Raw SQL, as older histories write it: a serial key and a serial column beside it.
TICKETS = (
    'op.execute("CREATE TABLE tickets (id serial PRIMARY KEY, seq bigserial, note text)")',
    'op.execute("DROP TABLE tickets")',
)

NUMBERED = {
    "drop_identity_column": {
        "description": "drop counter tickets",
        "drop_columns": {"table": "counters", "columns": ["ticket"]},
    },
    "drop_identity_table": {"description": "drop counters", "drop_table": {"table": "counters"}},
    "drop_serial_column": {
        "description": "drop ticket sequence",
        "drop_columns": {"table": "tickets", "columns": ["seq"]},
    },
    "drop_serial_table": {"description": "drop tickets", "drop_table": {"table": "tickets"}},
}


def pg_identity_and_serials(conn) -> list[tuple]:
    return conn.execute(
        """
        SELECT table_name, column_name, is_identity, identity_generation, column_default
        FROM information_schema.columns
        WHERE table_schema = 'public' AND (is_identity = 'YES' OR column_default LIKE 'nextval%%')
        ORDER BY 1, 2
        """
    ).fetchall()


@pytest.mark.cli
@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(NUMBERED))
def test_identity_and_serial_come_back_on_postgres(name, tmp_path, pg_server, pg_db, script_location):
    versions = write_history(tmp_path / "proj", [COUNTERS, TICKETS])
    runner = AlembicRunner(versions, pg_server.url(pg_db), script_location)
    runner.upgrade("head")
    with pg_server.connect(pg_db) as conn:
        before = pg_snapshot(conn)
        numbered = pg_identity_and_serials(conn)
    # What the history made: two identities and two serials, so the comparison below cannot pass empty.
    assert [(t, c) for t, c, *_ in numbered] == [
        ("counters", "id"),
        ("counters", "ticket"),
        ("tickets", "id"),
        ("tickets", "seq"),
    ]
    new_file(tmp_path, versions, NUMBERED[name])
    runner.upgrade("head")
    runner.downgrade("-1")
    with pg_server.connect(pg_db) as conn:
        assert pg_identity_and_serials(conn) == numbered
        assert pg_snapshot(conn) == before, "downgrade() does not put the schema back exactly"
        # The numbering works again: a row without the numbered columns gets them.
        table = NUMBERED[name].get("drop_table", NUMBERED[name].get("drop_columns"))["table"]
        column = "label" if table == "counters" else "note"
        conn.execute(f"INSERT INTO {table} ({column}) VALUES ('x')")
    runner.upgrade("head")


@pytest.mark.cli
@pytest.mark.sqlite
@pytest.mark.parametrize("name", sorted(NUMBERED))
def test_identity_and_serial_files_apply_on_sqlite(name, tmp_path, script_location):
    versions = write_history(tmp_path / "proj", [COUNTERS, TICKETS])
    db = tmp_path / "test.db"
    runner = AlembicRunner(versions, f"sqlite:///{db}", script_location)
    runner.upgrade("head")
    before = sqlite_state(db)
    new_file(tmp_path, versions, NUMBERED[name])
    runner.upgrade("head")
    upgraded = sqlite_state(db)
    runner.downgrade("-1")
    if "identity" in name:
        # Alembic made counters on SQLite too, so it comes back as it was there. (SQLite has no
        # serial: raw SQL made `seq bigserial` a nullable column of its own type there.)
        assert sqlite_state(db) == before
    runner.upgrade("head")
    assert sqlite_state(db) == upgraded


@pytest.mark.cli
@pytest.mark.parametrize("name", sorted(NUMBERED))
def test_identity_and_serial_sql_preview_equals_what_alembic_renders(name, tmp_path, script_location):
    versions = write_history(tmp_path / "proj", [COUNTERS, TICKETS])
    spec = write_spec(tmp_path, NUMBERED[name])
    preview = run(["new", "--spec", str(spec), "--versions-dir", str(versions), "--date", DATE, "--sql"])
    assert preview.code == 0, str(preview)
    path = new_file(tmp_path, versions, NUMBERED[name])
    revision = path.name[:15]
    ours_up, ours_down = split_sql(preview.stdout)
    runner = AlembicRunner(versions, "postgresql+psycopg://offline@127.0.0.1/offline", script_location)
    assert sql_statements(ours_up) == sql_statements(runner.upgrade_sql(f"20260101_000002:{revision}"))
    assert sql_statements(ours_down) == sql_statements(runner.downgrade_sql(f"{revision}:20260101_000002"))


# --- the NOT NULL backfill in batches ------------------------------------------------------------

NOT_NULL = {
    "description": "require due dates",
    "alter_column": {"table": "tasks", "column": "due_date", "nullable": False, "backfill": "2026-01-01"},
}


@pytest.mark.cli
@pytest.mark.postgres
def test_backfill_commits_batches_on_postgres(tmp_path, pg_server, pg_example_db, script_location):
    _result, versions, path = generate(tmp_path, NOT_NULL)
    assert "LIMIT 10000" in path.read_text()
    rows = 25_000
    with pg_server.connect(pg_example_db) as conn:
        user = pg_insert_row(conn, "users")
        project = pg_insert_row(conn, "projects", {"owner_id": user["id"]})
        conn.execute(
            "INSERT INTO tasks (project_id, title) SELECT %s, 'task ' || g FROM generate_series(1, %s) g",
            (project["id"], rows),
        )
        conn.commit()
    runner = AlembicRunner(versions, pg_server.url(pg_example_db), script_location)
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        (nulls,) = conn.execute("SELECT count(*) FROM tasks WHERE due_date IS NULL").fetchone()
        assert nulls == 0
        (filled,) = conn.execute("SELECT count(*) FROM tasks WHERE due_date = DATE '2026-01-01'").fetchone()
        assert filled == rows
        # Each batch committed on its own: the rows carry the ids of three transactions, not one.
        (transactions,) = conn.execute("SELECT count(DISTINCT xmin::text) FROM tasks").fetchone()
        assert transactions == 3, transactions
        assert refused(conn, "UPDATE tasks SET due_date = NULL WHERE title = 'task 1'")
        assert refused(
            conn, "INSERT INTO tasks (project_id, title, due_date) VALUES (%s, 'late', NULL)", (project["id"],)
        )
    runner.downgrade("-1")
    with pg_server.connect(pg_example_db) as conn:
        assert not refused(conn, "UPDATE tasks SET due_date = NULL WHERE title = 'task 1'")


@pytest.mark.cli
@pytest.mark.sqlite
def test_backfill_on_sqlite(tmp_path, sqlite_example_db, script_location):
    _result, versions, _path = generate(tmp_path, NOT_NULL)
    with closing(sqlite3.connect(sqlite_example_db)) as conn:
        # SQLite has no now(): the example's timestamp defaults are given here.
        stamps = "'2026-01-01', '2026-01-01'"
        conn.execute(
            f"INSERT INTO users (id, email, full_name, created_at, updated_at) VALUES ('u1', 'a@x', 'A', {stamps})"
        )
        conn.execute(
            f"INSERT INTO projects (id, owner_id, name, created_at, updated_at) VALUES ('p1', 'u1', 'P', {stamps})"
        )
        conn.executemany(
            f"INSERT INTO tasks (id, project_id, title, created_at, updated_at) VALUES (?, 'p1', 'task', {stamps})",
            [(f"t{i}",) for i in range(50)],
        )
        conn.commit()
    runner = AlembicRunner(versions, f"sqlite:///{sqlite_example_db}", script_location)
    runner.upgrade("head")
    with closing(sqlite3.connect(sqlite_example_db)) as conn:
        assert conn.execute("SELECT count(*) FROM tasks WHERE due_date IS NULL").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM tasks WHERE due_date = '2026-01-01'").fetchone()[0] == 50
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(
                f"INSERT INTO tasks (id, project_id, title, due_date, created_at, updated_at) VALUES ('late', 'p1', 'x', NULL, {stamps})"
            )
    runner.downgrade("-1")
    with closing(sqlite3.connect(sqlite_example_db)) as conn:
        conn.execute(
            f"INSERT INTO tasks (id, project_id, title, due_date, created_at, updated_at) VALUES ('late', 'p1', 'x', NULL, {stamps})"
        )


# --- type changes: which need USING, which rewrite, pair by pair against the server ---------------

SAMPLE_COLUMNS = {
    "c_uuid": ("postgresql.UUID(as_uuid=True)", "uuid"),
    "c_string": ("sa.String(length=255)", "string"),
    "c_text": ("sa.Text()", "text"),
    "c_integer": ("sa.Integer()", "integer"),
    "c_bigint": ("sa.BigInteger()", "bigint"),
    "c_smallint": ("sa.SmallInteger()", "smallint"),
    "c_numeric": ("sa.Numeric(10, 2)", "numeric"),
    "c_float": ("sa.Float()", "float"),
    "c_boolean": ("sa.Boolean()", "boolean"),
    "c_date": ("sa.Date()", "date"),
    "c_datetime": ("sa.DateTime(timezone=True)", "datetime"),
    "c_jsonb": ("postgresql.JSONB(astext_type=sa.Text())", "jsonb"),
    "c_json": ("sa.JSON()", "json"),
}
SAMPLES = (
    'op.create_table(\n    "samples",\n    sa.Column("id", sa.Integer(), primary_key=True),\n'
    + "".join(f'    sa.Column("{name}", {python}, nullable=True),\n' for name, (python, _) in SAMPLE_COLUMNS.items())
    + ")",
    'op.drop_table("samples")',
)
TARGETS = {
    "uuid": ({}, "UUID"),
    "string": ({"length": 255}, "VARCHAR(255)"),
    "string_wider": ({"length": 300}, "VARCHAR(300)"),
    "string_narrower": ({"length": 100}, "VARCHAR(100)"),
    "text": ({}, "TEXT"),
    "integer": ({}, "INTEGER"),
    "bigint": ({}, "BIGINT"),
    "smallint": ({}, "SMALLINT"),
    "numeric": ({"precision": 10, "scale": 2}, "NUMERIC(10, 2)"),
    "numeric_more_precision": ({"precision": 14, "scale": 2}, "NUMERIC(14, 2)"),
    "numeric_other_scale": ({"precision": 14, "scale": 4}, "NUMERIC(14, 4)"),
    "float": ({}, "FLOAT"),
    "boolean": ({}, "BOOLEAN"),
    "date": ({}, "DATE"),
    "datetime": ({}, "TIMESTAMP WITH TIME ZONE"),
    "jsonb": ({}, "JSONB"),
    "json": ({}, "JSON"),
}


def server_verdict(conn, column: str, ddl: str) -> str:
    """What PostgreSQL does with `ALTER COLUMN .. TYPE` without USING: refuses, rewrites or neither."""
    try:
        with conn.transaction():
            (before,) = conn.execute("SELECT relfilenode FROM pg_class WHERE relname = 'samples'").fetchone()
            conn.execute(f"ALTER TABLE samples ALTER COLUMN {column} TYPE {ddl}")
            (after,) = conn.execute("SELECT relfilenode FROM pg_class WHERE relname = 'samples'").fetchone()
            raise _Verdict("rewrites" if after != before else "in place")
    except _Verdict as verdict:
        return str(verdict)
    except psycopg.errors.DatatypeMismatch:
        return "needs USING"


class _Verdict(Exception):
    pass


@pytest.mark.cli
@pytest.mark.postgres
def test_type_change_rules_match_the_server(tmp_path, pg_server, pg_db, script_location):
    versions = write_history(tmp_path / "proj", [SAMPLES])
    AlembicRunner(versions, pg_server.url(pg_db), script_location).upgrade("head")
    disagreements, pairs = [], 0
    with pg_server.connect(pg_db) as conn:
        for column, (_, kind) in SAMPLE_COLUMNS.items():
            for target, (options, ddl) in TARGETS.items():
                if target == kind:
                    continue  # the same type: nothing to change
                spec = {
                    "description": "change a type",
                    "alter_column": {"table": "samples", "column": column, "type": target.split("_")[0], **options},
                }
                result = run(
                    ["new", "--spec", "-", "--versions-dir", str(versions), "--date", DATE, "--sql"],
                    stdin=json.dumps(spec),
                )
                if result.code == 1:
                    assert "alter_column.type" in result.stderr and '"using"' in result.stderr, str(result)
                    ours = "needs USING"
                else:
                    assert result.code == 0, str(result)
                    upgrade = result.stdout.split("-- downgrade")[0]
                    ours = "rewrites" if "-- rewrites samples" in upgrade else "in place"
                pairs += 1
                theirs = server_verdict(conn, column, ddl)
                if ours != theirs:
                    disagreements.append(f"{column} -> {ddl}: vejamigrate says {ours}, PostgreSQL {theirs}")
                if ours == "needs USING":
                    # The cast the error suggests is accepted, and so is the downgrade's cast back.
                    suggested = re.search(r'"using": "([^"]+)"', result.stderr).group(1)
                    spec["alter_column"]["using"] = suggested
                    result = run(
                        ["new", "--spec", "-", "--versions-dir", str(versions), "--date", DATE, "--sql"],
                        stdin=json.dumps(spec),
                    )
                    assert result.code == 0, str(result)
                up, down = split_sql(result.stdout)
                try:
                    with conn.transaction():
                        for statement in sql_statements(up) + sql_statements(down):
                            conn.execute(statement)
                        raise _Verdict("both ways")
                except _Verdict:
                    pass
                except psycopg.Error as error:
                    disagreements.append(f"{column} -> {ddl} and back: PostgreSQL refuses it: {error}")
    assert pairs > 150
    assert disagreements == []
