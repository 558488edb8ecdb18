"""What `vejamigrate` does with bad input and broken histories: the exit codes of
the contract, an error that names the field, and nothing written."""

from __future__ import annotations

import copy
import datetime
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from vmcli import (
    unprivileged_runner,
    DATE,
    DATE_COMPACT,
    EXAMPLE_COUNT,
    EXAMPLE_HEAD,
    VERSIONS_SUBPATH,
    copy_project,
    created_files,
    listing,
    run,
    write_spec,
)
from vmspec import module_values

pytestmark = pytest.mark.cli

GOOD = {
    "description": "add widgets table",
    "create_table": {
        "name": "widgets",
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
                "length": 16,
                "nullable": False,
                "enum": ["NEW", "DONE"],
                "default": "NEW",
            },
            {"name": "price", "type": "numeric", "precision": 10, "scale": 2},
            {"name": "label", "type": "string", "length": 40, "index": True},
        ],
    },
}


def column(spec: dict, name: str) -> dict:
    return next(c for c in spec["create_table"]["columns"] if c["name"] == name)


def mutate(change) -> dict:
    spec = copy.deepcopy(GOOD)
    change(spec)
    return spec


def set_column(name: str, **fields):
    def change(spec):
        column(spec, name).update(fields)

    return change


def add_column(**fields):
    def change(spec):
        spec["create_table"]["columns"].append(fields)

    return change


def set_table(**fields):
    def change(spec):
        spec["create_table"].update(fields)

    return change


LONG = "x" * 64

