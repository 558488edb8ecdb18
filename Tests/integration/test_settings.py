"""The project's own settings (docs/configuration.md): ruff's line length decides the width of
generated files, and [tool.vejamigrate] sets `safe` for the project.

The proof of the width is ruff itself: each file must be unchanged by `ruff format --check`, run
from the project's folder with no --line-length, so ruff reads the project's own configuration.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from test_operations import SPECS
from vmcli import DATE, copy_project, listing, ruff_binary, run, write_spec

pytestmark = pytest.mark.cli

INVOICES = {
    "description": "add invoices table with a rather long description for the docstring line",
    "create_table": {
        "name": "invoice_documents",
        "timestamps": True,
        "columns": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "project_id", "type": "uuid", "nullable": False, "foreign_key": {"table": "projects", "column": "id", "ondelete": "CASCADE"}},
            {"name": "status", "type": "string", "length": 32, "nullable": False, "enum": ["DRAFT", "SENT", "PAID", "VOID", "CANCELLED"], "default": "DRAFT"},
            {"name": "amount_including_taxes", "type": "numeric", "precision": 12, "scale": 2, "nullable": False},
            {"name": "payload", "type": "jsonb", "nullable": False, "default": {}},
            {"name": "number", "type": "string", "length": 64, "unique": True},
            {"name": "issued_at", "type": "datetime", "index": True},
        ],
        "indexes": [{"columns": ["status", "issued_at", "amount_including_taxes"]}],
    },
}

ALL_SPECS = {**SPECS, "create_table_long_lines": INVOICES}


def ruff_check_in(project: Path, path: Path) -> subprocess.CompletedProcess:
    """`ruff format --check` as the project's CI runs it: from its folder, with its configuration."""
    return subprocess.run(
        [ruff_binary(), "format", "--no-cache", "--check", "--diff", str(path)], cwd=project, capture_output=True, text=True, check=False
    )


def generate(project: Path, spec: dict, *extra: str) -> tuple[Path, str]:
    spec_file = write_spec(project.parent, spec, name=f"{project.name}-spec.json")
    result = run(["new", "--spec", str(spec_file), "--date", DATE, "--json", *extra], cwd=project)
    assert result.code == 0, str(result)
    path = project / json.loads(result.stdout)["path"]
    return path, result.stderr


def long_lines(path: Path, width: int) -> list[str]:
    """Lines over `width` that ruff could have split: a lone string literal (with its keyword, its
    closing bracket or comma) cannot be, nor can the module docstring, so they do not count."""
    out = []
    text = path.read_text()
    docstring_end = text.index('"""', 3) + 3
    for line in text[docstring_end:].splitlines():
        if len(line) <= width:
            continue
        if re.fullmatch(r'\s*(\w+=)?"[^"]*"\)?,?', line):
            continue
        out.append(line)
    return out


@pytest.mark.parametrize("width", [88, 60])
@pytest.mark.parametrize("name", sorted(ALL_SPECS))
def test_line_length_from_ruff_toml(name, width, tmp_path):
    """Every operation of test_operations.py, and a create_table with long lines, at 88 (ruff's
    default) and at 60 (where nearly every call is split)."""
    project = tmp_path / "proj"
    copy_project(project)
    (project / "ruff.toml").write_text(f'line-length = {width}\n\n[format]\nquote-style = "double"\n')
    path, _ = generate(project, ALL_SPECS[name])
    checked = ruff_check_in(project, path)
    assert checked.returncode == 0, f"ruff would reformat {path.name} at {width}:\n{checked.stdout}{checked.stderr}"
    assert long_lines(path, width) == []
    compile(path.read_text(), str(path), "exec")


