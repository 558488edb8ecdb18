"""renewal dates

Revision ID: 20250826_000007
Revises: 20250820_000006
Create Date: 2025-08-26

renews_on is filled for every subscription, then required. New subscriptions
start paused until the first payment.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250826_000007"
down_revision = "20250820_000006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("subscriptions", sa.Column("renews_on", sa.Date(), nullable=True))
    op.execute("UPDATE subscriptions SET renews_on = started_on + 30")
    op.alter_column("subscriptions", "renews_on", existing_type=sa.Date(), nullable=False)
    op.execute("ALTER TABLE subscriptions ALTER COLUMN status SET DEFAULT 'paused'")


def downgrade() -> None:
    op.execute("ALTER TABLE subscriptions ALTER COLUMN status SET DEFAULT 'active'")
    op.drop_column("subscriptions", "renews_on")