# (id, spec, words of which stderr must contain at least one (case-insensitive))
# "names the field" is read as: the message quotes the offending name or value, or the spec key.
BAD_SPECS = [
    ("table_name_uppercase", mutate(set_table(name="Widgets")), ["Widgets"]),
    ("table_name_dash", mutate(set_table(name="bad-name")), ["bad-name"]),
    ("column_name_leading_digit", mutate(add_column(name="9lives", type="integer")), ["9lives"]),
    ("column_name_space", mutate(add_column(name="due date", type="date")), ["due date"]),
    (
        "fk_table_invalid_identifier",
        mutate(set_column("project_id", foreign_key={"table": "Projects", "column": "id"})),
        ["Projects"],
    ),
    ("table_name_over_63_bytes", mutate(set_table(name=LONG)), [LONG, "63"]),
    ("column_name_over_63_bytes", mutate(add_column(name=LONG, type="text")), [LONG, "63"]),
    # idx_<table>_<column> = 4 + 30 + 1 + 30 = 65 bytes, although both names are fine
    (
        "generated_index_name_too_long",
        mutate(
            lambda s: (
                s["create_table"].update(name="t" * 30),
                s["create_table"]["columns"].append({"name": "c" * 30, "type": "integer", "index": True}),
            )
        ),
        ["idx_" + "t" * 30 + "_" + "c" * 30, "c" * 30, "63"],
    ),
    # fk_<table>_<column>: 3 + 20 + 1 + 40 = 64 bytes
    (
        "generated_fk_name_too_long",
        mutate(
            lambda s: (
                s["create_table"].update(name="a" * 20),
                s["create_table"]["columns"].append(
                    {"name": "b" * 40, "type": "uuid", "foreign_key": {"table": "users", "column": "id"}}
                ),
            )
        ),
        ["fk_" + "a" * 20 + "_" + "b" * 40, "b" * 40, "63"],
    ),
    # chk_<table>_<column>: 4 + 30 + 1 + 30 = 65 bytes
    (
        "generated_check_name_too_long",
        mutate(
            lambda s: (
                s["create_table"].update(name="t" * 30),
                s["create_table"]["columns"].append(
                    {"name": "s" * 30, "type": "string", "length": 8, "enum": ["A", "B"]}
                ),
            )
        ),
        ["chk_" + "t" * 30 + "_" + "s" * 30, "s" * 30, "63"],
    ),
    ("duplicate_column", mutate(add_column(name="price", type="integer")), ["price"]),
    ("empty_enum_value", mutate(set_column("status", enum=["NEW", ""], default="NEW")), ["enum"]),
    (
        "empty_enum_list",
        mutate(lambda s: (column(s, "status").update(enum=[]), column(s, "status").pop("default"))),
        ["enum"],
    ),
    ("duplicate_enum_value", mutate(set_column("status", enum=["NEW", "DONE", "NEW"])), ["NEW", "enum"]),
    ("default_outside_enum", mutate(set_column("status", default="LOST")), ["LOST", "default"]),
    ("enum_longer_than_length", mutate(set_column("status", length=3)), ["length", "DONE"]),
    ("unknown_type", mutate(add_column(name="cost", type="money")), ["money"]),
    ("unknown_column_option", mutate(set_column("label", colour="red")), ["colour"]),
    ("unknown_table_option", mutate(set_table(timestamp=True)), ["timestamp"]),
    ("unknown_top_level_key", mutate(lambda s: s.update(create_tabel={})), ["create_tabel"]),
    (
        "unknown_foreign_key_option",
        mutate(set_column("project_id", foreign_key={"table": "projects", "column": "id", "on_delete": "CASCADE"})),
        ["on_delete"],
    ),
    (
        "unknown_ondelete",
        mutate(set_column("project_id", foreign_key={"table": "projects", "column": "id", "ondelete": "DESTROY"})),
        ["DESTROY", "ondelete"],
    ),
    (
        "set_null_on_not_null_column",
        mutate(set_column("project_id", foreign_key={"table": "projects", "column": "id", "ondelete": "SET NULL"})),
        ["project_id", "SET NULL"],
    ),
    (
        "set_null_on_primary_key",
        mutate(set_column("id", foreign_key={"table": "users", "column": "id", "ondelete": "SET NULL"})),
        ["id", "SET NULL"],
    ),
    ("precision_zero", mutate(set_column("price", precision=0)), ["precision"]),
    ("scale_above_precision", mutate(set_column("price", precision=4, scale=5)), ["scale"]),
    ("negative_scale", mutate(set_column("price", scale=-1)), ["scale"]),
    ("precision_over_1000", mutate(set_column("price", precision=1001)), ["precision"]),
    ("length_zero", mutate(set_column("label", length=0)), ["length"]),
    ("length_negative", mutate(set_column("label", length=-5)), ["length"]),
    ("length_not_a_number", mutate(set_column("label", length="40")), ["length"]),
    ("nullable_not_a_boolean", mutate(set_column("label", nullable="yes")), ["nullable"]),
    ("missing_type", mutate(add_column(name="notes")), ["type"]),
    # The contract is silent on reserved words; the tool rejects them (a CHECK constraint's raw SQL
    # and the --sql output would need quoting), and a rejected name must stay a clear exit 1.
    ("reserved_word_table", mutate(set_table(name="order")), ["order"]),
    ("reserved_word_column", mutate(add_column(name="user", type="text")), ["user"]),
    ("missing_column_name", mutate(add_column(type="text")), ["name"]),
    # Assumption: an index over a column that the table does not have is invalid input (it could never apply).
    ("index_on_unknown_column", mutate(set_table(indexes=[{"columns": ["nope"]}])), ["nope"]),
]


@pytest.mark.parametrize("case_id, spec, words", BAD_SPECS, ids=[case[0] for case in BAD_SPECS])
def test_bad_spec_is_rejected(case_id, spec, words, tmp_path):
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, spec)
    before = listing(tmp_path)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE], cwd=tmp_path)
    assert result.code == 1, str(result)
    assert listing(tmp_path) == before, "something was written"
    assert result.stderr.strip(), "no error message"
    assert any(word.lower() in result.stderr.lower() for word in words), f"stderr names none of {words}\n{result}"


def test_good_spec_is_accepted(tmp_path):
    """The base of the bad specs above is itself valid, so each failure is due to its one change."""
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, GOOD)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    assert len(created_files(versions)) == 1


def test_invalid_json_is_rejected(tmp_path):
    versions = copy_project(tmp_path / "proj")
    spec_file = tmp_path / "spec.json"
    spec_file.write_text('{"description": "x", "create_table": {')
    before = listing(tmp_path)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 1, str(result)
    assert listing(tmp_path) == before


def test_description_is_required(tmp_path):
    versions = copy_project(tmp_path / "proj")
    spec = copy.deepcopy(GOOD)
    del spec["description"]
    spec_file = write_spec(tmp_path, spec)
    before = listing(tmp_path)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    # The contract makes it "invalid input" (1); a usage error (2) is tolerated: a required value is missing.
    assert result.code in (1, 2), str(result)
    assert listing(tmp_path) == before
    result = run(["new", "--versions-dir", str(versions), "--date", DATE])
    assert result.code in (1, 2), str(result)
    assert listing(tmp_path) == before


