"""Issue 9: the wizard's operations on existing tables, typed in a real terminal under tmux.

Each migration is written by the wizard, its answers saved as a spec from the done screen, and
the file is byte-equal to `vejamigrate new --spec SAVED.json --dry-run` on the same history; it
then applies with real Alembic on PostgreSQL (upgrade, downgrade, upgrade) and on SQLite.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from tuiharness import REPO, copy_project

sys.path.insert(0, str(REPO / "Tests" / "integration"))
from alembic_run import AlembicRunner, write_script_location  # noqa: E402
from pgserver import PostgresServer  # noqa: E402

pytestmark = pytest.mark.tui

CLI = REPO / ".build" / "debug" / "vejamigrate"
DATE = "2026-11-25"


def cli_binary() -> Path:
    import os

    return Path(os.environ.get("VEJAMIGRATE_BIN", CLI))


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def wait_text(session, text: str, timeout: float = 15) -> str:
    return session.wait_until(lambda s: text in s, timeout=timeout, what=repr(text))


def shown_operation(screen: str) -> str | None:
    match = re.search(r"‹ (.+?) ›", screen)  # the choice (its label may wrap onto a line above)
    return match.group(1) if match else None


def choose_operation(s, title: str) -> None:
    """On the operation step: → until the operation shows, then Enter. Each → waits for the
    choice to change, so a slow repaint never makes it press again and pass the operation."""
    for _ in range(12):
        shown = shown_operation(s.screen())
        if shown == title:
            break
        s.send_keys("Right")
        s.wait_until(lambda screen, shown=shown: shown_operation(screen) != shown, what="the next operation")
    wait_text(s, f"‹ {title} ›")
    s.send_keys("Enter")


def start(tui, tui_binary, project, description: str):
    s = tui(100, 30)
    s.start([str(tui_binary), "--date", DATE], cwd=project)
    wait_text(s, "1. Description")
    s.send_text(description)
    s.send_keys("Enter", "Enter")
    wait_text(s, "2. Operation")
    return s


def add_archived_at(s) -> None:
    """Add columns: projects chosen by completing `proj`, then archived_at datetime."""
    choose_operation(s, "Add columns")
    wait_text(s, "3. Table")
    s.send_text("proj")
    wait_text(s, "project_members")  # the hint lists the close tables
    s.send_keys("Tab")  # completes as far as projects and project_members agree
    wait_text(s, "Tables: project_members, projects")
    s.send_text("s")
    s.send_keys("Enter")
    wait_text(s, "4. Columns")
    s.send_keys("Enter")  # + Add column
    wait_text(s, "› column 1")
    s.send_text("archived_at")
    wait_text(s, "‹ datetime ›")  # the name suggests it
    s.send_keys("Escape")
    wait_text(s, "archived_at  datetime")


def add_blocked_status(s) -> None:
    """alter_enum on tasks.status: the history's four values, then BLOCKED."""
    choose_operation(s, "Add or remove enum values")
    wait_text(s, "Add or remove enum values")
    s.send_text("tasks")
    s.send_keys("Enter")
    s.send_text("status")
    s.send_keys("Enter")
    wait_text(s, "Value 4")
    s.send_keys("Tab", "Tab", "Tab", "Tab", "Enter")  # values 2 to 4, + Add value
    wait_text(s, "Value 5")
    s.send_text("BLOCKED")


def write_and_save_spec(s, project: Path, slug: str) -> tuple[Path, Path]:
    """F10, Write, then save the answers as `<slug>.json`; returns the file and the spec."""
    s.send_keys("F10")
    wait_text(s, "No problems: ready to write.")
    s.send_keys("Enter")
    wait_text(s, "✓ Migration written")
    s.send_keys("BTab", "BTab", "Enter")  # Save the answers as a spec file (named after the slug)
    wait_text(s, "✓ Saved")
    s.send_keys("C-c")
    assert s.wait_exit() == 0
    (written,) = (project / "backend/app/migrations/versions").glob(f"*_000018_{slug}.py")
    return written, project / f"{slug}.json"


