"""device indexes per dialect

Revision ID: 20250412_000004
Revises: 20250407_000003
Create Date: 2025-04-12

GIN and expression indexes exist only on PostgreSQL; SQLite gets a plain one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250412_000004"
down_revision = "20250407_000003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.create_index("ix_devices_payload", "devices", ["payload"], postgresql_using="gin")
        op.execute("CREATE INDEX ix_devices_serial_lower ON devices (lower(serial))")
    else:
        op.create_index("ix_devices_serial", "devices", ["serial"])

    existing = {ix["name"] for ix in sa.inspect(bind).get_indexes("devices")}
    if "ix_devices_site_id" not in existing:
        op.create_index("ix_devices_site_id", "devices", ["site_id"])


def downgrade() -> None:
    bind = op.get_bind()
    existing = {ix["name"] for ix in sa.inspect(bind).get_indexes("devices")}
    if "ix_devices_site_id" in existing:
        op.drop_index("ix_devices_site_id", table_name="devices")
    if bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_devices_serial_lower")
        op.drop_index("ix_devices_payload", table_name="devices")
    else:
        op.drop_index("ix_devices_serial", table_name="devices")