@pytest.mark.parametrize("description", ["", "   ", "!!!", "\u2014"])
def test_description_that_folds_to_no_slug(description, tmp_path):
    """The slug is never empty: such a description is invalid input (1, nothing written),
    or (assumption: also acceptable) the tool falls back to a non-empty slug of its own."""
    versions = copy_project(tmp_path / "proj")
    before = listing(tmp_path)
    result = run(["new", description, "--versions-dir", str(versions), "--date", DATE])
    if result.code == 0:
        (path,) = created_files(versions)
        assert re.fullmatch(rf"{DATE_COMPACT}_000018_[a-z0-9]+(_[a-z0-9]+)*\.py", path.name), path.name
    else:
        assert result.code == 1, str(result)
        assert listing(tmp_path) == before


# --- histories --------------------------------------------------------------------------------


def migration_text(revision: str, down_revision, description: str = "extra step") -> str:
    down = "None" if down_revision is None else repr(down_revision).replace("'", '"')
    return f'''"""{description}

Revision ID: {revision}
Revises: {down_revision}
Create Date: {revision[:4]}-{revision[4:6]}-{revision[6:8]}
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
    pass


def downgrade() -> None:
    pass
'''


def add_migration(versions: Path, file_name: str, revision: str, down_revision) -> Path:
    path = versions / file_name
    path.write_text(migration_text(revision, down_revision))
    return path


def two_heads(versions: Path) -> tuple[str, str]:
    add_migration(versions, "20260212_000018_branch_a.py", "20260212_000018", EXAMPLE_HEAD)
    add_migration(versions, "20260213_000019_branch_b.py", "20260213_000019", EXAMPLE_HEAD)
    return "20260212_000018", "20260213_000019"


def test_two_heads_stop_new(tmp_path):
    versions = copy_project(tmp_path / "proj")
    heads = two_heads(versions)
    before = listing(versions)
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 3, str(result)
    assert listing(versions) == before
    for head in heads:
        assert head in result.stdout + result.stderr, f"head {head} not listed\n{result}"


def test_head_option_names_the_parent(tmp_path, script_location):
    from alembic_run import AlembicRunner

    versions = copy_project(tmp_path / "proj")
    _a, b = two_heads(versions)
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE, "--head", b])
    assert result.code == 0, str(result)
    path = versions / f"{DATE_COMPACT}_000020_add_widgets_table.py"
    assert path.exists(), str(result)
    values = module_values(path)
    assert values["down_revision"] == b
    assert f"Revises: {b}\n" in values["__doc__"]
    runner = AlembicRunner(versions, f"sqlite:///{tmp_path / 'x.db'}", script_location)
    assert sorted(runner.heads()) == sorted(["20260212_000018", values["revision"]])


def test_head_option_with_unknown_revision(tmp_path):
    versions = copy_project(tmp_path / "proj")
    two_heads(versions)
    before = listing(versions)
    result = run(["new", "x y", "--versions-dir", str(versions), "--date", DATE, "--head", "20990101_000001"])
    # Assumption: naming a revision the history does not have is invalid input (1) or a history problem (3).
    assert result.code in (1, 3), str(result)
    assert "20990101_000001" in result.stderr
    assert listing(versions) == before


def test_broken_chain_stops_new(tmp_path):
    versions = copy_project(tmp_path / "proj")
    add_migration(versions, "20260212_000018_orphan.py", "20260212_000018", "20250101_000099")
    before = listing(versions)
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 3, str(result)
    assert listing(versions) == before


@pytest.mark.parametrize("kind", ["directory", "dangling_symlink"])
def test_existing_target_is_never_replaced(kind, tmp_path):
    """Something already sits at the name `new` would write: it must survive untouched."""
    versions = copy_project(tmp_path / "proj")
    target = versions / f"{DATE_COMPACT}_000018_add_widgets_table.py"
    if kind == "directory":
        target.mkdir()
        (target / "keep.txt").write_text("keep")
    else:
        os.symlink("does-not-exist.py", target)
    before = listing(versions)
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE])
    # 4 (the file exists) or 3 (the history counts the entry as an unreadable migration); never 0.
    assert result.code in (3, 4), str(result)
    assert listing(versions) == before
    if kind == "dangling_symlink":
        assert os.readlink(target) == "does-not-exist.py"
        assert not (versions / "does-not-exist.py").exists()


