"""The wizard finds the history as `vejamigrate` does (-c, alembic.ini) and says in its header
which configuration file it followed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.tui


def test_header_names_the_config_given_with_c(tui, tui_binary, project):
    (project / "backend" / "alembic.ini").write_text("[alembic]\nscript_location = %(here)s/app/migrations\n")
    s = tui(100, 30)
    s.start([str(tui_binary), "--date", "2026-11-25", "-c", "backend/alembic.ini"], cwd=project)
    screen = s.wait_until(lambda text: "1. Description" in text, timeout=15, what="the first step")
    header = screen.split("\n")[0]
    assert "backend/app/migrations/versions (backend/alembic.ini)" in header, screen
    s.send_keys("C-c")
    assert s.wait_exit() == 130


def test_a_package_resource_stops_before_the_terminal_is_taken(tui, tui_binary, project):
    (project / "alembic.ini").write_text("[alembic]\nscript_location = myapp:migrations\n")
    s = tui(100, 30)
    s.start([str(tui_binary), "--date", "2026-11-25"], cwd=project)
    assert s.wait_exit() == 2
    assert "alembic.ini:2: [alembic] script_location" in s.screen().replace("\n", "")
