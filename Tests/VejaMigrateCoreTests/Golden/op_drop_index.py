"""drop_index

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
        op.drop_index("idx_tasks_open_due_date", table_name="tasks", postgresql_concurrently=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.create_index(
            "idx_tasks_open_due_date",
            "tasks",
            ["project_id", "due_date"],
            postgresql_where=sa.text("status <> 'DONE'"),
            sqlite_where=sa.text("status <> 'DONE'"),
            postgresql_concurrently=True,
        )
