"""`make run`, the README's first command, around the wizard: quitting the wizard is the user's
choice, so make ends quietly (exit 0, no `Error 130`); a real failure of the wizard still fails make.

The suite runs after the build, so make is started with `-o build` (the build counts as done:
nothing is rebuilt) and `TUI_BIN=` the binary under test, on a copy of the example project in
the test's own temporary folder (`RUN_PROJECT=`): the repository and its .tmp/ are never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from tuiharness import EXAMPLE_VERSIONS, REPO, expect_no_new_files, listing

pytestmark = pytest.mark.tui

# The outer make's (when `make test` runs this suite) must not reach the make under test.
NO_OUTER_MAKE = {"MAKEFLAGS": None, "MAKELEVEL": None, "MFLAGS": None}


def make_run(tui_binary: Path, run_project: Path, target: str = "run") -> list[str]:
    return [
        "make",
        "-C",
        str(REPO),
        "--no-print-directory",
        "-o",
        "build",
        f"RUN_PROJECT={run_project}",
        f"TUI_BIN={tui_binary}",
        target,
    ]


def wizard_shown(screen: str) -> bool:
    return "description" in screen.lower()


@pytest.mark.parametrize(
    "typed, quit_keys",
    [("", ["C-c"]), ("add invoices", ["C-c", "y"])],
    ids=["ctrl-c", "typed-then-ctrl-c-and-confirm"],
)
def test_quitting_the_wizard_ends_make_run_quietly(tui, tui_binary, tmp_path, typed, quit_keys):
    run_project = tmp_path / "run" / "vejapro"
    example_before = listing(EXAMPLE_VERSIONS)
    session = tui(200, 30)  # wide enough that the project's path is not wrapped
    session.start(make_run(tui_binary, run_project), env=NO_OUTER_MAKE, cwd=tmp_path)
    session.wait_until(wizard_shown, what="the wizard's first screen")
    if typed:
        session.send_text(typed)
        session.wait_until(lambda s: typed in s, what="the typed description")
    session.send_keys(quit_keys[0])
    if len(quit_keys) > 1:
        session.wait_until(lambda s: "y quit" in s, what="the quit confirmation")
        session.send_keys(*quit_keys[1:])
    code = session.wait_exit()
    screen = session.screen()
    assert code == 0, screen
    assert "Error" not in screen, screen
    assert "nothing was written" in screen.lower(), screen
    assert str(run_project) in screen, screen
    assert session.terminal_restored(), session.stty()
    # The copy was made where the test said, and the wizard wrote nothing into it or the example.
    expect_no_new_files(listing(EXAMPLE_VERSIONS), run_project / "backend" / "app" / "migrations" / "versions")
    expect_no_new_files(example_before, EXAMPLE_VERSIONS)


def test_a_real_failure_still_fails_make_run(tui_binary, tmp_path):
    """Without a terminal the wizard exits 2: make must report that, not swallow it."""
    run_project = tmp_path / "run" / "vejapro"
    env = {k: v for k, v in os.environ.items() if k not in NO_OUTER_MAKE}
    result = subprocess.run(
        make_run(tui_binary, run_project),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    assert result.returncode != 0, result
    assert "needs a terminal" in result.stderr, result
    assert "Error 2" in result.stderr, result
    assert "nothing was written" not in result.stdout.lower(), result


def test_make_run_reset_starts_over_and_opens_the_wizard(tui, tui_binary, tmp_path):
    """`make run-reset` (README: "starts over") deletes what was written in the copy, makes a fresh
    copy of the example and opens the wizard on it, as `make run` does."""
    run_project = tmp_path / "run" / "vejapro"
    versions = run_project / "backend" / "app" / "migrations" / "versions"
    run_project.parent.mkdir(parents=True)
    shutil.copytree(REPO / "examples" / "vejapro", run_project)
    written = versions / "20991231_0000_written_before.py"
    written.write_text("# a migration the user wrote in the old copy\n")
    session = tui(200, 30)
    session.start(make_run(tui_binary, run_project, "run-reset"), env=NO_OUTER_MAKE, cwd=tmp_path)
    session.wait_until(wizard_shown, what="the wizard's first screen after the reset")
    assert not written.exists(), "run-reset kept what was written in the old copy"
    session.send_keys("C-c")
    code = session.wait_exit()
    screen = session.screen()
    assert code == 0, screen
    assert "nothing was written" in screen.lower(), screen
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(listing(EXAMPLE_VERSIONS), versions)
