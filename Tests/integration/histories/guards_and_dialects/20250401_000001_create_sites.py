"""create sites

Revision ID: 20250401_000001
Revises: None
Create Date: 2025-04-01

Some environments already had a hand-made sites table, so this migration is
idempotent: it only creates what is missing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250401_000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    insp = sa.inspect(bind)
    if not insp.has_table("sites"):
        op.create_table(
            "sites",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("name", sa.String(100), nullable=False),
            sa.Column("timezone", sa.String(64), nullable=False, server_default="UTC"),
            sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("CURRENT_TIMESTAMP")),
        )
        op.create_index("ix_sites_name", "sites", ["name"], unique=True)


def downgrade() -> None:
    insp = sa.inspect(op.get_bind())
    if insp.has_table("sites"):
        op.drop_index("ix_sites_name", table_name="sites")
        op.drop_table("sites")
