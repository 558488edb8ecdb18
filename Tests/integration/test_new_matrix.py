"""`vejamigrate new --spec` over a matrix of create_table specs, each proven with real
Alembic on PostgreSQL (schema, defaults, constraints, exact downgrade) and on SQLite.

Every spec runs on a fresh copy of the example history (head 20260211_000017), so
the new file is always 20261125_000018_<slug>.py revising 20260211_000017.
"""

from __future__ import annotations

import datetime
import itertools
import json
import py_compile
import re
import shutil
import subprocess
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from alembic_run import AlembicRunner
from dbschema import (
    PG_ONDELETE,
    pg_columns,
    pg_constraint,
    pg_index,
    pg_insert_row,
    pg_snapshot,
    pg_tables,
    sqlite_snapshot,
    sqlite_tables,
)
from vmcli import (
    DATE,
    DATE_COMPACT,
    EXAMPLE_HEAD,
    REMINDER_TEST,
    VERSIONS_SUBPATH,
    copy_project,
    created_files,
    listing,
    new_with_spec,
    ruff_format_check,
    run,
    write_spec,
)
from vmspec import PG_UDT, Column, Table, check_constraint_text, module_values, slug_of, table_of

NEW_REVISION = f"{DATE_COMPACT}_000018"

INVOICES = {
    "description": "add invoices table",
    "details": "Optional extended description for the docstring.",
    "create_table": {
        "name": "invoices",
        "timestamps": True,
        "columns": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {
                "name": "project_id",
                "type": "uuid",
                "nullable": False,
                "foreign_key": {"table": "projects", "column": "id", "ondelete": "CASCADE"},
            },
            {
                "name": "status",
                "type": "string",
                "length": 32,
                "nullable": False,
                "enum": ["DRAFT", "SENT", "PAID", "VOID"],
                "default": "DRAFT",
            },
            {"name": "amount", "type": "numeric", "precision": 12, "scale": 2, "nullable": False},
            {"name": "payload", "type": "jsonb", "nullable": False, "default": {}},
            {"name": "number", "type": "string", "length": 64, "unique": True},
            {"name": "issued_at", "type": "datetime", "index": True},
        ],
        "indexes": [{"columns": ["status", "issued_at"]}],
    },
}


def ct(name: str, columns: list[dict], description: str | None = None, **table_options) -> dict:
    return {
        "description": description or f"create {name} table",
        "create_table": {"name": name, "columns": columns, **table_options},
    }


UUID_PK = {"name": "id", "type": "uuid", "primary_key": True}
ALL_TYPES = ["uuid", "string", "text", "integer", "bigint", "smallint", "numeric", "float", "boolean", "date"]
ALL_TYPES += ["datetime", "jsonb", "json"]


def fk(table: str, ondelete: str, column: str = "id") -> dict:
    return {"table": table, "column": column, "ondelete": ondelete}


