"""add tenant id

Revision ID: 20250506_000002
Revises: 20250501_000001
Create Date: 2025-05-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250506_000002"
down_revision = "20250501_000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("notes", "files", "events"):
        op.add_column(table, sa.Column("tenant_id", sa.Integer(), nullable=True))
        op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"])


def downgrade() -> None:
    for table in ("notes", "files", "events"):
        op.drop_index(f"ix_{table}_tenant_id", table_name=table)
        op.drop_column(table, "tenant_id")
