"""create readings

Revision ID: 20250418_000005
Revises: 20250412_000004
Create Date: 2025-04-18

The BRIN index and the kind check are PostgreSQL-only tuning; the SQLite test
database stops after the table.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250418_000005"
down_revision = "20250412_000004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "readings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        sa.Column("device_id", sa.Integer(), sa.ForeignKey("devices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(16), nullable=True),
    )

    is_pg = op.get_context().dialect.name == "postgresql"
    if not is_pg:
        return
    op.execute("CREATE INDEX ix_readings_taken_at_brin ON readings USING brin (taken_at)")
    op.execute("ALTER TABLE devices ADD CONSTRAINT ck_devices_kind CHECK (kind IN ('sensor', 'gateway', 'actuator'))")


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE devices DROP CONSTRAINT IF EXISTS ck_devices_kind")
        op.execute("DROP INDEX IF EXISTS ix_readings_taken_at_brin")
    op.drop_table("readings")
