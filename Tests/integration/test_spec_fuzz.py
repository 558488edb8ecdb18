"""Random specs over every operation, on top of the example history.

Each spec is built from a seeded generator that mixes plausible and broken values (unknown
tables and columns, bad types, wrong JSON types, empty lists, reserved words, long names, bad
defaults, several operations at once). For each one `vejamigrate new --spec` must either refuse
it cleanly (exit 1, every line `error: <field>: ...`, nothing written) or write a file that
compiles, that `ruff format` leaves unchanged, and that applies on SQLite: upgrade, downgrade,
upgrade. `FUZZ_SPECS=N` runs more (`make fuzz-specs` runs 400); `make test` runs 60.
"""

from __future__ import annotations

import json
import os
import py_compile
import random

import pytest
from alembic_run import AlembicRunner
from vmcli import DATE, created_files, listing, copy_project, ruff_format_check, run, write_spec

COUNT = int(os.environ.get("FUZZ_SPECS", "60"))

# The example history's tables and some of their columns (what a plausible spec names).
TABLES = {
    "projects": ["title", "description", "status", "budget", "currency", "owner_id"],
    "tasks": ["title", "status", "due_date", "assignee_id", "project_id", "priority"],
    "users": ["email", "full_name", "is_active", "last_login_at"],
    "comments": ["body", "author_id", "task_id"],
    "labels": ["name", "color"],
}
TYPES = ["uuid", "string", "text", "integer", "bigint", "smallint", "numeric", "float", "boolean", "date", "datetime", "jsonb", "json"]
NASTY = ["", "Bad Name", "select", "x" * 70, "a-b", "_ok", "naïve", "1abc", "ok_name"]


# About one value in twenty is broken, so that a fair share of specs is valid and gets applied.
BROKEN = 0.05

# A default that fits each type, and ones that do not.
GOOD_DEFAULTS = {
    "uuid": {"sql": "gen_random_uuid()"}, "string": "x", "text": "note", "integer": 0, "bigint": 7, "smallint": 1,
    "numeric": 1.5, "float": 0.5, "boolean": True, "date": "now", "datetime": "now", "jsonb": {}, "json": [],
}
BAD_DEFAULTS = ["now()", {"sql": "1); DROP TABLE x"}, None, "not a date", 1.5, {"sql": ""}]


def pick_table(rng: random.Random) -> str:
    return rng.choice(["nonexistent", ""]) if rng.random() < BROKEN else rng.choice(list(TABLES))


def pick_column(rng: random.Random, table: str) -> str:
    if rng.random() < BROKEN:
        return rng.choice(["nope", "", "id"])
    return rng.choice(TABLES.get(table, ["x"]))


def new_name(rng: random.Random) -> str:
    return rng.choice(NASTY) if rng.random() < BROKEN else f"c{rng.randrange(10_000)}"


def column(rng: random.Random) -> dict:
    t = "varchar" if rng.random() < BROKEN else rng.choice(TYPES)
    c: dict = {"name": new_name(rng), "type": t}
    if t == "string" and rng.random() < 0.5:
        c["length"] = rng.choice([8, 64, 255]) if rng.random() > BROKEN else rng.choice([0, -1])
    if t == "numeric" and rng.random() < 0.5:
        c["precision"], c["scale"] = rng.choice([(12, 2), (5, 0)]) if rng.random() > BROKEN else (2, 5)
    if rng.random() < 0.3:
        c["nullable"] = "no" if rng.random() < BROKEN else rng.choice([True, False])
    if rng.random() < 0.4:
        c["default"] = rng.choice(BAD_DEFAULTS) if rng.random() < BROKEN else GOOD_DEFAULTS.get(t, "x")
    if t in ("string", "text") and rng.random() < 0.2:
        c["enum"] = rng.choice([[], ["A", "A"]]) if rng.random() < BROKEN else ["x", "A", "B"]
    if rng.random() < 0.15:
        c["index"] = True
    if rng.random() < 0.1:
        c["unique"] = True
    if t == "uuid" and rng.random() < 0.3:
        c["foreign_key"] = {"table": "ghosts" if rng.random() < BROKEN else rng.choice(["users", "projects"]),
                            "ondelete": "BOOM" if rng.random() < BROKEN else rng.choice(["CASCADE", "SET NULL", "RESTRICT"])}
    return c


