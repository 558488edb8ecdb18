"""The wizard used like a person would: typed answers in a real terminal under tmux.

The happy path writes a file byte-equal to what `vejamigrate new --spec` writes for the same
answers, and that file applies with real Alembic on PostgreSQL and SQLite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tuiharness import REPO, copy_project, expect_no_new_files, listing, start_args

sys.path.insert(0, str(REPO / "Tests" / "integration"))
from alembic_run import AlembicRunner, write_script_location  # noqa: E402
from pgserver import PostgresServer  # noqa: E402

pytestmark = pytest.mark.tui

CLI = REPO / ".build" / "debug" / "vejamigrate"
NEW_FILE = "20261125_000018_add_invoices_table.py"

# The spec a person would write by hand for the answers typed in `answer_invoices`.
INVOICES_SPEC = {
    "description": "add invoices table",
    "create_table": {
        "name": "invoices",
        "timestamps": True,
        "columns": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {
                "name": "project_id",
                "type": "uuid",
                "nullable": False,
                "foreign_key": {"table": "projects", "column": "id", "ondelete": "CASCADE"},
            },
            {
                "name": "status",
                "type": "string",
                "length": 32,
                "nullable": False,
                "enum": ["DRAFT", "SENT", "PAID", "VOID"],
                "default": "DRAFT",
            },
            {"name": "amount", "type": "numeric", "precision": 12, "scale": 2, "nullable": False},
        ],
        "indexes": [{"columns": ["status", "created_at"]}],
    },
}


def cli_binary() -> Path:
    import os

    return Path(os.environ.get("VEJAMIGRATE_BIN", CLI))


def wait_text(session, text: str, timeout: float = 15) -> str:
    return session.wait_until(lambda s: text in s, timeout=timeout, what=repr(text))


def answer_invoices(s) -> None:
    """Types the invoices answers, waiting at each step like a person reading the screen."""
    wait_text(s, "1. Description")
    s.send_text("add invoices table")
    s.send_keys("Enter", "Enter")
    wait_text(s, "2. Operation")
    s.send_keys("Enter")
    wait_text(s, "3. Table")
    s.send_text("invoices")
    s.send_keys("Enter", "Enter", "Enter")
    wait_text(s, "4. Columns")
    s.send_keys("Enter")  # the empty column line: + Add column
    wait_text(s, "› column 2")
    s.send_text("project_id")  # the name suggests uuid, NOT NULL and the foreign key, from the history
    wait_text(s, "→ projects.id CASCADE")
    s.send_keys("M-a")  # the next column
    wait_text(s, "› column 3")
    s.send_text("status")  # string(32), NOT NULL; Enter asks for the values, the first is the default
    s.send_keys("Enter")
    s.send_text("DRAFT, SENT, PAID, VOID")
    s.send_keys("Escape")
    wait_text(s, "status  string(32)  NOT NULL")
    s.send_text("a")
    wait_text(s, "› column 4")
    s.send_text("amount")  # numeric(12,2) from the name; NOT NULL from Alt-n
    s.send_keys("M-n", "Escape")
    wait_text(s, "amount  numeric(12,2)  NOT NULL")
    s.send_keys("Tab", "Tab", "Enter")  # + Add column, Continue
    wait_text(s, "5. Enum values")
    s.send_keys("Enter", "Enter")  # the values and the default as given
    wait_text(s, "6. Foreign keys")
    wait_text(s, "→ projects.id CASCADE")  # set where the column is; this step shows them all
    s.send_keys("Enter")
    screen = wait_text(s, "references:")
    assert "Tables: " in screen  # the history's tables are offered
    s.send_keys("Escape")
    wait_text(s, "6. Foreign keys")
    s.send_keys("Tab", "Tab", "Tab", "Enter")  # status, amount rows, Continue
    wait_text(s, "7. Indexes")
    s.send_keys("Enter")  # + Add index
    s.send_text("status, created_at")
    s.send_keys("Enter", "Tab", "Tab", "Enter")
    wait_text(s, "8. Review")


def cli_file(tmp_path: Path, spec: dict) -> bytes:
    """What `vejamigrate new --spec` writes for the same answers, on a fresh copy of the project."""
    project = tmp_path / "cli-proj"
    copy_project(project)
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec))
    result = subprocess.run(
        [str(cli_binary()), "new", "--spec", str(spec_path), "--date", "2026-11-25"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result
    return (project / "backend/app/migrations/versions" / NEW_FILE).read_bytes()


@pytest.fixture(scope="module")
def postgres():
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_happy_path_writes_what_the_cli_writes_and_it_applies(tui, tui_binary, project, versions, tmp_path, postgres):
    s = tui(100, 30)
    s.start([str(tui_binary), "--date", "2026-11-25"], cwd=project)  # finds the versions directory itself
    answer_invoices(s)
    screen = wait_text(s, "No problems: ready to write.")
    assert NEW_FILE in screen
    assert "Revises: 20260211_000017" in screen
    s.send_keys("Enter")
    screen = wait_text(s, "✓ Migration written")
    # The reminders wrap in the left pane (the written file is on the right): read that pane's rows joined.
    left = " ".join(line.split("│")[0].strip() for line in screen.split("\n"))
    assert "Run `/test` to verify the migration applies cleanly against SQLite test DB." in " ".join(left.split())
    s.send_keys("Enter")
    assert s.wait_exit() == 0
    assert s.terminal_restored()
    after = s.screen().replace("\n", "")  # the shell wraps long lines at the pane's width
    assert f"Deploy to server with `/deploy backend/app/migrations/versions/{NEW_FILE}`." in after

    written = (versions / NEW_FILE).read_bytes()
    assert written == cli_file(tmp_path, INVOICES_SPEC)

    # Real Alembic on PostgreSQL: up, the constraints hold, down, up again.
    script = write_script_location(tmp_path / "alembic")
    db = postgres.create_database()
    runner = AlembicRunner(versions, postgres.url(db), script)
    runner.upgrade("head")
    with postgres.connect(db) as conn:
        owner = conn.execute("INSERT INTO users (email, full_name) VALUES ('a@b.c', 'A') RETURNING id").fetchone()
        project_id = conn.execute(
            "INSERT INTO projects (name, owner_id) VALUES ('P', %s) RETURNING id", (owner[0],)
        ).fetchone()[0]
        row = conn.execute(
            "INSERT INTO invoices (project_id, amount) VALUES (%s, 12.50) RETURNING status, created_at", (project_id,)
        ).fetchone()
        assert row[0] == "DRAFT" and row[1] is not None
        with pytest.raises(Exception, match="chk_invoices_status"):
            conn.execute("INSERT INTO invoices (project_id, amount, status) VALUES (%s, 1, 'LOST')", (project_id,))
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'invoices'")}
        assert {"idx_invoices_project_id", "idx_invoices_status_created_at"} <= indexes
    runner.downgrade("-1")
    runner.upgrade("head")
    # And SQLite: up, down, up.
    lite = AlembicRunner(versions, f"sqlite:///{tmp_path / 'lite.db'}", script)
    lite.upgrade("head")
    lite.downgrade("-1")
    lite.upgrade("head")


def test_going_back_and_editing_keeps_answers(tui, tui_binary, project, versions, tmp_path):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    answer_invoices(s)
    # Back to the table step (one Escape at a time, as a person would), rename the table.
    for title in ("7. Indexes", "6. Foreign keys", "5. Enum values", "4. Columns", "3. Table"):
        s.send_keys("Escape")
        wait_text(s, title)
    s.send_keys("End")
    s.send_text("_v2")
    s.send_keys("F10")
    screen = wait_text(s, "8. Review")
    assert "No problems" in screen
    s.send_keys("Enter")
    wait_text(s, "✓ Migration written")
    s.send_keys("Enter")
    assert s.wait_exit() == 0
    spec = json.loads(json.dumps(INVOICES_SPEC))
    spec["create_table"]["name"] = "invoices_v2"
    assert (versions / NEW_FILE).read_bytes() == cli_file(tmp_path, spec)


def test_a_validation_error_blocks_the_write(tui, tui_binary, project, versions):
    before = listing(project)
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add bad table")
    s.send_keys("Enter", "Enter", "Enter")
    wait_text(s, "3. Table")
    s.send_text("Bad Table")
    screen = wait_text(s, "is not a valid table")
    assert "✗" in screen
    s.send_keys("Tab", "Tab", "Tab", "Enter")  # Continue is refused
    screen = wait_text(s, "Fix the problem on this step first")
    assert "3. Table" in screen
    s.send_keys("F10")  # Review lists the problem and offers no Write
    screen = wait_text(s, "problem to fix before writing")
    assert "Write migration" not in screen
    s.send_keys("Enter")  # jumps back to the field
    wait_text(s, "3. Table")
    s.send_keys("C-c")
    wait_text(s, "Quit without writing")
    s.send_text("y")
    assert s.wait_exit() == 130
    assert s.terminal_restored()
    expect_no_new_files(before, project)


def test_resize_in_the_middle_keeps_the_answers(tui, tui_binary, project, versions):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add invoices table")
    s.send_keys("Enter", "Enter", "Enter")
    wait_text(s, "3. Table")
    s.send_text("invoi")
    s.resize(60, 20)
    wait_text(s, "Terminal too small: 60x20.")
    s.send_text("zzz")  # ignored while too small
    time.sleep(0.2)
    s.resize(120, 40)
    screen = wait_text(s, "3. Table")
    s.send_text("ces")
    screen = wait_text(s, '"invoices",')  # the preview's create_table: every letter kept, none of the ignored keys
    assert screen.split("Table name")[1].split("\n")[1].split("│")[0].strip() == "invoices"
    assert "zzz" not in screen
    s.send_keys("C-c")
    wait_text(s, "Quit without writing")
    s.send_text("y")
    assert s.wait_exit() == 130


def test_another_migration_appearing_moves_the_parent(tui, tui_binary, project, versions, tmp_path):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add notes")
    s.send_keys("Enter", "Enter", "Left", "Enter")  # empty migration (the last operation) → review
    wait_text(s, "No problems")
    # A teammate's migration lands while the wizard is open.
    result = subprocess.run(
        [str(cli_binary()), "new", "teammate change", "--date", "2026-11-24", "--versions-dir", str(versions)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result
    s.send_keys("Enter")
    screen = wait_text(s, "The history changed")
    assert "20261125_000019" in screen
    s.send_keys("Enter")
    wait_text(s, "✓ Migration written")
    s.send_keys("Enter")
    assert s.wait_exit() == 0
    written = (versions / "20261125_000019_add_notes.py").read_text()
    assert 'down_revision = "20261124_000018"' in written


@pytest.mark.parametrize("env", [{}, {"LANG": "C", "LC_ALL": "C"}], ids=["utf8", "lc_all_c"])
def test_lithuanian_description_in_any_locale(tui, tui_binary, project, versions, env):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project, env=env)
    wait_text(s, "1. Description")
    s.send_text("Pridėti sąskaitų lentelę")
    screen = wait_text(s, "20261125_000018_prideti_saskaitu_lentele.py")
    assert "Pridėti sąskaitų lentelę" in screen  # the field and the docstring show the letters themselves
    s.send_keys("Enter", "Enter", "Left", "Enter")  # empty migration (the last operation) → review
    wait_text(s, "No problems")
    s.send_keys("Enter")
    wait_text(s, "✓ Migration written")
    s.send_keys("Enter")
    assert s.wait_exit() == 0
    text = (versions / "20261125_000018_prideti_saskaitu_lentele.py").read_text(encoding="utf-8")
    assert text.startswith('"""Pridėti sąskaitų lentelę\n')


