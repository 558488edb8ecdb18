"""backfill signup source

Revision ID: 20250808_000003
Revises: 20250805_000002
Create Date: 2025-08-08

Imported users without a source came from the website.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250808_000003"
down_revision = "20250805_000002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("UPDATE users SET signup_source = :src WHERE signup_source IS NULL"), {"src": "web"})
    op.alter_column("users", "signup_source", existing_type=sa.String(20), nullable=False)


def downgrade() -> None:
    op.alter_column("users", "signup_source", existing_type=sa.String(20), nullable=True)