def operation(rng: random.Random) -> dict:
    kind = rng.choice(
        ["add_columns", "drop_columns", "rename_column", "alter_column", "alter_enum", "add_check", "create_index",
         "drop_index", "add_foreign_key", "drop_constraint", "rename_table", "drop_table", "create_table"]
    )
    t = pick_table(rng)
    if kind == "add_columns":
        body = {"table": t, "columns": [column(rng) for _ in range(rng.randrange(0 if rng.random() < BROKEN else 1, 3))]}
    elif kind == "drop_columns":
        body = {"table": t, "columns": [pick_column(rng, t) for _ in range(rng.randrange(0 if rng.random() < BROKEN else 1, 3))]}
    elif kind == "rename_column":
        body = {"table": t, "column": pick_column(rng, t), "to": new_name(rng)}
    elif kind == "alter_column":
        body = {"table": t, "column": pick_column(rng, t)}
        if rng.random() < 0.5:
            body["nullable"] = rng.choice([True, False])
        if rng.random() < 0.4:
            body["backfill"] = rng.choice(["x", 0, "now"])
        if rng.random() < 0.3:
            body["type"] = rng.choice(["text", "string", "integer", "boolean", "uuid", "bigint", "blob"])
            if body["type"] == "string" and rng.random() < 0.5:
                body["length"] = rng.choice([8, 64, 512])
        if rng.random() < (0.5 if "type" in body else BROKEN):
            # The conversion of a type change (without a type it is refused): plausible or broken.
            body["using"] = rng.choice(["(SELECT 1)", "", "1) --"]) if rng.random() < BROKEN else rng.choice(
                [f"CAST({body['column']} AS INTEGER)", f"length({body['column']}::text)", f"{body['column']} IS NOT NULL"])
        if rng.random() < 0.3:
            body["default"] = rng.choice(["x", 0, None])
    elif kind == "alter_enum":
        old = ["DRAFT", "ACTIVE", "ON_HOLD", "COMPLETED", "ARCHIVED"]
        body = {"table": "projects" if rng.random() > BROKEN else t, "column": "status",
                "values": rng.choice([old + ["CANCELLED"], ["DRAFT", "ACTIVE", "DONE"]]) if rng.random() > BROKEN else []}
        if body["values"] and "DONE" in body["values"]:
            body["map"] = {"ON_HOLD": "ACTIVE", "COMPLETED": "DONE", "ARCHIVED": "DONE"} if rng.random() > BROKEN else {"X": "Y"}
    elif kind == "add_check":
        t = rng.choice(["projects", "tasks"]) if rng.random() > BROKEN else t
        body = {"table": t, "expression": rng.choice(["nonsense ((", ""]) if rng.random() < BROKEN else "1 = 1",
                "name": f"n{rng.randrange(10_000)}" if rng.random() > BROKEN else new_name(rng)}
    elif kind == "create_index":
        body = {"table": t, "columns": [pick_column(rng, t) for _ in range(rng.randrange(0 if rng.random() < BROKEN else 1, 3))]}
        if rng.random() < 0.3:
            body["unique"] = True
        if rng.random() < 0.3:
            body["where"] = rng.choice(["bad ((", ""]) if rng.random() < BROKEN else "id IS NOT NULL"
    elif kind == "drop_index":
        body = rng.choice([{"table": "tasks", "name": "idx_tasks_project_id"}, {"table": "projects", "name": "idx_projects_status"}])
        if rng.random() < BROKEN:
            body["name"] = "nope"
    elif kind == "add_foreign_key":
        body = {"table": "comments", "column": "author_id", "references": {"table": "users" if rng.random() > BROKEN else "ghosts", "column": "id"}}
    elif kind == "drop_constraint":
        body = rng.choice([{"table": "tasks", "name": "fk_tasks_project_id"}, {"table": "projects", "name": "chk_projects_status"}])
        if rng.random() < BROKEN:
            body["name"] = "nope"
    elif kind == "rename_table":
        body = {"table": t, "to": new_name(rng)}
    elif kind == "drop_table":
        body = {"table": rng.choice(["comments", "labels", t])}
    else:
        body = {"name": new_name(rng), "timestamps": rng.random() < 0.5,
                "columns": [{"name": "id", "type": "uuid", "primary_key": True}] + [column(rng) for _ in range(rng.randrange(0, 3))]}
    if rng.random() < 0.05:
        body["surprise"] = 1
    return {kind: body}


