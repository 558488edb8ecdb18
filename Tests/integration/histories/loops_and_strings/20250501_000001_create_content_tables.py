"""create content tables

Revision ID: 20250501_000001
Revises: None
Create Date: 2025-05-01

notes, files and events start with the same shape.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250501_000001"
down_revision = None
branch_labels = None
depends_on = None

TABLES = ["notes", "files", "events"]


def upgrade() -> None:
    for name in TABLES:
        op.create_table(
            name,
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("title", sa.String(200), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        )


def downgrade() -> None:
    for name in reversed(TABLES):
        op.drop_table(name)
