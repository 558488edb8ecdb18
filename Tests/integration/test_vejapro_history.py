"""Issue 9's "done": every schema-changing migration of the VejaPRO-style example history made again
through a spec, on top of the history before it, and proven with real Alembic on PostgreSQL and
SQLite: upgrade, downgrade (the schema as it was), upgrade; and the schema the spec's migration
leaves equals the one the original migration leaves.

What a spec cannot say, and so is not compared:
- 000014 inserts a row into feature_flags (`INSERT INTO ...`): a data migration, not a schema change;
- 000016 guards each step with `if not _has_column(...)`, so it can run on a database that has the
  columns already: a spec is written for the schema the history gives, where they do not exist;
  it adds `position` NOT NULL with its default at once, where the original adds it nullable,
  fills it, then sets the default and NOT NULL (the same end state);
- the order of columns in a table (PostgreSQL's attnum): a column the spec adds comes last, like the
  original's, but a created table lists its columns in the spec's order, which here is the original's.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic_run import AlembicRunner
from dbschema import pg_snapshot
from test_operations import sqlite_state
from vmcli import DATE, EXAMPLE_VERSIONS, run, write_spec

UUID_PK = {"name": "id", "type": "uuid", "primary_key": True}
NOW = {"type": "datetime", "nullable": False, "default": "now"}


def col(name: str, type_: str, **options) -> dict:
    return {"name": name, "type": type_, **options}


def fk(table: str, ondelete: str) -> dict:
    return {"table": table, "column": "id", "ondelete": ondelete}


def table(name: str, columns: list[dict], **options) -> dict:
    return {"create_table": {"name": name, "columns": columns, **options}}


def created_at() -> dict:
    return {"name": "created_at", **NOW}


# The migration each spec makes again, by the sequence number of the original.
SPECS: dict[int, dict] = {
    1: {
        "description": "create users table",
        **table(
            "users",
            [
                UUID_PK,
                col("email", "string", nullable=False, unique=True),
                col("full_name", "string", nullable=False),
                col("password_hash", "string"),
                col("role", "string", length=32, nullable=False, enum=["ADMIN", "MEMBER", "VIEWER"], default="MEMBER"),
                col("is_active", "boolean", nullable=False, default=True),
            ],
            timestamps=True,
        ),
    },
    2: {
        "description": "create projects table",
        **table(
            "projects",
            [
                UUID_PK,
                col("owner_id", "uuid", nullable=False, foreign_key=fk("users", "RESTRICT")),
                col("name", "string", nullable=False),
                col("description", "text"),
                col(
                    "status",
                    "string",
                    length=32,
                    nullable=False,
                    enum=["DRAFT", "ACTIVE", "COMPLETED"],
                    default="DRAFT",
                    index=True,
                ),
            ],
            timestamps=True,
        ),
    },
    3: {
        "description": "create project members table",
        **table(
            "project_members",
            [
                col("project_id", "uuid", primary_key=True, foreign_key=fk("projects", "CASCADE")),
                col("user_id", "uuid", primary_key=True, foreign_key=fk("users", "CASCADE")),
                col(
                    "role",
                    "string",
                    length=32,
                    nullable=False,
                    enum=["OWNER", "MAINTAINER", "CONTRIBUTOR", "GUEST"],
                    default="CONTRIBUTOR",
                ),
                {"name": "joined_at", **NOW},
            ],
        ),
    },
    4: {
        "description": "create tasks table",
        **table(
            "tasks",
            [
                UUID_PK,
                col("project_id", "uuid", nullable=False, foreign_key=fk("projects", "CASCADE")),
                col("assignee_id", "uuid", foreign_key=fk("users", "SET NULL")),
                col("title", "string", nullable=False),
                col("description", "text"),
                col(
                    "status",
                    "string",
                    length=32,
                    nullable=False,
                    enum=["TODO", "IN_PROGRESS", "IN_REVIEW", "DONE"],
                    default="TODO",
                ),
                col("priority", "smallint", nullable=False, default=0),
                col("due_date", "date"),
            ],
            timestamps=True,
            indexes=[{"columns": ["project_id", "status"]}],
        ),
    },
    5: {
        "description": "create comments table",
        **table(
            "comments",
            [
                UUID_PK,
                col("task_id", "uuid", nullable=False, foreign_key=fk("tasks", "CASCADE")),
                col("author_id", "uuid", foreign_key=fk("users", "SET NULL")),
                col("body", "text", nullable=False),
                col("edited_at", "datetime"),
            ],
            timestamps=True,
        ),
    },
    6: {
        "description": "create attachments table",
        **table(
            "attachments",
            [
                UUID_PK,
                col("task_id", "uuid", nullable=False, foreign_key=fk("tasks", "CASCADE")),
                col("uploaded_by", "uuid", foreign_key=fk("users", "SET NULL")),
                col("file_name", "string", nullable=False),
                col("content_type", "string", length=127, nullable=False),
                col("size_bytes", "bigint", nullable=False),
                col("storage_key", "string", length=512, nullable=False, unique=True),
                col("metadata", "jsonb", nullable=False, default={}),
                created_at(),
            ],
        ),
    },
    7: {
        "description": "add budget to projects",
        "add_columns": {
            "table": "projects",
            "columns": [
                col("budget", "numeric", precision=12, scale=2),
                col("currency", "string", length=3, nullable=False, default="EUR"),
            ],
        },
    },
    8: {
        "description": "create api keys table",
        **table(
            "api_keys",
            [
                UUID_PK,
                col("user_id", "uuid", nullable=False, foreign_key=fk("users", "CASCADE")),
                col("name", "string", length=128, nullable=False),
                col("key_prefix", "string", length=12, nullable=False, index=True),
                col("key_hash", "string", length=128, nullable=False, unique=True),
                col("scopes", "jsonb", nullable=False, default=[]),
                col("last_used_at", "datetime"),
                col("expires_at", "datetime"),
                col("revoked_at", "datetime"),
                created_at(),
            ],
        ),
    },
    9: {
        "description": "create audit log table",
        **table(
            "audit_log",
            [
                col("id", "bigint", primary_key=True),
                col("actor_id", "uuid", foreign_key=fk("users", "SET NULL")),
                col("action", "string", length=64, nullable=False),
                col("entity_type", "string", length=64, nullable=False),
                col("entity_id", "uuid"),
                col("ip_address", "string", length=45),
                col("payload", "jsonb", nullable=False, default={}),
                {"name": "created_at", **NOW, "index": True},
            ],
            indexes=[{"columns": ["entity_type", "entity_id"]}],
        ),
    },
    10: {
        "description": "create labels tables",
        "operations": [
            table(
                "labels",
                [
                    UUID_PK,
                    col("project_id", "uuid", nullable=False, foreign_key=fk("projects", "CASCADE")),
                    col("name", "string", length=64, nullable=False),
                    col("color", "string", length=7, nullable=False, default="#888888"),
                ],
                indexes=[{"columns": ["project_id", "name"], "unique": True}],
            ),
            table(
                "task_labels",
                [
                    col("task_id", "uuid", primary_key=True, foreign_key=fk("tasks", "CASCADE")),
                    col("label_id", "uuid", primary_key=True, foreign_key=fk("labels", "CASCADE")),
                ],
            ),
        ],
    },
    11: {
        "description": "add last login to users",
        "add_columns": {
            "table": "users",
            "columns": [
                col("last_login_at", "datetime", index=True),
                col("timezone", "string", length=64, nullable=False, default="UTC"),
            ],
        },
    },
    12: {
        "description": "add on hold and archived project statuses",
        "alter_enum": {
            "table": "projects",
            "column": "status",
            "values": ["DRAFT", "ACTIVE", "ON_HOLD", "COMPLETED", "ARCHIVED"],
        },
    },
    13: {
        "description": "create notifications table",
        **table(
            "notifications",
            [
                UUID_PK,
                col("user_id", "uuid", nullable=False, foreign_key=fk("users", "CASCADE")),
                col(
                    "kind",
                    "string",
                    length=32,
                    nullable=False,
                    enum=["TASK_ASSIGNED", "TASK_COMMENTED", "PROJECT_INVITE", "MENTION"],
                ),
                col("payload", "jsonb", nullable=False, default={}),
                col("read_at", "datetime"),
                created_at(),
            ],
            indexes=[{"columns": ["user_id", "read_at"]}],
        ),
    },
    14: {
        "description": "create feature flags table",
        "operations": [
            table(
                "feature_flags",
                [
                    col("key", "string", length=64, primary_key=True),
                    col("enabled", "boolean", nullable=False, default=False),
                    col("description", "text"),
                    # The original's raw SQL wrote CURRENT_TIMESTAMP; "now" would write now().
                    col("updated_at", "datetime", nullable=False, default={"sql": "CURRENT_TIMESTAMP"}),
                ],
            ),
            {
                "create_index": {
                    "table": "tasks",
                    "columns": ["project_id", "due_date"],
                    "where": "status <> 'DONE'",
                    "name": "idx_tasks_open_due_date",
                }
            },
        ],
    },
    15: {
        "description": "create invitations table",
        **table(
            "invitations",
            [
                UUID_PK,
                col("project_id", "uuid", nullable=False, foreign_key=fk("projects", "CASCADE")),
                col("invited_by", "uuid", foreign_key=fk("users", "SET NULL")),
                col("email", "string", nullable=False, index=True),
                col(
                    "role",
                    "string",
                    length=32,
                    nullable=False,
                    enum=["MAINTAINER", "CONTRIBUTOR", "GUEST"],
                    default="CONTRIBUTOR",
                ),
                col("token_hash", "string", length=128, nullable=False, unique=True),
                col("accepted_at", "datetime"),
                col("expires_at", "datetime", nullable=False),
                created_at(),
            ],
        ),
    },
    16: {
        "description": "add estimate and position to tasks",
        "operations": [
            {
                "add_columns": {
                    "table": "tasks",
                    "columns": [
                        col("estimate_minutes", "integer"),
                        col("position", "integer", nullable=False, default=0),
                    ],
                }
            },
            {"create_index": {"table": "tasks", "columns": ["project_id", "position"]}},
        ],
    },
    17: {
        "description": "create webhooks table",
        **table(
            "webhooks",
            [
                UUID_PK,
                col("project_id", "uuid", nullable=False, foreign_key=fk("projects", "CASCADE")),
                col("url", "string", length=2048, nullable=False),
                col("secret", "string", length=128, nullable=False),
                col("events", "jsonb", nullable=False, default=[]),
                col("is_active", "boolean", nullable=False, default=True),
                col("failure_count", "integer", nullable=False, default=0),
                col("last_delivery_at", "datetime"),
            ],
            timestamps=True,
        ),
    },
}


def sqlite_check_conditions(path: Path) -> list[tuple[str, str, str]]:
    """Each CHECK's condition as SQLite keeps it in the table's SQL (`sqlite_state` has only names),
    whitespace collapsed: alter_enum changes the condition, not the name."""
    out = []
    with closing(sqlite3.connect(path)) as conn:
        for table, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
            for match in re.finditer(r'CONSTRAINT\s+"?(\w+)"?\s+CHECK\s*\(', sql or ""):
                depth, i = 1, match.end()
                while depth and i < len(sql):
                    depth += {"(": 1, ")": -1}.get(sql[i], 0)
                    i += 1
                out.append((table, match.group(1), " ".join(sql[match.end() : i - 1].split())))
    return sorted(out)


ORIGINALS = sorted(p for p in EXAMPLE_VERSIONS.glob("*.py"))


def test_every_migration_of_the_history_has_a_spec():
    assert [int(p.name.split("_")[1]) for p in ORIGINALS] == sorted(SPECS)


def prepare(tmp_path: Path, number: int) -> tuple[Path, Path, Path]:
    """Two versions directories on top of the history before `number`: one with the spec's new
    migration, one with the original. Returns (spec dir, original dir, the spec's file)."""
    before = ORIGINALS[: number - 1]
    ours, theirs = tmp_path / "ours" / "versions", tmp_path / "theirs" / "versions"
    for directory in (ours, theirs):
        directory.mkdir(parents=True)
        for path in before:
            shutil.copy(path, directory / path.name)
    shutil.copy(ORIGINALS[number - 1], theirs / ORIGINALS[number - 1].name)
    result = run(
        ["new", "--spec", str(write_spec(tmp_path, SPECS[number])), "--versions-dir", str(ours), "--date", DATE]
    )
    assert result.code == 0, str(result)
    (written,) = [p for p in ours.glob("*.py") if p.name not in {q.name for q in before}]
    return ours, theirs, written


def prove(ours: AlembicRunner, theirs: AlembicRunner, number: int, snapshot) -> None:
    if number > 1:
        # The history before, the same files in both directories.
        ours.upgrade("_".join(ORIGINALS[number - 2].name.split("_")[:2]))
    before = snapshot()
    ours.upgrade("head")
    made = snapshot()
    assert made != before, "the spec's migration changed nothing"
    ours.downgrade("-1")
    assert snapshot() == before, "downgrade() does not put the schema back exactly"
    ours.upgrade("head")
    assert snapshot() == made
    ours.downgrade("-1")
    theirs.upgrade("head")
    assert snapshot() == made, "the spec's migration does not do what the original did"


@pytest.mark.cli
@pytest.mark.postgres
@pytest.mark.parametrize("number", sorted(SPECS))
def test_history_migration_through_a_spec_on_postgres(number, tmp_path, pg_server, pg_db, script_location):
    ours, theirs, _ = prepare(tmp_path, number)
    url = pg_server.url(pg_db)

    def snapshot():
        with pg_server.connect(pg_db) as conn:
            return pg_snapshot(conn)

    prove(AlembicRunner(ours, url, script_location), AlembicRunner(theirs, url, script_location), number, snapshot)


@pytest.mark.cli
@pytest.mark.sqlite
@pytest.mark.parametrize("number", sorted(SPECS))
def test_history_migration_through_a_spec_on_sqlite(number, tmp_path, script_location):
    ours, theirs, _ = prepare(tmp_path, number)
    db = tmp_path / "test.db"
    url = f"sqlite:///{db}"

    def snapshot():
        state = sqlite_state(db)
        state["check_conditions"] = sqlite_check_conditions(db)
        return state

    prove(AlembicRunner(ours, url, script_location), AlembicRunner(theirs, url, script_location), number, snapshot)
