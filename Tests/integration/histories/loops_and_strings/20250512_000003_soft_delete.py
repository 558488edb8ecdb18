"""soft delete for notes and files

Revision ID: 20250512_000003
Revises: 20250506_000002
Create Date: 2025-05-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250512_000003"
down_revision = "20250506_000002"
branch_labels = None
depends_on = None


def _add_soft_delete(table: str) -> None:
    op.add_column(table, sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_%s_live" % table, table, ["id"], postgresql_where=sa.text("deleted_at IS NULL"))


def _drop_soft_delete(table: str) -> None:
    op.drop_index("ix_%s_live" % table, table_name=table)
    op.drop_column(table, "deleted_at")


def upgrade() -> None:
    _add_soft_delete("notes")
    _add_soft_delete("files")


def downgrade() -> None:
    _drop_soft_delete("files")
    _drop_soft_delete("notes")
