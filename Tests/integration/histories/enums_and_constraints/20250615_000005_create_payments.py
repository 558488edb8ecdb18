"""create payments

Revision ID: 20250615_000005
Revises: 20250610_000004
Create Date: 2025-06-15

The table is SQL (copied from the payment provider's reference schema); the
foreign key is deferred so a payment and its invoice can be written in any
order inside one transaction.
"""

from __future__ import annotations

from alembic import op

revision = "20250615_000005"
down_revision = "20250610_000004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE payments (
            id BIGSERIAL PRIMARY KEY,
            invoice_id INTEGER NOT NULL,
            method VARCHAR(16) NOT NULL,
            amount NUMERIC(12, 2) NOT NULL,
            currency currency_code NOT NULL DEFAULT 'EUR',
            received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            CONSTRAINT ck_payments_method CHECK (method = ANY (ARRAY['card', 'transfer', 'cash'])),
            CONSTRAINT ck_payments_amount CHECK (amount > 0)
        )
        """
    )
    op.create_foreign_key(
        "fk_payments_invoice",
        "payments",
        "invoices",
        ["invoice_id"],
        ["id"],
        ondelete="CASCADE",
        deferrable=True,
        initially="DEFERRED",
    )


def downgrade() -> None:
    op.drop_constraint("fk_payments_invoice", "payments", type_="foreignkey")
    op.execute("DROP TABLE payments")
