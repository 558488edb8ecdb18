"""create customers and orders

Revision ID: 20250304_000002
Revises: 20250301_000001
Create Date: 2025-03-04

Both tables in one script, the way they were first tried out in psql.
"""

from __future__ import annotations

from alembic import op

revision = "20250304_000002"
down_revision = "20250301_000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE customers (
            id SERIAL PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            phone VARCHAR(32),
            tags TEXT[] NOT NULL DEFAULT '{}',
            created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
        );

        CREATE TABLE orders (
            id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
            customer_id INTEGER NOT NULL,
            total NUMERIC(12, 2) NOT NULL DEFAULT 0,
            placed_at TIMESTAMPTZ,
            note TEXT,
            CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id)
                REFERENCES customers (id) ON DELETE RESTRICT ON UPDATE CASCADE,
            CONSTRAINT chk_orders_total_positive CHECK (total >= 0)
        );
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE orders; DROP TABLE customers;")
