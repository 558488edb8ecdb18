"""create devices

Revision ID: 20250403_000002
Revises: 20250401_000001
Create Date: 2025-04-03

The payload is JSONB on PostgreSQL and plain JSON on the SQLite test database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20250403_000002"
down_revision = "20250401_000001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    json_type = postgresql.JSONB() if bind.dialect.name == "postgresql" else sa.JSON()
    if "devices" not in sa.inspect(bind).get_table_names():
        op.create_table(
            "devices",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("site_id", sa.Integer(), sa.ForeignKey("sites.id", ondelete="CASCADE"), nullable=False),
            sa.Column("serial", sa.String(40), nullable=False),
            sa.Column("kind", sa.String(20), nullable=False, server_default="sensor"),
            sa.Column("payload", json_type, nullable=True),
            sa.UniqueConstraint("serial", name="uq_devices_serial"),
        )


def downgrade() -> None:
    if "devices" in sa.inspect(op.get_bind()).get_table_names():
        op.drop_table("devices")
