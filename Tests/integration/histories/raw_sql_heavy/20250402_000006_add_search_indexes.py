"""add search indexes

Revision ID: 20250402_000006
Revises: 20250320_000005
Create Date: 2025-04-02

The unique index on customers is built CONCURRENTLY, which cannot run in a
transaction: hence the autocommit block.
"""

from __future__ import annotations

from alembic import op

revision = "20250402_000006"
down_revision = "20250320_000005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX idx_orders_placed_at_desc ON orders (placed_at DESC NULLS LAST)")
    op.execute("CREATE INDEX idx_orders_open ON orders (customer_id) WHERE placed_at IS NULL")
    op.execute("CREATE INDEX idx_customers_tags ON customers USING gin (tags)")
    op.execute("CREATE INDEX IF NOT EXISTS idx_customers_lower_email ON customers (lower(email))")
    with op.get_context().autocommit_block():
        op.execute(
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_customers_account_email ON customers (account_id, email)"
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute("DROP INDEX CONCURRENTLY IF EXISTS uq_customers_account_email")
    op.execute("DROP INDEX IF EXISTS idx_customers_lower_email")
    op.execute("DROP INDEX idx_customers_tags")
    op.execute("DROP INDEX idx_orders_open")
    op.execute("DROP INDEX idx_orders_placed_at_desc")
