"""create feature flags table

Revision ID: 20251117_000014
Revises: 20251103_000013
Create Date: 2025-11-17

Written as raw SQL by hand: the flags table is shared with the ops scripts,
which seed it directly. The partial index speeds up the board's open-task
query and is plain SQL on both PostgreSQL and SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20251117_000014"
down_revision = "20251103_000013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE feature_flags (
            key VARCHAR(64) NOT NULL PRIMARY KEY,
            enabled BOOLEAN NOT NULL DEFAULT FALSE,
            description TEXT,
            updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
        )
        """
    )
    op.execute("INSERT INTO feature_flags (key, enabled, description) VALUES ('new_board', FALSE, 'Kanban board v2')")
    op.execute("CREATE INDEX idx_tasks_open_due_date ON tasks (project_id, due_date) WHERE status <> 'DONE'")


def downgrade() -> None:
    op.execute("DROP INDEX idx_tasks_open_due_date")
    op.execute("DROP TABLE feature_flags")
