"""add estimate and position to tasks

Revision ID: 20260115_000016
Revises: 20251202_000015
Create Date: 2026-01-15

position orders tasks inside a board column; the index serves the board query.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260115_000016"
down_revision = "20251202_000015"
branch_labels = None
depends_on = None


def _has_column(table: str, column: str) -> bool:
    """Staging was patched by hand once; re-running must not fail."""
    if context.is_offline_mode():
        return False  # `alembic upgrade --sql`: nothing to inspect
    return column in [c["name"] for c in sa.inspect(op.get_bind()).get_columns(table)]


def upgrade() -> None:
    bind = op.get_bind()
    if not _has_column("tasks", "estimate_minutes"):
        op.add_column("tasks", sa.Column("estimate_minutes", sa.Integer(), nullable=True))
    if not _has_column("tasks", "position"):
        op.add_column("tasks", sa.Column("position", sa.Integer(), nullable=True))
        op.execute("UPDATE tasks SET position = 0 WHERE position IS NULL")
        if bind.dialect.name == "postgresql":
            op.execute("ALTER TABLE tasks ALTER COLUMN position SET DEFAULT 0")
            op.execute("ALTER TABLE tasks ALTER COLUMN position SET NOT NULL")
        else:
            with op.batch_alter_table("tasks") as batch_op:
                batch_op.alter_column(
                    "position", existing_type=sa.Integer(), server_default=sa.text("0"), nullable=False
                )
    op.create_index("idx_tasks_project_id_position", "tasks", ["project_id", "position"])


def downgrade() -> None:
    op.drop_index("idx_tasks_project_id_position", table_name="tasks")
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_column("position")
        batch_op.drop_column("estimate_minutes")
