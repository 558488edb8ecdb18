"""create enum types

Revision ID: 20250601_000001
Revises: None
Create Date: 2025-06-01

Shared enum types are created once here; tables use them with create_type=False.
"""

from __future__ import annotations

from alembic import op

revision = "20250601_000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE TYPE invoice_status AS ENUM ('draft', 'sent', 'paid')")
    op.execute("CREATE TYPE currency_code AS ENUM ('EUR', 'USD')")


def downgrade() -> None:
    op.execute("DROP TYPE currency_code")
    op.execute("DROP TYPE invoice_status")
