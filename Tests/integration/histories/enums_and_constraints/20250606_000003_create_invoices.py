"""create invoices

Revision ID: 20250606_000003
Revises: 20250603_000002
Create Date: 2025-06-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20250606_000003"
down_revision = "20250603_000002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), sa.Identity(), primary_key=True),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.String(30), nullable=False),
        sa.Column(
            "status",
            postgresql.ENUM("draft", "sent", "paid", name="invoice_status", create_type=False),
            nullable=False,
            server_default="draft",
        ),
        sa.Column(
            "currency",
            postgresql.ENUM(name="currency_code", create_type=False),
            nullable=False,
            server_default=sa.text("'EUR'"),
        ),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("issued_on", sa.Date(), server_default=sa.text("CURRENT_DATE"), nullable=False),
        sa.Column("payment_terms", sa.String(10), nullable=False, server_default="NET30"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_invoices_customer", ondelete="RESTRICT", onupdate="CASCADE"
        ),
        sa.UniqueConstraint("customer_id", "number", name="uq_invoices_customer_number"),
        sa.CheckConstraint("payment_terms IN ('NET15', 'NET30', 'NET60')", name="ck_invoices_terms"),
    )


def downgrade() -> None:
    op.drop_table("invoices")