def random_spec(seed: int) -> dict:
    rng = random.Random(seed)
    ops = [operation(rng) for _ in range(rng.choice([1, 1, 1, 1, 2]))]
    spec: dict = {"description": rng.choice(["", "x" * 300]) if rng.random() < BROKEN else rng.choice(["random change", "Pridėti lentelę"])}
    if rng.random() < 0.2:
        spec["safe"] = rng.choice([True, False])
    if len(ops) == 1 and rng.random() < 0.7:
        spec.update(ops[0])
    else:
        spec["operations"] = ops
    return spec


@pytest.mark.cli
@pytest.mark.sqlite
@pytest.mark.parametrize("seed", range(COUNT))
def test_random_spec_is_refused_cleanly_or_applies(seed, tmp_path, sqlite_example_db, script_location):
    spec = random_spec(seed)
    versions = copy_project(tmp_path / "proj")
    before = listing(versions)
    spec_file = write_spec(tmp_path, spec)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    context = f"seed {seed}: {json.dumps(spec)}\n{result}"
    assert result.code in (0, 1), context
    if result.code == 1:
        assert listing(versions) == before, "nothing is written on invalid input\n" + context
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert lines and all(line.startswith(("error: ", "warning: ")) for line in lines), context
        assert any(line.startswith("error: ") for line in lines), context
        assert "Traceback" not in result.stderr and "Fatal error" not in result.stderr, context
        return
    (path,) = created_files(versions)
    py_compile.compile(str(path), cfile=str(tmp_path / "compiled.pyc"), doraise=True)
    fmt = ruff_format_check(path)
    assert fmt.returncode == 0, fmt.stdout + fmt.stderr + "\n" + context
    runner = AlembicRunner(versions, f"sqlite:///{sqlite_example_db}", script_location)
    runner.upgrade("head")
    runner.downgrade("-1")
    runner.upgrade("head")


def test_the_generator_reaches_every_operation_and_both_outcomes():
    kinds = set()
    for seed in range(COUNT):
        spec = random_spec(seed)
        for op in spec.get("operations", [spec]):
            kinds |= {k for k in op if k not in ("description", "safe", "operations")}
    assert kinds >= {"add_columns", "drop_columns", "rename_column", "alter_column", "alter_enum", "add_check",
                     "create_index", "drop_index", "add_foreign_key", "drop_constraint", "rename_table",
                     "drop_table", "create_table"}, kinds
    # The newer fields are reached too: a type change's USING, a unique column added to a table.
    ops = [op for seed in range(COUNT) for op in random_spec(seed).get("operations", [random_spec(seed)])]
    assert any("using" in op.get("alter_column", {}) for op in ops)
    assert any(c.get("unique") for op in ops for c in op.get("add_columns", {}).get("columns", []))


# Found by this fuzz (seed 267 of 400): SQLite adds a column with a function default by copying the
# table, which evaluates the default; `now()` and `gen_random_uuid()` are not SQLite functions.
FUNCTION_DEFAULTS = {
    "description": "add seen at and token to users",
    "add_columns": {
        "table": "users",
        "columns": [
            {"name": "seen_at", "type": "datetime", "nullable": False, "default": "now"},
            {"name": "token", "type": "uuid", "nullable": False, "default": {"sql": "gen_random_uuid()"}},
        ],
    },
}


@pytest.mark.cli
@pytest.mark.sqlite
def test_function_defaults_on_an_existing_table_apply_on_sqlite(tmp_path, sqlite_example_db, script_location):
    versions = copy_project(tmp_path / "proj")
    result = run(["new", "--spec", str(write_spec(tmp_path, FUNCTION_DEFAULTS)), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    runner = AlembicRunner(versions, f"sqlite:///{sqlite_example_db}", script_location)
    runner.upgrade("head")
    runner.downgrade("-1")
    runner.upgrade("head")


@pytest.mark.cli
@pytest.mark.postgres
def test_function_defaults_on_an_existing_table_keep_postgres_functions(tmp_path, pg_server, pg_example_db, script_location):
    versions = copy_project(tmp_path / "proj")
    result = run(["new", "--spec", str(write_spec(tmp_path, FUNCTION_DEFAULTS)), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    runner = AlembicRunner(versions, pg_server.url(pg_example_db), script_location)
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        defaults = dict(
            conn.execute(
                "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attrdef d JOIN pg_attribute a"
                " ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 'users'::regclass"
            ).fetchall()
        )
    assert defaults["seen_at"] == "now()" and defaults["token"] == "gen_random_uuid()", defaults
    runner.downgrade("-1")
    runner.upgrade("head")
