"""add device columns if missing

Revision ID: 20250407_000003
Revises: 20250403_000002
Create Date: 2025-04-07

The hotfix on production added firmware by hand; other databases need it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250407_000003"
down_revision = "20250403_000002"
branch_labels = None
depends_on = None


def _column_exists(table: str, column: str) -> bool:
    insp = sa.inspect(op.get_bind())
    return any(c["name"] == column for c in insp.get_columns(table))


def upgrade() -> None:
    if not _column_exists("devices", "firmware"):
        op.add_column("devices", sa.Column("firmware", sa.String(32), nullable=True))

    bind = op.get_bind()
    insp = sa.inspect(bind)
    if "last_seen_at" not in [c["name"] for c in insp.get_columns("devices")]:
        op.add_column("devices", sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
    if "legacy_code" in [c["name"] for c in insp.get_columns("devices")]:
        op.drop_column("devices", "legacy_code")


def downgrade() -> None:
    with op.batch_alter_table("devices") as batch_op:
        if _column_exists("devices", "last_seen_at"):
            batch_op.drop_column("last_seen_at")
        if _column_exists("devices", "firmware"):
            batch_op.drop_column("firmware")
