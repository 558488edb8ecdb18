"""Signals at every step of the wizard (issue 13 item 5): SIGINT, SIGTERM, SIGHUP stop it with
128+N; SIGTSTP then SIGCONT suspend and resume it; a storm of SIGWINCH (resizes) leaves it
drawing the step it was on. Each time the terminal is given back exactly as it was (`stty -g`
before and after are equal) and nothing is written to the project.

The steps are reached with the keys a person would press; the Review step by answering the
invoices flow (test_tui_flow.answer_invoices)."""

from __future__ import annotations

import os
import signal
import time

import pytest
from test_tui_flow import answer_invoices, wait_text
from tuiharness import expect_no_new_files, listing, start_args

pytestmark = pytest.mark.tui


def to_description(s) -> str:
    wait_text(s, "1. Description")
    s.send_text("add invoices")
    return "add invoices"


def to_operation(s) -> str:
    to_description(s)
    s.send_keys("Enter", "Enter")
    return wait_text(s, "2. Operation") and "2. Operation"


def to_table(s) -> str:
    to_operation(s)
    s.send_keys("Enter")
    wait_text(s, "3. Table")
    s.send_text("invoices")
    return "3. Table"


def to_columns(s) -> str:
    to_table(s)
    s.send_keys("Enter", "Enter", "Enter")
    wait_text(s, "4. Columns")
    return "4. Columns"


def to_help(s) -> str:
    to_table(s)
    s.send_keys("F1")
    time.sleep(0.3)
    return wait_text(s, "F1") and "F1"


def to_review(s) -> str:
    answer_invoices(s)
    return "8. Review"


STEPS = {
    "description": to_description,
    "operation": to_operation,
    "table": to_table,
    "columns": to_columns,
    "help": to_help,
    "review": to_review,
}


@pytest.mark.parametrize("step", list(STEPS))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=lambda s: s.name)
def test_a_stop_signal_at_each_step(tui, tui_binary, project, versions, step, sig):
    before = listing(project)
    session = tui(100, 30)
    session.start(start_args(tui_binary, versions), cwd=project)
    STEPS[step](session)
    session.kill(sig)
    assert session.wait_exit() == 128 + sig, session.screen()
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(before, project)


def _wait_file(path, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} was not written"
        time.sleep(0.05)
    time.sleep(0.1)
    return path.read_text().strip()


@pytest.mark.parametrize("step", list(STEPS))
def test_sigtstp_then_sigcont_at_each_step(tui, tui_binary, project, versions, step, tmp_path):
    """A SIGTSTP from outside (kill -TSTP) suspends: the terminal is given back as it was and the
    job stops; the shell's `fg` (SIGCONT) resumes it on the same step, repainted. Under a job-control
    shell, as a stop needs one (an orphaned process group ignores SIGTSTP)."""
    before = listing(project)
    session = tui(100, 30)
    session.start_shell(cwd=project)
    session.wait_until(lambda s: "vm$" in s, what="the shell prompt")
    state = tmp_path / "stty"
    state.mkdir()
    args = " ".join(start_args(tui_binary, versions))
    # Only the program after the stty: the shell runs the rest of a list when the job stops.
    session.send_text(f"stty -g > {state}/before; {args}")
    session.send_keys("Enter")
    session.program = str(tui_binary)
    marker = STEPS[step](session)
    painted = session.wait_for_content(quiet=0.4)
    os.kill(session.pid(), signal.SIGTSTP)
    session.wait_until(lambda s: s.rstrip().endswith("vm$"), what="the shell prompt after SIGTSTP")
    session.send_text(f"stty -g > {state}/stopped")
    session.send_keys("Enter")
    assert _wait_file(state / "stopped") == _wait_file(state / "before"), "the terminal is not restored while stopped"
    session.send_text("fg")
    session.send_keys("Enter")
    session.wait_for_screen(painted)
    assert marker in session.screen()
    session.kill(signal.SIGTERM)
    session.wait_until(lambda s: s.rstrip().endswith("vm$"), what="the shell prompt after SIGTERM")
    session.send_text(f"echo $? > {state}/code; stty -g > {state}/after")
    session.send_keys("Enter")
    assert _wait_file(state / "code") == str(128 + signal.SIGTERM), session.screen()
    assert _wait_file(state / "after") == _wait_file(state / "before")
    expect_no_new_files(before, project)


@pytest.mark.parametrize("step", list(STEPS))
def test_a_sigwinch_storm_at_each_step(tui, tui_binary, project, versions, step):
    """Forty resizes without a pause, then back to the first size: still on the same step, whole."""
    before = listing(project)
    session = tui(100, 30)
    session.start(start_args(tui_binary, versions), cwd=project)
    marker = STEPS[step](session)
    settled = session.wait_for_content(quiet=0.4)
    for i in range(40):
        session.resize(60 + (i * 37) % 140, 12 + (i * 11) % 40)
    pid = session.pid()
    for _ in range(200):  # and raw SIGWINCHes with no size change at all
        os.kill(pid, signal.SIGWINCH)
    session.resize(100, 30)
    session.wait_for_screen(settled)
    assert marker in session.screen()
    session.kill(signal.SIGTERM)
    assert session.wait_exit() == 128 + signal.SIGTERM, session.screen()
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(before, project)