def test_the_width_matters_and_the_default_stays_120(tmp_path):
    """The same spec without a ruff configuration is laid out at 120: it has lines ruff at 88 would
    split, and it is unchanged by ruff at 120 (the contract's default)."""
    plain = tmp_path / "plain"
    copy_project(plain)
    path, _ = generate(plain, INVOICES)
    assert long_lines(path, 88) != [] and long_lines(path, 120) == []
    at120 = subprocess.run([ruff_binary(), "format", "--no-cache", "--check", "--line-length", "120", str(path)], capture_output=True, text=True, check=False)
    assert at120.returncode == 0, at120.stdout
    narrow = tmp_path / "narrow"
    copy_project(narrow)
    (narrow / "ruff.toml").write_text("line-length = 88\n")
    assert ruff_check_in(narrow, path).returncode != 0  # the 120 layout is not the 88 one


@pytest.mark.parametrize(
    "files, expected",
    [
        # [tool.ruff] in a pyproject.toml at the top, found from backend/app/migrations/versions upwards.
        ({"pyproject.toml": '[project]\nname = "x"\n\n[tool.ruff]\nline-length = 100\n'}, 100),
        # The nearest configuration wins, as in ruff: backend/.ruff.toml over the top's pyproject.toml.
        ({"pyproject.toml": "[tool.ruff]\nline-length = 100\n", "backend/.ruff.toml": "line-length = 72\n"}, 72),
        # In one folder .ruff.toml wins over ruff.toml, which wins over pyproject.toml.
        ({"backend/ruff.toml": "line-length = 90\n", "backend/.ruff.toml": "line-length = 76\n", "backend/pyproject.toml": "[tool.ruff]\nline-length = 110\n"}, 76),
        # A pyproject.toml without [tool.ruff] is not ruff's: the search goes on upwards.
        ({"ruff.toml": "line-length = 96\n", "backend/pyproject.toml": '[project]\nname = "x"\n'}, 96),
        # `extend`: the line length of the file extended, relative to the extending one.
        ({"shared/ruff-base.toml": "line-length = 79\n", "backend/ruff.toml": 'extend = "../shared/ruff-base.toml"\n'}, 79),
        # A ruff configuration that sets no line length: ruff's own default, 88.
        ({"ruff.toml": '[format]\nquote-style = "double"\n'}, 88),
    ],
    ids=["pyproject_tool_ruff", "nearest_wins", "precedence_in_a_folder", "pyproject_without_tool_ruff", "extend", "ruff_default_88"],
)
def test_ruff_configuration_is_found_as_ruff_finds_it(tmp_path, files, expected):
    project = tmp_path / "proj"
    copy_project(project)
    for name, text in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text)
    path, _ = generate(project, INVOICES)
    checked = ruff_check_in(project, path)
    assert checked.returncode == 0, f"ruff would reformat at its configuration:\n{checked.stdout}{checked.stderr}"
    assert long_lines(path, expected) == []
    if expected < 100:
        assert long_lines(path, expected + 20) == [] and any(len(l) > expected - 12 for l in path.read_text().splitlines())


def test_merge_follows_the_line_length(tmp_path):
    project = tmp_path / "proj"
    versions = copy_project(project)
    (project / "ruff.toml").write_text("line-length = 60\n")
    # Two heads whose tuple does not fit in 60 columns.
    for n, name in ((18, "branch_a"), (19, "branch_b")):
        text = (versions / "20260211_000017_create_webhooks_table.py").read_text()
        text = text.replace('revision = "20260211_000017"', f'revision = "20260301_0000{n}"').replace(
            'down_revision = "20260210_000016"', 'down_revision = "20260211_000017"'
        )
        (versions / f"20260301_0000{n}_{name}.py").write_text(text.replace("Revision ID: 20260211_000017", f"Revision ID: 20260301_0000{n}"))
    result = run(["merge", "--date", DATE, "--json"], cwd=project)
    assert result.code == 0, str(result)
    path = project / json.loads(result.stdout)["path"]
    assert "down_revision = (\n" in path.read_text()
    assert ruff_check_in(project, path).returncode == 0


def test_unreadable_line_length_is_an_error_naming_the_key(tmp_path):
    project = tmp_path / "proj"
    copy_project(project)
    (project / "ruff.toml").write_text('line-length = "wide"\n')
    before = listing(project)
    result = run(["new", "x y", "--date", DATE], cwd=project)
    assert result.code == 2 and "ruff.toml" in result.stderr and "line-length" in result.stderr and "1 to 320" in result.stderr, str(result)
    assert listing(project) == before