def test_unwritable_directory_is_an_io_error(tmp_path):
    """Permission denied: exit 4, nothing written. Root writes anywhere, so under root the
    tool runs as `nobody` on a directory that only root may write to."""
    base = Path(tempfile.mkdtemp(prefix="vm-ro-"))
    try:
        versions = copy_project(base / "proj")
        user, binary = unprivileged_runner(base, versions)
        before = listing(versions)
        args = ["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE]
        result = run(args, cwd=base, user=user, binary=binary)
        assert result.code == 4, str(result)
        assert listing(versions) == before
        assert result.stderr.strip()
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


# --- status -----------------------------------------------------------------------------------


def status(versions: Path, cwd: Path | None = None):
    result = run(["status", "--json", "--versions-dir", str(versions), "--date", DATE], cwd=cwd)
    try:
        data = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"status --json did not print JSON\n{result}")
    return result, data


def test_status_on_healthy_history(tmp_path):
    versions = copy_project(tmp_path / "proj")
    result, data = status(versions)
    assert result.code == 0, str(result)
    assert data["migrations"] == EXAMPLE_COUNT
    assert data["heads"] == [EXAMPLE_HEAD]
    assert data["next_sequence"] == 18
    assert data["next_revision"] == f"{DATE_COMPACT}_000018"
    assert data["problems"] == []
    reported = Path(data["versions_dir"])
    assert (reported if reported.is_absolute() else Path.cwd() / reported).resolve() == versions.resolve()


def test_date_defaults_to_today(tmp_path):
    versions = copy_project(tmp_path / "proj")
    before = datetime.date.today()
    result = run(["status", "--json", "--versions-dir", str(versions)])
    after = datetime.date.today()
    assert result.code == 0, str(result)
    revision = json.loads(result.stdout)["next_revision"]
    assert revision in {f"{day:%Y%m%d}_000018" for day in (before, after)}


def test_status_with_discovery_names_the_seed_path(tmp_path):
    root = tmp_path / "proj"
    copy_project(root)
    result = run(["status", "--json", "--date", DATE], cwd=root)
    assert result.code == 0, str(result)
    data = json.loads(result.stdout)
    assert data["versions_dir"] == str(VERSIONS_SUBPATH)
    assert data["migrations"] == EXAMPLE_COUNT


