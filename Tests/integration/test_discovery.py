"""Finding the versions directory as Alembic does (docs/cli.md, "Finding the versions directory").

Each case builds a project on disk, runs the real `vejamigrate` (and `vejamigrate-tui` where it
matters) in it, and asks real Alembic (`ScriptDirectory.from_config`, run from the folder of the
configuration, as Alembic is run) which files and heads the same configuration gives: the two must
agree. Nothing here reads the example project's layout by name, except the seed-location cases.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vmcli import DATE, DATE_COMPACT, REPO, copy_project, listing, run

pytestmark = pytest.mark.cli


def write_migration(folder: Path, sequence: int, down: int | None, date: str = "20260101") -> str:
    """A migration in the seed's template, revising `down` (None: the first)."""
    folder.mkdir(parents=True, exist_ok=True)
    revision = f"{date}_{sequence:06d}"
    parent = f"{date}_{down:06d}" if down is not None else None
    (folder / f"{revision}_step_{sequence}.py").write_text(
        f'"""step {sequence}\n\nRevision ID: {revision}\nRevises: {parent or ""}\nCreate Date: 2026-01-01\n"""\n\n'
        "from __future__ import annotations\n\nimport sqlalchemy as sa\nfrom alembic import op\n"
        "from sqlalchemy.dialects import postgresql\n\n"
        f'revision = "{revision}"\ndown_revision = {repr(parent) if parent else "None"}\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
    )
    return revision


def chain(folder: Path, first: int, last: int, down: int | None = None) -> list[str]:
    revisions = []
    for n in range(first, last + 1):
        revisions.append(write_migration(folder, n, down if n == first else n - 1))
    return revisions


ALEMBIC_ORACLE = """
import json, os, sys
from alembic.config import CommandLine, Config
from alembic.script import ScriptDirectory
line = CommandLine()
options = line.parser.parse_args(sys.argv[1:] + ["heads"])
toml, ini = line._inis_from_config(options)
script = ScriptDirectory.from_config(Config(file_=ini, toml_file=toml))
revisions = list(script.walk_revisions())
print(json.dumps({"heads": sorted(script.get_heads()),
                  "dirs": sorted({os.path.dirname(os.path.realpath(r.path)) for r in revisions}),
                  "count": len(revisions)}))
"""


def alembic_view(cwd: Path, *config_args: str, env: dict[str, str] | None = None) -> dict:
    """What real Alembic reads from the configuration, run from `cwd` with `-c` args."""
    environment = {k: v for k, v in os.environ.items() if k != "ALEMBIC_CONFIG"}
    environment.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-c", ALEMBIC_ORACLE, *config_args], cwd=cwd, capture_output=True, text=True, env=environment, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def status(cwd: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    result = run(["status", "--json", "--date", DATE, *args], cwd=cwd, env=env)
    assert result.code == 0, str(result)
    return json.loads(result.stdout)


def resolved(cwd: Path, paths: list[str]) -> list[str]:
    return sorted(os.path.realpath(cwd / p) for p in paths)


def agrees_with_alembic(ours: dict, cwd: Path, alembic: dict) -> None:
    assert ours["heads"] == alembic["heads"]
    assert ours["migrations"] == alembic["count"]
    # Every folder Alembic took a migration from is one of ours (ours may list an empty subfolder too).
    assert set(alembic["dirs"]) <= set(resolved(cwd, ours["versions_dirs"]))


def git_repo(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    return path


# --- the cases -----------------------------------------------------------------------------


def test_alembic_ini_in_the_current_directory(tmp_path):
    project = tmp_path / "proj"
    chain(project / "db" / "versions", 1, 3)
    (project / "alembic.ini").write_text("[alembic]\nscript_location = db\nsqlalchemy.url = sqlite://\n")
    ours = status(project)
    assert ours["config"] == "alembic.ini" and ours["versions_dir"] == "db/versions"
    agrees_with_alembic(ours, project, alembic_view(project))
    text = run(["status", "--date", DATE], cwd=project)
    assert "config: alembic.ini" in text.stdout, str(text)


def test_pyproject_tool_alembic_with_here(tmp_path):
    project = tmp_path / "proj"
    chain(project / "migrations" / "versions", 1, 2)
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.alembic]\nscript_location = "%(here)s/migrations"\n')
    ours = status(project)
    assert ours["config"] == "pyproject.toml" and ours["versions_dir"] == "migrations/versions"
    agrees_with_alembic(ours, project, alembic_view(project))


