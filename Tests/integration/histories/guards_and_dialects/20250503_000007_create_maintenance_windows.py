"""create maintenance windows

Revision ID: 20250503_000007
Revises: 20250425_000006
Create Date: 2025-05-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250503_000007"
down_revision = "20250425_000006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("maintenance_windows"):
        op.create_table(
            "maintenance_windows",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("site_id", sa.Integer(), nullable=False),
            sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("reason", sa.Text(), nullable=True),
            sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name="fk_maintenance_windows_site_id"),
        )

    if bind.dialect.name == "postgresql":
        op.create_check_constraint("ck_maintenance_windows_range", "maintenance_windows", "ends_at > starts_at")
    else:
        with op.batch_alter_table("maintenance_windows") as batch_op:
            batch_op.create_check_constraint("ck_maintenance_windows_range", "ends_at > starts_at")


def downgrade() -> None:
    op.drop_table("maintenance_windows")
