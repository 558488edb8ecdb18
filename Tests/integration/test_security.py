"""No input can inject Python or SQL into a generated file (docs/security.md), proved as properties
over hostile strings: quotes of every kind, backslashes, `\"\"\"`, `'''`, braces, `%`, `:name` bind
parameters, `$$`, `--`, `/*`, Unicode line and paragraph separators, right-to-left marks, NUL and
other control characters, in the description, the details, enum values, string defaults and
CHECK expressions.

For each generated case: the command either refuses (exit 1, naming the field) or writes a file
that compiles, whose docstring holds the description and details, and which, applied by real
Alembic on PostgreSQL, stores every value exactly (a row's defaults read back equal; each enum
value is accepted by its CHECK and nothing else; the CHECK's literal is refused); the downgrade
runs; nothing is written outside the versions directory."""

from __future__ import annotations

import ast
import os
import random
import re

import psycopg
import pytest
from alembic_run import AlembicRunner
from vmcli import DATE, copy_project, listing, run, write_spec

pytestmark = [pytest.mark.cli, pytest.mark.postgres]

FRAGMENTS = [
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    "{",
    "}",
    "{0}",
    "{x}",
    "%",
    "%s",
    "%(x)s",
    ":name",
    ":1",
    "\\:x",
    "$$",
    "$tag$",
    "--",
    "/*",
    "*/",
    ";",
    ")",
    "(",
    "'); DROP TABLE projects; --",
    '"); import os; os.system("x") #',
    "\u2028",
    "\u2029",
    "\u200f",
    "\u202e",
    "\u00e9",
    "\U0001f600",
    "\\n",
    "\\x00",
    "`",
    "#",
    "\\N{BULLET}",
    " ",
]
CONTROLS = ["\n", "\r", "\t", "\x00", "\x0b", "\x1b", "\x7f"]
CASES = int(os.environ.get("SECURITY_CASES", "12"))


def hostile(rng: random.Random, controls: bool = False) -> str:
    parts = [rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 6))]
    if controls:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(CONTROLS))
    return "w" + "".join(parts)


def without_controls(text: str) -> str:
    return "".join(ch for ch in text if ord(ch) >= 0x20 and ord(ch) != 0x7F)


def as_docstring_line(text: str) -> str:
    """What a line of text becomes in the docstring (docs/security.md): a tab is a space, other
    control characters are dropped, trailing spaces go (ruff's format keeps none)."""
    return without_controls(text.replace("\t", " ")).rstrip()


def case(seed: int) -> tuple[dict, dict]:
    rng = random.Random(seed)
    values = []
    while len(values) < 4:
        v = hostile(rng)
        if v not in values and len(v) <= 90:
            values.append(v)
    facts = {
        "description": "add notes " + hostile(rng),
        "details": "\n".join(hostile(rng, controls=rng.random() < 0.3) for _ in range(3)),
        "default": hostile(rng)[:180],
        "values": values,
        "forbidden": hostile(rng)[:150],
    }
    spec = {
        "description": facts["description"],
        "details": facts["details"],
        "operations": [
            {
                "create_table": {
                    "name": "notes",
                    "columns": [
                        {"name": "id", "type": "uuid", "primary_key": True},
                        {
                            "name": "label",
                            "type": "string",
                            "length": 200,
                            "nullable": False,
                            "default": facts["default"],
                        },
                        {
                            "name": "kind",
                            "type": "string",
                            "length": 100,
                            "nullable": False,
                            "enum": values,
                            "default": values[0],
                        },
                        {"name": "note", "type": "text"},
                    ],
                }
            },
            {
                "add_check": {
                    "table": "notes",
                    "column": "note",
                    "expression": "note <> " + "'" + facts["forbidden"].replace("'", "''") + "'",
                }
            },
        ],
    }
    return spec, facts


