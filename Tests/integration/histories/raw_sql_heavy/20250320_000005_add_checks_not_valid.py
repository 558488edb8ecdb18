"""add checks without a long lock

Revision ID: 20250320_000005
Revises: 20250314_000004
Create Date: 2025-03-20

NOT VALID first, VALIDATE afterwards, so writes keep going. The phone check
stays NOT VALID until the old rows are cleaned up.
"""

from __future__ import annotations

from alembic import op

revision = "20250320_000005"
down_revision = "20250314_000004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "ALTER TABLE orders ADD CONSTRAINT chk_orders_placed_or_noted"
        " CHECK (placed_at IS NOT NULL OR note IS NOT NULL) NOT VALID"
    )
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_placed_or_noted")
    op.execute(
        """
        ALTER TABLE customers
            ADD CONSTRAINT chk_customers_phone_digits CHECK (phone ~ '^[0-9+ ]+$') NOT VALID
        """
    )


def downgrade() -> None:
    op.execute("ALTER TABLE customers DROP CONSTRAINT chk_customers_phone_digits")
    op.execute("ALTER TABLE orders DROP CONSTRAINT IF EXISTS chk_orders_placed_or_noted")