def assert_cli_writes_the_same(tmp_path: Path, written: Path, spec: Path) -> None:
    fresh = tmp_path / "cli-proj"
    copy_project(fresh)
    result = subprocess.run(
        [str(cli_binary()), "new", "--spec", str(spec), "--dry-run", "--date", DATE],
        cwd=fresh,
        capture_output=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result
    assert result.stdout == written.read_bytes()


def apply_everywhere(tmp_path: Path, versions: Path, postgres, check_up=None, check_down=None) -> None:
    script = write_script_location(tmp_path / "alembic")
    db = postgres.create_database()
    runner = AlembicRunner(versions, postgres.url(db), script)
    runner.upgrade("head")
    if check_up:
        with postgres.connect(db) as conn:
            check_up(conn)
    runner.downgrade("-1")
    if check_down:
        with postgres.connect(db) as conn:
            check_down(conn)
    runner.upgrade("head")
    lite = AlembicRunner(versions, f"sqlite:///{tmp_path / 'lite.db'}", script)
    lite.upgrade("head")
    lite.downgrade("-1")
    lite.upgrade("head")


def columns_of(conn, table: str) -> set[str]:
    return {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s", (table,))}


def check_of(conn, name: str) -> str:
    return conn.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = %s", (name,)).fetchone()[0]


def test_add_a_column_to_a_table_chosen_by_autocomplete(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "add archived at to projects")
    add_archived_at(s)
    written, spec = write_and_save_spec(s, project, "add_archived_at_to_projects")
    assert '"add_columns"' in spec.read_text()
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: assert_in("archived_at", columns_of(c, "projects")),
        check_down=lambda c: assert_not_in("archived_at", columns_of(c, "projects")),
    )


def test_add_a_status_value(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "add blocked task status")
    add_blocked_status(s)
    written, spec = write_and_save_spec(s, project, "add_blocked_task_status")
    assert '"alter_enum"' in spec.read_text()
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: assert_in("BLOCKED", check_of(c, "chk_tasks_status")),
        check_down=lambda c: assert_not_in("BLOCKED", check_of(c, "chk_tasks_status")),
    )


def test_drop_a_column_shows_what_the_downgrade_restores(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "drop task position")
    choose_operation(s, "Drop columns")
    s.send_text("tasks")
    s.send_keys("Enter")
    s.send_text("position")
    screen = wait_text(s, "The downgrade puts back")
    # The form (left of the divider), its wrapped rows joined.
    form = "".join("".join(line.split("│")[0].split()) for line in screen.split("\n"))
    assert "positionINTEGERNOTNULLDEFAULT0" in form, screen
    assert "idx_tasks_project_id_position" in form, screen
    written, spec = write_and_save_spec(s, project, "drop_task_position")
    assert '"drop_columns"' in spec.read_text()
    assert_cli_writes_the_same(tmp_path, written, spec)

    def indexes(c):
        return {r[0] for r in c.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'tasks'")}

    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: assert_not_in("position", columns_of(c, "tasks")),
        check_down=lambda c: (assert_in("position", columns_of(c, "tasks")), assert_in("idx_tasks_project_id_position", indexes(c))),
    )


def test_two_operations_in_one_migration(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "archive projects and block tasks")
    add_archived_at(s)
    s.send_keys("F10")
    wait_text(s, "No problems: ready to write.")
    s.send_keys("Tab", "Enter")  # + Add another operation
    wait_text(s, "2. Operation")
    add_blocked_status(s)
    s.send_keys("F10")
    screen = wait_text(s, "2. alter_enum tasks.status")
    assert "1.add_columnsprojects(archived_at)" in form_of(screen), screen
    written, spec = write_and_save_spec(s, project, "archive_projects_and_block_tasks")
    assert '"operations"' in spec.read_text()
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: (assert_in("archived_at", columns_of(c, "projects")), assert_in("BLOCKED", check_of(c, "chk_tasks_status"))),
        check_down=lambda c: (assert_not_in("archived_at", columns_of(c, "projects")), assert_not_in("BLOCKED", check_of(c, "chk_tasks_status"))),
    )


