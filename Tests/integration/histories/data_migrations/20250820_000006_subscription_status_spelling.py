"""subscription status spelling

Revision ID: 20250820_000006
Revises: 20250815_000005
Create Date: 2025-08-20

"canceled" becomes "cancelled" before the check constraint pins the values.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250820_000006"
down_revision = "20250815_000005"
branch_labels = None
depends_on = None

subscriptions = sa.table("subscriptions", sa.column("status", sa.String))


def upgrade() -> None:
    op.execute(
        subscriptions.update()
        .where(subscriptions.c.status == op.inline_literal("canceled"))
        .values(status=op.inline_literal("cancelled"))
    )
    op.create_check_constraint(
        "ck_subscriptions_status", "subscriptions", "status IN ('active', 'cancelled', 'paused')"
    )


def downgrade() -> None:
    op.drop_constraint("ck_subscriptions_status", "subscriptions", type_="check")
    op.execute(
        subscriptions.update()
        .where(subscriptions.c.status == op.inline_literal("cancelled"))
        .values(status=op.inline_literal("canceled"))
    )
