"""Read a database's schema back, to prove what migrations did and undid."""

from __future__ import annotations

import re
import sqlite3
import uuid
from contextlib import closing
from typing import Any

import psycopg

# --- PostgreSQL ---------------------------------------------------------------


def pg_snapshot(conn: psycopg.Connection) -> dict[str, Any]:
    """Tables, columns, constraints and indexes of schema public (less alembic_version), as plain data."""
    columns = conn.execute(
        """
        SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision,
               numeric_scale, is_nullable, column_default, is_identity, identity_generation
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'alembic_version'
        ORDER BY table_name, column_name
        """
    ).fetchall()
    constraints = conn.execute(
        """
        SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = 'public' AND con.contype <> 'n' AND rel.relname <> 'alembic_version'
        ORDER BY rel.relname, con.conname
        """
    ).fetchall()
    indexes = conn.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes"
        " WHERE schemaname = 'public' AND tablename <> 'alembic_version' ORDER BY 1, 2"
    ).fetchall()
    views = conn.execute("SELECT viewname FROM pg_views WHERE schemaname = 'public' ORDER BY 1").fetchall()
    return {
        "tables": sorted({row[0] for row in columns}),
        "columns": [tuple(row) for row in columns],
        # PK constraint names are generated (<table>_pkey); keep them, they are deterministic too.
        "constraints": [tuple(row) for row in constraints],
        "indexes": [tuple(row) for row in indexes],
        "views": [row[0] for row in views],
    }


def pg_tables(conn: psycopg.Connection) -> set[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
    return {row[0] for row in rows}


def pg_index(conn: psycopg.Connection, table: str, name: str) -> str | None:
    row = conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s AND indexname = %s",
        (table, name),
    ).fetchone()
    return row[0] if row else None


def pg_constraint(conn: psycopg.Connection, table: str, name: str) -> dict[str, Any] | None:
    row = conn.execute(
        """
        SELECT con.contype, con.confdeltype, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
        WHERE rel.relname = %s AND con.conname = %s
        """,
        (table, name),
    ).fetchone()
    if row is None:
        return None
    return {"type": row[0], "ondelete": row[1], "definition": row[2]}


def pg_columns(conn: psycopg.Connection, table: str) -> dict[str, dict[str, Any]]:
    rows = conn.execute(
        """
        SELECT column_name, data_type, udt_name, character_maximum_length, numeric_precision, numeric_scale,
               is_nullable, column_default
        FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s
        """,
        (table,),
    ).fetchall()
    return {
        r[0]: {
            "data_type": r[1],
            "udt_name": r[2],
            "length": r[3],
            "precision": r[4],
            "scale": r[5],
            "nullable": r[6] == "YES",
            "default": r[7],
        }
        for r in rows
    }


# confdeltype letters in pg_constraint
PG_ONDELETE = {"a": "NO ACTION", "r": "RESTRICT", "c": "CASCADE", "n": "SET NULL", "d": "SET DEFAULT"}


def pg_value_for(data_type: str, udt_name: str, length: int | None) -> Any:
    """A valid literal (as text: PostgreSQL casts it) for a NOT NULL column of this type."""
    if udt_name == "uuid":
        return str(uuid.uuid4())
    if data_type in ("character varying", "character", "text"):
        text = "v" + uuid.uuid4().hex
        return text[: length or len(text)]
    if udt_name in ("int2", "int4", "int8"):
        return str(uuid.uuid4().int % 30000 + 1)
    if udt_name in ("numeric", "float4", "float8"):
        return "1.5"
    if udt_name == "bool":
        return "true"
    if udt_name == "date":
        return "2026-01-02"
    if udt_name.startswith("timestamp"):
        return "2026-01-02T03:04:05+00:00"
    if udt_name in ("json", "jsonb"):
        return "{}"
    raise AssertionError(f"no sample value for type {data_type}/{udt_name}")