@pytest.mark.parametrize("seed", range(CASES))
def test_hostile_strings_round_trip_to_postgres(seed, tmp_path, pg_server, pg_example_db, script_location):
    spec, facts = case(seed)
    versions = copy_project(tmp_path / "proj")
    before = listing(tmp_path / "proj")
    spec_path = write_spec(tmp_path, spec)
    result = run(["new", "--spec", str(spec_path), "--versions-dir", str(versions), "--date", DATE], cwd=tmp_path)
    if result.code == 1:
        # The one refusal a value may meet here: text that looks like a call (`w(...)`) as a
        # string default must be spelled {"sql": ...} or changed (docs/spec.md), named by field.
        assert re.fullmatch(
            r'error: operations\[0\]\.create_table\.columns\[[12]\]\.default: ".*" is an SQL expression.*\n',
            result.stderr,
            re.DOTALL,
        ), result
        assert listing(tmp_path / "proj") == before
        return
    assert result.code == 0, result
    after = listing(tmp_path / "proj")
    added = sorted(set(after) - set(before))
    assert len(added) == 1 and added[0].startswith("backend/app/migrations/versions/20261125_000018_"), added
    path = versions / added[0].rsplit("/", 1)[1]
    source = path.read_text()

    # It compiles, and it is one module of the shape we write: no statement smuggled in.
    tree = ast.parse(source)
    compile(source, str(path), "exec")
    top = [type(node).__name__ for node in tree.body]
    assert top.count("FunctionDef") == 2 and "Expr" == top[0], top
    assert all(
        isinstance(node, ast.Expr | ast.ImportFrom | ast.Import | ast.Assign | ast.FunctionDef) for node in tree.body
    )
    names = sorted(
        {n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}
    )
    assert set(names) <= {
        "create_table",
        "Column",
        "UUID",
        "text",
        "String",
        "Text",
        "PrimaryKeyConstraint",
        "CheckConstraint",
        "batch_alter_table",
        "create_check_constraint",
        "drop_constraint",
        "drop_table",
    }, names
    # The docstring holds the description and the details as they were, control characters dropped.
    doc = ast.get_docstring(tree, clean=False)
    # The description is the first line: a Unicode line or paragraph separator in it reads as a space.
    one_line = facts["description"].replace("\u2028", " ").replace("\u2029", " ")
    assert doc.split("\n", 1)[0] == as_docstring_line(one_line).strip()
    # Details are lines as Unicode counts them (U+2028 and \r break a line, as str.splitlines says).
    doc_lines = [line.rstrip() for line in doc.split("\n")]
    for line in facts["details"].splitlines():
        assert as_docstring_line(line) in doc_lines, (line, doc)
    # Every string in the file round-trips through the literal parser.
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            segment = ast.get_source_segment(source, node)
            assert ast.literal_eval(segment) == node.value

    runner = AlembicRunner(versions, pg_server.url(pg_example_db), script_location)
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        row = conn.execute("INSERT INTO notes (note) VALUES (NULL) RETURNING label, kind").fetchone()
        assert row == (facts["default"], facts["values"][0])
        for value in facts["values"]:
            assert conn.execute("INSERT INTO notes (kind) VALUES (%s) RETURNING kind", (value,)).fetchone() == (value,)
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO notes (kind) VALUES (%s)", (facts["values"][0] + "x",))
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute("INSERT INTO notes (note) VALUES (%s)", (facts["forbidden"],))
        conn.execute("INSERT INTO notes (note) VALUES (%s)", (facts["forbidden"] + "x",))
        # Nothing else happened to the database: the example's tables are all there.
        assert conn.execute("SELECT to_regclass('projects') IS NOT NULL").fetchone() == (True,)
    runner.downgrade("-1")
    with pg_server.connect(pg_example_db) as conn:
        assert conn.execute("SELECT to_regclass('notes')").fetchone() == (None,)


@pytest.mark.parametrize("control", CONTROLS, ids=[repr(c) for c in CONTROLS])
@pytest.mark.parametrize("field", ["default", "enum", "description"])
def test_control_characters_in_values_are_refused_with_the_field(control, field, tmp_path):
    """A value that reaches the database never carries a control character: the command refuses
    it, naming the field (PostgreSQL could not store NUL anyway). A description may be written,
    but without the character."""
    spec, _ = case(1000)
    columns = spec["operations"][0]["create_table"]["columns"]
    if field == "default":
        columns[1]["default"] = "a" + control + "b"
        where = "create_table.columns[1].default"
    elif field == "enum":
        columns[2]["enum"] = [*columns[2]["enum"], "a" + control + "b"]
        where = "create_table.columns[2].enum"
    else:
        spec["description"] = "add notes" + control + "b"
        where = "description"
    versions = copy_project(tmp_path / "proj")
    before = listing(versions)
    result = run(["new", "--spec", str(write_spec(tmp_path, spec)), "--versions-dir", str(versions), "--date", DATE])
    if field == "description" and result.code == 0:
        # The description may be written: the control character never reaches the file.
        (written,) = [p for p in versions.iterdir() if p.name.startswith("20261125_")]
        text = written.read_text()
        assert not any(ord(ch) < 0x20 and ch != "\n" or ord(ch) == 0x7F for ch in text), repr(text[:200])
        assert text.split("\n", 1)[0] in ('"""add notesb', '"""add notes b'), text[:80]
        return
    assert result.code == 1, result
    assert where in result.stderr, result
    assert listing(versions) == before


@pytest.mark.parametrize(
    "field, value",
    [
        ("table", "notes; DROP TABLE projects"),
        ("table", 'notes"'),
        ("table", "Notes"),
        ("table", "../../etc/passwd"),
        ("column", "label) ; --"),
        ("column", "label\u200f"),
        ("check", "note <> 'x') ; DROP TABLE projects; --"),
        ("check", "note <> 'x' -- "),
        ("check", "note <> 'x' /*"),
        ("check", "true); DROP TABLE projects; SELECT (1"),
        ("sql_default", "now()); DROP TABLE projects; --"),
        ("sql_default", "'a' || (SELECT 1)"),
    ],
)
def test_names_and_expressions_that_would_inject_are_refused(field, value, tmp_path):
    spec, _ = case(2000)
    ops = spec["operations"]
    if field == "table":
        ops[0]["create_table"]["name"] = value
        ops[1]["add_check"]["table"] = value
    elif field == "column":
        ops[0]["create_table"]["columns"][3]["name"] = value
    elif field == "check":
        ops[1]["add_check"]["expression"] = value
    else:
        ops[0]["create_table"]["columns"][3]["default"] = {"sql": value}
    versions = copy_project(tmp_path / "proj")
    before = listing(tmp_path / "proj")
    result = run(["new", "--spec", str(write_spec(tmp_path, spec)), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 1, result
    assert "error: operations[" in result.stderr, result
    assert listing(tmp_path / "proj") == before
