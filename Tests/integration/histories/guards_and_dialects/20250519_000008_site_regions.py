"""site regions

Revision ID: 20250519_000008
Revises: 20250503_000007
Create Date: 2025-05-19

Site names are unique per region now, not globally.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250519_000008"
down_revision = "20250503_000007"
branch_labels = None
depends_on = None


def _column_exists(table: str, column: str) -> bool:
    insp = sa.inspect(op.get_bind())
    return column in [c["name"] for c in insp.get_columns(table)]


def _index_exists(table: str, name: str) -> bool:
    insp = sa.inspect(op.get_bind())
    return name in {ix["name"] for ix in insp.get_indexes(table)}


def upgrade() -> None:
    if not _column_exists("sites", "region"):
        op.add_column("sites", sa.Column("region", sa.String(32), nullable=False, server_default="eu"))
    if _index_exists("sites", "ix_sites_name"):
        op.drop_index("ix_sites_name", table_name="sites")
    if not _index_exists("sites", "ix_sites_region_name"):
        op.create_index("ix_sites_region_name", "sites", ["region", "name"], unique=True)


def downgrade() -> None:
    if _index_exists("sites", "ix_sites_region_name"):
        op.drop_index("ix_sites_region_name", table_name="sites")
    if not _index_exists("sites", "ix_sites_name"):
        op.create_index("ix_sites_name", "sites", ["name"], unique=True)
    if _column_exists("sites", "region"):
        with op.batch_alter_table("sites") as batch_op:
            batch_op.drop_column("region")
