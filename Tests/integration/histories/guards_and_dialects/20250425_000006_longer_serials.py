"""longer serials and a local default time zone

Revision ID: 20250425_000006
Revises: 20250418_000005
Create Date: 2025-04-25

PostgreSQL changes the columns in place; SQLite needs batch mode.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op

revision = "20250425_000006"
down_revision = "20250418_000005"
branch_labels = None
depends_on = None


def _is_postgres() -> bool:
    url = context.config.get_main_option("sqlalchemy.url") or ""
    return url.startswith("postgresql")


def upgrade() -> None:
    if _is_postgres():
        op.alter_column("devices", "serial", type_=sa.String(64), existing_type=sa.String(40), existing_nullable=False)
    else:
        with op.batch_alter_table("devices") as batch_op:
            batch_op.alter_column("serial", type_=sa.String(64), existing_type=sa.String(40), existing_nullable=False)

    bind = op.get_bind()
    if str(bind.engine.url).startswith("postgresql"):
        op.execute("ALTER TABLE sites ALTER COLUMN timezone SET DEFAULT 'Europe/Vilnius'")
    else:
        with op.batch_alter_table("sites") as batch_op:
            batch_op.alter_column("timezone", server_default="Europe/Vilnius", existing_type=sa.String(64))


def downgrade() -> None:
    bind = op.get_bind()
    if str(bind.engine.url).startswith("postgresql"):
        op.execute("ALTER TABLE sites ALTER COLUMN timezone SET DEFAULT 'UTC'")
    else:
        with op.batch_alter_table("sites") as batch_op:
            batch_op.alter_column("timezone", server_default="UTC", existing_type=sa.String(64))

    if _is_postgres():
        op.alter_column("devices", "serial", type_=sa.String(40), existing_type=sa.String(64), existing_nullable=False)
    else:
        with op.batch_alter_table("devices") as batch_op:
            batch_op.alter_column("serial", type_=sa.String(40), existing_type=sa.String(64), existing_nullable=False)
