"""create projects table

Revision ID: 20250903_000002
Revises: 20250901_000001
Create Date: 2025-09-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20250903_000002"
down_revision = "20250901_000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("owner_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), server_default=sa.text("'DRAFT'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_projects_owner_id", ondelete="RESTRICT"),
        sa.CheckConstraint("status IN ('DRAFT','ACTIVE','COMPLETED')", name="chk_projects_status"),
    )
    op.create_index("idx_projects_owner_id", "projects", ["owner_id"])
    op.create_index("idx_projects_status", "projects", ["status"])


def downgrade() -> None:
    op.drop_index("idx_projects_status", table_name="projects")
    op.drop_index("idx_projects_owner_id", table_name="projects")
    op.drop_table("projects")
