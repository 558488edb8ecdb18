"""The wizard names the command that joins two heads, and the command does it."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys

import pytest
from tuiharness import REPO, expect_no_new_files, listing, start_args

sys.path.insert(0, str(REPO / "Tests" / "integration"))
from vmcli import cli_binary

pytestmark = pytest.mark.tui

BRANCH = '''"""{description}

Revision ID: {revision}
Revises: 20260211_000017
Create Date: 2026-11-2{day}
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "{revision}"
down_revision = "20260211_000017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("projects", sa.Column("{column}", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("{column}")
'''


def test_review_names_merge_and_the_printed_fix_joins_the_heads(tui, tui_binary, project, versions):
    for day, column in ((0, "notes"), (1, "summary")):
        revision = f"2026112{day}_000018"
        text = BRANCH.format(description=f"add {column} to projects", revision=revision, day=day, column=column)
        (versions / f"{revision}_add_{column}_to_projects.py").write_text(text)
    before = listing(project)
    s = tui(120, 40)
    s.start(start_args(tui_binary, versions), cwd=project)
    s.wait_until(lambda screen: "1. Description" in screen, what="the wizard")
    s.send_text("add labels")
    s.send_keys("Enter", "Enter", "Left", "Enter")  # Left: Empty, the last operation → Review
    screen = s.wait_until(lambda screen: "Or join the heads first" in screen, what="the fix on Review")
    form = "".join(line[:47] for line in screen.splitlines()).replace(" ", "")
    assert "`vejamigratemerge`" in form and "`vejamigraterebase20261121_000018_add_summary_to_projects.py`" in form, (
        screen
    )
    s.send_keys("C-c")
    s.wait_until(lambda screen: "Quit without writing" in screen, what="the quit question")
    s.send_text("y")
    assert s.wait_exit() == 130
    expect_no_new_files(before, project)
    # The command the wizard and `status` name joins the heads.
    status = subprocess.run(
        [str(cli_binary()), "status", "--json"], check=False, cwd=project, capture_output=True, text=True
    )
    (problem,) = [p for p in json.loads(status.stdout)["problems"] if p["kind"] == "multiple_heads"]
    merge = shlex.split(problem["fix"]["commands"][0])
    assert merge == ["vejamigrate", "merge"]
    subprocess.run(
        [str(cli_binary()), *merge[1:], "--date", "2026-11-25"], cwd=project, check=True, capture_output=True
    )
    after = subprocess.run(
        [str(cli_binary()), "status", "--json"], check=False, cwd=project, capture_output=True, text=True
    )
    assert json.loads(after.stdout)["heads"] == ["20261125_000019"]
