"""The schema `vejamigrate schema --json` reads statically from a history is, fact by fact, the schema
real Alembic builds on PostgreSQL 15.

Histories: every directory under histories/ (written the way projects write migrations by hand:
raw SQL, guards and dialect checks, loops and built strings, enums and constraints, data
migrations) and the example project. Facts and the normaliser are in schemafacts.py.

A table is either right or marked: a differing fact is tolerated only when an `opaque` entry of
the JSON lists the fact's table and its statement could change that kind of fact (see
schemafacts.classify for exactly what each kind of statement may explain). Being listed in
`touched_by_raw_sql`, or `partial`, excuses nothing by itself.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic_run import AlembicRunner
from schemafacts import ALL_KINDS, Fact, database_facts, explaining, opaque_entries, reader_facts
from vmcli import EXAMPLE_VERSIONS, REPO, cli_binary, run

HISTORIES_DIR = Path(__file__).resolve().parent / "histories"
HISTORIES = {path.name: path for path in sorted(HISTORIES_DIR.iterdir()) if path.is_dir()}
ALL = {**HISTORIES, "examples/vejapro": EXAMPLE_VERSIONS}
# Histories whose migrations guard the dialect, so that they also run on SQLite.
SQLITE_HISTORIES = ["guards_and_dialects"]


def test_every_history_is_a_linear_vejapro_style_history():
    """6-15 files named YYYYMMDD_NNNNNN_slug.py, revision ids YYYYMMDD_NNNNNN, one chain, docstrings."""
    import ast
    import re

    assert set(HISTORIES) >= {
        "raw_sql_heavy",
        "guards_and_dialects",
        "loops_and_strings",
        "enums_and_constraints",
        "data_migrations",
    }
    for name, directory in HISTORIES.items():
        files = sorted(p for p in directory.iterdir() if p.suffix == ".py")
        assert 6 <= len(files) <= 15, name
        previous = None
        for path in files:
            match = re.fullmatch(r"(\d{8}_\d{6})_[a-z0-9_]+\.py", path.name)
            assert match, path
            tree = ast.parse(path.read_text())
            assert ast.get_docstring(tree), path
            values = {
                node.targets[0].id: node.value.value
                for node in tree.body
                if isinstance(node, ast.Assign)
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant)
            }
            assert values["revision"] == match.group(1), path
            assert values["down_revision"] == previous, path
            previous = values["revision"]
            functions = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
            assert {"upgrade", "downgrade"} <= functions, path


# --- PostgreSQL: apply, undo, apply again ---------------------------------------------------------


def pg_leftovers(pg_server, db: str) -> list[tuple[str, str]]:
    """Every object left in schema public besides alembic_version: relations, types, functions."""
    with pg_server.connect(db) as conn:
        return conn.execute(
            """
            SELECT c.relkind::text, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relname NOT IN ('alembic_version', 'alembic_version_pkc')
            UNION ALL
            SELECT 'type ' || t.typtype::text, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
            UNION ALL
            SELECT 'function', p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public'
            ORDER BY 1, 2
            """
        ).fetchall()


@pytest.mark.postgres
@pytest.mark.parametrize("name", list(ALL))
def test_history_downgrades_to_an_empty_schema_and_upgrades_again(name, pg_server, pg_db, script_location):
    runner = AlembicRunner(ALL[name], pg_server.url(pg_db), script_location)
    runner.upgrade("head")
    first = database_facts(pg_server.url(pg_db))
    runner.downgrade("base")
    assert pg_leftovers(pg_server, pg_db) == [], f"{name}: downgrade base left these behind"
    runner.upgrade("head")
    again = database_facts(pg_server.url(pg_db))
    assert sorted(map(str, first ^ again)) == [], f"{name}: the second upgrade built another schema"


@pytest.mark.sqlite
@pytest.mark.parametrize("name", SQLITE_HISTORIES)
def test_history_applies_on_sqlite(name, tmp_path, script_location):
    path = tmp_path / "h.db"
    runner = AlembicRunner(HISTORIES[name], f"sqlite:///{path}", script_location)
    runner.upgrade("head")
    with closing(sqlite3.connect(path)) as conn:
        head = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert len(head - {"alembic_version"}) >= 3, head
    runner.downgrade("base")
    with closing(sqlite3.connect(path)) as conn:
        left = sorted(
            r[:2]
            for r in conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
            if r[1] != "alembic_version"
        )
    assert left == [], f"{name}: downgrade base left {left} on SQLite"
    runner.upgrade("head")


# --- the comparison ------------------------------------------------------------------------------


class Applied:
    """A history applied one revision at a time, with the facts after each step, so that each fact
    can be traced to the migration that last changed it."""

    def __init__(self, versions: Path, url: str, script_location: Path) -> None:
        runner = AlembicRunner(versions, url, script_location)
        self.versions = versions
        self.files = {p.name.split("_")[0] + "_" + p.name.split("_")[1]: p.name for p in versions.glob("*.py")}
        self.steps: list[tuple[str, dict[str, str]]] = []
        for revision in runner.revisions_base_to_head():
            runner.upgrade(revision)
            facts = database_facts(url)
            self.steps.append((self.files.get(revision, revision), {f.subject: f.value for f in facts}))
        self.head = database_facts(url)

    def last_changed_in(self, subject: str) -> str:
        changed, before = "?", None
        for filename, values in self.steps:
            value = values.get(subject)
            if value != before:
                changed, before = filename, value
        return changed


_applied: dict[str, Applied] = {}


def applied(name: str, pg_server, script_location) -> Applied:
    if name not in _applied:
        db = pg_server.create_database()
        try:
            _applied[name] = Applied(ALL[name], pg_server.url(db), script_location)
        finally:
            pg_server.drop_database(db)
    return _applied[name]


def schema_json(versions: Path) -> dict:
    result = run(["schema", "--json", "--versions-dir", str(versions)], timeout=120)
    assert result.code == 0, f"vejamigrate schema --json failed on {versions}:\n{result}"
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as error:
        raise AssertionError(f"vejamigrate schema --json printed no JSON ({error}):\n{result}") from None


def compare(name: str, history: Applied, data: dict) -> tuple[list[str], list[str]]:
    """(report lines for the differing facts, report lines for the tolerated ones)."""
    mine, absent = reader_facts(data)
    theirs = history.head
    entries = opaque_entries(data, history.versions)
    touched = data.get("touched_by_raw_sql") or {}
    tables_json = data.get("tables") or {}

    by_subject_db = {f.subject: f for f in theirs}
    by_subject_vm = {f.subject: f for f in mine}
    differing: list[tuple[str, str, str]] = []  # (table, fact line, tolerance note)
    tolerated: list[str] = []
    for side, facts, other in (
        ("database", theirs - mine, by_subject_vm),
        ("vejamigrate", mine - theirs, by_subject_db),
    ):
        for fact in facts:
            counterpart = by_subject_db.get(fact.subject) or by_subject_vm.get(fact.subject)
            tables = fact.tables or (counterpart.tables if counterpart else ())
            table = tables[0] if tables else ""
            filename = history.last_changed_in(fact.subject)
            where = f"{filename}" if filename != "?" else "not in the database at any step"
            line = f"fact only in {side}: {fact}   [database: last changed by {where}]"
            entry = explaining(Fact(fact.subject, fact.value, tables), entries, history.versions)
            if entry is not None:
                tolerated.append(f"  {line}   (explained by opaque {entry.at})")
                continue
            differing.append((table, fact.subject, line))

    lines: list[str] = []
    if differing:
        summary = {}
        for where in absent:
            summary[where] = summary.get(where, 0) + 1
        lines.append(
            f"{name}: {len(differing)} facts differ between PostgreSQL (alembic upgrade head) and "
            f"`{cli_binary()} schema --json --versions-dir {history.versions.relative_to(REPO) if history.versions.is_relative_to(REPO) else history.versions}`"
        )
        subjects = {subject for _, subject, _ in differing}
        only_absent = {
            subject
            for subject in subjects
            if "<missing field" in (by_subject_vm[subject].value if subject in by_subject_vm else "")
        }
        lines.append(
            f"{len(subjects)} subjects differ: {len(only_absent)} where the JSON lacks a field, "
            f"{len(subjects) - len(only_absent)} where vejamigrate is wrong or silent"
        )
        if summary:
            lines.append(
                "fields the JSON lacks (each makes its facts differ): "
                + ", ".join(f"{k} x{v}" for k, v in sorted(summary.items()))
            )
        if any(isinstance(o, str) for o in data.get("opaque") or []):
            lines.append("opaque entries are bare FILE:LINE strings (no `tables`): they excuse nothing")
        current = None
        for table, _subject, line in sorted(differing):
            if table != current:
                current = table
                if not table:
                    lines.append("enum types")
                    continue
                info = tables_json.get(table) if isinstance(tables_json, dict) else None
                notes = []
                if info is None:
                    notes.append("not in the JSON's tables")
                else:
                    notes.append(f"created_in={info.get('created_in')}")
                    if info.get("partial"):
                        notes.append("partial")
                if table in touched:
                    notes.append("touched_by_raw_sql at " + ", ".join(touched[table]))
                lines.append(f"table {table}  ({'; '.join(notes)})")
            lines.append(f"  {line}")
    return lines, tolerated


@pytest.mark.postgres
@pytest.mark.cli
@pytest.mark.parametrize("name", list(ALL))
def test_schema_json_matches_postgres_fact_by_fact(name, pg_server, script_location):
    history = applied(name, pg_server, script_location)
    data = schema_json(history.versions)
    lines, tolerated = compare(name, history, data)
    if tolerated:
        print(f"{name}: {len(tolerated)} differing facts tolerated, each explained by an opaque statement:")
        print("\n".join(sorted(tolerated)))
    assert not lines, "\n".join(lines)


# --- the harness itself (no database) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("database", "written"),
    [
        ("'active'::character varying", "'active'"),
        ("nextval('accounts_id_seq'::regclass)", None),
        ("'-1'::integer", "-1"),
        ("'{}'::text[]", "'{}'"),
        ("'draft'::invoice_status", "'draft'"),
        ("lower((email)::text)", "lower(email)"),
        ("lower(email::text)", "LOWER( email )"),
        ("((status)::text <> 'DONE'::text)", "status != 'DONE'"),
        ("((placed_at IS NOT NULL) OR (note IS NOT NULL))", "placed_at IS NOT NULL OR note IS NOT NULL"),
        (
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "status IN ('a', 'b')",
        ),
        ("CURRENT_TIMESTAMP", "current_timestamp"),
        ('"Mixed" = 1', '"Mixed" = 1'),
    ],
)
def test_normaliser_puts_both_sides_in_one_form(database, written):
    from schemafacts import default_fact, normalise_sql

    if written is None:
        assert default_fact(database) == "autoincrement"
    else:
        assert normalise_sql(database) == normalise_sql(written)


def test_normaliser_keeps_what_differs():
    from schemafacts import normalise_sql

    assert normalise_sql("'A'") != normalise_sql("'a'")  # case inside strings matters
    assert normalise_sql('"Mixed"') != normalise_sql("mixed")
    assert normalise_sql("lower(email)") != normalise_sql("upper(email)")
    assert normalise_sql("status IN ('a', 'b')") != normalise_sql("status IN ('a', 'c')")
    assert normalise_sql("'5'::text") != normalise_sql("5")


def test_allowed_values_from_both_spellings():
    from schemafacts import allowed_values

    assert allowed_values("status IN ('a','b')") == ("status", ("a", "b"))
    assert allowed_values(
        "CHECK (((method)::text = ANY ((ARRAY['card'::character varying, 'cash'::character varying])::text[])))"
    ) == ("method", ("card", "cash"))
    assert allowed_values("payment_terms::text = ANY (ARRAY['NET15'::text, 'NET30'::text])") == (
        "payment_terms",
        ("NET15", "NET30"),
    )
    assert allowed_values("amount >= 0") is None
    assert allowed_values("char_length(code) >= 3") is None


def test_opaque_statements_excuse_only_what_they_could_change():
    from schemafacts import Fact, Opaque, classify, explaining

    versions = HISTORIES["raw_sql_heavy"]
    kinds, enums = classify('op.execute("CREATE INDEX idx_x ON orders (note)")')
    assert kinds == {"index", "unique", "primary key"} and not enums
    assert classify("op.execute(\"COMMENT ON TABLE orders IS 'x'\")") == (frozenset(), frozenset())
    assert classify("op.execute(\"ALTER TYPE invoice_status ADD VALUE 'x'\")")[1] == {"invoice_status"}
    assert classify('op.execute("ALTER TABLE t ALTER COLUMN c SET NOT NULL")')[0] == ALL_KINDS - {"table"}
    # a loop of add_column can change columns, never make a table exist
    loop = "for table in TABLES:\n    op.add_column(table, sa.Column('x', sa.Integer()))"
    assert "column" in classify(loop)[0] and "table" not in classify(loop)[0]
    # a helper is read through to its body
    source = "def _helper(t):\n    op.create_index('i', t, ['c'])\n"
    assert classify('_helper("notes")', source)[0] == {"index"}
    # a call of something unknown could do anything
    assert classify("somewhere.make_tables()")[0] == ALL_KINDS

    index_stmt = Opaque("f.py:1", ["orders"], 'op.execute("CREATE INDEX idx_x ON orders (note)")', kinds, enums)
    column = Fact("column orders.note nullable", "true", ("orders",))
    index = Fact("index orders.idx_x method", "btree", ("orders",))
    other = Fact("index customers.idx_y method", "btree", ("customers",))
    assert explaining(index, [index_stmt], versions) is index_stmt
    assert explaining(column, [index_stmt], versions) is None  # an index cannot explain a column
    assert explaining(other, [index_stmt], versions) is None  # nor another table
    bare = Opaque("f.py:1", None, index_stmt.text, kinds, enums)
    assert explaining(index, [bare], versions) is None  # no tables listed: excuses nothing
