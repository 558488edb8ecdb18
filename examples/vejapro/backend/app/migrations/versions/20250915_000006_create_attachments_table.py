"""create attachments table

Revision ID: 20250915_000006
Revises: 20250912_000005
Create Date: 2025-09-15

Files uploaded to tasks. The blob lives in object storage under storage_key;
only its metadata is kept here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20250915_000006"
down_revision = "20250912_000005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("task_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("uploaded_by", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_type", sa.String(length=127), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column("storage_key", sa.String(length=512), nullable=False),
        sa.Column("metadata", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_attachments_task_id", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by"], ["users.id"], name="fk_attachments_uploaded_by", ondelete="SET NULL"),
        sa.UniqueConstraint("storage_key", name="uniq_attachments_storage_key"),
    )
    op.create_index("idx_attachments_task_id", "attachments", ["task_id"])
    op.create_index("idx_attachments_uploaded_by", "attachments", ["uploaded_by"])


def downgrade() -> None:
    op.drop_index("idx_attachments_uploaded_by", table_name="attachments")
    op.drop_index("idx_attachments_task_id", table_name="attachments")
    op.drop_table("attachments")
