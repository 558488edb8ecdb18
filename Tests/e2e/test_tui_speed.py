"""Issue 12 in a real terminal: the one-line column syntax writes exactly the spec's file, and
what a name suggests never overrides what the user typed (docs/column-line.md, docs/name-rules.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tuiharness import DATE, REPO, copy_project, start_args

pytestmark = pytest.mark.tui

CLI = REPO / ".build" / "debug" / "vejamigrate"


def cli_binary() -> Path:
    import os

    return Path(os.environ.get("VEJAMIGRATE_BIN", CLI))


def wait_text(session, text: str, timeout: float = 15) -> str:
    return session.wait_until(lambda s: text in s, timeout=timeout, what=repr(text))


def cli_file(tmp_path: Path, spec: dict) -> tuple[str, bytes]:
    """The file `vejamigrate new --spec` writes for `spec` on a fresh copy of the example project."""
    project = tmp_path / "cli-proj"
    versions = copy_project(project)
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    done = subprocess.run(
        [str(cli_binary()), "new", "--spec", str(tmp_path / "spec.json"), "--date", DATE, "--json"],
        cwd=project, capture_output=True, text=True, check=False, timeout=30,
    )
    assert done.returncode == 0, done
    name = Path(json.loads(done.stdout)["path"]).name
    return name, (versions / name).read_bytes()


def write(s) -> None:
    s.send_keys("F10")
    wait_text(s, "No problems: ready to write.")
    s.send_keys("Enter")
    wait_text(s, "✓ Migration written")
    s.send_keys("C-c")
    assert s.wait_exit() == 0


# The seed's invoices table: the keystroke benchmark's first task, the same spec.
sys.path.insert(0, str(REPO / "scripts"))
from bench_keys import INVOICES


def test_the_one_line_path_writes_what_the_spec_writes(tui, tui_binary, project, versions, tmp_path):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add invoices table")
    s.send_keys("M-4")  # the description named the table; straight to the columns
    wait_text(s, "4. Columns")
    s.send_text("project_id")
    wait_text(s, "Reads as: project_id:uuid!:fk=projects.id:cascade")  # parsed as typed, the name's suggestion shown
    s.send_keys("Enter")
    s.send_text("status")
    s.send_keys("Enter")
    wait_text(s, "Values of status")  # the name asks for its values next
    s.send_text("DRAFT,SENT,PAID,VOID")
    s.send_keys("Enter")
    s.send_text("amount:numric")
    wait_text(s, '"numric" is not a type; did you mean numeric?')  # the error points at its part
    for _ in range(len(":numric")):
        s.send_keys("BSpace")
    s.send_text("!")
    s.send_keys("Enter")
    s.send_text("number:string(64):u")
    s.send_keys("Enter")
    s.send_text("issued_at:i")  # the line being typed is in the preview: no Enter needed
    wait_text(s, 'sa.Column("issued_at"')
    write(s)
    name, want = cli_file(tmp_path, INVOICES)
    assert (versions / name).read_bytes() == want


def test_suggestions_never_override_what_was_typed(tui, tui_binary, project, versions, tmp_path):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add ledgers table")
    s.send_keys("M-4")
    wait_text(s, "4. Columns")
    # The line says nullable and RESTRICT: the name's NOT NULL and CASCADE do not win.
    s.send_text("project_id?:fk=projects:restrict")
    s.send_keys("Enter")
    wait_text(s, "project_id  uuid  → projects")
    # The form: Alt-n makes is_paid nullable; its default false is still the name's.
    s.send_keys("Enter")
    wait_text(s, "› column 3")
    s.send_text("is_paid")
    wait_text(s, "default false")
    s.send_keys("M-n")
    wait_text(s, "[x] Nullable")
    # A type chosen, then the column renamed to a name that suggests another type: the choice stays.
    s.send_keys("M-a")
    wait_text(s, "› column 4")
    s.send_text("amount")
    wait_text(s, "‹ numeric ›")
    s.send_keys("Enter")
    s.send_text("i")  # integer
    wait_text(s, "‹ integer ›")
    s.send_keys("BTab", "C-u")
    s.send_text("total")
    wait_text(s, 'sa.Column("total", sa.Integer()')
    # Alt-x drops what a name suggested: metadata is a plain string then.
    s.send_keys("M-a")
    wait_text(s, "› column 5")
    s.send_text("metadata")
    wait_text(s, "‹ jsonb ›")
    s.send_keys("M-x")
    wait_text(s, "‹ string ›")
    write(s)
    name, want = cli_file(tmp_path, {
        "description": "add ledgers table",
        "create_table": {
            "name": "ledgers",
            "timestamps": True,
            "columns": [
                {"name": "id", "type": "uuid", "primary_key": True},
                {"name": "project_id", "type": "uuid",
                 "foreign_key": {"table": "projects", "column": "id", "ondelete": "RESTRICT"}},
                {"name": "is_paid", "type": "boolean", "default": False},
                {"name": "total", "type": "integer"},
                {"name": "metadata", "type": "string"},
            ],
        },
    })
    assert (versions / name).read_bytes() == want


def test_add_a_column_from_the_description_alone(tui, tui_binary, project, versions, tmp_path):
    s = tui(100, 30)
    s.start(start_args(tui_binary, versions), cwd=project)
    wait_text(s, "1. Description")
    s.send_text("add archived_at to projects")
    write(s)  # F10: the description filled add_columns on projects, the name made it a datetime
    name, want = cli_file(tmp_path, {
        "description": "add archived_at to projects",
        "add_columns": {"table": "projects", "columns": [{"name": "archived_at", "type": "datetime"}]},
    })
    assert (versions / name).read_bytes() == want
