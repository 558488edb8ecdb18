"""`vejamigrate check` with the real executable: its four formats, --since, file arguments,
suppression and unused-ignore, exit codes, colour and NO_COLOR; every operation the generator
writes (safe mode) reviewed clean; the realistic histories reviewed without a false CRITICAL."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from pathlib import Path

import pytest
import test_new_matrix
import test_operations
from vmcli import (
    EXAMPLE_VERSIONS,
    REPO,
    cli_binary,
    copy_project,
    created_files,
    new_with_spec,
    run,
)

pytestmark = pytest.mark.cli

HISTORIES = REPO / "Tests" / "integration" / "histories"
SEVERITIES = {"CRITICAL", "WARNING", "INFO"}


def check(versions: Path, *args: str, cwd: Path | None = None):
    return run(["check", "--versions-dir", str(versions), *args], cwd=cwd)


def findings(versions: Path, *args: str) -> list[dict]:
    result = check(versions, "--format", "json", *args)
    assert result.code in (0, 1), str(result)
    return json.loads(result.stdout)["findings"]


def add_migration(
    versions: Path, revision: str, down: str, upgrade: list[str], downgrade: list[str], slug: str = "step"
) -> Path:
    body = "\n".join("    " + line for line in upgrade)
    back = "\n".join("    " + line for line in downgrade)
    text = (
        f'"""{slug}\n\nRevision ID: {revision}\nRevises: {down}\nCreate Date: 2026-11-25\n"""\n\n'
        "from __future__ import annotations\n\nimport sqlalchemy as sa\nfrom alembic import op\n"
        "from sqlalchemy.dialects import postgresql\n\n"
        f'revision = "{revision}"\ndown_revision = "{down}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade() -> None:\n{body}\n\n\ndef downgrade() -> None:\n{back}\n"
    )
    path = versions / f"{revision}_{slug}.py"
    path.write_text(text)
    return path


BAD_INDEX = 'op.create_index("idx_tasks_title", "tasks", ["title"])'
UNDO_INDEX = ['op.drop_index("idx_tasks_title", table_name="tasks")']
CRITICAL_INDEX = 'op.create_index("idx_tasks_title", "tasks", ["title"], postgresql_concurrently=True)'


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the example with one migration on top that builds an index the blocking way (line 21)."""
    versions = copy_project(tmp_path / "proj")
    add_migration(versions, "20261125_000018", "20260211_000017", [BAD_INDEX], UNDO_INDEX, "index_titles")
    return versions


# MARK: formats


def test_json_lists_every_field_and_exit_0_without_critical(project):
    result = check(project, "--format", "json")
    assert result.code == 0, str(result)
    items = json.loads(result.stdout)["findings"]
    assert items and all(set(f) == {"severity", "file", "line", "rule", "message", "fix"} for f in items)
    assert all(f["severity"] in SEVERITIES and isinstance(f["line"], int) and f["line"] >= 1 for f in items)
    mine = [f for f in items if f["file"].endswith("20261125_000018_index_titles.py")]
    assert [(f["rule"], f["line"], f["severity"]) for f in mine] == [("index-not-concurrent", 21, "WARNING")]
    assert "postgresql_concurrently=True" in mine[0]["fix"]


def test_exit_1_with_a_critical_finding(tmp_path):
    versions = copy_project(tmp_path / "proj")
    add_migration(versions, "20261125_000018", "20260211_000017", [CRITICAL_INDEX], UNDO_INDEX)
    result = check(versions)
    assert result.code == 1, str(result)
    assert "CRITICAL [concurrently-in-transaction]" in result.stdout


def test_exit_3_when_the_history_cannot_be_read(tmp_path):
    result = check(tmp_path / "nowhere")
    assert result.code == 3, str(result)
    assert result.stderr.startswith("error: "), str(result)


def test_exit_2_for_usage_errors(project):
    assert check(project, "--format", "xml").code == 2
    bad_since = check(project, "--since", "20990101_000001")
    assert bad_since.code == 2 and "--since" in bad_since.stderr, str(bad_since)
    bad_file = check(project, "no_such_migration.py")
    assert bad_file.code == 2 and "no_such_migration.py" in bad_file.stderr, str(bad_file)


