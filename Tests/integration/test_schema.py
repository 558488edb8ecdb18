"""`vejamigrate schema`: the schema read statically from the example history is the
schema `alembic upgrade head` builds on PostgreSQL."""

from __future__ import annotations

import json
import re

import pytest
from dbschema import PG_ONDELETE, pg_columns, pg_tables
from vmcli import EXAMPLE_VERSIONS, copy_project, run

pytestmark = pytest.mark.cli

# The SQLAlchemy types the example uses and PostgreSQL's udt_name for each.
UDT = {
    "UUID": "uuid",
    "String": "varchar",
    "Text": "text",
    "Integer": "int4",
    "BigInteger": "int8",
    "SmallInteger": "int2",
    "Numeric": "numeric",
    "Boolean": "bool",
    "Date": "date",
    "DateTime": "timestamptz",
    "JSONB": "jsonb",
}


def schema_json(*args: str) -> dict:
    result = run(["schema", "--json", "--versions-dir", str(EXAMPLE_VERSIONS), *args])
    assert result.code == 0, str(result)
    return json.loads(result.stdout)


def type_name(sa_type: str) -> str:
    return sa_type.split("(", 1)[0].rsplit(".", 1)[-1]


def without_casts(default: str | None) -> str | None:
    """PostgreSQL shows `'DRAFT'::character varying` for the `'DRAFT'` the migration wrote."""
    return None if default is None else re.sub(r"::[a-z ]+(\[\])?", "", default)


@pytest.mark.postgres
def test_schema_json_is_what_postgres_has(pg_server, pg_example_db):
    data = schema_json()
    tables = data["tables"]
    # 000014's SQL (CREATE TABLE, an INSERT, a partial index) is read: nothing is opaque.
    assert data["opaque"] == []
    assert data["touched_by_raw_sql"] == {}
    with pg_server.connect(pg_example_db) as conn:
        real = pg_tables(conn) - {"alembic_version"}
        # Every table the history creates readably, plus the one only raw SQL creates.
        assert set(tables) == real
        for name, table in tables.items():
            columns = pg_columns(conn, name)
            formatted = dict(
                conn.execute(
                    "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                    " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                    (name,),
                ).fetchall()
            )
            assert set(table["columns"]) == set(columns), name
            for column, mine in table["columns"].items():
                theirs = columns[column]
                where = f"{name}.{column}"
                assert mine["nullable"] == theirs["nullable"], where
                assert mine["sql_type"] == formatted[column], where
                length = re.search(r"String\((?:length=)?(\d+)\)", mine["type"])
                if length:
                    assert int(length.group(1)) == theirs["length"], where
                if mine["autoincrement"]:
                    # SQLAlchemy makes a single integer primary key SERIAL.
                    assert mine["default"] is None and theirs["default"].startswith("nextval("), where
                else:
                    assert without_casts(mine["default"]) == without_casts(theirs["default"]), where
            constraints = conn.execute(
                """
                SELECT con.conname, con.contype, ref.relname, con.confdeltype,
                       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
                             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i)
                FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
                LEFT JOIN pg_class ref ON ref.oid = con.confrelid
                WHERE rel.relname = %s AND con.contype IN ('p', 'u', 'c', 'f')
                """,
                (name,),
            ).fetchall()
            by_type = {kind: {row[0]: row for row in constraints if row[1] == kind} for kind in "pucf"}
            (pk,) = by_type["p"].values()
            assert table["primary_key"] == list(pk[4]), name
            assert set(table["checks"]) == set(by_type["c"]), name
            assert {u["name"]: u["columns"] for u in table["unique"]} == {
                k: list(r[4]) for k, r in by_type["u"].items()
            }
            assert {
                fk["name"]: (fk["columns"], fk["references"]["table"], fk["ondelete"] or "NO ACTION")
                for fk in table["foreign_keys"]
            } == {k: (list(r[4]), r[2], PG_ONDELETE[r[3]]) for k, r in by_type["f"].items()}, name
            indexes = {
                row[0]
                for row in conn.execute(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s", (name,)
                )
            }
            # PostgreSQL also lists the indexes behind the primary key and unique constraints.
            expected = {i["name"] for i in table["indexes"]} | {pk[0]} | set(by_type["u"])
            extra = indexes - expected
            assert extra == set(), name
            assert expected <= indexes, name


def test_schema_json_shape_and_altered_check():
    data = schema_json("projects")
    assert set(data) >= {"tables", "opaque"}
    (projects,) = data["tables"].values()
    assert set(projects) >= {"columns", "checks", "indexes", "foreign_keys", "unique"}
    assert projects["checks"] == {
        "chk_projects_status": {
            "expression": "status IN ('DRAFT','ACTIVE','ON_HOLD','COMPLETED','ARCHIVED')",
            "column": "status",
            "values": ["DRAFT", "ACTIVE", "ON_HOLD", "COMPLETED", "ARCHIVED"],
            "validated": True,
        }
    }
    assert projects["columns"]["budget"] == {
        "type": "sa.Numeric(12, 2)",
        "sql_type": "numeric(12,2)",
        "nullable": True,
        "default": None,
        "primary_key": False,
        "autoincrement": False,
        "identity": None,
        "position": 8,
    }
    assert projects["columns"]["currency"]["default"] == "'EUR'"
    assert projects["foreign_keys"] == [
        {
            "name": "fk_projects_owner_id",
            "columns": ["owner_id"],
            "references": {"table": "users", "columns": ["id"]},
            "ondelete": "RESTRICT",
            "onupdate": None,
            "deferrable": False,
            "initially_deferred": False,
            "validated": True,
        }
    ]


