"""rename order items to order lines

Revision ID: 20250415_000007
Revises: 20250402_000006
Create Date: 2025-04-15

Only the table and one index are renamed; the constraints keep their old
order_items_* names (PostgreSQL does not rename them).
"""

from __future__ import annotations

from alembic import op

revision = "20250415_000007"
down_revision = "20250402_000006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE customers RENAME COLUMN phone TO phone_number")
    op.execute("ALTER TABLE order_items RENAME TO order_lines")
    op.execute("ALTER INDEX idx_order_items_sku RENAME TO idx_order_lines_sku")
    op.execute("ALTER INDEX IF EXISTS idx_customers_lower_email RENAME TO idx_customers_email_lower")


def downgrade() -> None:
    op.execute("ALTER INDEX IF EXISTS idx_customers_email_lower RENAME TO idx_customers_lower_email")
    op.execute("ALTER INDEX idx_order_lines_sku RENAME TO idx_order_items_sku")
    op.execute("ALTER TABLE order_lines RENAME TO order_items")
    op.execute("ALTER TABLE customers RENAME COLUMN phone_number TO phone")
