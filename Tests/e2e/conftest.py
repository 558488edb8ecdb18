"""Fixtures for the end-to-end suite: the built wizard, a scratch project, and tmux sessions to run it in."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

sys.dont_write_bytecode = True  # keep __pycache__ out of the scratch histories and the tree

from tuiharness import TuiSession, copy_project, require_binary


def pytest_configure(config):
    # The history cache (docs/schema.md) in a folder of this run's, not the user's ~/.cache.
    if not os.environ.get("VEJAMIGRATE_CACHE_DIR"):
        os.environ["VEJAMIGRATE_CACHE_DIR"] = tempfile.mkdtemp(prefix="vejamigrate-cache-")
    # Registered here too, so the marker is known when this folder runs together with Tests/integration.
    config.addinivalue_line("markers", "tui: drives the built vejamigrate-tui under tmux")


@pytest.fixture(autouse=True)
def state_home(tmp_path, monkeypatch) -> Path:
    """The wizard's drafts (docs/wizard.md, "Drafts") in a folder of this test's, not ~/.local/state."""
    state = tmp_path / "state"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    return state


@pytest.fixture(scope="session")
def tui_binary() -> Path:
    return require_binary()


@pytest.fixture
def project(tmp_path) -> Path:
    """A scratch copy of the example project; the wizard runs in it."""
    root = tmp_path / "proj"
    copy_project(root)
    return root


@pytest.fixture
def versions(project) -> Path:
    return project / "backend" / "app" / "migrations" / "versions"


@pytest.fixture
def tui(tmp_path) -> Iterator[Callable[..., TuiSession]]:
    """Makes tmux sessions (`tui(width, height)`); every one is killed at teardown."""
    sessions: list[TuiSession] = []

    def make(width: int = 80, height: int = 24) -> TuiSession:
        session = TuiSession(tmp_path / f"tmux{len(sessions)}", width, height)
        sessions.append(session)
        return session

    yield make
    for session in sessions:
        session.close()