def test_alembic_ini_wins_over_pyproject(tmp_path):
    project = tmp_path / "proj"
    chain(project / "from_ini" / "versions", 1, 2)
    chain(project / "from_toml" / "versions", 1, 5)
    (project / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/from_ini\n")
    (project / "pyproject.toml").write_text('[tool.alembic]\nscript_location = "%(here)s/from_toml"\n')
    ours = status(project)
    assert ours["versions_dir"] == "from_ini/versions" and ours["migrations"] == 2
    agrees_with_alembic(ours, project, alembic_view(project))


def test_an_option_the_ini_file_leaves_out_comes_from_pyproject(tmp_path):
    """Alembic's rule is per option: the ini file wins where it sets one, pyproject.toml fills in."""
    project = tmp_path / "proj"
    chain(project / "db" / "a", 1, 2)
    chain(project / "db" / "b", 3, 3, down=2)
    (project / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/db\n")
    (project / "pyproject.toml").write_text('[tool.alembic]\nversion_locations = ["%(here)s/db/a", "%(here)s/db/b"]\n')
    ours = status(project)
    assert ours["versions_dirs"] == ["db/a", "db/b"] and ours["heads"] == [f"20260101_000003"]
    agrees_with_alembic(ours, project, alembic_view(project))


@pytest.mark.parametrize("name", ["alembic.ini", "pyproject.toml"])
def test_config_option_names_the_file(tmp_path, name):
    project = tmp_path / "proj"
    chain(project / "service" / "db" / "versions", 1, 4)
    config = project / "service" / name
    if name == "alembic.ini":
        config.write_text("[alembic]\nscript_location = %(here)s/db\n")
    else:
        config.write_text('[tool.alembic]\nscript_location = "%(here)s/db"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    ours = status(elsewhere, "-c", str(config))
    assert ours["config"] == str(config) and ours["migrations"] == 4
    agrees_with_alembic(ours, elsewhere, alembic_view(elsewhere, "-c", str(config)))
    assert status(project, "--config", f"service/{name}")["config"] == f"service/{name}"


def test_alembic_config_environment_variable(tmp_path):
    project = tmp_path / "proj"
    chain(project / "conf" / "mig" / "versions", 1, 3)
    config = project / "conf" / "custom.ini"
    config.write_text("[alembic]\nscript_location = %(here)s/mig\n")
    env = {"ALEMBIC_CONFIG": str(config)}
    ours = status(project, env=env)
    assert ours["config"] == "conf/custom.ini" and ours["migrations"] == 3
    agrees_with_alembic(ours, project, alembic_view(project, env=env))
    # -c wins over the environment, as in Alembic.
    chain(project / "other" / "versions", 1, 1)
    (project / "other.ini").write_text("[alembic]\nscript_location = other\n")
    assert status(project, "-c", "other.ini", env=env)["migrations"] == 1
    # A variable that names nothing is an error naming it, not a silent fallback.
    result = run(["status", "--date", DATE], cwd=project, env={"ALEMBIC_CONFIG": "missing.ini"})
    assert result.code == 2 and "ALEMBIC_CONFIG" in result.stderr and "missing.ini" in result.stderr, str(result)


@pytest.mark.parametrize(
    "separator_line, joined",
    [
        ("path_separator = os\n", "%(here)s/a:%(here)s/b"),
        ("path_separator = space\n", "%(here)s/a %(here)s/b"),
        ("path_separator = newline\n", "\n    %(here)s/a\n    %(here)s/b"),
        ("path_separator = ;\n", "%(here)s/a;%(here)s/b"),
        ("version_path_separator = :\n", "%(here)s/a:%(here)s/b"),
        ("", "%(here)s/a, %(here)s/b"),  # no separator: Alembic's legacy split on commas and spaces
    ],
    ids=["os", "space", "newline", "semicolon", "legacy_version_path_separator", "legacy_split"],
)
def test_several_version_locations_are_one_history(tmp_path, separator_line, joined):
    project = tmp_path / "proj"
    chain(project / "a", 1, 2)
    chain(project / "b", 3, 4, down=2)
    (project / "mig").mkdir()
    (project / "alembic.ini").write_text(f"[alembic]\nscript_location = mig\n{separator_line}version_locations = {joined}\n")
    ours = status(project)
    assert ours["versions_dirs"] == ["a", "b"] and ours["migrations"] == 4 and ours["heads"] == ["20260101_000004"]
    agrees_with_alembic(ours, project, alembic_view(project))


def test_new_writes_next_to_the_head_and_alembic_follows(tmp_path):
    project = tmp_path / "proj"
    chain(project / "a", 1, 2)
    chain(project / "b", 3, 3, down=2)
    (project / "mig").mkdir()
    (project / "alembic.ini").write_text("[alembic]\nscript_location = mig\npath_separator = os\nversion_locations = %(here)s/a:%(here)s/b\n")
    result = run(["new", "add things", "--date", DATE, "--json"], cwd=project)
    assert result.code == 0, str(result)
    written = json.loads(result.stdout)
    assert written["path"] == f"b/{DATE_COMPACT}_000004_add_things.py" and written["down_revision"] == "20260101_000003"
    assert (project / written["path"]).exists()
    assert alembic_view(project)["heads"] == [f"{DATE_COMPACT}_000004"]
    # --versions-dir wins: a alone (whose head is 000002).
    forced = run(["new", "elsewhere", "--date", DATE, "--versions-dir", "a", "--json", "--dry-run"], cwd=project)
    assert forced.code == 0, str(forced)
    assert json.loads(forced.stdout)["path"].startswith("a/") and json.loads(forced.stdout)["down_revision"] == "20260101_000002"
    # A second head in a: the merge goes next to the first head in file order (a's 000005,
    # before b's 20261125_000004).
    write_migration(project / "a", 5, 2)
    merged = run(["merge", "--date", DATE, "--json"], cwd=project)
    assert merged.code == 0, str(merged)
    data = json.loads(merged.stdout)
    assert data["heads"] == ["20260101_000005", f"{DATE_COMPACT}_000004"] and data["path"].startswith("a/"), str(merged)


def test_rebase_keeps_the_file_in_its_own_folder(tmp_path):
    project = tmp_path / "proj"
    chain(project / "a", 1, 2)
    chain(project / "b", 3, 3, down=2)
    branch = write_migration(project / "a", 4, 2)
    (project / "mig").mkdir()
    (project / "alembic.ini").write_text("[alembic]\nscript_location = mig\npath_separator = os\nversion_locations = a:b\n")
    result = run(["rebase", f"{branch}_step_4.py", "--date", DATE, "--json"], cwd=project)
    assert result.code == 0, str(result)
    moved = json.loads(result.stdout)
    assert moved["path"].startswith("a/") and moved["down_revision"] == ["20260101_000003"], str(result)
    assert alembic_view(project)["heads"] == [moved["revision"]]


def test_recursive_version_locations(tmp_path):
    project = tmp_path / "proj"
    chain(project / "mig" / "versions" / "2025", 1, 2)
    chain(project / "mig" / "versions" / "2026" / "q1", 3, 3, down=2)
    (project / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/mig\nrecursive_version_locations = true\n")
    ours = status(project)
    assert ours["migrations"] == 3 and ours["heads"] == ["20260101_000003"]
    agrees_with_alembic(ours, project, alembic_view(project))
    result = run(["new", "next", "--date", DATE, "--json"], cwd=project)
    assert json.loads(result.stdout)["path"] == f"mig/versions/2026/q1/{DATE_COMPACT}_000004_next.py", str(result)
    # Without the flag (configparser's exact "true"), Alembic and vejamigrate see the top folder only.
    (project / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/mig\nrecursive_version_locations = True\n")
    assert status(project)["migrations"] == 0 == alembic_view(project)["count"]


def test_nested_backend_alembic_ini_from_the_repository_root(tmp_path):
    repo = git_repo(tmp_path / "repo")
    chain(repo / "backend" / "app" / "db" / "versions", 1, 3)
    # Relative to backend/, where the team runs alembic.
    (repo / "backend" / "alembic.ini").write_text("[alembic]\nscript_location = app/db\n")
    (repo / "frontend").mkdir()
    (repo / "frontend" / "package.json").write_text("{}")
    # Paths are relative to the current directory when inside it, else absolute (as versions_dir).
    for cwd, shown in ((repo, "backend/alembic.ini"), (repo / "frontend", str(repo / "backend" / "alembic.ini"))):
        ours = status(cwd)
        assert ours["config"] == shown and ours["migrations"] == 3, ours
    agrees_with_alembic(status(repo), repo, alembic_view(repo / "backend"))
    # Two such folders: which one is meant is not guessed.
    chain(repo / "tools" / "db" / "versions", 1, 1)
    (repo / "tools" / "alembic.ini").write_text("[alembic]\nscript_location = db\n")
    result = run(["status", "--date", DATE], cwd=repo)
    assert result.code == 2 and "backend/alembic.ini" in result.stderr and "-c FILE" in result.stderr, str(result)


def test_here_and_default_section_interpolation(tmp_path):
    project = tmp_path / "proj"
    chain(project / "backend" / "m" / "versions", 1, 2)
    (project / "alembic.ini").write_text("[DEFAULT]\nroot = %(here)s/backend\n\n[alembic]\n# where the scripts are\nscript_location = %(root)s/m\n")
    ours = status(project)
    assert ours["versions_dir"] == "backend/m/versions"
    agrees_with_alembic(ours, project, alembic_view(project))


def test_the_seed_location_still_comes_before_the_repository_top(tmp_path):
    repo = git_repo(tmp_path / "repo")
    copy_project(repo)
    chain(repo / "backend" / "other" / "versions", 1, 1)
    (repo / "backend" / "alembic.ini").write_text("[alembic]\nscript_location = other\n")
    ours = status(repo)
    assert ours["versions_dir"] == "backend/app/migrations/versions" and ours["config"] is None


@pytest.mark.parametrize(
    "file, text, key",
    [
        ("alembic.ini", "[alembic]\nscript_location = myapp:migrations\n", "[alembic] script_location"),
        ("alembic.ini", "[alembic]\nscript_location = db\npath_separator = space\nversion_locations = db/versions myapp:versions\n", "[alembic] version_locations"),
        ("pyproject.toml", '[tool.alembic]\nscript_location = "myapp:migrations"\n', "tool.alembic.script_location"),
    ],
    ids=["ini_script_location", "ini_version_locations", "pyproject_script_location"],
)
def test_a_package_resource_is_refused_with_exit_2(tmp_path, file, text, key):
    project = tmp_path / "proj"
    (project / "db" / "versions").mkdir(parents=True)
    (project / file).write_text(text)
    before = listing(project)
    for args in (["status"], ["new", "x y"]):
        result = run([*args, "--date", DATE], cwd=project)
        assert result.code == 2, str(result)
        assert file in result.stderr and key in result.stderr and "package resource" in result.stderr, str(result)
        assert "--versions-dir" in result.stderr
    assert listing(project) == before


def test_configuration_errors_name_the_file_key_and_fix(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    cases = [
        ("alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n", ["alembic.ini", "script_location", "is missing"]),
        ("alembic.ini", "[alembic]\nscript_location = %(nope)s/db\n", ["alembic.ini:2", "script_location", "%(nope)s"]),
        ("alembic.ini", "[alembic]\nscript_location db\n", ["alembic.ini:2", "key = value"]),
        ("pyproject.toml", "[tool.alembic]\nscript_location = 3\n", ["pyproject.toml", "tool.alembic.script_location", "not a string"]),
        ("pyproject.toml", "[tool.alembic\n", ["pyproject.toml:1", "not valid TOML"]),
        ("pyproject.toml", '[tool.alembic]\nscript_location = "db"\nversion_locations = "db/versions"\n', ["tool.alembic.version_locations", "not a list"]),
    ]
    for file, text, words in cases:
        for f in ("alembic.ini", "pyproject.toml"):
            (project / f).unlink(missing_ok=True)
        (project / file).write_text(text)
        result = run(["status", "--date", DATE], cwd=project)
        assert result.code == 2, f"{text!r}\n{result}"
        assert result.stderr.startswith("error: "), str(result)
        for word in words:
            assert word in result.stderr, f"{word!r} not in\n{result}"


def test_a_version_location_that_does_not_exist(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/db\n")
    result = run(["status", "--date", DATE], cwd=project)
    assert result.code == 4 and "alembic.ini:2" in result.stderr and "does not exist" in result.stderr, str(result)


def test_nothing_found_says_where_it_looked_and_what_to_do(tmp_path):
    repo = git_repo(tmp_path / "repo")
    (repo / "src").mkdir()
    (repo / "pyproject.toml").write_text('[project]\nname = "no alembic here"\n')
    for binary_args in (["status"], ["new", "x y"], ["schema"]):
        result = run([*binary_args, "--date", DATE] if binary_args[0] != "schema" else binary_args, cwd=repo / "src")
        assert result.code == 4, str(result)
        assert "no versions directory found" in result.stderr
        assert "backend/app/migrations/versions" in result.stderr and "-c alembic.ini" in result.stderr, str(result)


def test_config_option_errors(tmp_path):
    project = tmp_path / "proj"
    project.mkdir()
    result = run(["status", "-c", "nope.ini"], cwd=project)
    assert result.code == 2 and "nope.ini" in result.stderr and "--config" in result.stderr, str(result)
    (project / "a.ini").write_text("[other]\nx = 1\n")
    result = run(["status", "-c", "a.ini"], cwd=project)
    assert result.code == 2 and "a.ini" in result.stderr and "no [alembic] section" in result.stderr, str(result)
    (project / "b.ini").write_text("[alembic]\nscript_location = x\n")
    result = run(["status", "-c", "a.ini", "-c", "b.ini"], cwd=project)
    assert result.code == 2 and "one ini file" in result.stderr, str(result)


def test_the_wizard_takes_config_too(tmp_path):
    """Both executables take -c (the wizard's header is checked in Tests/e2e and the wizard's unit tests)."""
    tui = Path(os.environ.get("VEJAMIGRATE_TUI_BIN") or REPO / ".build" / "debug" / "vejamigrate-tui")
    help_text = subprocess.run([str(tui), "--help"], capture_output=True, text=True, check=False).stdout
    assert "-c, --config <file>" in help_text
    assert "-c, --config <file>" in run(["new", "--help"]).stdout


def write_body(folder: Path, sequence: int, down: int | None, upgrade: str) -> None:
    """A migration as write_migration makes it, with `upgrade` as its upgrade() body."""
    write_migration(folder, sequence, down)
    path = next(folder.glob(f"20260101_{sequence:06d}_*.py"))
    path.write_text(path.read_text().replace("def upgrade() -> None:\n    pass\n", f"def upgrade() -> None:\n    {upgrade}\n", 1))


def test_several_locations_make_one_schema_and_the_cache_serves_each(tmp_path):
    """The union history through the whole-history read: `schema` sees the tables of both folders,
    the second read comes from the per-folder caches and prints the same, and `new --spec` (which
    reads the whole history) still writes next to the head after a cached read."""
    import time

    project = tmp_path / "proj"
    write_body(project / "a", 1, None, 'op.create_table("projects", sa.Column("id", sa.Integer(), primary_key=True))')
    write_body(project / "b", 2, 1, 'op.add_column("projects", sa.Column("title", sa.Text(), nullable=True))')
    (project / "mig").mkdir()
    (project / "alembic.ini").write_text("[alembic]\nscript_location = mig\npath_separator = space\nversion_locations = a b\n")
    time.sleep(3.2)  # old enough to be stored (SourceCache.settledAge)
    cache = tmp_path / "cache"
    env = {"VEJAMIGRATE_CACHE_DIR": str(cache), "VEJAMIGRATE_NO_CACHE": None}
    first = run(["schema", "projects", "--json"], cwd=project, env=env)
    assert first.code == 0, str(first)
    assert set(json.loads(first.stdout)["tables"]["projects"]["columns"]) == {"id", "title"}
    assert len(list(cache.glob("history-*.bin"))) == 2, "one cache per folder"
    second = run(["schema", "projects", "--json"], cwd=project, env=env)
    assert second.stdout == first.stdout
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"description": "add done", "add_columns": {"table": "projects", "columns": [{"name": "done", "type": "boolean"}]}}))
    written = run(["new", "--spec", str(spec), "--date", DATE, "--json"], cwd=project, env=env)
    assert written.code == 0, str(written)
    assert json.loads(written.stdout)["path"] == f"b/{DATE_COMPACT}_000003_add_done.py"