def test_status_text_mode(tmp_path):
    versions = copy_project(tmp_path / "proj")
    result = run(["status", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    assert EXAMPLE_HEAD in result.stdout


def test_status_ignores_files_that_are_not_migrations(tmp_path):
    versions = copy_project(tmp_path / "proj")
    (versions / "__init__.py").write_text("")
    (versions / "__pycache__").mkdir()
    (versions / "__pycache__" / "20250901_000001_create_users_table.cpython-311.pyc").write_bytes(b"\x00\x01")
    (versions / "20250901_000001_create_users_table.pyc").write_bytes(b"\x00\x01")
    shutil.copy(
        versions / "20260211_000017_create_webhooks_table.py", versions / "20260211_000017_create_webhooks_table.py~"
    )
    shutil.copy(
        versions / "20260211_000017_create_webhooks_table.py", versions / ".#20260211_000017_create_webhooks_table.py"
    )
    shutil.copy(
        versions / "20260211_000017_create_webhooks_table.py",
        versions / ".20260211_000017_create_webhooks_table.py.swp",
    )
    (versions / "README").write_text("VejaPRO migrations\n")
    (versions / "README.md").write_text("# VejaPRO migrations\n")
    result, data = status(versions)
    assert result.code == 0, str(result)
    assert data["migrations"] == EXAMPLE_COUNT
    assert data["problems"] == []


def test_status_on_empty_directory(tmp_path):
    versions = tmp_path / "versions"
    versions.mkdir()
    result, data = status(versions)
    assert result.code == 0, str(result)
    assert data["migrations"] == 0
    assert data["heads"] == []
    assert data["next_sequence"] == 1
    assert data["next_revision"] == f"{DATE_COMPACT}_000001"


def break_multiple_heads(versions: Path) -> list[str]:
    two_heads(versions)
    return ["20260212_000018_branch_a.py", "20260213_000019_branch_b.py"]


def break_duplicate_sequence(versions: Path) -> list[str]:
    # 000017 twice, on two different dates; the chain itself stays linear
    add_migration(versions, "20260212_000017_same_number.py", "20260212_000017", EXAMPLE_HEAD)
    return ["20260211_000017_create_webhooks_table.py", "20260212_000017_same_number.py"]


def break_duplicate_revision(versions: Path) -> list[str]:
    # a second file that declares revision 20260211_000017 (e.g. a copy left behind by a rename)
    source = versions / "20260211_000017_create_webhooks_table.py"
    shutil.copy(source, versions / "20260211_000017_create_webhooks_table_copy.py")
    return ["20260211_000017_create_webhooks_table_copy.py"]


def break_missing_down_revision(versions: Path) -> list[str]:
    add_migration(versions, "20260212_000018_orphan.py", "20260212_000018", "20250101_000099")
    return ["20260212_000018_orphan.py"]


def break_cycle(versions: Path) -> list[str]:
    # 000018 and 000019 revise each other; the main chain is untouched
    add_migration(versions, "20260212_000018_loop_a.py", "20260212_000018", "20260213_000019")
    add_migration(versions, "20260213_000019_loop_b.py", "20260213_000019", "20260212_000018")
    return ["20260212_000018_loop_a.py", "20260213_000019_loop_b.py"]


def break_unreadable_file(versions: Path) -> list[str]:
    (versions / "20260212_000018_garbage.py").write_bytes(b"\xff\xfe\x00\x9c not python, no revision\n")
    return ["20260212_000018_garbage.py"]


def break_name_revision_mismatch(versions: Path) -> list[str]:
    add_migration(versions, "20260212_000018_mismatch.py", "20260212_000081", EXAMPLE_HEAD)
    return ["20260212_000018_mismatch.py"]


BROKEN = {
    "multiple_heads": break_multiple_heads,
    "duplicate_sequence": break_duplicate_sequence,
    "duplicate_revision": break_duplicate_revision,
    "missing_down_revision": break_missing_down_revision,
    "cycle": break_cycle,
    "unreadable_file": break_unreadable_file,
    "name_revision_mismatch": break_name_revision_mismatch,
}
KINDS = set(BROKEN)


@pytest.mark.parametrize("kind", list(BROKEN))
def test_status_reports_each_problem_kind(kind, tmp_path):
    versions = copy_project(tmp_path / "proj")
    files = BROKEN[kind](versions)
    result, data = status(versions)
    assert result.code == 3, str(result)
    problems = data["problems"]
    assert problems, str(result)
    for problem in problems:
        assert problem["kind"] in KINDS, problem
        assert isinstance(problem["message"], str) and problem["message"], problem
        assert isinstance(problem["files"], list), problem
    matching = [p for p in problems if p["kind"] == kind]
    assert matching, f"no {kind} problem in {problems}"
    named = {Path(f).name for p in matching for f in p["files"]}
    for name in files:
        assert name in named, f"{kind}: {name} not among {named}"


# The contract stops `new` on "several heads or a broken chain"; these kinds break the chain.
CHAIN_BREAKERS = ["multiple_heads", "missing_down_revision", "cycle", "duplicate_revision", "unreadable_file"]


@pytest.mark.parametrize("kind", CHAIN_BREAKERS)
def test_new_refuses_a_broken_history(kind, tmp_path):
    versions = copy_project(tmp_path / "proj")
    BROKEN[kind](versions)
    before = listing(versions)
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 3, str(result)
    assert listing(versions) == before


@pytest.mark.parametrize("kind", ["duplicate_sequence", "name_revision_mismatch"])
def test_new_on_a_history_with_naming_problems(kind, tmp_path):
    """Assumption: problems that leave a single, well-defined head do not stop `new`
    (the contract only stops it for several heads or a broken chain). It may refuse
    (3, nothing written) or go on; going on, it must warn about the problem."""
    versions = copy_project(tmp_path / "proj")
    BROKEN[kind](versions)
    before = listing(versions)
    result = run(["new", "add widgets table", "--versions-dir", str(versions), "--date", DATE])
    if result.code == 3:
        assert listing(versions) == before
        return
    assert result.code == 0, str(result)
    assert kind in result.stderr or kind.replace("_", " ") in result.stderr, str(result)
    (name,) = set(listing(versions)) - set(before)
    assert name == f"{DATE_COMPACT}_{'000018' if kind == 'duplicate_sequence' else '000019'}_add_widgets_table.py"


def test_status_multiple_heads_lists_both(tmp_path):
    versions = copy_project(tmp_path / "proj")
    two_heads(versions)
    result, data = status(versions)
    assert result.code == 3
    assert sorted(data["heads"]) == ["20260212_000018", "20260213_000019"]
    assert data["next_sequence"] == 20


# --- usage ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["new", "x", "--frobnicate"],
        ["status", "--bogus"],
        ["new", "x", "--spec"],
        ["new", "x", "--versions-dir"],
        ["frobnicate"],
    ],
    ids=["new_unknown_flag", "status_unknown_flag", "spec_without_value", "versions_dir_without_value", "unknown_cmd"],
)
def test_usage_errors_exit_2(args, tmp_path):
    versions = copy_project(tmp_path / "proj")
    before = listing(tmp_path)
    result = run(args, cwd=tmp_path / "proj")
    assert result.code == 2, str(result)
    assert result.stderr.strip()
    assert listing(tmp_path) == before
    del versions