SPECS: dict[str, dict] = {
    "invoices_contract_example": INVOICES,
    "every_type_nullable": ct(
        "type_samples",
        [
            UUID_PK,
            {"name": "ref_uuid", "type": "uuid"},
            {"name": "name_default_length", "type": "string"},
            {"name": "code", "type": "string", "length": 12},
            {"name": "body", "type": "text"},
            {"name": "qty", "type": "integer"},
            {"name": "big_qty", "type": "bigint"},
            {"name": "small_qty", "type": "smallint"},
            {"name": "price", "type": "numeric", "precision": 10, "scale": 3},
            {"name": "ratio", "type": "float"},
            {"name": "flag", "type": "boolean"},
            {"name": "day", "type": "date"},
            {"name": "moment", "type": "datetime"},
            {"name": "doc", "type": "jsonb"},
            {"name": "doc_plain", "type": "json"},
        ],
    ),
    "every_type_not_null": ct(
        "required_samples",
        [UUID_PK]
        + [
            {
                "name": f"{t}_value",
                "type": t,
                "nullable": False,
                **({"precision": 8, "scale": 2} if t == "numeric" else {}),
            }
            for t in ALL_TYPES
        ],
    ),
    "string_defaults_with_quotes": ct(
        "customer_notes",
        [
            UUID_PK,
            {"name": "customer", "type": "string", "length": 64, "nullable": False, "default": "O'Brien"},
            {"name": "greeting", "type": "text", "nullable": False, "default": 'say "hi" to Ąžuolas'},
            {"name": "path", "type": "string", "default": "C:\\temp\\new"},
            {"name": "day", "type": "date", "nullable": False, "default": "2026-01-01"},
        ],
    ),
    "boolean_and_number_defaults": ct(
        "counters",
        [
            UUID_PK,
            {"name": "enabled", "type": "boolean", "nullable": False, "default": True},
            {"name": "archived", "type": "boolean", "nullable": False, "default": False},
            {"name": "hits", "type": "integer", "nullable": False, "default": 0},
            {"name": "offset_value", "type": "integer", "nullable": False, "default": -5},
            {"name": "total", "type": "bigint", "nullable": False, "default": 10000000000},
            {"name": "level", "type": "smallint", "nullable": False, "default": 3},
            {"name": "price", "type": "numeric", "precision": 8, "scale": 2, "nullable": False, "default": 12.5},
            {"name": "weight", "type": "float", "nullable": False, "default": 1.25},
        ],
    ),
    "json_defaults": ct(
        "settings_blobs",
        [
            UUID_PK,
            {"name": "empty_object", "type": "jsonb", "nullable": False, "default": {}},
            {"name": "numbers", "type": "jsonb", "nullable": False, "default": [1, 2]},
            {"name": "plain_object", "type": "json", "nullable": False, "default": {"a": "b"}},
            {"name": "quoted", "type": "jsonb", "nullable": False, "default": {"name": "O'Brien"}},
        ],
    ),
    # sa.text() reads ":name" as a bind parameter: a colon before a word character must be escaped.
    "defaults_with_colons": ct(
        "opening_hours",
        [
            UUID_PK,
            {"name": "opens_at", "type": "string", "length": 5, "nullable": False, "default": "09:30"},
            {"name": "link", "type": "text", "nullable": False, "default": "http://example.com:8080/x"},
            {"name": "label", "type": "string", "length": 40, "nullable": False, "default": "see :draft"},
            {"name": "extra", "type": "json", "nullable": False, "default": {"a": 1}},
        ],
    ),
    "datetime_default_now": ct(
        "reminders",
        [
            UUID_PK,
            {"name": "remind_at", "type": "datetime", "nullable": False, "default": "now"},
            {"name": "note", "type": "text"},
        ],
    ),
    "enum_with_default": ct(
        "payments",
        [
            UUID_PK,
            {
                "name": "status",
                "type": "string",
                "length": 16,
                "nullable": False,
                "enum": ["PENDING", "SETTLED", "FAILED"],
                "default": "PENDING",
            },
        ],
        timestamps=True,
    ),
    "enum_not_null_without_default_exact_length": ct(
        "shipments",
        [
            UUID_PK,
            {"name": "carrier", "type": "string", "length": 5, "nullable": False, "enum": ["DHL", "UPS", "FEDEX"]},
        ],
    ),
    "two_enums_one_nullable": ct(
        "tickets",
        [
            UUID_PK,
            {"name": "priority", "type": "string", "length": 8, "enum": ["LOW", "MEDIUM", "HIGH"]},
            {
                "name": "state",
                "type": "string",
                "length": 12,
                "nullable": False,
                "enum": ["OPEN", "IN_PROGRESS", "CLOSED"],
                "default": "OPEN",
            },
        ],
    ),
    "fk_cascade": ct(
        "milestones",
        [
            UUID_PK,
            {"name": "project_id", "type": "uuid", "nullable": False, "foreign_key": fk("projects", "CASCADE")},
            {"name": "title", "type": "string", "length": 200, "nullable": False},
            {"name": "due_on", "type": "date"},
        ],
    ),
    "fk_set_null": ct(
        "time_entries",
        [
            UUID_PK,
            {"name": "user_id", "type": "uuid", "foreign_key": fk("users", "SET NULL")},
            {"name": "minutes", "type": "integer", "nullable": False},
        ],
    ),
    "fk_restrict": ct(
        "contracts",
        [
            UUID_PK,
            {"name": "project_id", "type": "uuid", "nullable": False, "foreign_key": fk("projects", "RESTRICT")},
        ],
        timestamps=True,
    ),
    "fk_no_action": ct(
        "reviews",
        [
            UUID_PK,
            {"name": "reviewer_id", "type": "uuid", "nullable": False, "foreign_key": fk("users", "NO ACTION")},
            {"name": "score", "type": "smallint", "nullable": False},
        ],
    ),
    "fk_set_default": ct(
        "handovers",
        [
            UUID_PK,
            {"name": "owner_id", "type": "uuid", "foreign_key": fk("users", "SET DEFAULT")},
        ],
    ),
    "fk_to_bigint_primary_key": ct(
        "audit_annotations",
        [
            UUID_PK,
            {"name": "entry_id", "type": "bigint", "nullable": False, "foreign_key": fk("audit_log", "CASCADE")},
            {"name": "note", "type": "text", "nullable": False},
        ],
    ),
    "index_true_columns": ct(
        "search_terms",
        [
            UUID_PK,
            {"name": "term", "type": "string", "length": 120, "nullable": False, "index": True},
            {"name": "searched_at", "type": "datetime", "index": True},
            {"name": "hits", "type": "integer", "index": True},
        ],
    ),
    "composite_and_unique_indexes": ct(
        "room_bookings",
        [
            UUID_PK,
            {"name": "room", "type": "string", "length": 40, "nullable": False},
            {"name": "starts_at", "type": "datetime", "nullable": False},
            {"name": "ends_at", "type": "datetime", "nullable": False},
            {"name": "booked_by", "type": "string", "length": 120},
        ],
        indexes=[
            {"columns": ["room", "starts_at"], "unique": True},
            {"columns": ["booked_by", "starts_at", "ends_at"]},
        ],
    ),
    "unique_columns": ct(
        "coupons",
        [
            UUID_PK,
            {"name": "code", "type": "string", "length": 32, "nullable": False, "unique": True},
            {"name": "external_ref", "type": "string", "length": 64, "unique": True},
            {"name": "percent_off", "type": "smallint", "nullable": False},
        ],
    ),
    "timestamps_only": ct("heartbeats", [UUID_PK], timestamps=True),
    "integer_primary_key": ct(
        "countries",
        [
            {"name": "id", "type": "integer", "primary_key": True},
            {"name": "iso_code", "type": "string", "length": 2, "nullable": False, "unique": True},
            {"name": "name", "type": "string", "length": 100, "nullable": False},
        ],
    ),
    "bigint_primary_key": ct(
        "events",
        [
            {"name": "id", "type": "bigint", "primary_key": True},
            {"name": "kind", "type": "string", "length": 64, "nullable": False, "index": True},
            {"name": "payload", "type": "jsonb", "nullable": False, "default": {}},
        ],
        timestamps=True,
    ),
    # An integer key that is also a foreign key gets no sequence (SQLAlchemy's autoincrement rule):
    # `--sql` once printed BIGSERIAL here while the file made BIGINT.
    "integer_key_shared_with_parent": ct(
        "audit_log_details",
        [
            {"name": "id", "type": "bigint", "primary_key": True, "foreign_key": fk("audit_log", "CASCADE")},
            {"name": "note", "type": "text"},
        ],
    ),
    # The contract's Defaults: SQL expressions, "now" on a date, a timestamp literal.
    "sql_and_date_defaults": ct(
        "shipments",
        [
            {"name": "id", "type": "uuid", "primary_key": True, "default": {"sql": "gen_random_uuid()"}},
            {"name": "code", "type": "string", "length": 16, "nullable": False, "default": {"sql": "lower('ABC')"}},
            {"name": "quantity", "type": "integer", "nullable": False, "default": {"sql": "1 + 1"}},
            {"name": "ship_on", "type": "date", "nullable": False, "default": "now"},
            {"name": "cutoff", "type": "datetime", "nullable": False, "default": "2026-01-31 09:00:00+00:00"},
            {"name": "settings", "type": "jsonb", "nullable": False, "default": {"sql": "CAST('{\"a\": 1}' AS jsonb)"}},
        ],
    ),
    "composite_primary_key": ct(
        "project_watchers",
        [
            {
                "name": "project_id",
                "type": "uuid",
                "primary_key": True,
                "foreign_key": fk("projects", "CASCADE"),
            },
            {"name": "user_id", "type": "uuid", "primary_key": True, "foreign_key": fk("users", "CASCADE")},
            {"name": "muted", "type": "boolean", "nullable": False, "default": False},
        ],
        timestamps=True,
    ),
    "self_referencing_fk": ct(
        "categories",
        [
            UUID_PK,
            {"name": "parent_id", "type": "uuid", "foreign_key": fk("categories", "SET NULL")},
            {"name": "name", "type": "string", "length": 80, "nullable": False},
        ],
    ),
    "self_referencing_fk_cascade": ct(
        "folders",
        [
            UUID_PK,
            {"name": "parent_id", "type": "uuid", "foreign_key": fk("folders", "CASCADE")},
            {"name": "name", "type": "string", "length": 80, "nullable": False},
        ],
    ),
    "everything_together": ct(
        "purchase_orders",
        [
            UUID_PK,
            {"name": "project_id", "type": "uuid", "nullable": False, "foreign_key": fk("projects", "CASCADE")},
            {"name": "approved_by", "type": "uuid", "foreign_key": fk("users", "SET NULL")},
            {
                "name": "state",
                "type": "string",
                "length": 20,
                "nullable": False,
                "enum": ["DRAFT", "SUBMITTED", "APPROVED", "REJECTED"],
                "default": "DRAFT",
            },
            {"name": "reference", "type": "string", "length": 40, "nullable": False, "unique": True},
            {"name": "total", "type": "numeric", "precision": 14, "scale": 2, "nullable": False, "default": 0},
            {"name": "lines", "type": "jsonb", "nullable": False, "default": []},
            {"name": "submitted_at", "type": "datetime", "index": True},
        ],
        description="Add purchase orders table (approval flow)",
        timestamps=True,
        indexes=[{"columns": ["project_id", "state"]}],
    ),
    # Lines past 120 characters: the file must already be in ruff's format (ruff wraps them).
    "long_enum_list": ct(
        "shipment_events",
        [
            UUID_PK,
            {
                "name": "event_type",
                "type": "string",
                "length": 32,
                "nullable": False,
                "enum": [
                    "LABEL_CREATED",
                    "PICKED_UP",
                    "IN_TRANSIT",
                    "ARRIVED_AT_HUB",
                    "DEPARTED_HUB",
                    "OUT_FOR_DELIVERY",
                    "DELIVERY_ATTEMPTED",
                    "DELIVERED",
                    "RETURNED_TO_SENDER",
                    "CUSTOMS_HOLD",
                    "CUSTOMS_RELEASED",
                    "LOST_IN_TRANSIT",
                ],
                "default": "LABEL_CREATED",
            },
        ],
    ),
    "long_lines": ct(
        "budget_allocation_changes",
        [
            UUID_PK,
            {
                "name": "responsible_finance_user_id",
                "type": "uuid",
                "foreign_key": fk("users", "SET NULL"),
            },
            {
                "name": "approving_project_reference_id",
                "type": "uuid",
                "nullable": False,
                "foreign_key": fk("projects", "CASCADE"),
            },
            {
                "name": "explanation_for_the_auditors",
                "type": "text",
                "nullable": False,
                "default": "Allocated by the finance team after the quarterly review; " * 3,
            },
            {"name": "allocated_amount_in_euro_cents", "type": "numeric", "precision": 18, "scale": 2, "index": True},
        ],
    ),
    # Longest names that still fit PostgreSQL's 63 bytes: idx_<table>_<column> is exactly 63.
    "names_at_the_63_byte_limit": ct(
        "kv",
        [
            UUID_PK,
            {"name": "c" * 56, "type": "integer", "index": True},
        ],
    ),
}
SPECS["every_type_not_null"]["details"] = "Every column type of the contract, NOT NULL.\nSecond line of details."


