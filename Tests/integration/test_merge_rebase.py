"""`vejamigrate merge` and `vejamigrate rebase FILE` on two-headed histories, proved with real
Alembic on PostgreSQL and SQLite.

The history is the example project's, and two branches that each added a migration on its head
(20260211_000017), the way a team gets two heads: one branch in the seed's template, the other
in Alembic's own template (annotations, single quotes, a Create Date with a time), both with
real schema changes.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import tempfile
from pathlib import Path

import pytest
from alembic_run import AlembicRunner
from dbschema import pg_snapshot, pg_tables, sqlite_snapshot, sqlite_tables
from test_cli_errors import BROKEN
from vmcli import (
    unprivileged_runner,
    DATE,
    DATE_COMPACT,
    EXAMPLE_HEAD,
    copy_project,
    listing,
    ruff_format_check,
    run,
)

DUE_DATES = "20261120_000018_add_due_dates_to_tasks.py"
INVOICES = "20261121_000018_create_invoices_table.py"

# Branch A, in the seed's template.
DUE_DATES_TEXT = f'''"""add due dates to tasks

Revision ID: 20261120_000018
Revises: {EXAMPLE_HEAD}
Create Date: 2026-11-20
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20261120_000018"
down_revision = "{EXAMPLE_HEAD}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("tasks", sa.Column("due_on", sa.Date(), nullable=True))
    op.add_column("tasks", sa.Column("is_blocked", sa.Boolean(), server_default=sa.text("false"), nullable=False))
    op.create_index("idx_tasks_due_on", "tasks", ["due_on"])


def downgrade() -> None:
    op.drop_index("idx_tasks_due_on", table_name="tasks")
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_column("is_blocked")
        batch_op.drop_column("due_on")
