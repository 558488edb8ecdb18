"""alter customer and account columns

Revision ID: 20250310_000003
Revises: 20250304_000002
Create Date: 2025-03-10

Customers get an email and loyalty points; account names become required
(backfilled from the email first); status gets room for longer values.
"""

from __future__ import annotations

from alembic import op

revision = "20250310_000003"
down_revision = "20250304_000002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("ALTER TABLE customers ADD COLUMN email VARCHAR(255)")
    op.execute("ALTER TABLE customers ADD COLUMN IF NOT EXISTS loyalty_points INTEGER NOT NULL DEFAULT 0")
    op.execute("ALTER TABLE customers ALTER COLUMN phone TYPE VARCHAR(40)")
    op.execute("ALTER TABLE customers ALTER COLUMN tags DROP DEFAULT")
    op.execute("ALTER TABLE accounts ALTER COLUMN status TYPE VARCHAR(24) USING status::varchar(24)")
    op.execute("UPDATE accounts SET display_name = email WHERE display_name IS NULL")
    op.execute("ALTER TABLE accounts ALTER COLUMN display_name SET NOT NULL")
    op.execute("ALTER TABLE orders ALTER COLUMN placed_at SET DEFAULT now()")


def downgrade() -> None:
    op.execute("ALTER TABLE orders ALTER COLUMN placed_at DROP DEFAULT")
    op.execute("ALTER TABLE accounts ALTER COLUMN display_name DROP NOT NULL")
    op.execute("ALTER TABLE accounts ALTER COLUMN status TYPE VARCHAR(16) USING status::varchar(16)")
    op.execute("ALTER TABLE customers ALTER COLUMN tags SET DEFAULT '{}'")
    op.execute("ALTER TABLE customers ALTER COLUMN phone TYPE VARCHAR(32)")
    op.execute("ALTER TABLE customers DROP COLUMN IF EXISTS loyalty_points")
    op.execute("ALTER TABLE customers DROP COLUMN email")