def spec_ids() -> list[str]:
    return list(SPECS)


# --- values for inserts ---------------------------------------------------------------

_serial = itertools.count(1)


def unique_text(length: int) -> str:
    """Never the same twice in a run, and fits even a 2-character column."""
    number, digits = next(_serial), ""
    while number:
        number, digit = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
    assert len(digits) <= length, "ran out of unique short strings"
    return digits


SAMPLE = {
    "uuid": lambda c: str(uuid.uuid4()),
    "string": lambda c: unique_text(c.length or 255),
    "text": lambda c: "sample text",
    "integer": lambda c: str(next(_serial)),
    "bigint": lambda c: str(next(_serial)),
    "smallint": lambda c: str(next(_serial)),
    "numeric": lambda c: "3.25",
    "float": lambda c: "2.5",
    "boolean": lambda c: "true",
    "date": lambda c: "2026-03-04",
    "datetime": lambda c: "2026-03-04T05:06:07+00:00",
    "jsonb": lambda c: '{"k": 1}',
    "json": lambda c: '{"k": 1}',
}


def sample_value(column: Column):
    if column.enum:
        return column.default if column.has_default else column.enum[0]
    return SAMPLE[column.type](column)


def insert(conn, table: Table, values: dict) -> dict:
    names = list(values)
    cols = ", ".join(f'"{n}"' for n in names)
    if names:
        sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join(["%s"] * len(names))}) RETURNING *'
    else:
        sql = f'INSERT INTO "{table.name}" DEFAULT VALUES RETURNING *'
    cur = conn.execute(sql, [values[n] for n in names])
    return {d.name: v for d, v in zip(cur.description, cur.fetchone())}


