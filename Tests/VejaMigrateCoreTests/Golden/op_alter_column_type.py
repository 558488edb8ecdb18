"""alter_column_type

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260212_000018"
down_revision = "20260211_000017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column(
            "name",
            existing_type=sa.String(length=255),
            type_=sa.String(length=512),
            existing_nullable=False,
            server_default=sa.text("'untitled'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column(
            "name",
            existing_type=sa.String(length=512),
            type_=sa.String(length=255),
            existing_nullable=False,
            server_default=None,
        )
