"""add estimate and position to tasks

Revision ID: 20260115_000016
Revises: 20251202_000015
Create Date: 2026-01-15

position orders tasks inside a board column; the index serves the board query.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260115_000016"
down_revision = "20251202_000015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.add_column(sa.Column("estimate_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("position", sa.Integer(), server_default=sa.text("0"), nullable=False))
    op.create_index("idx_tasks_project_id_position", "tasks", ["project_id", "position"])


def downgrade() -> None:
    op.drop_index("idx_tasks_project_id_position", table_name="tasks")
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_column("position")
        batch_op.drop_column("estimate_minutes")
