"""Output habits (issue 11, item 6), checked on the real executable for every command: JSON in
the usual layout (`"key": value`, two-space indent, keys sorted: what Python's json module writes
with indent=2 and sort_keys), colour only on a terminal and never with NO_COLOR, errors on
standard error and data on standard output.
"""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
from pathlib import Path

import pytest
from test_merge_rebase import DUE_DATES, two_branches
from vmcli import DATE, EXAMPLE_VERSIONS, cli_binary, copy_project, run

pytestmark = pytest.mark.cli


def usual(text: str) -> str:
    return json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def json_outputs(tmp_path: Path) -> dict[str, list[str]]:
    """Every JSON document a command prints, by command: one per case."""
    versions = copy_project(tmp_path / "one")
    branches = two_branches(tmp_path / "two")
    spec = json.dumps({"description": "add invoices", "create_table": {"name": "invoices", "columns": [{"name": "id", "type": "uuid", "primary_key": True}]}})
    cases = {
        "status": [["status", "--json", "--versions-dir", str(versions)], ["status", "--json", "--versions-dir", str(branches)]],
        "new": [["new", "add notes", "--json", "--dry-run", "--versions-dir", str(versions)],
                ["new", "--spec", "-", "--json", "--versions-dir", str(versions)]],
        "schema": [["schema", "--json", "--versions-dir", str(versions)], ["schema", "users", "--format", "json", "--versions-dir", str(versions)]],
        "merge": [["merge", "--json", "--dry-run", "--versions-dir", str(branches)], ["merge", "--json", "--versions-dir", str(versions)]],
        "rebase": [["rebase", DUE_DATES, "--json", "--dry-run", "--versions-dir", str(branches)]],
    }
    out: dict[str, list[str]] = {}
    for command, runs in cases.items():
        for args in runs:
            result = run([*args, "--date", DATE], stdin=spec)
            assert result.code in (0, 3), str(result)
            out.setdefault(command, []).append(result.stdout)
    return out


def test_every_json_document_is_in_the_usual_layout(tmp_path):
    docs = json_outputs(tmp_path)
    assert set(docs) == {"status", "new", "schema", "merge", "rebase"}
    for command, texts in docs.items():
        for text in texts:
            assert text == usual(text), f"{command}:\n{text}"
            assert '": ' in text and '" :' not in text


def commands_that_fail(tmp_path: Path) -> list[tuple[list[str], int]]:
    empty = tmp_path / "nowhere"
    empty.mkdir()
    versions = copy_project(tmp_path / "p")
    return [
        (["status", "--versions-dir", str(empty / "missing")], 4),
        (["status", "--no-such-flag"], 2),
        (["new", "--versions-dir", str(versions)], 1),  # no description
        (["new", "x", "--spec", str(empty / "none.json"), "--versions-dir", str(versions)], 1),
        (["schema", "no_such_table", "--versions-dir", str(versions)], 1),
        (["schema", "--format", "png", "--versions-dir", str(versions)], 2),
        (["merge", "--versions-dir", str(empty / "missing")], 4),
        (["rebase", "not_a_migration.py", "--versions-dir", str(versions)], 1),
        (["rebase"], 2),
        (["--date", "2026-02-30", "status"], 2),
    ]


def test_errors_go_to_stderr_and_nothing_to_stdout(tmp_path):
    for args, code in commands_that_fail(tmp_path):
        result = run(args, cwd=tmp_path / "nowhere")
        assert result.code == code, str(result)
        assert result.stdout == "", str(result)
        assert result.stderr.strip(), str(result)


def test_data_goes_to_stdout_and_nothing_to_stderr(tmp_path):
    versions = copy_project(tmp_path / "p")
    for args in (["status"], ["status", "--graph"], ["schema"], ["schema", "--format", "mermaid"], ["schema", "--format", "dot"],
                 ["new", "add notes", "--dry-run"], ["new", "add notes", "--sql"], ["merge"], ["--version"]):
        result = run([*args, "--versions-dir", str(versions), "--date", DATE] if args != ["--version"] else args)
        assert result.code == 0 and result.stdout and result.stderr == "", str(result)
    tui = subprocess.run([str(cli_binary().with_name("vejamigrate-tui")), "--version"], capture_output=True, text=True, check=False)
    assert tui.returncode == 0 and tui.stdout.strip() and tui.stderr == ""


def test_the_wizard_s_errors_go_to_stderr(tmp_path):
    tui = str(cli_binary().with_name("vejamigrate-tui"))
    for args, code in ((["--versions-dir", str(EXAMPLE_VERSIONS)], 2), (["--no-such-flag"], 2), (["--date", "2026-02-30"], 2)):
        result = subprocess.run([tui, *args], stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False, cwd=tmp_path)
        assert result.returncode == code and result.stdout == "" and result.stderr.strip(), (args, result)


def on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """What the CLI writes to a pseudo-terminal."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen([str(cli_binary()), *args], stdin=follower, stdout=follower, stderr=follower, env=env, close_fds=True)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    versions = two_branches(tmp_path)
    args = ["status", "--graph", "--versions-dir", str(versions)]
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    coloured = on_a_terminal(args, {**base, "TERM": "xterm"})
    assert "\x1b[33m(head)\x1b[0m" in coloured, repr(coloured)
    for env in ({**base, "TERM": "xterm", "NO_COLOR": "1"}, {**base, "TERM": "dumb"}):
        plain = on_a_terminal(args, env)
        assert "(head)" in plain and "\x1b[" not in plain, repr(plain)
    # An empty NO_COLOR is no request (no-color.org).
    assert "\x1b[" in on_a_terminal(args, {**base, "TERM": "xterm", "NO_COLOR": ""})
    piped = subprocess.run([str(cli_binary()), *args], capture_output=True, text=True, env={**base, "TERM": "xterm"}, check=False)
    assert "(head)" in piped.stdout and "\x1b[" not in piped.stdout + piped.stderr
    # No other command colours anything, on a terminal or not.
    for other in (["status"], ["schema"], ["merge", "--dry-run"]):
        assert "\x1b[" not in on_a_terminal([*other, "--versions-dir", str(versions), "--date", DATE], {**base, "TERM": "xterm"})