def test_schema_text_is_readable():
    result = run(["schema", "projects", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert result.code == 0, str(result)
    assert result.stdout.startswith("projects  (created in 20250903_000002_create_projects_table.py)\n")
    assert re.search(r"^  currency +sa\.String\(length=3\) +NOT NULL  DEFAULT 'EUR'$", result.stdout, re.MULTILINE), (
        result.stdout
    )
    assert (
        "  check chk_projects_status: status IN ('DRAFT','ACTIVE','ON_HOLD','COMPLETED','ARCHIVED')\n" in result.stdout
    )
    whole = run(["schema", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert whole.code == 0, str(whole)
    assert "feature_flags  (created in 20251117_000014_create_feature_flags_table.py)" in whole.stdout
    assert "index idx_tasks_open_due_date: project_id, due_date  WHERE status <> 'DONE'" in whole.stdout


def test_schema_unknown_table_is_invalid_input():
    result = run(["schema", "project", "--versions-dir", str(EXAMPLE_VERSIONS)])
    assert result.code == 1, str(result)
    assert "project" in result.stderr and "projects" in result.stderr
    assert result.stdout == ""


def test_schema_of_a_table_sql_creates():
    data = schema_json("feature_flags")
    flags = data["tables"]["feature_flags"]
    assert flags["created_in"] == "20251117_000014_create_feature_flags_table.py"
    assert {name: c["sql_type"] for name, c in flags["columns"].items()} == {
        "key": "character varying(64)",
        "enabled": "boolean",
        "description": "text",
        "updated_at": "timestamp with time zone",
    }
    assert data["touched_by_raw_sql"] == {}


def test_schema_of_a_table_only_unreadable_sql_creates(tmp_path):
    versions = copy_project(tmp_path / "proj")
    (versions / "20261125_000018_legacy.py").write_text(
        MIGRATION.format(
            body='op.execute("DO $$ BEGIN CREATE TABLE legacy_flags (key varchar(64) PRIMARY KEY); END $$")'
        )
    )
    result = run(["schema", "legacy_flags", "--json", "--versions-dir", str(versions)])
    assert result.code == 0, str(result)
    data = json.loads(result.stdout)
    assert data["tables"] == {}
    assert data["touched_by_raw_sql"] == {"legacy_flags": ["20261125_000018_legacy.py:21"]}
    assert data["opaque"] == [
        {"at": "20261125_000018_legacy.py:21", "what": "op.execute: a DO block", "tables": ["legacy_flags"], "error": None}
    ]


MIGRATION = '''"""legacy

Revision ID: 20261125_000018
Revises: 20260211_000017
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20261125_000018"
down_revision = "20260211_000017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    {body}


def downgrade() -> None:
    pass
'''


def test_schema_finds_the_versions_directory(tmp_path):
    copy_project(tmp_path / "proj")
    result = run(["schema", "--json"], cwd=tmp_path / "proj")
    assert result.code == 0, str(result)
    assert "webhooks" in json.loads(result.stdout)["tables"]


def test_new_checks_the_spec_against_the_branch_it_builds_on(tmp_path):
    """With two heads, --head picks the parent: a table made only on the other branch does not exist there."""
    from test_cli_errors import migration_text

    versions = copy_project(tmp_path / "proj")
    body = '    op.create_table("gadgets", sa.Column("id", sa.Integer(), primary_key=True))\n'
    a = migration_text("20260212_000018", "20260211_000017").replace(
        "def upgrade() -> None:\n    pass\n", "def upgrade() -> None:\n" + body
    )
    (versions / "20260212_000018_add_gadgets.py").write_text(a)
    (versions / "20260213_000019_other.py").write_text(migration_text("20260213_000019", "20260211_000017"))
    spec = {
        "description": "add parts",
        "create_table": {
            "name": "parts",
            "columns": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "gadget_id", "type": "integer", "foreign_key": {"table": "gadgets", "column": "id"}},
            ],
        },
    }
    spec_file = tmp_path / "spec.json"
    spec_file.write_text(json.dumps(spec))
    common = ["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", "2026-11-25", "--dry-run"]
    on_b = run([*common, "--head", "20260213_000019"])
    assert on_b.code == 1, str(on_b)
    assert "gadgets" in on_b.stderr
    on_a = run([*common, "--head", "20260212_000018"])
    assert on_a.code == 0, str(on_a)
    # Without --head the parent is uncertain: the history problem (3), not a spec error.
    assert run(common).code == 3