'''

# Branch B, in Alembic's template as `alembic revision` writes it, renamed to the convention.
INVOICES_TEXT = f'''"""create invoices table

Revision ID: 20261121_000018
Revises: {EXAMPLE_HEAD}
Create Date: 2026-11-21 09:14:02.512733

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = '20261121_000018'
down_revision: Union[str, Sequence[str], None] = '{EXAMPLE_HEAD}'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "invoices",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("project_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("status", sa.String(length=16), server_default=sa.text("'DRAFT'"), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_invoices_project_id", ondelete="CASCADE"),
        sa.CheckConstraint("status IN ('DRAFT','SENT','PAID')", name="chk_invoices_status"),
    )
    op.create_index("idx_invoices_project_id", "invoices", ["project_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("idx_invoices_project_id", table_name="invoices")
    op.drop_table("invoices")
'''

HEADER_WORDS = ("Revision ID:", "Revises:", "Create Date:", "revision", "down_revision")


def two_branches(tmp_path: Path) -> Path:
    versions = copy_project(tmp_path / "proj")
    (versions / DUE_DATES).write_text(DUE_DATES_TEXT)
    (versions / INVOICES).write_text(INVOICES_TEXT)
    return versions


def status(versions: Path) -> tuple[int, dict]:
    result = run(["status", "--json", "--versions-dir", str(versions), "--date", DATE])
    return result.code, json.loads(result.stdout)


def vm(versions: Path, *args: str):
    return run([*args, "--versions-dir", str(versions), "--date", DATE])


def apply_and_undo(versions: Path, url: str, script_location: Path, tables, snapshot) -> None:
    """Upgrade to head (both branches' changes are there), downgrade to base, upgrade again."""
    runner = AlembicRunner(versions, url, script_location)
    runner.upgrade("head")
    assert {"invoices", "tasks"} <= tables()
    head = snapshot()
    assert "due_on" in repr(head)
    runner.downgrade("base")
    assert tables() == {"alembic_version"}
    runner.upgrade("head")
    assert snapshot() == head


def prove_on(database: str, versions: Path, script_location: Path, tmp_path: Path, request) -> None:
    if database == "postgresql":
        pg_server = request.getfixturevalue("pg_server")
        name = request.getfixturevalue("pg_db")

        def tables():
            with pg_server.connect(name) as conn:
                return pg_tables(conn)

        def snapshot():
            with pg_server.connect(name) as conn:
                return pg_snapshot(conn)

        apply_and_undo(versions, pg_server.url(name), script_location, tables, snapshot)
    else:
        path = tmp_path / "test.db"
        apply_and_undo(
            versions,
            f"sqlite:///{path}",
            script_location,
            lambda: sqlite_tables(str(path)),
            lambda: sqlite_snapshot(str(path)),
        )


DATABASES = [pytest.param("postgresql", marks=pytest.mark.postgres), pytest.param("sqlite", marks=pytest.mark.sqlite)]


def test_status_names_merge_and_rebase_for_two_heads(tmp_path):
    versions = two_branches(tmp_path)
    code, data = status(versions)
    assert code == 3
    assert sorted(data["heads"]) == ["20261120_000018", "20261121_000018"]
    by_kind = {p["kind"]: p for p in data["problems"]}
    assert set(by_kind) == {"multiple_heads", "duplicate_sequence"}
    heads_fix = by_kind["multiple_heads"]["fix"]
    assert heads_fix["commands"][0] == f"vejamigrate merge --versions-dir {versions}"
    assert heads_fix["commands"][1] == f"vejamigrate rebase {INVOICES} --versions-dir {versions}"
    assert "`vejamigrate merge`" in heads_fix["text"]
    assert by_kind["duplicate_sequence"]["fix"]["commands"] == [
        f"vejamigrate rebase {INVOICES} --versions-dir {versions}"
    ]
    text = run(["status", "--versions-dir", str(versions), "--date", DATE])
    assert "fix: run `vejamigrate merge`" in text.stdout, str(text)


@pytest.mark.cli
@pytest.mark.parametrize("database", DATABASES)
def test_merge_joins_the_heads(database, tmp_path, script_location, request):
    versions = two_branches(tmp_path)
    before = listing(versions)
    result = vm(versions, "merge", "--json")
    assert result.code == 0, str(result)
    out = json.loads(result.stdout)
    name = f"{DATE_COMPACT}_000019_merge_heads.py"
    assert out["written"] is True and out["revision"] == f"{DATE_COMPACT}_000019"
    assert out["down_revision"] == ["20261120_000018", "20261121_000018"]
    assert Path(out["path"]).name == name
    assert set(listing(versions)) - set(before) == {name}
    assert all(listing(versions)[k] == v for k, v in before.items())
    text = (versions / name).read_text()
    assert 'down_revision = ("20261120_000018", "20261121_000018")\n' in text
    assert "\nRevises: 20261120_000018, 20261121_000018\n" in text
    assert "def upgrade() -> None:\n    pass\n" in text and "TODO" not in text
    assert ruff_format_check(versions / name).returncode == 0
    compile(text, name, "exec")

    code, data = status(versions)
    assert data["heads"] == [f"{DATE_COMPACT}_000019"]
    # Both branches' 000018 stay (they are shared now); the number clash is a warning, not a head.
    assert [p["kind"] for p in data["problems"]] == ["duplicate_sequence"] and code == 3
    runner = AlembicRunner(versions, f"sqlite:///{tmp_path / 'heads.db'}", script_location)
    assert runner.heads() == [f"{DATE_COMPACT}_000019"]
    prove_on(database, versions, script_location, tmp_path, request)
    # Merged, `new` goes on without --head.
    assert vm(versions, "new", "add notes").code == 0


@pytest.mark.cli
@pytest.mark.parametrize("database", DATABASES)
def test_rebase_moves_one_branch_onto_the_other(database, tmp_path, script_location, request):
    versions = two_branches(tmp_path)
    old_bytes = (versions / INVOICES).read_bytes()
    result = vm(versions, "rebase", INVOICES)
    assert result.code == 0, str(result)
    name = f"{DATE_COMPACT}_000019_create_invoices_table.py"
    assert not (versions / INVOICES).exists()
    new_bytes = (versions / name).read_bytes()
    assert str(Path(result.stdout.splitlines()[0]).name) == name, str(result)
    # The body, byte for byte: everything from the first function on.
    cut = b"\n\n\ndef upgrade"
    assert new_bytes[new_bytes.index(cut) :] == old_bytes[old_bytes.index(cut) :]
    # And in the header, only the five values changed, each where it stood.
    old_lines, new_lines = old_bytes.split(b"\n"), new_bytes.split(b"\n")
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines) if a != b]
    assert [b.decode() for _, b in changed] == [
        f"Revision ID: {DATE_COMPACT}_000019",
        "Revises: 20261120_000018",
        f"Create Date: {DATE}",
        f"revision: str = '{DATE_COMPACT}_000019'",
        "down_revision: Union[str, Sequence[str], None] = '20261120_000018'",
    ]

    code, data = status(versions)
    assert code == 0 and data["problems"] == [], data
    assert data["heads"] == [f"{DATE_COMPACT}_000019"]
    runner = AlembicRunner(versions, f"sqlite:///{tmp_path / 'heads.db'}", script_location)
    assert runner.heads() == [f"{DATE_COMPACT}_000019"]
    prove_on(database, versions, script_location, tmp_path, request)


