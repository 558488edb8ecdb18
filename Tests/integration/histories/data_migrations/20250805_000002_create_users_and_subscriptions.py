"""create users and subscriptions

Revision ID: 20250805_000002
Revises: 20250801_000001
Create Date: 2025-08-05

Users are imported from the old system with their plan code; a few emails
differ only in case (cleaned up later).
"""

from __future__ import annotations

import datetime

import sqlalchemy as sa
from alembic import op

revision = "20250805_000002"
down_revision = "20250801_000001"
branch_labels = None
depends_on = None

users_table = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("email", sa.String),
    sa.column("plan_code", sa.String),
    sa.column("signup_source", sa.String),
)
subscriptions_table = sa.table(
    "subscriptions",
    sa.column("user_id", sa.Integer),
    sa.column("plan_id", sa.Integer),
    sa.column("started_on", sa.Date),
    sa.column("status", sa.String),
)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("plan_code", sa.String(32), nullable=True),
        sa.Column("signup_source", sa.String(20), nullable=True),
    )
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("plan_id", sa.Integer(), sa.ForeignKey("plans.id"), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="active"),
    )
    op.bulk_insert(
        users_table,
        [
            {"id": 1, "email": "ana@example.com", "plan_code": "free", "signup_source": "web"},
            {"id": 2, "email": "jonas@example.com", "plan_code": "pro", "signup_source": None},
            {"id": 3, "email": "Ana@Example.com", "plan_code": "pro", "signup_source": None},
            {"id": 4, "email": "ruta@example.com", "plan_code": "team", "signup_source": "ios"},
        ],
    )
    op.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), 4)")
    op.bulk_insert(
        subscriptions_table,
        [
            {"user_id": 2, "plan_id": 2, "started_on": datetime.date(2025, 7, 1), "status": "active"},
            {"user_id": 4, "plan_id": 3, "started_on": datetime.date(2025, 6, 15), "status": "canceled"},
        ],
        multiinsert=False,
    )


def downgrade() -> None:
    op.drop_table("subscriptions")
    op.drop_table("users")
