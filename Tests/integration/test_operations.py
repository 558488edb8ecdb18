"""`vejamigrate new --spec` for every operation on existing tables, on top of the example history,
each proven with real Alembic on PostgreSQL and on SQLite: upgrade, downgrade, upgrade; the schema
after the downgrade is the schema before the upgrade; `--sql` is what Alembic renders offline.

Every spec runs on a fresh copy of the example history (head 20260211_000017).
"""

from __future__ import annotations

import py_compile
import sqlite3
import uuid
from contextlib import closing

import psycopg
import pytest
from alembic_run import AlembicRunner
from dbschema import (
    pg_columns,
    pg_constraint,
    pg_index,
    pg_insert_row,
    pg_snapshot,
    pg_tables,
    sqlite_snapshot,
)
from test_new_matrix import NEW_REVISION, generate, split_sql, sql_statements
from vmcli import DATE, EXAMPLE_HEAD, copy_project, ruff_format_check, run, write_spec


def op(key: str, description: str, **body) -> dict:
    return {"description": description, key: body}


SPECS: dict[str, dict] = {
    "add_columns": op(
        "add_columns",
        "add archiving to projects",
        table="projects",
        columns=[
            {"name": "archived_at", "type": "datetime", "index": True},
            {"name": "kind", "type": "string", "length": 16, "nullable": False, "default": "A", "enum": ["A", "B"]},
            {"name": "reviewer_id", "type": "uuid", "foreign_key": {"table": "users", "ondelete": "SET NULL"}},
            {"name": "code", "type": "string", "length": 32, "unique": True},
        ],
    ),
    "drop_columns": op("drop_columns", "drop task assignee", table="tasks", columns=["assignee_id", "due_date"]),
    "rename_column": op(
        "rename_column", "rename project description", table="projects", column="description", to="summary"
    ),
    "alter_column_not_null": op(
        "alter_column", "require due dates", table="tasks", column="due_date", nullable=False, backfill="2026-01-01"
    ),
    "alter_column_not_null_unsafe": {
        **op(
            "alter_column",
            "require due dates now",
            table="tasks",
            column="due_date",
            nullable=False,
            backfill="2026-01-01",
        ),
        "safe": False,
    },
    "alter_column_type_and_default": op(
        "alter_column", "widen project names", table="projects", column="name", type="text", default="untitled"
    ),
    # text → integer: PostgreSQL has no automatic cast, `using` converts; the way back is automatic.
    "alter_column_type_using": op(
        "alter_column",
        "task descriptions become lengths",
        table="tasks",
        column="description",
        type="integer",
        using="length(description)",
    ),
    # smallint → varchar is automatic; the way back casts with USING, around the default 0.
    "alter_column_type_cast_back": op(
        "alter_column", "priorities become labels", table="tasks", column="priority", type="string", length=8
    ),
    # smallint → boolean with a default: the default is dropped and set again around the USING.
    "alter_column_type_using_with_default": op(
        "alter_column",
        "priority becomes a flag",
        table="tasks",
        column="priority",
        type="boolean",
        using="priority <> 0",
        default=False,
    ),
    "alter_column_drop_default": op(
        "alter_column", "no default currency", table="projects", column="currency", default=None
    ),
    "alter_enum": op(
        "alter_enum",
        "simplify project statuses",
        table="projects",
        column="status",
        values=["DRAFT", "ACTIVE", "DONE"],
        default="ACTIVE",
        map={"ON_HOLD": "ACTIVE", "COMPLETED": "DONE", "ARCHIVED": "DONE"},
    ),
    "add_check": op("add_check", "budgets are positive", table="projects", column="budget", expression="budget >= 0"),
    "add_check_named": op(
        "add_check",
        "tasks estimate with due date",
        table="tasks",
        name="estimate_due",
        expression="estimate_minutes IS NULL OR due_date IS NOT NULL",
    ),
    "create_index_partial_unique": op(
        "create_index",
        "one open task title per project",
        table="tasks",
        columns=["project_id", "title"],
        unique=True,
        where="status <> 'DONE'",
    ),
    "create_index_unsafe": {
        **op("create_index", "index comments by edit", table="comments", columns=["edited_at"]),
        "safe": False,
    },
    "drop_index": op("drop_index", "drop open due date index", table="tasks", name="idx_tasks_open_due_date"),
    "add_foreign_key": op(
        "add_foreign_key",
        "audit entries reference projects",
        table="audit_log",
        column="entity_id",
        references={"table": "projects", "column": "id", "ondelete": "SET NULL"},
    ),
    "drop_constraint_fk": op("drop_constraint", "tasks outlive projects", table="tasks", name="fk_tasks_project_id"),
    "drop_constraint_check": op(
        "drop_constraint", "free member roles", table="project_members", name="chk_project_members_role"
    ),
    "drop_constraint_unique": op(
        "drop_constraint", "shared storage keys", table="attachments", name="uniq_attachments_storage_key"
    ),
    "rename_table": op("rename_table", "comments become notes", table="comments", to="notes"),
    "drop_table": op("drop_table", "drop invitations", table="invitations"),
    "drop_table_from_raw_sql": op("drop_table", "drop feature flags", table="feature_flags"),
    "operations_mixed": {
        "description": "invoices with changes around them",
        "operations": [
            {
                "create_table": {
                    "name": "invoices",
                    "columns": [
                        {"name": "id", "type": "uuid", "primary_key": True},
                        {"name": "project_id", "type": "uuid", "nullable": False, "foreign_key": {"table": "projects"}},
                    ],
                }
            },
            {
                "add_columns": {
                    "table": "invoices",
                    "columns": [{"name": "total", "type": "numeric", "precision": 12, "scale": 2}],
                }
            },
            {"add_columns": {"table": "comments", "columns": [{"name": "invoice_id", "type": "uuid"}]}},
            {"add_foreign_key": {"table": "comments", "column": "invoice_id", "references": {"table": "invoices"}}},
            {"rename_column": {"table": "comments", "column": "body", "to": "text"}},
            {"alter_column": {"table": "comments", "column": "edited_at", "nullable": False, "backfill": "now"}},
            {"create_index": {"table": "invoices", "columns": ["total"]}},
        ],
    },
}


