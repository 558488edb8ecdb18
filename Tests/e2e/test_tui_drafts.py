"""Drafts (issue 13 item 2): an unfinished session is kept under $XDG_STATE_HOME/vejamigrate,
never in the versions directory; the next start offers to resume it or start fresh; resuming and
writing gives the file an uninterrupted session writes (test_tui_flow proves that one equals
`vejamigrate new --spec`); the write clears the draft; a corrupt draft is set aside with a message.
The terminal is given back exactly (`stty -g` equal) every time."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest
from test_tui_flow import INVOICES_SPEC, NEW_FILE, answer_invoices, cli_file, wait_text
from tuiharness import listing, start_args

pytestmark = pytest.mark.tui


def draft_path(state: Path, versions: Path) -> Path:
    """Where the wizard keeps the draft: FNV-1a of the directory's real path (DraftStore)."""
    h = 0xCBF29CE484222325
    for b in os.path.realpath(versions).encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return state / "vejamigrate" / f"draft-{h:016x}.json"


def stop(session, how: str) -> None:
    if how == "ctrl-c":
        session.send_keys("C-c")
        wait_text(session, "kept as a draft")
        session.send_keys("y")
        assert session.wait_exit() == 130, session.screen()
    else:
        sig = getattr(signal, how)
        session.kill(sig)
        assert session.wait_exit() == 128 + sig, session.screen()
    assert session.terminal_restored(), session.stty()


def only_new_file(before: dict[str, bytes], versions: Path) -> None:
    """The versions directory gained the migration and nothing else (no draft, no temporary)."""
    after = listing(versions)
    assert sorted(set(after) - set(before)) == [NEW_FILE], sorted(after)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP", "ctrl-c"])
def test_stopped_resumed_and_written_is_the_uninterrupted_file(tui, tui_binary, project, versions, tmp_path, state_home, how):
    before = listing(versions)
    draft = draft_path(state_home, versions)
    first = tui(100, 30)
    first.start(start_args(tui_binary, versions), cwd=project)
    answer_invoices(first)
    stop(first, how)
    assert listing(versions) == before, "nothing written, no draft in the versions directory"
    assert draft.is_file(), sorted(p.name for p in state_home.rglob("*"))
    assert draft.stat().st_mode & 0o777 == 0o600
    saved = json.loads(draft.read_text())
    assert saved["format"] == 1 and saved["answers"]["current"]["table"]["name"] == "invoices"
    assert [p.name for p in draft.parent.iterdir()] == [draft.name], "no temporary left"

    second = tui(100, 30)
    second.start(start_args(tui_binary, versions), cwd=project)
    screen = wait_text(second, "r resume")
    assert "A draft from" in screen and "add invoices table, 1 operation" in screen
    second.send_keys("r")
    wait_text(second, "No problems: ready to write.")
    assert "8. Review" in second.screen()
    second.send_keys("Enter")
    wait_text(second, "✓ Migration written")
    assert not draft.exists(), "the write clears the draft"
    second.send_keys("Enter")
    assert second.wait_exit() == 0
    assert second.terminal_restored(), second.stty()
    assert not draft.exists()
    only_new_file(before, versions)
    assert (versions / NEW_FILE).read_bytes() == cli_file(tmp_path, INVOICES_SPEC)


def test_a_session_stopped_midway_resumes_on_its_step(tui, tui_binary, project, versions, state_home):
    draft = draft_path(state_home, versions)
    first = tui(100, 30)
    first.start(start_args(tui_binary, versions), cwd=project)
    wait_text(first, "1. Description")
    first.send_text("add invoices table")
    first.send_keys("Enter", "Enter")
    wait_text(first, "2. Operation")
    first.send_keys("Enter")
    wait_text(first, "3. Table")
    first.send_text("invoices")
    first.send_keys("Enter", "Enter", "Enter")
    wait_text(first, "4. Columns")
    first.send_keys("Enter")
    wait_text(first, "› column 2")
    first.send_text("project_id")
    wait_text(first, "→ projects.id CASCADE")
    first.send_keys("M-a")
    wait_text(first, "› column 3")
    # Saved within a second of the change, with no key and no signal: what a SIGKILL would leave.
    first.wait_until(lambda _: draft.is_file() and "project_id" in draft.read_text(), timeout=5, what="the draft saved")
    first.kill(signal.SIGKILL)
    first.wait_exit()

    second = tui(100, 30)
    second.start(start_args(tui_binary, versions), cwd=project)
    wait_text(second, "r resume")
    second.send_keys("r")
    screen = wait_text(second, "4. Columns")
    assert "project_id" in screen
    # Quit again without a change: the draft stays for the next start.
    second.send_keys("C-c")
    wait_text(second, "kept as a draft")
    second.send_keys("y")
    assert second.wait_exit() == 130
    assert second.terminal_restored(), second.stty()
    assert "project_id" in draft.read_text()


def test_start_fresh_discards_the_draft(tui, tui_binary, project, versions, state_home):
    draft = draft_path(state_home, versions)
    first = tui(100, 30)
    first.start(start_args(tui_binary, versions), cwd=project)
    wait_text(first, "1. Description")
    first.send_text("add billing records")
    wait_text(first, "add billing records")  # read by the wizard: keys still queued at a signal are the shell's
    stop(first, "SIGTERM")
    assert "add billing records" in draft.read_text()

    second = tui(100, 30)
    second.start(start_args(tui_binary, versions), cwd=project)
    wait_text(second, "r resume")
    second.send_keys("n")
    second.wait_until(lambda s: "r resume" not in s, what="the question gone")
    assert not draft.exists(), "start fresh removes the draft"
    assert "add billing records" not in second.screen()
    # Nothing typed: Ctrl-C quits at once, and keeps no draft.
    second.send_keys("C-c")
    assert second.wait_exit() == 130
    assert second.terminal_restored(), second.stty()
    assert not draft.exists()
    assert not any(state_home.rglob("draft-*"))


def test_an_empty_session_keeps_no_draft(tui, tui_binary, project, versions, state_home):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.kill(signal.SIGTERM)
    assert s.wait_exit() == 128 + signal.SIGTERM
    assert s.terminal_restored(), s.stty()
    assert not draft_path(state_home, versions).exists()


def test_a_corrupt_draft_is_set_aside_with_a_message(tui, tui_binary, project, versions, state_home):
    draft = draft_path(state_home, versions)
    draft.parent.mkdir(parents=True)
    draft.write_bytes(b'{"format": 1, "answers": "\xff\xfe')
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    screen = wait_text(s, "draft was not resumed")
    assert "r resume" not in screen
    assert not draft.exists()
    aside = [p.name for p in draft.parent.iterdir()]
    assert len(aside) == 1 and aside[0].startswith(draft.name + ".corrupt-"), aside
    # The wizard works as usual.
    s.send_text("add billing records")
    wait_text(s, "add billing records")
    s.send_keys("C-c")
    wait_text(s, "kept as a draft")
    s.send_keys("y")
    assert s.wait_exit() == 130
    assert s.terminal_restored(), s.stty()
    assert "add billing records" in draft.read_text()
