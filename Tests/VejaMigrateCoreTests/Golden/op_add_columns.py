"""add_columns

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
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=16), server_default=sa.text("'A'"), nullable=False))
        batch_op.add_column(sa.Column("reviewer_id", postgresql.UUID(as_uuid=True), nullable=True))
        batch_op.create_check_constraint("chk_projects_kind", "kind IN ('A','B')", postgresql_not_valid=True)
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE projects VALIDATE CONSTRAINT chk_projects_kind")
    with op.batch_alter_table("projects") as batch_op:
        batch_op.create_foreign_key(
            "fk_projects_reviewer_id", "users", ["reviewer_id"], ["id"], ondelete="SET NULL", postgresql_not_valid=True
        )
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE projects VALIDATE CONSTRAINT fk_projects_reviewer_id")
    with op.get_context().autocommit_block():
        op.create_index("idx_projects_archived_at", "projects", ["archived_at"], postgresql_concurrently=True)
        op.create_index("idx_projects_reviewer_id", "projects", ["reviewer_id"], postgresql_concurrently=True)


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index("idx_projects_reviewer_id", table_name="projects", postgresql_concurrently=True)
        op.drop_index("idx_projects_archived_at", table_name="projects", postgresql_concurrently=True)
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_constraint("fk_projects_reviewer_id", type_="foreignkey")
        batch_op.drop_constraint("chk_projects_kind", type_="check")
        batch_op.drop_column("reviewer_id")
        batch_op.drop_column("kind")
        batch_op.drop_column("archived_at")