def form_of(screen: str) -> str:
    """The form (left of the divider), its wrapped rows joined, without spaces."""
    return "".join("".join(line.split("│")[0].split()) for line in screen.split("\n"))


def focus_write(s) -> None:
    """On Review: Tab until Write migration has the focus (its hint is on the status line)."""
    for _ in range(12):
        if "Enter writes the file." in s.screen():
            return
        s.send_keys("Tab")
        s.wait_for_content()
    wait_text(s, "Enter writes the file.")


def remove_in_review(s) -> None:
    """alter_enum on tasks.status with IN_REVIEW emptied (removed), its rows given no new value yet."""
    choose_operation(s, "Add or remove enum values")
    s.send_text("tasks")
    s.send_keys("Enter")
    s.send_text("status")
    s.send_keys("Enter")
    wait_text(s, "Value 4")
    s.send_keys("Tab", "Tab")  # value 3, IN_REVIEW
    wait_text(s, "Edit the value")
    s.send_keys("C-u")
    wait_text(s, "Rows with IN_REVIEW become")


def index_tasks_status(s) -> None:
    """create_index on tasks (status)."""
    choose_operation(s, "Create an index")
    s.send_text("tasks")
    s.send_keys("Enter")
    s.send_text("status")
    wait_text(s, "Lock-safe on PostgreSQL")


def check_budget(s) -> None:
    """add_check on projects.budget: budget >= 0."""
    choose_operation(s, "Add a CHECK")
    s.send_text("projects")
    s.send_keys("Enter")
    s.send_text("budget")
    s.send_keys("Enter", "Enter")
    s.send_text("budget >= 0")
    wait_text(s, "budget >= 0")


def add_another_operation(s) -> None:
    """From any step: F10, then + Add another operation."""
    s.send_keys("F10")
    wait_text(s, "+ Add another operation")
    for _ in range(12):
        if "Keeps this operation and chooses another" in s.screen():
            break
        s.send_keys("Tab")
        s.wait_for_content()
    s.send_keys("Enter")
    wait_text(s, "2. Operation")


def indexes_of(conn, table: str) -> set[str]:
    return {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", (table,))}


def constraints_of(conn, table: str) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", (table,)
        )
    }


def test_reopen_a_problem_of_an_earlier_operation_from_review(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "retire in review and archive projects")
    remove_in_review(s)
    add_another_operation(s)
    add_archived_at(s)
    s.send_keys("F10")
    # Operation 1's problem, listed on Review and focused; Enter opens operation 1 at its field.
    wait_text(s, "Operation 1: rows of tasks")
    s.send_keys("Enter")
    wait_text(s, "Operation 1 of 2")
    wait_text(s, "Values: TODO, IN_PROGRESS, DONE.")  # the hint of Rows with IN_REVIEW become
    s.send_text("IN_PROGRESS")
    s.send_keys("F10")
    screen = wait_text(s, "No problems: ready to write.")
    assert "1. alter_enum tasks.status" in screen, screen
    assert "2. add_columns projects" in screen, screen
    focus_write(s)
    written, spec = write_and_save_spec(s, project, "retire_in_review_and_archive_projects")
    saved = spec.read_text()
    assert '"IN_REVIEW" : "IN_PROGRESS"' in saved, saved
    assert saved.index('"alter_enum"') < saved.index('"add_columns"'), saved
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: (assert_not_in("IN_REVIEW", check_of(c, "chk_tasks_status")), assert_in("archived_at", columns_of(c, "projects"))),
        check_down=lambda c: (assert_in("IN_REVIEW", check_of(c, "chk_tasks_status")), assert_not_in("archived_at", columns_of(c, "projects"))),
    )


