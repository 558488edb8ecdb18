"""tidy defaults and nulls

Revision ID: 20250520_000009
Revises: 20250502_000008
Create Date: 2025-05-20

display_name is dropped (the UI shows the email); totals no longer default
to 0; loyalty starts at 10 points; the open-orders index was never used.
"""

from __future__ import annotations

from alembic import op

revision = "20250520_000009"
down_revision = "20250502_000008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE accounts DROP COLUMN IF EXISTS display_name")
    op.execute(
        """
        ALTER TABLE orders ALTER COLUMN total DROP DEFAULT;
        ALTER TABLE customers ALTER COLUMN loyalty_points SET DEFAULT 10;
        ALTER TABLE customers ALTER COLUMN name DROP NOT NULL;
        ALTER TABLE customers ALTER COLUMN email SET NOT NULL;
        """
    )
    op.execute("DROP INDEX IF EXISTS idx_orders_open")


def downgrade() -> None:
    op.execute("CREATE INDEX idx_orders_open ON orders (customer_id) WHERE placed_at IS NULL")
    op.execute(
        """
        ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;
        ALTER TABLE customers ALTER COLUMN name SET NOT NULL;
        ALTER TABLE customers ALTER COLUMN loyalty_points SET DEFAULT 0;
        ALTER TABLE orders ALTER COLUMN total SET DEFAULT 0;
        """
    )
    op.execute("ALTER TABLE accounts ADD COLUMN display_name VARCHAR(120)")
    op.execute("UPDATE accounts SET display_name = email")
    op.execute("ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL")
