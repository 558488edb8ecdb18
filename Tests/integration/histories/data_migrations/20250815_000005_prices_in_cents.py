"""prices in cents

Revision ID: 20250815_000005
Revises: 20250812_000004
Create Date: 2025-08-15

The pro plan was entered in euros by mistake. Plans get a currency.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250815_000005"
down_revision = "20250812_000004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("UPDATE plans SET price_cents = price_cents * 100 WHERE price_cents > 0 AND price_cents < 100")
    op.execute("ALTER TABLE plans ALTER COLUMN price_cents SET DEFAULT 0")
    op.add_column("plans", sa.Column("currency", sa.String(3), nullable=False, server_default="EUR"))


def downgrade() -> None:
    op.drop_column("plans", "currency")
    op.execute("ALTER TABLE plans ALTER COLUMN price_cents DROP DEFAULT")
    conn = op.get_bind()
    conn.exec_driver_sql("UPDATE plans SET price_cents = price_cents / 100 WHERE code = 'pro'")
