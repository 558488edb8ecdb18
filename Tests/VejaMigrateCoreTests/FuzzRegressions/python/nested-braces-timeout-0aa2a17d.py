"""drop_columns

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260212_000018"
down_revision = "20260211_000017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("idx_tasks_assignee_id", table_name="tasks", postgresql_concurrently=True)
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_constraint("fk_tasks_assignee_id", type_="foreignkey")
        batch_op.drop_column("assignee_id")
    with op.get_context().autocommit_block():
        op.drop_index("idx_tasks_open_due_date", table_name="tasks", postgresql_concurrently=True)
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_column("due_date")


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.add_column(sa.Column("due_date", sa.Date(), nullable=True))
    with op.get_context().autocommit_block():
        op.create_index(
            "idx_tasks_open_due_date",
            "tasks",
            ["project_id", "due_date"],
            postgresql_where=sa.text("status <> 'DONE'"),
            sqlite_where=sa.text("status <> 'DONE'"),
            postgresql_concurrently=True,
        )
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.add_column(sa.Column("assignee_id", postgresql.UUID(as_uuid=True), nullable=True))
        batch_op.create_foreign_key(
            "fk_tasks_assignee_id", "users", ["assignee_id"], ["id"], ondelete="SET NULL", postgresql_not_valid=True
        )
    if op.get_context().dialect.name == "postgresql":
        with op.get_co{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ntext().autocommit_block():
            op.execute("ALTER TABLE tasks VALIDATE CONSTRAINT fk_tasks_assignee_id")
    with op.get_context().autocommit_block():
        op.create_index("idx_tasks_assignee_id", "tasks", ["assignee_id"], postgresql_concurrently=True)