def required_values(conn, table: Table, self_parent: dict | None = None) -> dict:
    """Only what the table cannot fill itself: NOT NULL columns without a default,
    integer primary keys (the contract promises no sequence), and every foreign key
    (so that ON DELETE can be observed), whose parent rows are inserted first."""
    values = {}
    for column in table.columns:
        if column.foreign_key:
            ref = column.foreign_key
            if ref["table"] == table.name:
                if self_parent is not None:
                    values[column.name] = self_parent[ref.get("column", "id")]
                continue
            values[column.name] = pg_insert_row(conn, ref["table"])[ref.get("column", "id")]
        elif column.primary_key and column.type in ("integer", "bigint", "smallint"):
            values[column.name] = SAMPLE[column.type](column)
        elif not column.nullable and not column.server_generated:
            values[column.name] = sample_value(column)
    return values


# What each {"sql": ...} default of the matrix stores.
SQL_DEFAULT_VALUES = {"lower('ABC')": "abc", "1 + 1": 2, "CAST('{\"a\": 1}' AS jsonb)": {"a": 1}}


def expected_default(column: Column, value) -> None:
    """The stored value equals the spec's default."""
    default = column.default
    if isinstance(default, dict) and set(default) == {"sql"}:
        if default["sql"] == "gen_random_uuid()":
            assert isinstance(value, uuid.UUID), (column.name, value)
        else:
            assert value == SQL_DEFAULT_VALUES[default["sql"]], (column.name, value)
    elif column.type == "datetime" and default == "now":
        assert value is not None
    elif column.type == "date" and default == "now":
        # CURRENT_DATE on every insert, not the day the migration ran.
        assert isinstance(value, datetime.date), (column.name, value)
    elif column.type == "datetime":
        assert value == datetime.datetime.fromisoformat(default), (column.name, value)
    elif isinstance(default, bool):
        assert value is default, (column.name, value)
    elif isinstance(default, (int, float)) and column.type == "numeric":
        assert value == Decimal(str(default)), (column.name, value)
    elif isinstance(default, (int, float, dict, list)):
        assert value == default, (column.name, value)
    elif column.type == "date":
        assert str(value) == default, (column.name, value)
    else:
        assert value == default, (column.name, value)


# --- the generated file ------------------------------------------------------------------


def generate(tmp_path: Path, spec: dict):
    result, versions = new_with_spec(tmp_path, spec)
    assert result.code == 0, str(result)
    files = created_files(versions)
    assert len(files) == 1, f"expected exactly one new file, got {files}\n{result}"
    return result, versions, files[0]


def check_file(spec: dict, result, path: Path) -> None:
    description = spec["description"]
    slug = slug_of(description)
    assert path.name == f"{NEW_REVISION}_{slug}.py"
    values = module_values(path)
    assert values["revision"] == NEW_REVISION
    assert values["down_revision"] == EXAMPLE_HEAD
    assert values["branch_labels"] is None and values["depends_on"] is None
    doc = values["__doc__"]
    assert doc.startswith(description + "\n\n"), doc
    assert f"\nRevision ID: {NEW_REVISION}\nRevises: {EXAMPLE_HEAD}\nCreate Date: {DATE}\n" in doc + "\n", doc
    if spec.get("details"):
        # The extended description follows `Create Date:` after a blank line (the seed's template).
        assert f"Create Date: {DATE}\n\n{spec['details']}" in doc, doc
    text = path.read_text()
    assert text.startswith('"""'), text[:80]
    for line in (
        "from __future__ import annotations",
        "import sqlalchemy as sa",
        "from alembic import op",
        "from sqlalchemy.dialects import postgresql",
        "branch_labels = None",
        "depends_on = None",
        "def upgrade() -> None:",
        "def downgrade() -> None:",
    ):
        assert f"\n{line}\n" in text, f"missing line {line!r}"
    table = table_of(spec)
    for column in table.enum_columns:
        expression, name = check_constraint_text(table.name, column)
        # ruff may wrap a long CheckConstraint over several lines; the two arguments stay whole
        assert re.search(rf"sa\.CheckConstraint\(\s*{re.escape(expression)},\s*{re.escape(name)},?\s*\)", text), (
            f"no {expression}, {name}"
        )
    for column in table.fk_columns:
        assert f'"fk_{table.name}_{column.name}"' in text
    if any(c.generated_uuid for c in table.columns):
        assert 'server_default=sa.text("gen_random_uuid()")' in text
    # stdout: the path, then the seed's two reminders
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert lines and lines[0].strip().endswith(path.name), result.stdout
    assert REMINDER_TEST in result.stdout
    assert re.search(rf"Deploy to server with `/deploy \S*{re.escape(path.name)}`\.", result.stdout), result.stdout
    # formatted and compilable
    fmt = ruff_format_check(path)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr
    py_compile.compile(str(path), cfile=str(path.parent.parent / "compiled.pyc"), doraise=True)