def test_rebase_of_a_seed_file_by_path_and_by_revision(tmp_path):
    versions = two_branches(tmp_path)
    result = run(["rebase", str(versions / DUE_DATES), "--versions-dir", str(versions), "--date", DATE, "--json"])
    assert result.code == 0, str(result)
    out = json.loads(result.stdout)
    assert out["old_revision"] == "20261120_000018" and out["revision"] == f"{DATE_COMPACT}_000019"
    assert out["down_revision"] == ["20261121_000018"] and out["old_down_revision"] == [EXAMPLE_HEAD]
    assert out["written"] is True
    new = versions / f"{DATE_COMPACT}_000019_add_due_dates_to_tasks.py"
    assert Path(out["path"]).name == new.name and Path(out["old_path"]).name == DUE_DATES
    assert ruff_format_check(new).returncode == 0
    # Run again (by revision): it revises the only other head and has the highest number.
    before = listing(versions)
    again = vm(versions, "rebase", f"{DATE_COMPACT}_000019")
    assert again.code == 0 and "nothing to rebase" in again.stdout, str(again)
    assert listing(versions) == before


def test_the_fix_commands_that_status_prints_work(tmp_path):
    for index in (0, 1):
        versions = two_branches(tmp_path / str(index))
        _, data = status(versions)
        (problem,) = [p for p in data["problems"] if p["kind"] == "multiple_heads"]
        words = shlex.split(problem["fix"]["commands"][index])
        assert words[0] == "vejamigrate"
        result = run([*words[1:], "--date", DATE])
        assert result.code == 0, str(result)
        _, after = status(versions)
        assert len(after["heads"]) == 1, after


# --- refusals: nothing is written --------------------------------------------------------------


def test_rebase_refuses_a_migration_that_another_revises(tmp_path):
    versions = two_branches(tmp_path)
    follow_up = DUE_DATES_TEXT.replace("20261120_000018", "20261122_000019").replace(EXAMPLE_HEAD, "20261120_000018")
    (versions / "20261122_000019_backfill_due_dates.py").write_text(follow_up)
    before = listing(versions)
    result = vm(versions, "rebase", DUE_DATES)
    assert result.code == 3, str(result)
    assert "20261122_000019_backfill_due_dates.py" in result.stderr and "vejamigrate merge" in result.stderr
    assert listing(versions) == before


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["merge"], 0, "nothing to merge"),
        (["rebase", INVOICES], 0, "nothing to rebase"),
        (["rebase", "nope.py"], 1, "nope.py"),
        (["rebase", "20250101_000001"], 1, "20250101_000001"),
    ],
    ids=["merge_one_head", "rebase_on_the_only_head", "unknown_file", "unknown_revision"],
)
def test_nothing_to_do_or_nothing_to_find(args, code, words, tmp_path):
    versions = copy_project(tmp_path / "proj")
    (versions / INVOICES).write_text(INVOICES_TEXT)
    before = listing(versions)
    result = vm(versions, *args)
    assert result.code == code, str(result)
    assert words in result.stdout + result.stderr, str(result)
    assert listing(versions) == before


def test_merge_json_when_there_is_nothing_to_merge(tmp_path):
    versions = copy_project(tmp_path / "proj")
    result = vm(versions, "merge", "--json")
    assert result.code == 0
    assert json.loads(result.stdout) == {
        "path": None,
        "revision": None,
        "down_revision": None,
        "heads": [EXAMPLE_HEAD],
        "written": False,
    }


def test_refusals_on_a_broken_history(tmp_path):
    versions = two_branches(tmp_path)
    orphan = DUE_DATES_TEXT.replace("20261120_000018", "20261122_000019").replace(EXAMPLE_HEAD, "20250101_000099")
    (versions / "20261122_000019_orphan.py").write_text(orphan)
    before = listing(versions)
    merge = vm(versions, "merge")
    assert merge.code == 3 and "missing_down_revision" in merge.stderr, str(merge)
    # Three heads: moving one leaves two, so rebase stops too.
    rebase = vm(versions, "rebase", INVOICES)
    assert rebase.code == 3 and "multiple_heads" in rebase.stderr, str(rebase)
    assert listing(versions) == before


def test_rebase_refuses_a_file_outside_the_versions_directory(tmp_path):
    versions = two_branches(tmp_path)
    outside = tmp_path / INVOICES
    outside.write_text(INVOICES_TEXT)
    before = listing(tmp_path)
    result = vm(versions, "rebase", str(outside))
    assert result.code == 1 and "not in the versions directory" in result.stderr, str(result)
    assert listing(tmp_path) == before


