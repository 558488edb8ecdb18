"""create customers

Revision ID: 20250603_000002
Revises: 20250601_000001
Create Date: 2025-06-03

customer_kind is created by create_table itself (sa.Enum with a name).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250603_000002"
down_revision = "20250601_000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=True), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.Enum("person", "company", name="customer_kind"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.UniqueConstraint("code", name="uq_customers_code"),
        sa.CheckConstraint("char_length(code) >= 3", name="ck_customers_code_len"),
    )


def downgrade() -> None:
    op.drop_table("customers")
    op.execute("DROP TYPE customer_kind")