def check_python(path) -> None:
    formatted = ruff_format_check(path)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    py_compile.compile(str(path), doraise=True)


# --- what each operation must do on PostgreSQL --------------------------------------------


def refused(conn, sql: str, params=()) -> bool:
    """Whether PostgreSQL refuses the statement (rolled back either way)."""
    try:
        with conn.transaction():
            conn.execute(sql, params)
            raise _Rollback()
    except _Rollback:
        return False
    except psycopg.errors.IntegrityError:
        return True


class _Rollback(Exception):
    pass


def seed_rows(conn) -> dict:
    """A user, a project and a task with NULLs and a status that alter_enum moves."""
    user = pg_insert_row(conn, "users")
    project = pg_insert_row(conn, "projects", {"owner_id": user["id"], "status": "ON_HOLD"})
    task = pg_insert_row(conn, "tasks", {"project_id": project["id"]})
    return {"user": user, "project": project, "task": task}


def after_upgrade(name: str, conn, rows: dict) -> None:
    project_id, task_id = rows["project"]["id"], rows["task"]["id"]
    if name == "add_columns":
        columns = pg_columns(conn, "projects")
        assert {"archived_at", "kind", "reviewer_id", "code"} <= set(columns)
        assert pg_index(conn, "projects", "idx_projects_archived_at")
        assert pg_index(conn, "projects", "idx_projects_reviewer_id")
        assert "'B'" in pg_constraint(conn, "projects", "chk_projects_kind")["definition"]
        assert pg_constraint(conn, "projects", "fk_projects_reviewer_id")["definition"].startswith(
            "FOREIGN KEY (reviewer_id)"
        )
        assert pg_constraint(conn, "projects", "uniq_projects_code")["type"] == "u"
        assert refused(conn, "UPDATE projects SET kind = 'C'")
    elif name == "drop_columns":
        assert not {"assignee_id", "due_date"} & set(pg_columns(conn, "tasks"))
    elif name == "rename_column":
        assert "summary" in pg_columns(conn, "projects") and "description" not in pg_columns(conn, "projects")
    elif name.startswith("alter_column_not_null"):
        (nulls,) = conn.execute("SELECT count(*) FROM tasks WHERE due_date IS NULL").fetchone()
        assert nulls == 0
        assert conn.execute("SELECT due_date::text FROM tasks WHERE id = %s", (task_id,)).fetchone()[0] == "2026-01-01"
        assert refused(conn, "UPDATE tasks SET due_date = NULL")
        assert pg_constraint(conn, "tasks", "chk_tasks_due_date_not_null") is None
    elif name == "alter_column_type_and_default":
        column = pg_columns(conn, "projects")["name"]
        assert column["data_type"] == "text" and column["default"] == "'untitled'::text", column
    elif name == "alter_column_type_using":
        assert pg_columns(conn, "tasks")["description"]["data_type"] == "integer"
    elif name == "alter_column_type_cast_back":
        column = pg_columns(conn, "tasks")["priority"]
        assert column["data_type"] == "character varying" and column["default"] is not None, column
        assert conn.execute("SELECT priority FROM tasks WHERE id = %s", (task_id,)).fetchone()[0] == "0"
    elif name == "alter_column_type_using_with_default":
        column = pg_columns(conn, "tasks")["priority"]
        assert column["data_type"] == "boolean" and column["default"] == "false", column
        assert conn.execute("SELECT priority FROM tasks WHERE id = %s", (task_id,)).fetchone()[0] is False
    elif name == "alter_column_drop_default":
        assert pg_columns(conn, "projects")["currency"]["default"] is None
    elif name == "alter_enum":
        assert conn.execute("SELECT status FROM projects WHERE id = %s", (project_id,)).fetchone()[0] == "ACTIVE"
        assert not refused(conn, "UPDATE projects SET status = 'DONE'")
        assert refused(conn, "UPDATE projects SET status = 'ON_HOLD'")
        assert pg_columns(conn, "projects")["status"]["default"].startswith("'ACTIVE'")
    elif name == "add_check":
        assert refused(conn, "UPDATE projects SET budget = -1")
        assert not pg_constraint(conn, "projects", "chk_projects_budget")["definition"].endswith("NOT VALID")
    elif name == "add_check_named":
        assert refused(conn, "UPDATE tasks SET estimate_minutes = 5, due_date = NULL")
    elif name == "create_index_partial_unique":
        definition = pg_index(conn, "tasks", "uniq_tasks_project_id_title")
        assert definition.startswith("CREATE UNIQUE INDEX") and "WHERE" in definition, definition
    elif name == "create_index_unsafe":
        assert pg_index(conn, "comments", "idx_comments_edited_at")
    elif name == "drop_index":
        assert pg_index(conn, "tasks", "idx_tasks_open_due_date") is None
    elif name == "add_foreign_key":
        assert pg_index(conn, "audit_log", "idx_audit_log_entity_id")
        assert refused(
            conn, "INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('x', 'y', %s)", (uuid.uuid4(),)
        )
        assert not refused(
            conn, "INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('x', 'y', %s)", (project_id,)
        )
    elif name == "drop_constraint_fk":
        assert pg_constraint(conn, "tasks", "fk_tasks_project_id") is None
        assert not refused(conn, "UPDATE tasks SET project_id = %s", (uuid.uuid4(),))
    elif name == "drop_constraint_check":
        assert pg_constraint(conn, "project_members", "chk_project_members_role") is None
    elif name == "drop_constraint_unique":
        assert pg_constraint(conn, "attachments", "uniq_attachments_storage_key") is None
    elif name == "rename_table":
        assert "notes" in pg_tables(conn) and "comments" not in pg_tables(conn)
    elif name == "drop_table":
        assert "invitations" not in pg_tables(conn)
    elif name == "drop_table_from_raw_sql":
        assert "feature_flags" not in pg_tables(conn)
    elif name == "operations_mixed":
        assert "invoices" in pg_tables(conn)
        assert pg_constraint(conn, "comments", "fk_comments_invoice_id")
        assert pg_index(conn, "comments", "idx_comments_invoice_id")
        assert "text" in pg_columns(conn, "comments")


