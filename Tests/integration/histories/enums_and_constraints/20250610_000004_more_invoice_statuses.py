"""more invoice statuses

Revision ID: 20250610_000004
Revises: 20250606_000003
Create Date: 2025-06-10

ALTER TYPE ... ADD VALUE cannot be used in the transaction that adds it, so
it runs in an autocommit block. The downgrade rebuilds the type.
"""

from __future__ import annotations

from alembic import op

revision = "20250610_000004"
down_revision = "20250606_000003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute("ALTER TYPE invoice_status ADD VALUE IF NOT EXISTS 'void' AFTER 'paid'")
        op.execute("ALTER TYPE invoice_status ADD VALUE 'overdue' BEFORE 'paid'")


def downgrade() -> None:
    op.execute("ALTER TABLE invoices ALTER COLUMN status DROP DEFAULT")
    op.execute("ALTER TYPE invoice_status RENAME TO invoice_status_old")
    op.execute("CREATE TYPE invoice_status AS ENUM ('draft', 'sent', 'paid')")
    op.execute("ALTER TABLE invoices ALTER COLUMN status TYPE invoice_status USING status::text::invoice_status")
    op.execute("ALTER TABLE invoices ALTER COLUMN status SET DEFAULT 'draft'")
    op.execute("DROP TYPE invoice_status_old")
