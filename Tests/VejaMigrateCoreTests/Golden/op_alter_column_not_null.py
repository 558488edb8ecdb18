"""alter_column_not_null

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
    if op.get_context().dialect.name == "postgresql":
        op.create_check_constraint(
            "chk_tasks_due_date_not_null", "tasks", "due_date IS NOT NULL", postgresql_not_valid=True
        )
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute(
                "DO $backfill$ DECLARE remaining bigint; BEGIN "
                "SELECT count(*) INTO remaining FROM tasks WHERE due_date IS NULL; "
                "WHILE remaining > 0 LOOP "
                "UPDATE tasks SET due_date = '2026-01-01' WHERE ctid IN (SELECT ctid FROM tasks WHERE due_date IS NULL LIMIT 10000); "
                "EXIT WHEN NOT FOUND; remaining = remaining - 10000; COMMIT; "
                "END LOOP; END $backfill$"
            )
    else:
        op.execute("UPDATE tasks SET due_date = '2026-01-01' WHERE due_date IS NULL")
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE tasks VALIDATE CONSTRAINT chk_tasks_due_date_not_null")
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.alter_column("due_date", existing_type=sa.Date(), nullable=False)
    if op.get_context().dialect.name == "postgresql":
        op.drop_constraint("chk_tasks_due_date_not_null", "tasks", type_="check")


def downgrade() -> None:
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.alter_column("due_date", existing_type=sa.Date(), nullable=True)