def test_sarif_has_the_required_fields_of_2_1_0(project):
    result = check(project, "--format", "sarif")
    assert result.code == 0, str(result)
    log = json.loads(result.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (sarif_run,) = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert driver["name"] == "vejamigrate"
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for r in rules:
        assert r["shortDescription"]["text"] and r["helpUri"].endswith("#" + r["id"])
        assert r["defaultConfiguration"]["level"] in {"error", "warning", "note"}
    assert sarif_run["results"]
    for res in sarif_run["results"]:
        assert res["level"] in {"error", "warning", "note"} and res["message"]["text"]
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        (loc,) = res["locations"]
        assert loc["physicalLocation"]["artifactLocation"]["uri"]
        assert loc["physicalLocation"]["region"]["startLine"] >= 1
    assert any(r["ruleId"] == "index-not-concurrent" and r["level"] == "warning" for r in sarif_run["results"])


def test_github_prints_one_annotation_per_finding(project):
    result = check(project, "--format", "github")
    lines = result.stdout.splitlines()
    assert lines and len(lines) == len(findings(project))
    pattern = re.compile(r"^::(error|warning|notice) file=[^,]+,line=\d+,title=[a-z-]+::.+$")
    assert all(pattern.match(line) for line in lines), lines
    mine = [line for line in lines if "20261125_000018_index_titles.py" in line]
    assert (
        mine == [mine[0]]
        and mine[0].startswith("::warning file=")
        and ",line=21,title=index-not-concurrent::" in mine[0]
    )
    assert any(line.startswith("::notice ") for line in lines)


def test_text_is_grouped_by_file(project):
    out = check(project).stdout
    headers = [line for line in out.splitlines() if line and not line.startswith(" ") and line.endswith(".py")]
    assert len(headers) == len(set(headers)), "each file once"
    block = out.split(headers[-1])[1]
    assert "  21: WARNING [index-not-concurrent]" in block and "fix: with op.get_context().autocommit_block():" in block


def on_a_terminal(args: list[str], env: dict) -> str:
    main, child = pty.openpty()
    proc = subprocess.run(
        [str(cli_binary()), *args], stdout=child, stderr=subprocess.DEVNULL, env=env, timeout=60, check=False
    )
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(main)
    assert proc.returncode == 0
    return out.decode()


def test_colour_on_a_terminal_unless_no_color(project):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["check", "--versions-dir", str(project)]
    assert "\x1b[33mWARNING\x1b[0m" in on_a_terminal(args, env)
    assert "\x1b[" not in on_a_terminal(args, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in check(project).stdout  # not a terminal


# MARK: scope


def test_since_reviews_only_the_migrations_after(project):
    after = findings(project, "--since", "20260211_000017")
    assert after and {Path(f["file"]).name for f in after} == {"20261125_000018_index_titles.py"}
    assert findings(project, "--since", "20261125_000018") == []
    everything = {Path(f["file"]).name for f in findings(project)}
    assert len(everything) > 1


def test_file_arguments_review_only_those_files_named_as_given(project, tmp_path):
    named = project / "20261125_000018_index_titles.py"
    rel = os.path.relpath(named, tmp_path)
    result = run(["check", "--versions-dir", str(project), "--format", "json", rel], cwd=tmp_path)
    items = json.loads(result.stdout)["findings"]
    assert items and {f["file"] for f in items} == {rel}
    # A history rule reports on the file named only.
    both = run(
        [
            "check",
            "--versions-dir",
            str(project),
            "--format",
            "json",
            str(named),
            str(project / "20251020_000012_add_on_hold_and_archived_project_statuses.py"),
        ]
    )
    assert {Path(f["file"]).name for f in json.loads(both.stdout)["findings"]} == {
        named.name,
        "20251020_000012_add_on_hold_and_archived_project_statuses.py",
    }


# MARK: suppression


def test_an_ignore_comment_silences_and_an_unused_one_is_reported(tmp_path):
    versions = copy_project(tmp_path / "proj")
    add_migration(
        versions,
        "20261125_000018",
        "20260211_000017",
        [
            BAD_INDEX + "  # vejamigrate: ignore[index-not-concurrent] tasks is small",
            "# vejamigrate: ignore[drop-table] nothing here",
            "pass",
        ],
        UNDO_INDEX,
    )
    mine = [f for f in findings(versions) if f["file"].endswith("_step.py")]
    assert [(f["rule"], f["line"], f["severity"]) for f in mine] == [("unused-ignore", 22, "INFO")], mine
    assert "drop-table" in mine[0]["message"]


def test_the_comment_on_the_line_above_counts(tmp_path):
    versions = copy_project(tmp_path / "proj")
    add_migration(
        versions,
        "20261125_000018",
        "20260211_000017",
        ["# vejamigrate: ignore[concurrently-in-transaction] env.py commits", CRITICAL_INDEX],
        UNDO_INDEX,
    )
    result = check(versions)
    assert result.code == 0, str(result)


# MARK: the generator and the reviewer agree

GENERATED = {
    **{f"new:{k}": v for k, v in test_new_matrix.SPECS.items()},
    **{f"op:{k}": v for k, v in test_operations.SPECS.items() if v.get("safe") is not False},
}


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_a_migration_vejamigrate_writes_has_no_critical_or_warning(name, tmp_path):
    result, versions = new_with_spec(tmp_path, GENERATED[name])
    assert result.code == 0, str(result)
    (path,) = created_files(versions)
    found = [f for f in findings(versions, str(path)) if f["severity"] != "INFO"]
    if "rewrites" in result.stderr:
        # The generator warned of the table rewrite itself (safe mode): the reviewer says the same, and nothing else.
        assert [f["rule"] for f in found] == ["column-type-rewrite"], found
    else:
        assert found == [], found


# MARK: precision on realistic histories


@pytest.mark.parametrize("history", sorted(p.name for p in HISTORIES.iterdir() if p.is_dir()) + ["example"])
def test_realistic_histories_have_no_critical_finding(history):
    # Each of them runs on a real PostgreSQL (test_histories.py, test_examples.py): a CRITICAL here
    # ("PostgreSQL refuses it") would be false.
    versions = EXAMPLE_VERSIONS if history == "example" else HISTORIES / history
    items = findings(versions)
    assert [f for f in items if f["severity"] == "CRITICAL"] == []
    assert all(f["message"] and f["fix"] for f in items)


def test_pre_commit_hook_runs_check_on_the_files_named(tmp_path):
    text = (REPO / ".pre-commit-hooks.yaml").read_text()
    fields = dict(re.findall(r"^(?:- |  )(\w+): (.+)$", text, re.MULTILINE))
    assert fields["id"] == "vejamigrate-check" and fields["pass_filenames"] == "true"
    versions = copy_project(tmp_path / "repo")
    add_migration(versions, "20261125_000018", "20260211_000017", [CRITICAL_INDEX], UNDO_INDEX)
    staged = "backend/app/migrations/versions/20261125_000018_step.py"
    assert re.search(fields["files"], staged) and not re.search(fields["files"], "backend/app/models.py")
    # What pre-commit runs: the entry and the staged file names, from the top of the repository.
    words = fields["entry"].split()
    assert words[:2] == ["vejamigrate", "check"]
    result = run([*words[1:], staged], cwd=tmp_path / "repo")
    assert result.code == 1 and "concurrently-in-transaction" in result.stdout, str(result)


def test_docs_have_a_section_for_every_rule(project):
    """docs/check.md: each rule the executable knows has its section (the SARIF helpUri anchors)."""
    doc = (REPO / "docs" / "check.md").read_text()
    sections = re.findall(r'<a id="([a-z-]+)"></a>\n#### `([a-z-]+)` \((CRITICAL|WARNING|INFO)\)', doc)
    rules = json.loads(check(project, "--format", "sarif").stdout)["runs"][0]["tool"]["driver"]["rules"]
    levels = {"error": "CRITICAL", "warning": "WARNING", "note": "INFO"}
    assert [(a, b, c) for a, b, c in sections if a == b] == sections
    assert {(s[0], s[2]) for s in sections} == {(r["id"], levels[r["defaultConfiguration"]["level"]]) for r in rules}
    for rule_id, _, _ in sections:
        section = doc.split(f'<a id="{rule_id}"></a>')[1].split("<a id=")[0]
        assert "Bad:" in section and "Good:" in section and "Fix:" in section, rule_id


# MARK: [tool.vejamigrate.check]


def write_settings(versions: Path, text: str) -> None:
    """A pyproject.toml above the versions directory, where the settings search finds it."""
    (versions.parent / "pyproject.toml").write_text(text)


def test_settings_disable_a_rule_and_change_a_severity(project):
    before = {f["rule"]: f["severity"] for f in findings(project)}
    assert "index-not-concurrent" in before, before
    other = next(r for r in before if r != "index-not-concurrent")
    write_settings(
        project,
        '[tool.vejamigrate.check]\ndisable = ["index-not-concurrent"]\n'
        f'severity = {{ "{other}" = "critical" }}\n',
    )
    after = findings(project)
    assert all(f["rule"] != "index-not-concurrent" for f in after), after
    assert {f["severity"] for f in after if f["rule"] == other} == {"CRITICAL"}
    assert check(project).code == 1  # a CRITICAL finding now


def test_settings_unknown_rule_warns_and_bad_severity_is_exit_2(project):
    write_settings(project, '[tool.vejamigrate.check]\ndisable = ["index-not-concurent"]\n')
    result = check(project, "--format", "json")
    assert result.code in (0, 1), str(result)
    assert 'no rule is called "index-not-concurent"' in result.stderr
    assert 'did you mean "index-not-concurrent"' in result.stderr
    write_settings(project, '[tool.vejamigrate.check]\nseverity = { "index-not-concurrent" = "LOUD" }\n')
    result = check(project)
    assert result.code == 2, str(result)
    assert "tool.vejamigrate.check.severity.index-not-concurrent" in result.stderr
    assert '"CRITICAL", "WARNING", "INFO"' in result.stderr
    assert result.stdout == ""