@pytest.mark.parametrize("command", [["merge"], ["rebase", INVOICES]])
def test_dry_run_writes_nothing(command, tmp_path):
    versions = two_branches(tmp_path)
    before = listing(versions)
    result = vm(versions, *command, "--dry-run")
    assert result.code == 0, str(result)
    assert result.stdout.startswith('"""') and f"{DATE_COMPACT}_000019" in result.stdout
    compile(result.stdout, "dry-run.py", "exec")
    assert listing(versions) == before
    as_json = json.loads(vm(versions, *command, "--dry-run", "--json").stdout)
    assert as_json["written"] is False and as_json["content"] == result.stdout
    assert listing(versions) == before


def test_the_old_file_stays_when_the_new_one_cannot_be_written(tmp_path):
    """Permission denied on the versions directory: exit 4, both files as they were. Root writes
    anywhere, so under root the tool runs as `nobody` on a directory only root may write to."""
    base = Path(tempfile.mkdtemp(prefix="vm-rebase-ro-"))
    try:
        versions = two_branches(base)
        user, binary = unprivileged_runner(base, versions)
        before = listing(versions)
        for command in (["rebase", INVOICES], ["merge"]):
            result = run(
                [*command, "--versions-dir", str(versions), "--date", DATE], cwd=base, user=user, binary=binary
            )
            assert result.code == 4, str(result)
            assert result.stderr.strip()
            assert listing(versions) == before
    finally:
        for path in [base, *base.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_rebase_never_replaces_another_file(tmp_path):
    """Something sits at the new name already: the rebase stops and the old file stays."""
    versions = two_branches(tmp_path)
    target = versions / f"{DATE_COMPACT}_000019_create_invoices_table.py"
    os.symlink("does-not-exist.py", target)
    before = listing(versions)
    result = vm(versions, "rebase", INVOICES)
    # 4 (the name is taken) or 3 (the history counts the entry as an unreadable migration); never 0.
    assert result.code in (3, 4), str(result)
    assert listing(versions) == before
    assert os.readlink(target) == "does-not-exist.py"


def test_a_bare_name_is_the_versions_directory_file(tmp_path):
    """A file of the same name in the current directory does not stand in for the migration."""
    versions = two_branches(tmp_path)
    (tmp_path / INVOICES).write_text("not a migration\n")
    result = run(["rebase", INVOICES, "--versions-dir", str(versions), "--date", DATE], cwd=tmp_path)
    assert result.code == 0, str(result)
    assert (versions / f"{DATE_COMPACT}_000019_create_invoices_table.py").exists()
    assert (tmp_path / INVOICES).read_text() == "not a migration\n"


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_every_problem_has_a_fix_and_its_command_fixes_it(kind, tmp_path):
    """Each problem kind of `status` carries a fix; where it names a command, running that command
    (as printed) on the broken history removes the problem."""
    versions = copy_project(tmp_path / "proj")
    BROKEN[kind](versions)
    _, data = status(versions)
    (problem,) = [p for p in data["problems"] if p["kind"] == kind][:1]
    fix = problem["fix"]
    assert fix["text"], problem
    for line in fix["commands"]:
        assert shlex.split(line)[:2] in (["vejamigrate", "merge"], ["vejamigrate", "rebase"]), line
        assert f"`{' '.join(shlex.split(line)[:2])}" in fix["text"], fix
    if kind in ("multiple_heads", "duplicate_sequence", "missing_down_revision"):
        assert fix["commands"], f"{kind} has a command that fixes it: {fix}"
    else:
        assert fix["commands"] == [] and fix["text"].startswith("by hand"), fix
    for index, line in enumerate(fix["commands"]):
        copy = copy_project(tmp_path / f"copy{index}")
        for name in set(listing(versions)) - set(listing(copy)):
            shutil.copy(versions / name, copy / name)
        words = shlex.split(line.replace(str(versions), str(copy)))
        result = run([*words[1:], "--date", DATE])
        assert result.code == 0, str(result)
        _, after = status(copy)
        assert kind not in {p["kind"] for p in after["problems"]}, after


@pytest.mark.parametrize(
    "command", [["merge"], ["rebase", INVOICES], ["new", "add notes", "--head", "20261120_000018"]]
)
def test_a_date_before_the_parent_is_a_warning(command, tmp_path):
    versions = two_branches(tmp_path)
    result = run([*command, "--versions-dir", str(versions), "--date", "2026-01-05"])
    assert result.code == 0, str(result)
    assert "warning: --date 2026-01-05 is before the parent 20261120_000018's date" in result.stderr, str(result)


@pytest.mark.parametrize("args", [["rebase"], ["merge", "--bogus"], ["rebase", "x.py", "--head", "y"]])
def test_usage_errors_exit_2(args, tmp_path):
    versions = two_branches(tmp_path)
    before = listing(versions)
    result = run([*args, "--versions-dir", str(versions)])
    assert result.code == 2 and result.stderr.strip(), str(result)
    assert listing(versions) == before
