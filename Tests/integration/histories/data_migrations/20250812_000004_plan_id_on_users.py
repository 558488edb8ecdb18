"""plan id on users

Revision ID: 20250812_000004
Revises: 20250808_000003
Create Date: 2025-08-12

Replaces the free-text plan code with a foreign key, filled from the codes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250812_000004"
down_revision = "20250808_000003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("plan_id", sa.Integer(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, code FROM plans ORDER BY id")).fetchall()
    for plan_id, code in rows:
        conn.execute(sa.text("UPDATE users SET plan_id = :id WHERE plan_code = :code"), {"id": plan_id, "code": code})
    op.create_foreign_key("fk_users_plan_id", "users", "plans", ["plan_id"], ["id"], ondelete="SET NULL")
    op.create_index("ix_users_plan_id", "users", ["plan_id"])
    op.drop_column("users", "plan_code")


def downgrade() -> None:
    op.add_column("users", sa.Column("plan_code", sa.String(32), nullable=True))
    op.execute("UPDATE users SET plan_code = plans.code FROM plans WHERE plans.id = users.plan_id")
    op.drop_index("ix_users_plan_id", table_name="users")
    op.drop_constraint("fk_users_plan_id", "users", type_="foreignkey")
    op.drop_column("users", "plan_id")