def pg_insert_row(conn: psycopg.Connection, table: str, values: dict[str, Any] | None = None) -> dict[str, Any]:
    """Insert one row into any existing table, filling only NOT NULL columns without a default.

    Foreign keys get a freshly inserted parent row; enum-like CHECK columns get
    their first allowed value. Returns the inserted row.
    """
    values = dict(values or {})
    cols = pg_columns(conn, table)
    fks = conn.execute(
        """
        SELECT a.attname, ref.relname, ra.attname
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_class ref ON ref.oid = con.confrelid
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
        JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = con.confkey[1]
        WHERE con.contype = 'f' AND rel.relname = %s
        """,
        (table,),
    ).fetchall()
    fk_of = {row[0]: (row[1], row[2]) for row in fks}
    checks = conn.execute(
        """
        SELECT pg_get_constraintdef(con.oid) FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
        WHERE con.contype = 'c' AND rel.relname = %s
        """,
        (table,),
    ).fetchall()
    for name, col in cols.items():
        if name in values or col["nullable"] or col["default"] is not None:
            continue
        if name in fk_of:
            ref_table, ref_col = fk_of[name]
            if ref_table == table:
                raise AssertionError(f"{table}.{name}: NOT NULL self-reference cannot be filled")
            values[name] = pg_insert_row(conn, ref_table)[ref_col]
            continue
        allowed = None
        for (definition,) in checks:
            if re.search(rf"\b{re.escape(name)}\b", definition):
                literals = re.findall(r"'((?:[^']|'')*)'", definition)
                if literals:
                    allowed = literals[0].replace("''", "'")
        values[name] = (
            allowed if allowed is not None else pg_value_for(col["data_type"], col["udt_name"], col["length"])
        )
    names = list(values)
    column_list = ", ".join(f'"{n}"' for n in names)
    if names:
        placeholders = ", ".join(["%s"] * len(names))
        sql = f'INSERT INTO "{table}" ({column_list}) VALUES ({placeholders}) RETURNING *'
    else:
        sql = f'INSERT INTO "{table}" DEFAULT VALUES RETURNING *'
    cur = conn.execute(sql, [values[n] for n in names])
    row = cur.fetchone()
    return {desc.name: value for desc, value in zip(cur.description, row)}


# --- SQLite -----------------------------------------------------------------------


def sqlite_affinity(declared: str) -> str:
    """SQLite's column affinity for a declared type (https://sqlite.org/datatype3.html, 3.1).

    Batch mode recreates tables from reflection, which turns type names SQLite
    does not know (UUID, JSONB) into NUMERIC: same affinity, so same storage.
    """
    name = declared.upper()
    if "INT" in name:
        return "INTEGER"
    if any(word in name for word in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if not name or "BLOB" in name:
        return "BLOB"
    if any(word in name for word in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def sqlite_snapshot(path: str) -> dict[str, Any]:
    """Tables, columns (by affinity) and index names, less alembic_version.

    Batch mode rewrites the CREATE TABLE text, so the raw SQL is not compared.
    """
    with closing(sqlite3.connect(path)) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                " AND name <> 'alembic_version' ORDER BY name"
            )
        ]
        columns = {}
        for table in tables:
            columns[table] = sorted(
                (r[1], sqlite_affinity(r[2]), bool(r[3]), r[4], r[5])
                for r in conn.execute(f'PRAGMA table_info("{table}")')
            )
        checks = sorted(
            (table, name)
            for table, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name <> 'alembic_version'"
            )
            for name in re.findall(r"CONSTRAINT\s+\"?(\w+)\"?\s+CHECK", sql or "")
        )
        foreign_keys = sorted(
            (table, r[3], r[2], r[4], r[6])
            for table in tables
            for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')
        )
        indexes = sorted(
            (r[0], r[1])
            for r in conn.execute(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'"
            )
        )
    return {"tables": tables, "columns": columns, "checks": checks, "foreign_keys": foreign_keys, "indexes": indexes}


def sqlite_tables(path: str) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
