"""create plans

Revision ID: 20250801_000001
Revises: None
Create Date: 2025-08-01

The three public plans are seeded here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250801_000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    plans = op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("is_public", sa.Boolean(), server_default=sa.true(), nullable=False),
    )
    op.bulk_insert(
        plans,
        [
            {"code": "free", "name": "Free", "price_cents": 0},
            {"code": "pro", "name": "Pro", "price_cents": 12},
            {"code": "team", "name": "Team", "price_cents": 4900},
        ],
    )


def downgrade() -> None:
    op.drop_table("plans")
