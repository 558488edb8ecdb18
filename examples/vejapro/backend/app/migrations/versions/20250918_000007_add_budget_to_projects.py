"""add budget to projects

Revision ID: 20250918_000007
Revises: 20250915_000006
Create Date: 2025-09-18
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20250918_000007"
down_revision = "20250915_000006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.add_column(sa.Column("budget", sa.Numeric(12, 2), nullable=True))
        batch_op.add_column(sa.Column("currency", sa.String(length=3), server_default=sa.text("'EUR'"), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_column("currency")
        batch_op.drop_column("budget")
