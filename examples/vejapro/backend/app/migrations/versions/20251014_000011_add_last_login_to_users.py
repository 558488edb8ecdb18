"""add last login to users

Revision ID: 20251014_000011
Revises: 20251001_000010
Create Date: 2025-10-14
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20251014_000011"
down_revision = "20251001_000010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("timezone", sa.String(length=64), server_default=sa.text("'UTC'"), nullable=False)
        )
    op.create_index("idx_users_last_login_at", "users", ["last_login_at"])


def downgrade() -> None:
    op.drop_index("idx_users_last_login_at", table_name="users")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("timezone")
        batch_op.drop_column("last_login_at")
