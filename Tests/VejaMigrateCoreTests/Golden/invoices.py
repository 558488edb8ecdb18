"""add invoices table

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12

Optional extended description for the docstring.
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
    op.create_table(
        "invoices",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("project_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("status", sa.String(length=32), server_default=sa.text("'DRAFT'"), nullable=False),
        sa.Column("amount", sa.Numeric(12, 2), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_invoices_project_id", ondelete="CASCADE"),
        sa.UniqueConstraint("number", name="uniq_invoices_number"),
        sa.CheckConstraint("status IN ('DRAFT','SENT','PAID','VOID')", name="chk_invoices_status"),
    )
    op.create_index("idx_invoices_project_id", "invoices", ["project_id"])
    op.create_index("idx_invoices_issued_at", "invoices", ["issued_at"])
    op.create_index("idx_invoices_status_issued_at", "invoices", ["status", "issued_at"])


def downgrade() -> None:
    op.drop_index("idx_invoices_status_issued_at", table_name="invoices")
    op.drop_index("idx_invoices_issued_at", table_name="invoices")
    op.drop_index("idx_invoices_project_id", table_name="invoices")
    op.drop_table("invoices")