@pytest.mark.parametrize("date", ["2026-13-01", "2026-02-30", "25.11.2026", "tomorrow"])
def test_bad_date_is_rejected(date, tmp_path):
    versions = copy_project(tmp_path / "proj")
    before = listing(tmp_path)
    result = run(["new", "x y", "--versions-dir", str(versions), "--date", date])
    # Assumption: a malformed --date is invalid input (1) or a usage error (2); either way nothing is written.
    assert result.code in (1, 2), str(result)
    assert listing(tmp_path) == before


def test_missing_versions_dir(tmp_path):
    result = run(["status", "--json", "--versions-dir", str(tmp_path / "nope"), "--date", DATE])
    # Assumption: a directory that does not exist is not a healthy empty history.
    assert result.code != 0, str(result)
    assert re.search("nope", result.stderr), str(result)


# --- specs checked against the history ------------------------------------------------------
# The contract: "The history tells which tables and columns exist: an operation on a table or
# column the history does not have is an error, exit 1, unless the history touched that table
# through raw SQL (op.execute), which makes it a warning." Assumption: a create_table's foreign
# keys, and the new table's own name, are such operations (each would fail at `alembic upgrade`).

HISTORY_ERRORS = [
    (
        "fk_to_unknown_table",
        mutate(set_column("project_id", foreign_key={"table": "nonexistent", "column": "id"})),
        ["nonexistent"],
    ),
    (
        "fk_to_unknown_column",
        mutate(set_column("project_id", foreign_key={"table": "projects", "column": "nope"})),
        ["nope"],
    ),
    ("table_already_exists", mutate(set_table(name="projects")), ["projects"]),
]


@pytest.mark.parametrize("case_id, spec, words", HISTORY_ERRORS, ids=[case[0] for case in HISTORY_ERRORS])
def test_spec_that_the_history_contradicts(case_id, spec, words, tmp_path):
    test_bad_spec_is_rejected(case_id, spec, words, tmp_path)


def test_fk_to_a_table_made_by_sql_is_checked(tmp_path):
    """feature_flags exists through op.execute SQL (20251117_000014), which is read: key is varchar(64)."""
    spec = mutate(
        add_column(
            name="flag_key",
            type="string",
            length=64,
            foreign_key={"table": "feature_flags", "column": "key", "ondelete": "CASCADE"},
        )
    )
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, spec)
    result = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 0, str(result)
    assert len(created_files(versions)) == 1
    assert "warning" not in result.stderr, str(result)
    # The same reference with the wrong type is an error now that the table is known.
    wrong = mutate(
        add_column(name="flag_key", type="uuid", foreign_key={"table": "feature_flags", "column": "key"})
    )
    result = run(["new", "--spec", str(write_spec(tmp_path, wrong, "wrong.json")), "--versions-dir", str(versions), "--date", DATE])
    assert result.code == 1, str(result)
    assert "foreign_key.column" in result.stderr
