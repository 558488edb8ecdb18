"""`vejamigrate verify`: the real executable, the project's own Alembic (this suite's venv), on the
suite's PostgreSQL (a temporary database by URL), on a throwaway cluster (`auto`) and on SQLite.

Each run gets a TMPDIR of its own, so a temporary directory left behind is seen; each PostgreSQL run
checks pg_database afterwards, so a temporary database left behind is seen, after failures too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pgserver import find_pg_bin
from vmcli import DATE, EXAMPLE_HEAD, Result, cli_binary, copy_project, run, write_spec

pytestmark = pytest.mark.cli

PYTHON = sys.executable  # the suite's venv: alembic, sqlalchemy, psycopg 3
STEPS = 7


def verify(project: Path, *args: str, env: dict | None = None, timeout: float = 240) -> Result:
    """`vejamigrate verify ARGS` in `project`, with a TMPDIR of its own that must be empty afterwards."""
    tmp = project.parent / f"tmp-{project.name}"
    tmp.mkdir(exist_ok=True)
    environment = dict(os.environ, TMPDIR=str(tmp), NO_COLOR="1", **(env or {}))
    proc = subprocess.run(
        [str(cli_binary()), "verify", *args],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
        stdin=subprocess.DEVNULL,
    )
    result = Result(proc.returncode, proc.stdout, proc.stderr, ["verify", *args])
    assert list(tmp.iterdir()) == [], f"left behind in TMPDIR: {list(tmp.iterdir())}\n{result}"
    return result


def server_url(pg_server) -> str:
    return f"postgresql://postgres@127.0.0.1:{pg_server.port}/postgres"


def leftover_databases(pg_server) -> list[str]:
    with pg_server.connect() as conn:
        rows = conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'vejamigrate_verify_%'").fetchall()
    return [r[0] for r in rows]


def database_args(kind: str, pg_server) -> list[str]:
    return ["--postgres", server_url(pg_server)] if kind == "postgres" else ["--sqlite"]


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of the example project; verify runs from its top."""
    copy_project(tmp_path / "proj")
    return tmp_path / "proj"


def versions(project: Path) -> Path:
    return project / "backend" / "app" / "migrations" / "versions"


def add_migration(project: Path, upgrade: str, downgrade: str, slug: str = "by_hand") -> str:
    """A hand-written migration on the example's head; returns its revision."""
    revision = "20261125_000018"

    def body(code: str) -> str:
        return textwrap.indent(textwrap.dedent(code).strip(), "    ")

    text = (
        f'"""{slug}\n\nRevision ID: {revision}\nRevises: {EXAMPLE_HEAD}\nCreate Date: 2026-11-25\n"""\n\n'
        "import sqlalchemy as sa\nfrom alembic import op\n\n"
        f'revision = "{revision}"\ndown_revision = "{EXAMPLE_HEAD}"\nbranch_labels = None\ndepends_on = None\n\n\n'
        f"def upgrade() -> None:\n{body(upgrade)}\n\n\ndef downgrade() -> None:\n{body(downgrade)}\n"
    )
    (versions(project) / f"{revision}_{slug}.py").write_text(text)
    return revision


def step_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("[")]


def assert_all_passed(result: Result) -> None:
    assert result.code == 0, result
    lines = step_lines(result.stdout)
    assert len(lines) == STEPS, result
    for n, line in enumerate(lines, 1):
        assert line.startswith(f"[{n}/{STEPS}] "), result
        assert " ... ok (" in line or (n == STEPS and " ... warning" in line), result
    assert "passed: " in result.stdout, result


# --- passing --------------------------------------------------------------------------------------


@pytest.mark.postgres
def test_example_head_passes_on_a_postgres_url_and_leaves_no_database(project, pg_server):
    result = verify(project, "--postgres", server_url(pg_server), "--python", PYTHON)
    assert_all_passed(result)
    assert f"[2/{STEPS}] upgrade to {EXAMPLE_HEAD} ... ok" in result.stdout
    assert "[1/7] upgrade to parent 20260115_000016 ... ok" in result.stdout
    assert "temporary database vejamigrate_verify_" in result.stdout
    # The example history is read whole by the static reader: no warning.
    assert "warning" not in result.stdout, result
    assert leftover_databases(pg_server) == []


