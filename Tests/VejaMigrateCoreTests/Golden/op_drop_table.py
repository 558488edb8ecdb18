"""drop_table

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
    op.drop_index("idx_invitations_email", table_name="invitations")
    op.drop_index("idx_invitations_invited_by", table_name="invitations")
    op.drop_index("idx_invitations_project_id", table_name="invitations")
    op.drop_table("invitations")


def downgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("project_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("invited_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("email", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=32), server_default=sa.text("'CONTRIBUTOR'"), nullable=False),
        sa.Column("token_hash", sa.String(length=128), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_invitations_project_id", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["invited_by"], ["users.id"], name="fk_invitations_invited_by", ondelete="SET NULL"),
        sa.UniqueConstraint("token_hash", name="uniq_invitations_token_hash"),
        sa.CheckConstraint("role IN ('MAINTAINER','CONTRIBUTOR','GUEST')", name="chk_invitations_role"),
    )
    op.create_index("idx_invitations_project_id", "invitations", ["project_id"])
    op.create_index("idx_invitations_invited_by", "invitations", ["invited_by"])
    op.create_index("idx_invitations_email", "invitations", ["email"])
