"""Terminal types (issue 13 item 6): a terminal that cannot address the cursor gets one clear
refusal (exit 2, pointing to `vejamigrate new`), the terminal untouched; the Linux console,
xterm (8 colours), xterm-256color and vt100 (no colour) each draw the same text, with the colours
their depth allows (Sources/VejaMigrateWizard/Palette.swift; golden screens per depth in
Tests/VejaMigrateWizardTests/Golden/palette-*.txt).

TERM is set for the program alone (`env TERM=...`): tmux's own TERM stays, so the pane still
parses what the program sends."""

from __future__ import annotations

import re

import pytest
from tuiharness import colour_codes, expect_no_new_files, listing, start_args

pytestmark = pytest.mark.tui

REFUSAL = re.compile(
    r"vejamigrate-tui cannot use this terminal: (?P<reason>[^;]+); run it in one that can move the cursor "
    r"\(e\.g\. TERM=xterm-256color\), or for scripts use `vejamigrate new --spec FILE`"
)
CTRL_C_EXIT = 130


def _env_prefix(term: str | None) -> list[str]:
    return ["env", "-u", "TERM"] if term is None else ["env", f"TERM={term}"]


@pytest.mark.parametrize(
    "term, reason",
    [
        ("dumb", "TERM=dumb cannot move the cursor"),
        ("no-such-terminal", "TERM=no-such-terminal has no terminfo entry here"),
        (None, "TERM is not set"),
    ],
    ids=["dumb", "unknown", "unset"],
)
def test_a_terminal_that_cannot_address_the_cursor_is_refused(tui, tui_binary, project, versions, term, reason):
    before = listing(project)
    session = tui(240, 12)  # the message on one line
    session.start([*_env_prefix(term), *start_args(tui_binary, versions)], cwd=project)
    assert session.wait_exit() == 2, session.screen()
    screen = session.screen()
    match = REFUSAL.search(screen)
    assert match, screen
    assert match.group("reason") == reason
    assert session.terminal_restored(), session.stty()
    expect_no_new_files(before, project)


def test_no_terminfo_database_at_all_is_the_same_refusal(tui, tui_binary, project, versions, tmp_path):
    """TERMINFO and TERMINFO_DIRS pointing at an empty folder, and an entry the system has no file for."""
    empty = tmp_path / "empty-terminfo"
    empty.mkdir()
    session = tui(240, 12)
    argv = ["env", f"TERMINFO={empty}", f"TERMINFO_DIRS={empty}", "TERM=vejamigrate-test-terminal"]
    session.start([*argv, *start_args(tui_binary, versions)], cwd=project)
    assert session.wait_exit() == 2, session.screen()
    assert (
        REFUSAL.search(session.screen()).group("reason") == "TERM=vejamigrate-test-terminal has no terminfo entry here"
    )
    assert session.terminal_restored(), session.stty()


def _first_screen(tui, tui_binary, project, versions, term: str) -> tuple[str, str]:
    session = tui()
    session.start([*_env_prefix(term), *start_args(tui_binary, versions)], cwd=project)
    # The background history read: wait for the heading that says where the new file goes.
    text = session.wait_until(lambda s: "Description" in s and "20261125_000018" in s, what="the first step")
    text = session.wait_for_content()
    escaped = session.screen(escapes=True)
    session.send_keys("C-c")
    assert session.wait_exit() == CTRL_C_EXIT, session.screen()
    assert session.terminal_restored(), session.stty()
    return text, escaped


def _colour_numbers(codes: list[str]) -> set[int]:
    numbers = set()
    for code in codes:
        params = [int(p) for p in re.split(r"[;:]", code[2:-1]) if p]
        i = 0
        while i < len(params):
            if params[i] in (38, 48) and i + 2 < len(params) and params[i + 1] == 5:
                numbers.add(params[i + 2])
                i += 3
                continue
            if 30 <= params[i] <= 37:
                numbers.add(params[i] - 30)
            elif 90 <= params[i] <= 97:
                numbers.add(params[i] - 90 + 8)
            i += 1
    return numbers


@pytest.mark.parametrize(
    "term, expected",
    [
        ("linux", "eight"),
        ("xterm", "eight"),
        ("xterm-256color", "many"),
        ("vt100", "monochrome"),
    ],
)
def test_each_terminal_type_draws_the_same_text_in_its_colours(tui, tui_binary, project, versions, term, expected):
    reference, _ = _first_screen(tui, tui_binary, project, versions, "xterm-256color")
    text, escaped = _first_screen(tui, tui_binary, project, versions, term)
    assert text == reference, f"TERM={term} drew different text:\n{text}\n--- xterm-256color:\n{reference}"
    numbers = _colour_numbers(colour_codes(escaped))
    if expected == "monochrome":
        assert numbers == set(), escaped
    elif expected == "eight":
        assert numbers and max(numbers) <= 7, numbers
    else:
        assert 8 in numbers, numbers  # secondary text in bright black