@pytest.mark.sqlite
def test_example_head_passes_on_sqlite(project):
    result = verify(project, "--sqlite", "--python", PYTHON)
    assert_all_passed(result)
    assert "SQLite" in result.stdout


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_a_generated_add_columns_passes(project, pg_server, kind, tmp_path):
    spec = {
        "description": "add archive fields",
        "add_columns": {
            "table": "projects",
            "columns": [
                {"name": "archived_at", "type": "datetime", "index": True},
                {"name": "archive_note", "type": "string", "length": 200},
            ],
        },
    }
    made = run(["new", "--spec", str(write_spec(tmp_path, spec)), "--date", DATE, "--json"], cwd=project)
    assert made.code == 0, made
    revision = json.loads(made.stdout)["revision"]
    result = verify(project, *database_args(kind, pg_server), "--python", PYTHON)
    assert_all_passed(result)
    assert f"upgrade to {revision} ... ok" in result.stdout
    assert "warning" not in result.stdout, result
    assert leftover_databases(pg_server) == []


@pytest.mark.postgres
def test_auto_starts_and_removes_a_throwaway_cluster(project):
    try:
        find_pg_bin()
    except RuntimeError:
        pytest.skip("no initdb on this machine")
    before = clusters_running()
    result = verify(project, "--postgres", "auto", "--python", PYTHON)
    assert_all_passed(result)
    assert "throwaway cluster" in result.stdout
    assert clusters_running() == before, "the throwaway cluster is still running"
    # Under root the cluster lives in /tmp (the server's user must reach it): removed too.
    assert not list(Path("/tmp").glob("vejamigrate-verify-pg-*"))


def clusters_running() -> list[str]:
    out = subprocess.run(["ps", "-eo", "args"], check=False, capture_output=True, text=True).stdout
    return sorted(line for line in out.splitlines() if "vejamigrate-verify-" in line and "postgres" in line)


@pytest.mark.sqlite
def test_revision_by_name_verifies_that_migration(project):
    result = verify(project, "20260115_000016", "--sqlite", "--python", PYTHON)
    assert_all_passed(result)
    assert "[2/7] upgrade to 20260115_000016 ... ok" in result.stdout


@pytest.mark.sqlite
def test_the_first_migration_starts_from_an_empty_database(project):
    first = min(versions(project).glob("*_000001_*.py")).name[:15]
    result = verify(project, first, "--sqlite", "--python", PYTHON)
    assert_all_passed(result)
    assert "[1/7] empty database (the migration has no parent) ... ok" in result.stdout


# --- failing --------------------------------------------------------------------------------------

LEAVES_A_TABLE = (
    """
    op.create_table("kept", sa.Column("id", sa.Integer(), primary_key=True))
    op.create_table("leftover", sa.Column("id", sa.Integer(), primary_key=True))
    """,
    """
    op.drop_table("kept")
    """,
)


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_a_downgrade_that_leaves_a_table_fails_with_5(project, pg_server, kind):
    add_migration(project, *LEAVES_A_TABLE)
    result = verify(project, *database_args(kind, pg_server), "--python", PYTHON)
    assert result.code == 5, result
    lines = step_lines(result.stdout)
    assert lines[3].startswith("[4/7] downgrade restored the schema") and "FAILED" in lines[3], result
    assert len(lines) == 4, result  # nothing runs after the failing step
    assert "table leftover: only after the downgrade" in result.stdout, result
    assert "kept" not in result.stdout.split("FAILED", 1)[1].split("FAILED:")[0], result
    assert "FAILED: 20261125_000018, step 4/7" in result.stdout, result
    assert leftover_databases(pg_server) == []


@pytest.mark.postgres
def test_a_downgrade_that_leaves_a_column_not_null_names_the_fact(project, pg_server):
    add_migration(
        project,
        'op.alter_column("projects", "description", existing_type=sa.Text(), nullable=False, server_default="")',
        'op.alter_column("projects", "description", existing_type=sa.Text(), server_default=None)',
    )
    result = verify(project, "--postgres", server_url(pg_server), "--python", PYTHON)
    assert result.code == 5, result
    assert (
        "column projects.description nullable: false before the upgrade, true after the downgrade" not in result.stdout
    )
    assert (
        "column projects.description nullable: true before the upgrade, false after the downgrade" in result.stdout
    ), result
    assert leftover_databases(pg_server) == []


@pytest.mark.postgres
@pytest.mark.parametrize("kind", ["postgres", "sqlite"])
def test_an_upgrade_that_fails_stops_at_that_step_with_alembics_error(project, pg_server, kind):
    add_migration(
        project, 'op.add_column("no_such_table", sa.Column("x", sa.Integer()))', 'op.drop_column("no_such_table", "x")'
    )
    result = verify(project, *database_args(kind, pg_server), "--python", PYTHON)
    assert result.code == 5, result
    lines = step_lines(result.stdout)
    assert len(lines) == 2 and lines[1].startswith("[2/7] upgrade to 20261125_000018 ... FAILED"), result
    error = result.stdout.split("FAILED", 1)[1]
    assert "Alembic exited with status 1" in error, result
    assert "no_such_table" in error, result  # the database's own words, from Alembic's standard error
    assert leftover_databases(pg_server) == []