@pytest.mark.cli
@pytest.mark.postgres
@pytest.mark.parametrize("name", spec_ids())
def test_new_spec_on_postgres(name, tmp_path, pg_server, pg_example_db, script_location):
    spec = SPECS[name]
    table = table_of(spec)
    result, versions, path = generate(tmp_path, spec)
    check_file(spec, result, path)

    runner = AlembicRunner(versions, pg_server.url(pg_example_db), script_location)
    with pg_server.connect(pg_example_db) as conn:
        before = pg_snapshot(conn)
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        assert table.name in pg_tables(conn)
        check_schema(conn, table)
        check_rows(conn, table)
    runner.downgrade("-1")
    with pg_server.connect(pg_example_db) as conn:
        assert table.name not in pg_tables(conn)
        assert pg_snapshot(conn) == before, "downgrade() does not undo upgrade() exactly"
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        assert table.name in pg_tables(conn)
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert version == NEW_REVISION


def check_schema(conn, table: Table) -> None:
    columns = pg_columns(conn, table.name)
    assert set(columns) == {c.name for c in table.columns}
    for column in table.columns:
        actual = columns[column.name]
        assert actual["udt_name"] == PG_UDT[column.type], (column.name, actual)
        assert actual["nullable"] == column.nullable, (column.name, actual)
        if column.type == "string":
            assert actual["length"] == column.length, (column.name, actual)
        if column.type == "numeric" and column.precision is not None:
            assert (actual["precision"], actual["scale"]) == (column.precision, column.scale or 0), actual
        if column.server_generated:
            assert actual["default"] is not None, f"{column.name} has no server default"
        elif not (column.primary_key and column.type in ("integer", "bigint", "smallint")):
            # integer primary keys may get a sequence (SERIAL); nothing else may have a default
            assert actual["default"] is None, (column.name, actual)
    pk = conn.execute(
        """
        SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_index i
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = %s::regclass AND i.indisprimary
        """,
        (table.name,),
    ).fetchone()[0]
    assert sorted(pk or []) == sorted(table.primary_key)
    for column in table.enum_columns:
        constraint = pg_constraint(conn, table.name, f"chk_{table.name}_{column.name}")
        assert constraint and constraint["type"] == "c", f"no chk_{table.name}_{column.name}"
    for column in table.fk_columns:
        constraint = pg_constraint(conn, table.name, f"fk_{table.name}_{column.name}")
        assert constraint and constraint["type"] == "f", f"no fk_{table.name}_{column.name}"
        expected = column.foreign_key.get("ondelete", "NO ACTION").upper()
        assert PG_ONDELETE[constraint["ondelete"]] == expected, constraint
        assert pg_index(conn, table.name, f"idx_{table.name}_{column.name}"), f"no index on FK {column.name}"
    for column in table.columns:
        if column.index:
            assert pg_index(conn, table.name, f"idx_{table.name}_{column.name}"), f"no index on {column.name}"
        if column.unique:
            constraint = pg_constraint(conn, table.name, f"uniq_{table.name}_{column.name}")
            assert constraint and constraint["type"] == "u", f"no uniq_{table.name}_{column.name}"
    for index in table.indexes:
        suffix = "_".join(index["columns"])
        if index.get("unique"):
            # A unique rule is the convention's named constraint, not a unique index.
            constraint = pg_constraint(conn, table.name, f"uniq_{table.name}_{suffix}")
            assert constraint and constraint["type"] == "u", f"no uniq_{table.name}_{suffix}"
            assert pg_index(conn, table.name, f"idx_{table.name}_{suffix}") is None
            continue
        name = f"idx_{table.name}_{suffix}"
        definition = pg_index(conn, table.name, name)
        assert definition, f"no index {name}"
        assert "UNIQUE" not in definition, definition
        assert f"({', '.join(index['columns'])})" in definition, definition


def self_fk(table: Table) -> Column | None:
    return next((c for c in table.fk_columns if c.foreign_key["table"] == table.name), None)


