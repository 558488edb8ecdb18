"""alter_enum

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
        batch_op.drop_constraint("chk_projects_status", type_="check")
    with op.get_context().autocommit_block():
        op.execute("UPDATE projects SET status = 'DONE' WHERE status = 'ARCHIVED'")
        op.execute("UPDATE projects SET status = 'DONE' WHERE status = 'COMPLETED'")
        op.execute("UPDATE projects SET status = 'ACTIVE' WHERE status = 'ON_HOLD'")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.create_check_constraint(
            "chk_projects_status", "status IN ('DRAFT','ACTIVE','DONE')", postgresql_not_valid=True
        )
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE projects VALIDATE CONSTRAINT chk_projects_status")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=32), existing_nullable=False, server_default=sa.text("'ACTIVE'")
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=32), existing_nullable=False, server_default=sa.text("'DRAFT'")
        )
        batch_op.drop_constraint("chk_projects_status", type_="check")
        batch_op.create_check_constraint(
            "chk_projects_status",
            "status IN ('DRAFT','ACTIVE','ON_HOLD','COMPLETED','ARCHIVED')",
            postgresql_not_valid=True,
        )
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE projects VALIDATE CONSTRAINT chk_projects_status")