def test_remove_and_move_operations_on_review(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "archive projects and block tasks")
    add_archived_at(s)
    add_another_operation(s)
    index_tasks_status(s)
    add_another_operation(s)
    add_blocked_status(s)
    s.send_keys("F10")
    wait_text(s, "3. alter_enum tasks.status")
    # From Write, up past the lock-safe toggle and row 3 to row 2.
    s.send_keys("BTab", "BTab", "BTab")
    wait_text(s, "Enter opens operation 2")
    s.send_keys("d")
    wait_text(s, "Remove operation 2 (create_index tasks (status))")
    s.send_keys("y")
    screen = wait_text(s, "2. alter_enum tasks.status")
    assert "create_index" not in screen, screen
    # The focus is on the row that took its place; [ moves it up, before add_columns.
    wait_text(s, "Enter opens operation 2")
    s.send_keys("[")
    wait_text(s, "1. alter_enum tasks.status")
    focus_write(s)
    written, spec = write_and_save_spec(s, project, "archive_projects_and_block_tasks")
    saved = spec.read_text()
    assert '"create_index"' not in saved, saved
    assert saved.index('"alter_enum"') < saved.index('"add_columns"'), saved
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: (
            assert_in("archived_at", columns_of(c, "projects")),
            assert_in("BLOCKED", check_of(c, "chk_tasks_status")),
            assert_not_in("idx_tasks_status", indexes_of(c, "tasks")),
        ),
        check_down=lambda c: (assert_not_in("archived_at", columns_of(c, "projects")), assert_not_in("BLOCKED", check_of(c, "chk_tasks_status"))),
    )


def test_safe_off_for_the_whole_migration(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "index task status and check budget")
    index_tasks_status(s)
    add_another_operation(s)
    check_budget(s)
    s.send_keys("F10")
    wait_text(s, "[x] Lock-safe on PostgreSQL")
    s.send_keys("BTab")  # from Write to the toggle
    wait_text(s, "Space toggles, for every operation.")
    s.send_keys("Space")
    wait_text(s, "[ ] Lock-safe on PostgreSQL")
    focus_write(s)
    written, spec = write_and_save_spec(s, project, "index_task_status_and_check_budget")
    assert '"safe" : false' in spec.read_text()
    text = written.read_text()
    for safe_form in ("autocommit_block", "postgresql_concurrently", "postgresql_not_valid", "VALIDATE CONSTRAINT"):
        assert safe_form not in text, (safe_form, text)
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: (assert_in("idx_tasks_status", indexes_of(c, "tasks")), assert_in("chk_projects_budget", constraints_of(c, "projects"))),
        check_down=lambda c: (assert_not_in("idx_tasks_status", indexes_of(c, "tasks")), assert_not_in("chk_projects_budget", constraints_of(c, "projects"))),
    )


def test_safe_off_for_one_operation(tui, tui_binary, project, versions, tmp_path, postgres):
    s = start(tui, tui_binary, project, "index task status and check budget")
    index_tasks_status(s)
    s.send_keys("Tab", "Tab", "Tab")  # unique, where, the operation's lock-safe toggle
    wait_text(s, "Off writes this operation's plain forms")
    s.send_keys("Space")
    wait_text(s, "[ ] Lock-safe on PostgreSQL")
    add_another_operation(s)
    check_budget(s)
    s.send_keys("F10")
    wait_text(s, "No problems: ready to write.")
    focus_write(s)
    written, spec = write_and_save_spec(s, project, "index_task_status_and_check_budget")
    saved = spec.read_text()
    assert saved.count('"safe" : false') == 1, saved
    text = written.read_text()
    assert "postgresql_concurrently" not in text, text
    assert "postgresql_not_valid=True" in text, text  # the CHECK keeps its lock-safe form
    assert_cli_writes_the_same(tmp_path, written, spec)
    apply_everywhere(
        tmp_path, versions, postgres,
        check_up=lambda c: (assert_in("idx_tasks_status", indexes_of(c, "tasks")), assert_in("chk_projects_budget", constraints_of(c, "projects"))),
        check_down=lambda c: (assert_not_in("idx_tasks_status", indexes_of(c, "tasks")), assert_not_in("chk_projects_budget", constraints_of(c, "projects"))),
    )


def assert_in(item, container) -> None:
    assert item in container, (item, container)


def assert_not_in(item, container) -> None:
    assert item not in container, (item, container)