def check_rows(conn, table: Table) -> None:
    # A row that relies on every default.
    row = insert(conn, table, required_values(conn, table))
    for column in table.columns:
        if column.has_default:
            expected_default(column, row[column.name])
        if column.generated_uuid:
            assert isinstance(row[column.name], uuid.UUID)
    if table.timestamps:
        assert row["created_at"] is not None and row["updated_at"] is not None

    # Enum columns reject values outside the list.
    for column in table.enum_columns:
        values = required_values(conn, table)
        values[column.name] = "BOGUS"[: column.length or 5]
        with pytest.raises(psycopg.errors.CheckViolation):
            insert(conn, table, values)

    # Unique columns reject duplicates.
    for column in table.columns:
        if column.unique:
            values = required_values(conn, table)
            values[column.name] = sample_value(column)
            insert(conn, table, values)
            again = required_values(conn, table)
            again[column.name] = values[column.name]
            with pytest.raises(psycopg.errors.UniqueViolation):
                insert(conn, table, again)

    # Foreign keys reject orphans, and ON DELETE does what the spec says.
    self_column = self_fk(table)
    for column in table.fk_columns:
        values = required_values(conn, table, self_parent=row)
        values[column.name] = orphan_value(column)
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            insert(conn, table, values)
    for column in table.fk_columns:
        check_ondelete(conn, table, column, self_column)


def orphan_value(column: Column):
    return str(uuid.uuid4()) if column.type == "uuid" else "987654321"


def check_ondelete(conn, table: Table, column: Column, self_column: Column | None) -> None:
    ref = column.foreign_key
    ref_table, ref_column = ref["table"], ref.get("column", "id")
    ondelete = ref.get("ondelete", "NO ACTION").upper()
    if column is self_column:
        parent = insert(conn, table, required_values(conn, table))
    else:
        parent = pg_insert_row(conn, ref_table)
    values = required_values(conn, table, self_parent=parent if column is self_column else None)
    values[column.name] = parent[ref_column]
    child = insert(conn, table, values)
    pk = table.primary_key
    where = " AND ".join(f'"{c}" = %s' for c in pk)
    key = [child[c] for c in pk]
    delete = f'DELETE FROM "{ref_table}" WHERE "{ref_column}" = %s'
    if ondelete in ("RESTRICT", "NO ACTION"):
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute(delete, (parent[ref_column],))
        return
    conn.execute(delete, (parent[ref_column],))
    after = conn.execute(f'SELECT "{column.name}" FROM "{table.name}" WHERE {where}', key).fetchone()
    if ondelete == "CASCADE":
        assert after is None, f"ON DELETE CASCADE left the row of {column.name}"
    else:  # SET NULL, SET DEFAULT (no default in these specs: NULL)
        assert after is not None and after[0] is None, (column.name, after)


@pytest.mark.cli
@pytest.mark.sqlite
@pytest.mark.parametrize("name", spec_ids())
def test_new_spec_on_sqlite(name, tmp_path, sqlite_example_db, script_location):
    spec = SPECS[name]
    table = table_of(spec)
    _result, versions, _path = generate(tmp_path, spec)
    runner = AlembicRunner(versions, f"sqlite:///{sqlite_example_db}", script_location)
    before = sqlite_snapshot(str(sqlite_example_db))
    runner.upgrade("head")
    assert table.name in sqlite_tables(str(sqlite_example_db))
    runner.downgrade("-1")
    assert table.name not in sqlite_tables(str(sqlite_example_db))
    assert sqlite_snapshot(str(sqlite_example_db)) == before
    runner.upgrade("head")
    assert table.name in sqlite_tables(str(sqlite_example_db))


def test_matrix_is_wide_enough():
    """The matrix covers every type, default kind, ondelete and index form of the contract."""
    tables = [table_of(spec) for spec in SPECS.values()]
    columns = [c for t in tables for c in t.columns]
    assert len(SPECS) >= 22
    assert {c.type for c in columns} == set(PG_UDT)
    assert {c.foreign_key["ondelete"] for c in columns if c.foreign_key} == {
        "CASCADE",
        "SET NULL",
        "RESTRICT",
        "NO ACTION",
        "SET DEFAULT",
    }
    defaults = [c.default for c in columns if c.has_default]
    assert "now" in defaults and True in defaults and False in defaults and {} in defaults and [1, 2] in defaults
    assert any(isinstance(d, str) and "'" in d for d in defaults)
    assert any(c.enum and c.has_default for c in columns)
    assert any(c.index for c in columns) and any(c.unique for c in columns)
    assert any(len(i["columns"]) > 1 and i.get("unique") for t in tables for i in t.indexes)
    assert any(t.timestamps for t in tables)
    assert any(len(t.primary_key) > 1 for t in tables)
    assert any(c.primary_key and c.type == "integer" for c in columns)
    assert any(self_fk(t) for t in tables)


# --- output modes -------------------------------------------------------------------------


def split_sql(text: str) -> tuple[str, str | None]:
    """Split `--sql` output into its upgrade and downgrade parts.

    Assumption (the contract is silent on the layout): the downgrade DDL, when
    printed, starts at a comment line that mentions "downgrade".
    """
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.lstrip().startswith("--") and "downgrade" in line.lower():
            return "".join(lines[:i]), "".join(lines[i:])
    return text, None


def run_psql(pg_server, dbname: str, sql: str) -> None:
    psql = shutil.which("psql")
    if psql:
        proc = subprocess.run(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(pg_server.port)]
            + ["-U", "postgres", "-d", dbname],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"psql failed:\n{proc.stderr}\n--- sql\n{sql}"
    else:
        with pg_server.connect(dbname) as conn:
            conn.execute(sql)


