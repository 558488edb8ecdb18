"""create order items

Revision ID: 20250314_000004
Revises: 20250310_000003
Create Date: 2025-03-14

Constraints are left unnamed on purpose: PostgreSQL's own names
(order_items_pkey, order_items_quantity_check, ...) are what the DBAs expect.
"""

from __future__ import annotations

from alembic import op

revision = "20250314_000004"
down_revision = "20250310_000003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE IF NOT EXISTS order_items (
            order_id UUID NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
            line_no SMALLINT NOT NULL,
            sku VARCHAR(64) NOT NULL,
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            unit_price NUMERIC(10, 2) NOT NULL,
            PRIMARY KEY (order_id, line_no),
            UNIQUE (order_id, sku)
        )
        """
    )
    op.execute("CREATE INDEX idx_order_items_sku ON order_items (sku)")


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS order_items")
