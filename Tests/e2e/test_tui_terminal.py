"""The wizard as a terminal program: it refuses what is not a terminal, and whatever stops it
(Ctrl-C, SIGTERM, SIGHUP, a crash) gives the terminal back as it found it and writes nothing.

These tests do not depend on what the wizard's screens say; the happy paths live elsewhere.
"""

from __future__ import annotations

import os
import pty
import re
import signal
import subprocess
import time

import pytest
from tuiharness import colour_codes, expect_no_new_files, listing, start_args

pytestmark = pytest.mark.tui

NOT_A_TERMINAL = "vejamigrate-tui needs a terminal; for scripts use `vejamigrate new --spec FILE`"
CTRL_C_EXIT = 130  # the model quits on Ctrl-C with 128 + SIGINT, like a shell


def run_plain(binary, args, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        [str(binary), *args], capture_output=True, text=True, timeout=30, env=env, check=False, **kwargs
    )


# -- without a terminal --------------------------------------------------------------------


def test_stdin_not_a_terminal_exits_2(tui_binary, project, versions):
    before = listing(project)
    result = run_plain(tui_binary, ["--versions-dir", str(versions)], stdin=subprocess.DEVNULL, cwd=project)
    assert result.returncode == 2, result
    assert result.stderr == NOT_A_TERMINAL + "\n"
    assert result.stdout == ""
    expect_no_new_files(before, project)


def test_stdout_not_a_terminal_exits_2(tui_binary, project, versions):
    primary, secondary = pty.openpty()
    try:
        result = run_plain(tui_binary, ["--versions-dir", str(versions)], stdin=secondary, cwd=project)
    finally:
        os.close(primary)
        os.close(secondary)
    assert result.returncode == 2, result
    assert result.stderr == NOT_A_TERMINAL + "\n"
    assert result.stdout == ""


def test_help_needs_no_terminal(tui_binary):
    result = run_plain(tui_binary, ["--help"], stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result
    for option in ("--versions-dir", "--date", "--no-color"):
        assert option in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["--frobnicate"], "--frobnicate"),
        (["--date", "2026-02-30"], "--date 2026-02-30 is not a real day"),
        (["--versions-dir"], "--versions-dir"),
    ],
)
def test_usage_errors_exit_2(tui_binary, args, message):
    result = run_plain(tui_binary, args, stdin=subprocess.DEVNULL)
    assert result.returncode == 2, result
    assert message in result.stderr


# -- stopping it ---------------------------------------------------------------------------


@pytest.mark.parametrize("locale", [{"LANG": "C.UTF-8"}, {"LC_ALL": "C"}], ids=["utf8", "C-locale"])
def test_ctrl_c_at_the_first_screen_writes_nothing_and_restores_the_terminal(
    tui, tui_binary, project, versions, locale
):
    before = listing(project)
    session = tui()
    session.start(start_args(tui_binary, versions), env=locale, cwd=project)
    session.wait_for_content()
    session.send_keys("C-c")
    assert session.wait_exit() == CTRL_C_EXIT, session.screen()
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(before, project)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_a_signal_stops_it_cleanly(tui, tui_binary, project, versions, sig):
    before = listing(project)
    session = tui()
    session.start(start_args(tui_binary, versions), cwd=project)
    session.wait_for_content()
    session.send_text("abc")  # some state in the model; still nothing may be written
    session.kill(sig)
    assert session.wait_exit(timeout=5) == 128 + sig, session.screen()
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(before, project)


@pytest.mark.parametrize("sig", [signal.SIGSEGV, signal.SIGABRT], ids=lambda s: s.name)
def test_a_crash_still_restores_the_terminal(tui, tui_binary, project, versions, sig):
    session = tui()
    session.start(start_args(tui_binary, versions), cwd=project)
    session.wait_for_content()
    session.kill(sig)
    # The shell reports death by signal N as 128 + N.
    assert session.wait_exit(timeout=30) == 128 + sig, session.screen()
    assert session.terminal_restored(), session.stty()


# -- resizing ------------------------------------------------------------------------------


def test_resizing_in_the_middle_does_not_crash(tui, tui_binary, project, versions):
    before = listing(project)
    session = tui(80, 24)
    session.start(start_args(tui_binary, versions), cwd=project)
    session.wait_for_content()
    # The first frame may come before the history is read (it is read in the background); the
    # screen to come back to is the one after, or a slow machine compares two different screens.
    first = session.wait_until(lambda s: "reading the history" not in s, what="the history read")
    for width, height in [(200, 50), (30, 10), (10, 3), (1, 1), (120, 40), (81, 25)]:
        session.resize(width, height)
        # tmux keeps the old cells on a resize, so the screen cannot tell whether the program repainted;
        # one input timeout (100 ms) and a little more lets it handle the resize before the next one.
        time.sleep(0.15)
        assert session.exit_code() is None, f"exited at {width}x{height}:\n{session.screen()}"
    # Quick resizes without waiting in between, then back where it started: the same first screen,
    # which after shrinking to 1x1 only a repaint can bring back.
    for width, height in [(60, 20), (100, 30), (70, 15)]:
        session.resize(width, height)
    session.resize(80, 24)
    session.wait_for_screen(first)
    assert session.exit_code() is None
    session.send_keys("C-c")
    assert session.wait_exit() == CTRL_C_EXIT, session.screen()
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(before, project)