@pytest.mark.cli
@pytest.mark.postgres
@pytest.mark.parametrize("name", ["invoices_contract_example", "everything_together", "composite_primary_key"])
def test_sql_output_runs_on_postgres(name, tmp_path, pg_server, pg_example_db):
    spec = SPECS[name]
    table = table_of(spec)
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, spec)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE, "--sql"])
    assert result.code == 0, str(result)
    assert "CREATE TABLE" in result.stdout
    upgrade_sql, downgrade_sql = split_sql(result.stdout)
    with pg_server.connect(pg_example_db) as conn:
        before = pg_snapshot(conn)
    run_psql(pg_server, pg_example_db, upgrade_sql)
    with pg_server.connect(pg_example_db) as conn:
        assert table.name in pg_tables(conn)
        check_schema(conn, table)
    if downgrade_sql is not None:
        run_psql(pg_server, pg_example_db, downgrade_sql)
        with pg_server.connect(pg_example_db) as conn:
            after = pg_snapshot(conn)
        assert after == before


def sql_statements(text: str) -> list[str]:
    """The statements of a SQL script, whitespace collapsed, comment lines and Alembic's own
    bookkeeping (BEGIN, COMMIT, alembic_version) left out. Semicolons inside quotes do not split."""
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
    statements, current, quoted = [], [], False
    for ch in text:
        if ch == "'":
            quoted = not quoted
        if ch == ";" and not quoted:
            statements.append("".join(current))
            current = []
        else:
            current.append(ch)
    statements.append("".join(current))
    out = []
    for s in statements:
        s = " ".join(s.split())
        if not s or s in ("BEGIN", "COMMIT") or "alembic_version" in s:
            continue
        out.append(s)
    return out


@pytest.mark.cli
@pytest.mark.parametrize("name", spec_ids())
def test_sql_preview_equals_what_alembic_renders(name, tmp_path, script_location):
    """`new --sql` prints what real Alembic renders offline for the written file, both ways."""
    spec = SPECS[name]
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, spec)
    preview = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE, "--sql"])
    assert preview.code == 0, str(preview)
    written = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    assert written.code == 0, str(written)
    ours_up, ours_down = split_sql(preview.stdout)
    assert ours_down is not None, preview.stdout
    runner = AlembicRunner(versions, "postgresql+psycopg://offline@127.0.0.1/offline", script_location)
    alembic_up = runner.upgrade_sql(f"{EXAMPLE_HEAD}:{NEW_REVISION}")
    alembic_down = runner.downgrade_sql(f"{NEW_REVISION}:{EXAMPLE_HEAD}")
    assert sql_statements(ours_up) == sql_statements(alembic_up)
    assert sql_statements(ours_down) == sql_statements(alembic_down)


def test_sql_statements_normalises_only_whitespace():
    assert sql_statements("BEGIN;\n-- Running upgrade\nCREATE TABLE t (\n    a TEXT DEFAULT 'x;y', \n    b INT\n);\nCOMMIT;") == [
        "CREATE TABLE t ( a TEXT DEFAULT 'x;y', b INT )"
    ]
    assert sql_statements("CREATE TABLE t (a SERIAL)") != sql_statements("CREATE TABLE t (a INTEGER)")


@pytest.mark.cli
def test_dry_run_prints_the_file_and_writes_nothing(tmp_path):
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, INVOICES)
    before = listing(versions)
    args = ["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE]
    dry = run([*args, "--dry-run"])
    assert dry.code == 0, str(dry)
    assert listing(versions) == before
    real = run(args)
    assert real.code == 0, str(real)
    (path,) = created_files(versions)
    # Assumption: standard output is the file's text and nothing else (trailing newlines aside).
    assert dry.stdout.rstrip("\n") == path.read_text().rstrip("\n")


@pytest.mark.cli
def test_json_output_shape(tmp_path):
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, INVOICES)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE, "--json"])
    assert result.code == 0, str(result)
    data = json.loads(result.stdout)
    assert {"path", "revision", "down_revision"} <= set(data)
    assert data["revision"] == NEW_REVISION
    assert data["down_revision"] == EXAMPLE_HEAD
    (path,) = created_files(versions)
    # A relative path is taken relative to the working directory of the call.
    reported = Path(data["path"])
    assert (reported if reported.is_absolute() else Path.cwd() / reported).resolve() == path.resolve()


@pytest.mark.cli
def test_spec_from_stdin(tmp_path):
    versions = copy_project(tmp_path / "proj")
    result = run(
        ["new", "--spec", "-", "--versions-dir", str(versions), "--date", DATE], stdin=json.dumps(SPECS["fk_cascade"])
    )
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    assert path.name == f"{NEW_REVISION}_create_milestones_table.py"


@pytest.mark.cli
def test_command_line_description_wins_over_spec(tmp_path):
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, INVOICES)
    result = run(
        ["new", "billing: invoices", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE]
    )
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    assert path.name == f"{NEW_REVISION}_billing_invoices.py"
    assert module_values(path)["__doc__"].startswith("billing: invoices\n")


EMPTY_TEMPLATE = f'''"""add widgets table

Revision ID: {NEW_REVISION}
Revises: {EXAMPLE_HEAD}
Create Date: {DATE}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "{NEW_REVISION}"
down_revision = "{EXAMPLE_HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # TODO: implement upgrade
    pass


def downgrade() -> None:
    # TODO: implement downgrade
    pass
'''


@pytest.mark.cli
def test_without_spec_the_body_is_the_seed_template(tmp_path, script_location):
    versions = copy_project(tmp_path / "proj")
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    assert path.name == f"{NEW_REVISION}_add_widgets_table.py"
    # Assumption: without details the docstring ends right after `Create Date:` (no placeholder line).
    assert path.read_text() == EMPTY_TEMPLATE
    AlembicRunner(versions, f"sqlite:///{tmp_path / 'x.db'}", script_location).upgrade("head")