# --- [tool.vejamigrate] ---------------------------------------------------------------------

INDEX_ON_EXISTING = {"description": "index tasks by title", "create_index": {"table": "tasks", "columns": ["title"]}}


def test_tool_vejamigrate_safe_false_changes_the_output(tmp_path):
    safe = tmp_path / "safe"
    copy_project(safe)
    safe_path, _ = generate(safe, INDEX_ON_EXISTING)
    assert "autocommit_block" in safe_path.read_text() and "postgresql_concurrently=True" in safe_path.read_text()

    plain = tmp_path / "plain"
    copy_project(plain)
    (plain / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.vejamigrate]\nsafe = false\n')
    plain_path, stderr = generate(plain, INDEX_ON_EXISTING)
    text = plain_path.read_text()
    assert "autocommit_block" not in text and "concurrently" not in text and 'op.create_index("idx_tasks_title"' in text
    assert stderr == ""


def test_the_specs_own_safe_wins_over_the_project(tmp_path):
    project = tmp_path / "proj"
    copy_project(project)
    (project / "pyproject.toml").write_text("[tool.vejamigrate]\nsafe = false\n")
    spec_file = write_spec(tmp_path, {**INDEX_ON_EXISTING, "safe": True})
    result = run(["new", "--spec", str(spec_file), "--date", DATE, "--dry-run"], cwd=project)
    assert result.code == 0 and "autocommit_block" in result.stdout, str(result)
    per_op = {"description": "index", "create_index": {"table": "tasks", "columns": ["title"], "safe": True}}
    result = run(["new", "--spec", str(write_spec(tmp_path, per_op)), "--date", DATE, "--dry-run"], cwd=project)
    assert result.code == 0 and "autocommit_block" in result.stdout, str(result)


def test_unknown_keys_are_reported_not_ignored_not_fatal(tmp_path):
    project = tmp_path / "proj"
    copy_project(project)
    (project / "pyproject.toml").write_text(
        '[tool.vejamigrate]\nsafe = true\nline_length = 88\n\n[tool.vejamigrate.check]\ndisable = ["fk-without-index"]\nseverity = { "index-not-concurrent" = "INFO" }\nignore = []\n'
    )
    result = run(["new", "x y", "--date", DATE, "--dry-run"], cwd=project)
    assert result.code == 0, str(result)
    lines = result.stderr.splitlines()
    assert any(l.startswith("warning: pyproject.toml: tool.vejamigrate.line_length: ") for l in lines), str(result)
    assert any(l.startswith("warning: pyproject.toml: tool.vejamigrate.check.ignore: ") for l in lines), str(result)
    assert len(lines) == 2, str(result)


@pytest.mark.parametrize(
    "table, key, fix",
    [
        ('safe = "no"', "tool.vejamigrate.safe", "safe = true or safe = false"),
        ("check = 3", "tool.vejamigrate.check", "[tool.vejamigrate.check]"),
        ('[tool.vejamigrate.check]\ndisable = "fk-without-index"', "tool.vejamigrate.check.disable", "list of rule ids"),
        ("[tool.vejamigrate.check]\ndisable = [1]", "tool.vejamigrate.check.disable[0]", "quoted string"),
        ('[tool.vejamigrate.check]\nseverity = { "x" = 1 }', "tool.vejamigrate.check.severity.x", "CRITICAL"),
    ],
    ids=["safe", "check", "disable", "disable_item", "severity"],
)
def test_wrong_types_are_errors_naming_key_and_fix(tmp_path, table, key, fix):
    project = tmp_path / "proj"
    copy_project(project)
    (project / "pyproject.toml").write_text("[tool.vejamigrate]\n" + table + "\n")
    before = listing(project)
    result = run(["new", "x y", "--date", DATE], cwd=project)
    assert result.code == 2, str(result)
    assert result.stderr.startswith("error: pyproject.toml: " + key + ": "), str(result)
    assert fix in result.stderr, str(result)
    assert listing(project) == before