@pytest.mark.parametrize("width, height", [(80, 24), (200, 50)])
def test_it_starts_and_quits_at_small_and_large_sizes(tui, tui_binary, project, versions, width, height):
    session = tui(width, height)
    session.start(start_args(tui_binary, versions), cwd=project)
    screen = session.wait_for_content()
    lines = screen.split("\n")
    assert len(lines) == height
    assert all(len(line) <= width for line in lines)
    session.send_keys("C-c")
    assert session.wait_exit() == CTRL_C_EXIT
    assert session.terminal_restored()


# -- colour --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "env, extra",
    [({"NO_COLOR": "1"}, []), ({}, ["--no-color"])],
    ids=["NO_COLOR", "--no-color"],
)
def test_no_color_means_no_colour_codes(tui, tui_binary, project, versions, env, extra):
    session = tui()
    session.start(start_args(tui_binary, versions, *extra), env=env, cwd=project)
    session.wait_for_content()
    escaped = session.screen(escapes=True)
    assert colour_codes(escaped) == [], escaped
    session.send_keys("C-c")
    assert session.wait_exit() == CTRL_C_EXIT


@pytest.mark.parametrize("env", [{}, {"NO_COLOR": ""}], ids=["default", "empty-NO_COLOR"])
def test_colour_by_default(tui, tui_binary, project, versions, env):
    """The control for the test above: the same capture does show colour when it is allowed."""
    session = tui()
    session.start(start_args(tui_binary, versions), env=env, cwd=project)
    session.wait_for_content()
    escaped = session.wait_until(lambda s: colour_codes(s) != [], escapes=True, timeout=5, what="a coloured cell")
    assert colour_codes(escaped)
    session.send_keys("C-c")
    assert session.wait_exit() == CTRL_C_EXIT


# -- suspending ----------------------------------------------------------------------------


def test_ctrl_z_suspends_and_fg_resumes(tui, tui_binary, project, versions, tmp_path):
    """Issue 7 item 10: Ctrl-Z gives the terminal back and stops; `fg` repaints; shell typing stays in the shell."""
    session = tui(100, 30)
    session.start_shell(cwd=project)
    session.wait_until(lambda s: "vm$" in s, what="the shell prompt")
    state = tmp_path / "stty"
    state.mkdir()
    args = " ".join(start_args(tui_binary, versions))
    session.send_text(f"stty -g > {state}/before; {args}")
    session.send_keys("Enter")
    session.wait_until(lambda s: "1. Description" in s, what="the wizard")
    session.send_text("abc")
    before = session.wait_until(lambda s: "20261125_000018_abc.py" in s, what="typed text in the preview")
    session.send_keys("C-z")
    session.wait_until(lambda s: s.rstrip().endswith("vm$"), what="the shell prompt after Ctrl-Z")
    session.send_text(f"stty -g > {state}/stopped")
    session.send_keys("Enter")
    session.send_text("echo zzqq typed at the shell")
    session.send_keys("Enter")
    # The output's line, not the command's: typed ahead of the prompt, it may follow `vm$ `.
    echoed = re.compile(r"^(vm\$ )?zzqq typed at the shell", re.MULTILINE)
    session.wait_until(lambda s: echoed.search(s) is not None, what="the shell's echo")
    assert (state / "stopped").read_text() == (state / "before").read_text(), "the terminal is restored while stopped"
    session.send_text("fg")
    session.send_keys("Enter")
    session.wait_for_screen(before)  # repainted whole, and nothing typed at the shell reached the form
    session.send_text("d")
    screen = session.wait_until(lambda s: "20261125_000018_abcd.py" in s, what="typing after fg")
    assert "zzqq" not in screen and "abcdfg" not in screen
    session.send_keys("C-c")
    session.wait_until(lambda s: "Quit without writing" in s)
    session.send_text("y")
    session.wait_until(lambda s: s.rstrip().endswith("vm$"), what="the shell prompt after quitting")
    session.send_text(f"stty -g > {state}/after")
    session.send_keys("Enter")
    deadline = time.monotonic() + 5
    while not (state / "after").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    assert (state / "after").read_text() == (state / "before").read_text()
