"""updated_at everywhere

Revision ID: 20250520_000004
Revises: 20250512_000003
Create Date: 2025-05-20

Written as SQL so the DEFAULT applies to existing rows in one statement.
"""

from __future__ import annotations

from alembic import op

revision = "20250520_000004"
down_revision = "20250512_000003"
branch_labels = None
depends_on = None

TABLES = ["notes", "files", "events"]


def upgrade() -> None:
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()")
        op.execute("CREATE INDEX ix_" + table + "_updated_at ON " + table + " (updated_at DESC)")
        op.execute("COMMENT ON COLUMN {}.updated_at IS 'set by the application'".format(table))


def downgrade() -> None:
    for table in TABLES:
        op.execute("DROP INDEX ix_%s_updated_at" % table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN updated_at")
