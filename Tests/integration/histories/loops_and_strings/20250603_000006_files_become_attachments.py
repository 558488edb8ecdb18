"""files become attachments

Revision ID: 20250603_000006
Revises: 20250527_000005
Create Date: 2025-06-03

The other indexes keep their ix_files_* names; only the tenant index is renamed.
"""

from __future__ import annotations

from alembic import op

revision = "20250603_000006"
down_revision = "20250527_000005"
branch_labels = None
depends_on = None

OLD, NEW = "files", "attachments"


def upgrade() -> None:
    op.rename_table(OLD, NEW)
    op.alter_column(NEW, "title", new_column_name="filename")
    op.execute("ALTER INDEX ix_%s_tenant_id RENAME TO ix_%s_tenant_id" % (OLD, NEW))
    op.execute("ALTER TABLE notes RENAME COLUMN title TO heading")


def downgrade() -> None:
    op.execute("ALTER TABLE notes RENAME COLUMN heading TO title")
    op.execute("ALTER INDEX ix_%s_tenant_id RENAME TO ix_%s_tenant_id" % (NEW, OLD))
    op.alter_column(NEW, "filename", new_column_name="title")
    op.rename_table(NEW, OLD)