@pytest.mark.cli
@pytest.mark.parametrize(
    "description, slug",
    [
        ("Pridėti sąskaitų lentelę", "prideti_saskaitu_lentele"),
        ("Add  Invoices-Table!!", "add_invoices_table"),
        ("../../etc/passwd", "etc_passwd"),
    ],
)
def test_slug(description, slug, tmp_path):
    versions = copy_project(tmp_path / "proj")
    result = run(["new", description, "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    assert path.parent == versions
    assert path.name == f"{NEW_REVISION}_{slug}.py"


@pytest.mark.cli
def test_deploy_reminder_names_the_repository_path(tmp_path):
    """Run from the project root with directory discovery: the reminder uses VejaPRO's own path."""
    root = tmp_path / "proj"
    versions = copy_project(root)
    result = run(["new", "add widgets table", "--date", DATE], cwd=root)
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    assert f"Deploy to server with `/deploy {VERSIONS_SUBPATH}/{path.name}`." in result.stdout


@pytest.mark.cli
def test_discovery_from_inside_the_git_work_tree(tmp_path):
    root = tmp_path / "proj"
    versions = copy_project(root)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    inner = root / "docs" / "notes"
    inner.mkdir(parents=True)
    result = run(["new", "add widgets table", "--date", DATE], cwd=inner)
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    # Assumption: "the path as the user's repository names it" is relative to the work tree root.
    assert f"Deploy to server with `/deploy {VERSIONS_SUBPATH}/{path.name}`." in result.stdout


@pytest.mark.cli
def test_new_in_an_empty_directory_starts_the_history(tmp_path, script_location):
    versions = tmp_path / "versions"
    versions.mkdir()
    result = run(["new", "initial schema", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    (path,) = sorted(versions.glob("*.py"))
    assert path.name == f"{DATE_COMPACT}_000001_initial_schema.py"
    values = module_values(path)
    assert values["revision"] == f"{DATE_COMPACT}_000001"
    assert values["down_revision"] is None
    AlembicRunner(versions, f"sqlite:///{tmp_path / 'x.db'}", script_location).upgrade("head")


@pytest.mark.cli
def test_next_sequence_follows_the_highest_number(tmp_path):
    versions = copy_project(tmp_path / "proj")
    text = EMPTY_TEMPLATE.replace(NEW_REVISION, "20260301_000042").replace("add widgets table", "jump ahead")
    (versions / "20260301_000042_jump_ahead.py").write_text(text)
    result = run(["new", "after the jump", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    path = versions / f"{DATE_COMPACT}_000043_after_the_jump.py"
    assert path.exists(), str(result)
    assert module_values(path)["down_revision"] == "20260301_000042"


@pytest.mark.cli
def test_generated_history_stays_a_chain(tmp_path, script_location):
    """Three `new` calls in a row: 18, 19, 20, each revising the one before; Alembic agrees."""
    versions = copy_project(tmp_path / "proj")
    names = ["fk_cascade", "self_referencing_fk", "unique_columns"]
    previous = EXAMPLE_HEAD
    for offset, name in enumerate(names):
        spec_file = write_spec(tmp_path, SPECS[name], name=f"{name}.json")
        result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
        assert result.code == 0, str(result)
        revision = f"{DATE_COMPACT}_{18 + offset:06d}"
        path = versions / f"{revision}_{slug_of(SPECS[name]['description'])}.py"
        assert module_values(path)["down_revision"] == previous
        previous = revision
    runner = AlembicRunner(versions, f"sqlite:///{tmp_path / 'chain.db'}", script_location)
    assert runner.heads() == [previous]
    runner.upgrade("head")
    runner.downgrade("base")


def test_example_spec_file_is_the_contract_example():
    from vmcli import EXAMPLE_PROJECT

    assert json.loads((EXAMPLE_PROJECT / "specs" / "invoices.json").read_text()) == INVOICES


@pytest.mark.cli
def test_example_spec_file_from_the_example_project(tmp_path):
    """`new --spec specs/invoices.json` run inside the example project layout, relative paths only."""
    from vmcli import EXAMPLE_PROJECT

    root = tmp_path / "vejapro"
    versions = copy_project(root)
    shutil.copytree(EXAMPLE_PROJECT / "specs", root / "specs")
    result = run(["new", "--spec", "specs/invoices.json", "--date", DATE], cwd=root)
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    assert path.name == f"{NEW_REVISION}_add_invoices_table.py"
    assert result.stdout.splitlines()[0] == f"{VERSIONS_SUBPATH}/{path.name}"


@pytest.mark.cli
@pytest.mark.postgres
def test_numeric_default_keeps_every_digit(tmp_path, pg_server, pg_example_db, script_location):
    """A numeric default is a decimal literal: it must reach the database digit for digit
    (not through a binary double, which keeps ~17 significant digits)."""
    versions = copy_project(tmp_path / "proj")
    spec_file = tmp_path / "spec.json"
    # Raw JSON text: Python's json module would itself round the number through a float.
    spec_file.write_text(
        '{"description": "add ledger totals table", "create_table": {"name": "ledger_totals", "columns": ['
        '{"name": "id", "type": "uuid", "primary_key": true},'
        '{"name": "total", "type": "numeric", "precision": 30, "scale": 10, "nullable": false,'
        ' "default": 12345678901234567890.1234567891}]}}'
    )
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    AlembicRunner(versions, pg_server.url(pg_example_db), script_location).upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        (total,) = conn.execute("INSERT INTO ledger_totals DEFAULT VALUES RETURNING total").fetchone()
    assert total == Decimal("12345678901234567890.1234567891")