def after_downgrade(name: str, conn) -> None:
    if name == "alter_enum":
        # The list is the history's again: the value the upgrade added is refused.
        assert refused(conn, "UPDATE projects SET status = 'DONE'")
        assert not refused(conn, "UPDATE projects SET status = 'ON_HOLD'")
    if name.startswith("alter_column_not_null"):
        assert not refused(conn, "UPDATE tasks SET due_date = NULL")


@pytest.mark.cli
@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(SPECS))
def test_operation_on_postgres(name, tmp_path, pg_server, pg_example_db, script_location):
    _result, versions, path = generate(tmp_path, SPECS[name])
    check_python(path)
    runner = AlembicRunner(versions, pg_server.url(pg_example_db), script_location)
    with pg_server.connect(pg_example_db) as conn:
        rows = seed_rows(conn)
        conn.commit()
        before = pg_snapshot(conn)
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        after_upgrade(name, conn, rows)
        conn.rollback()
    runner.downgrade("-1")
    with pg_server.connect(pg_example_db) as conn:
        assert pg_snapshot(conn) == before, "downgrade() does not put the schema back exactly"
        after_downgrade(name, conn)
    runner.upgrade("head")
    with pg_server.connect(pg_example_db) as conn:
        (version,) = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        assert version == NEW_REVISION


