"""Issue 11, item 3: the done screen's `v` runs `vejamigrate verify` on the written migration in the
background and shows its steps as they run; quitting while it runs still removes its database.

The wizard finds the project's Python as the CLI does: here the suite's venv, through VIRTUAL_ENV;
the database is verify's default (a throwaway cluster, since initdb is installed for the suite)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_tui_operations import add_archived_at, wait_text
from tuiharness import DATE

pytestmark = pytest.mark.tui


def clusters() -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], check=False, capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "vejamigrate-verify-" in line and "postgres" in line]


def leftovers() -> list[Path]:
    return list(Path("/tmp").glob("vejamigrate-verify-pg-*"))


def written(tui, tui_binary, project):
    s = tui(110, 40)
    s.start([str(tui_binary), "--date", DATE], cwd=project, env={"VIRTUAL_ENV": sys.prefix})
    wait_text(s, "1. Description")
    s.send_text("add archived at")
    s.send_keys("Enter", "Enter")
    wait_text(s, "2. Operation")
    add_archived_at(s)
    s.send_keys("F10")
    wait_text(s, "No problems: ready to write.")
    s.send_keys("Enter")
    screen = wait_text(s, "✓ Migration written")
    assert "v verify" in screen  # the footer offers it
    return s


def test_v_verifies_the_written_migration_step_by_step(tui, tui_binary, project):
    before = clusters()
    s = written(tui, tui_binary, project)
    s.send_keys("v")
    running = wait_text(s, "Verify:", timeout=30)
    assert "python: " in running
    screen = wait_text(s, "✓ verified", timeout=240)
    assert "[1/7] upgrade to parent 20260211_000017" in screen, screen  # each line ends "... ok (N s)", wrapped here
    assert "[7/7]" in screen, screen
    assert "FAILED" not in screen
    s.send_keys("C-c")
    assert s.wait_exit() == 0
    assert s.terminal_restored()
    assert clusters() == before
    assert leftovers() == []


def test_quitting_while_it_runs_still_removes_the_database(tui, tui_binary, project):
    before = clusters()
    s = written(tui, tui_binary, project)
    s.send_keys("v")
    wait_text(s, "[1/7]", timeout=60)  # the cluster is up, the history is running
    s.send_keys("C-c")
    assert s.wait_exit(timeout=120) == 0
    assert s.terminal_restored()
    deadline = time.monotonic() + 10
    while (clusters() != before or leftovers()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert clusters() == before
    assert leftovers() == []