@pytest.mark.postgres
def test_ctrl_c_during_a_step_still_drops_the_database(project, pg_server, tmp_path):
    add_migration(project, 'op.execute("SELECT pg_sleep(60)")', "pass")
    tmp = tmp_path / "tmp-interrupt"
    tmp.mkdir()
    proc = subprocess.Popen(
        [str(cli_binary()), "verify", "--postgres", server_url(pg_server), "--python", PYTHON],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, TMPDIR=str(tmp)),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not leftover_databases(pg_server):
            time.sleep(0.1)
        assert leftover_databases(pg_server), "verify never created its database"
        time.sleep(3)  # well into the steps (the sleeping upgrade is step 2)
        # Ctrl-C in a terminal signals the whole foreground group: verify and its Python alike.
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, (out, err)
    assert "interrupted" in out.lower(), (out, err)
    assert leftover_databases(pg_server) == []
    assert list(tmp.iterdir()) == []


# --- warnings, not failures --------------------------------------------------------------------------


@pytest.mark.postgres
def test_a_table_made_in_a_do_block_is_a_warning_about_the_static_reader(project, pg_server):
    add_migration(
        project,
        """
        op.execute(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'made_in_do') THEN "
            "EXECUTE 'CREATE TABLE made_in_do (id integer PRIMARY KEY)'; END IF; END $$"
        )
        """,
        'op.execute("DROP TABLE made_in_do")',
    )
    # What the static reader makes of it: opaque, the table unknown.
    schema = run(["schema", "--json"], cwd=project)
    assert "made_in_do" not in json.loads(schema.stdout)["tables"], schema
    result = verify(project, "--postgres", server_url(pg_server), "--python", PYTHON, "--json")
    assert result.code == 0, result
    assert "[7/7] schema matches what `vejamigrate schema` reads ... warning" in result.stderr, result
    document = json.loads(result.stdout)
    assert document["passed"] is True
    subjects = {w["subject"] for w in document["warnings"]}
    assert "table made_in_do" in subjects, document
    assert [s["outcome"] for s in document["steps"]] == ["ok"] * 6 + ["warning"]
    assert leftover_databases(pg_server) == []


# --- what verify needs ------------------------------------------------------------------------------


def test_a_python_without_alembic_exits_2_with_the_fix(project, tmp_path):
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    python = bare / "bin" / "python"
    result = verify(project, "--sqlite", "--python", str(python))
    assert result.code == 2, result
    assert f"{python} has no alembic and sqlalchemy" in result.stderr, result
    assert "-m pip install alembic sqlalchemy" in result.stderr, result
    assert step_lines(result.stdout) == []


def test_a_missing_python_exits_2(project, tmp_path):
    result = verify(project, "--sqlite", "--python", str(tmp_path / "nope" / "python"))
    assert result.code == 2, result
    assert "no Python found" in result.stderr and "--python PATH" in result.stderr, result


@pytest.mark.sqlite
def test_the_venv_at_the_top_of_the_repository_is_found(project):
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    (project / ".venv").symlink_to(Path(sys.prefix))
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    tmp = project.parent / "tmp-venv"
    tmp.mkdir()
    proc = subprocess.run(
        [str(cli_binary()), "verify", "--sqlite"],
        check=False,
        cwd=versions(project),  # from deep inside: the repository's top is found
        capture_output=True,
        text=True,
        env=dict(env, TMPDIR=str(tmp)),
        timeout=240,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"python: {project}/.venv/bin/python (alembic " in proc.stdout, proc.stdout


@pytest.mark.parametrize(
    "args, words",
    [
        (["--postgres", "auto", "--sqlite"], "--postgres and --sqlite"),
        (["--postgres", "mysql://x@y/z"], "is not a PostgreSQL URL"),
        (["20990101_000099", "--sqlite"], "revision 20990101_000099 is not in the history"),
    ],
)
def test_usage_errors_exit_2(project, args, words):
    result = verify(project, *args, "--python", PYTHON)
    assert result.code == 2, result
    assert words in result.stderr, result


@pytest.mark.postgres
def test_a_server_that_cannot_be_reached_exits_2(project):
    result = verify(project, "--postgres", "postgresql://postgres:secret@127.0.0.1:1/postgres", "--python", PYTHON)
    assert result.code == 2, result
    assert "cannot create a database on postgresql://postgres:***@127.0.0.1:1/postgres" in result.stderr, result
    assert "secret" not in result.stderr + result.stdout