def sqlite_state(path) -> dict:
    """`sqlite_snapshot` plus unique constraints, with TRUE/FALSE defaults in one case: SQLite keeps
    a default's text as written, and a table rebuilt from the history writes `false` where raw SQL
    wrote `FALSE` (the same value)."""
    state = sqlite_snapshot(str(path))
    for table, columns in state["columns"].items():
        state["columns"][table] = [
            (n, a, nn, d.lower() if isinstance(d, str) and d.upper() in ("TRUE", "FALSE") else d, pk)
            for n, a, nn, d, pk in columns
        ]
    with closing(sqlite3.connect(path)) as conn:
        state["uniques"] = sorted(
            (table, tuple(c[2] for c in conn.execute(f'PRAGMA index_info("{index[1]}")')))
            for table in state["tables"]
            for index in conn.execute(f'PRAGMA index_list("{table}")')
            if index[3] == "u"
        )
    return state


@pytest.mark.cli
@pytest.mark.sqlite
@pytest.mark.parametrize("name", sorted(SPECS))
def test_operation_on_sqlite(name, tmp_path, sqlite_example_db, script_location):
    _result, versions, _path = generate(tmp_path, SPECS[name])
    runner = AlembicRunner(versions, f"sqlite:///{sqlite_example_db}", script_location)
    before = sqlite_state(sqlite_example_db)
    runner.upgrade("head")
    upgraded = sqlite_state(sqlite_example_db)
    assert upgraded != before, "upgrade() changed nothing on SQLite"
    runner.downgrade("-1")
    assert sqlite_state(sqlite_example_db) == before, "downgrade() does not put the schema back exactly"
    runner.upgrade("head")
    assert sqlite_state(sqlite_example_db) == upgraded


@pytest.mark.cli
@pytest.mark.parametrize("name", sorted(SPECS))
def test_operation_sql_preview_equals_what_alembic_renders(name, tmp_path, script_location):
    spec = SPECS[name]
    versions = copy_project(tmp_path / "proj")
    spec_file = write_spec(tmp_path, spec)
    preview = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE, "--sql"])
    assert preview.code == 0, str(preview)
    written = run(["new", "--spec", str(spec_file), "--versions-dir", str(versions), "--date", DATE])
    assert written.code == 0, str(written)
    ours_up, ours_down = split_sql(preview.stdout)
    runner = AlembicRunner(versions, "postgresql+psycopg://offline@127.0.0.1/offline", script_location)
    assert sql_statements(ours_up) == sql_statements(runner.upgrade_sql(f"{EXAMPLE_HEAD}:{NEW_REVISION}"))
    assert sql_statements(ours_down) == sql_statements(runner.downgrade_sql(f"{NEW_REVISION}:{EXAMPLE_HEAD}"))


@pytest.mark.cli
def test_sql_preview_marks_locks_on_existing_tables(tmp_path):
    versions = copy_project(tmp_path / "proj")
    preview = run(
        [
            "new",
            "--spec",
            str(write_spec(tmp_path, SPECS["add_foreign_key"])),
            "--versions-dir",
            str(versions),
            "--date",
            DATE,
            "--sql",
        ]
    )
    assert preview.code == 0, str(preview)
    text = preview.stdout
    assert (
        "-- lock: SHARE UPDATE EXCLUSIVE on audit_log\nCREATE INDEX CONCURRENTLY idx_audit_log_entity_id ON audit_log (entity_id);"
        in text
    )
    assert (
        "-- lock: SHARE ROW EXCLUSIVE on audit_log, projects\nALTER TABLE audit_log ADD CONSTRAINT fk_audit_log_entity_id"
        in text
    )
    assert "NOT VALID;" in text
    assert (
        "-- lock: SHARE UPDATE EXCLUSIVE on audit_log; ROW SHARE on projects\nALTER TABLE audit_log VALIDATE CONSTRAINT"
        in text
    )


@pytest.mark.cli
def test_unique_column_on_an_existing_table_is_built_without_blocking_writes(tmp_path):
    """A unique column added to a table that exists: its index is built CONCURRENTLY (writes go on),
    then attached as the constraint, which takes ACCESS EXCLUSIVE only for the catalogue."""
    versions = copy_project(tmp_path / "proj")
    spec = write_spec(tmp_path, SPECS["add_columns"])
    preview = run(["new", "--spec", str(spec), "--versions-dir", str(versions), "--date", DATE, "--sql"])
    assert preview.code == 0, str(preview)
    upgrade, downgrade = split_sql(preview.stdout)
    assert (
        "-- lock: SHARE UPDATE EXCLUSIVE on projects\nCREATE UNIQUE INDEX CONCURRENTLY uniq_projects_code ON projects (code);"
        in upgrade
    )
    assert (
        "-- lock: ACCESS EXCLUSIVE on projects\n"
        "ALTER TABLE projects ADD CONSTRAINT uniq_projects_code UNIQUE USING INDEX uniq_projects_code;" in upgrade
    )
    assert "UNIQUE (code)" not in upgrade
    assert "ALTER TABLE projects DROP CONSTRAINT uniq_projects_code;" in downgrade