def test_a_foreign_key_problem_shows_on_the_foreign_key_and_steps_are_reachable_by_number(tui, tui_binary, project, versions):
    """Issue 7 item 9: uuid `invoice_id` referencing a string column is the FK step's problem, and nothing traps."""
    before = listing(project)
    s = tui(80, 24)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add invoice lines")
    s.send_keys("Enter", "Enter", "Enter")
    wait_text(s, "3. Table")
    s.send_text("invoice_lines")
    s.send_keys("Enter", "Enter", "Enter")
    wait_text(s, "4. Columns")
    s.send_keys("Enter")  # the empty column line: + Add column
    wait_text(s, "› column 2")
    s.send_text("invoice_id")
    s.send_keys("Tab")
    s.send_text("u")
    s.send_keys("Escape")
    wait_text(s, "invoice_id  uuid")
    s.send_keys("M-6")  # Alt-6: straight to the foreign keys
    wait_text(s, "6. Foreign keys")
    s.send_keys("Enter")
    wait_text(s, "references:")
    s.send_keys("C-u")
    s.send_text("users")
    s.send_keys("Enter", "C-u")
    s.send_text("email")
    s.send_keys("Escape")
    screen = wait_text(s, "→ users.email")
    row = next(line for line in screen.split("\n") if "→ users.email" in line)
    assert "✗" in row, screen
    s.send_text("4")  # the Columns step has nothing to fix: Continue moves on
    wait_text(s, "4. Columns")
    s.send_keys("Tab", "Tab", "Tab", "Enter")  # from the column line: the row, + Add column, Continue
    wait_text(s, "5. Enum values")
    s.send_keys("C-c")
    wait_text(s, "Quit without writing")
    s.send_text("y")
    assert s.wait_exit() == 130
    assert s.terminal_restored()
    expect_no_new_files(before, project)


def test_the_done_screen_saves_a_spec_that_writes_the_same_file(tui, tui_binary, project, versions, tmp_path):
    """Issue 7 item 12: the written file for review, then the answers saved as a spec, never over a file."""
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    answer_invoices(s)
    wait_text(s, "No problems: ready to write.")
    s.send_keys("Enter")
    screen = wait_text(s, "✓ Migration written")
    assert '"""add invoices table' in screen  # the file itself, from its first line
    assert "/test" in screen
    s.send_keys("BTab", "BTab")  # Quit → Write another → the spec path
    wait_text(s, "JSON for `vejamigrate new --spec FILE`")
    s.send_keys("Enter")
    wait_text(s, "✓ Saved add_invoices_table.json")
    saved = project / "add_invoices_table.json"
    first = saved.read_bytes()
    s.send_keys("Enter")  # again: the file exists, so nothing is replaced
    wait_text(s, "nothing was written")
    assert saved.read_bytes() == first
    s.send_keys("Tab", "Tab", "Enter")  # Quit
    assert s.wait_exit() == 0
    assert s.terminal_restored()

    # The saved spec, on the same history and date, writes the same bytes.
    fresh = tmp_path / "fresh"
    copy_project(fresh)
    result = subprocess.run(
        [str(cli_binary()), "new", "--spec", str(saved), "--dry-run", "--date", "2026-11-25"],
        cwd=fresh,
        capture_output=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result
    assert result.stdout == (versions / NEW_FILE).read_bytes()


def test_keys_typed_before_a_large_history_is_read_never_write_a_wrong_parent(tui, tui_binary, tmp_path):
    """The first frame comes before the history is read; answers typed at once are kept, Review
    offers Write only once the parent is known, and the file revises the real head."""
    versions = tmp_path / "big" / "versions"
    subprocess.run([sys.executable, str(REPO / "scripts" / "gen_history.py"), "3000", "7", str(versions)], check=True)
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=tmp_path)
    wait_text(s, "1. Description")
    # Everything at once, as a paste or a fast typist would.
    s.send_text("add notes")
    s.send_keys("Enter", "Enter", "Left", "Enter", "Enter")  # Left: Empty, the last operation
    screen = wait_text(s, "No problems", timeout=30)
    assert "Revises: 20" in screen and "000003000" not in screen
    s.send_keys("Enter")
    wait_text(s, "✓ Migration written")
    s.send_keys("Enter")
    assert s.wait_exit() == 0
    (written,) = [p for p in versions.glob("*_003001_add_notes.py")]
    heads = json.loads(subprocess.run([str(cli_binary()), "status", "--json", "--versions-dir", str(versions)], capture_output=True, text=True).stdout)
    assert heads["heads"] == [written.name[:15]]
    assert "_003000" in written.read_text().split("down_revision = ", 1)[1].split("\n", 1)[0]
