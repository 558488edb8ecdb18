"""widen titles, require a tenant

Revision ID: 20250625_000008
Revises: 20250611_000007
Create Date: 2025-06-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250625_000008"
down_revision = "20250611_000007"
branch_labels = None
depends_on = None

TITLE_COLUMNS = {"notes": "heading", "attachments": "filename", "events": "name"}
SET_NOT_NULL = "ALTER TABLE %(table)s ALTER COLUMN tenant_id SET NOT NULL"
DROP_NOT_NULL = "ALTER TABLE %(table)s ALTER COLUMN tenant_id DROP NOT NULL"


def upgrade() -> None:
    for table, column in TITLE_COLUMNS.items():
        op.alter_column(table, column, type_=sa.String(500), existing_type=sa.String(200), existing_nullable=False)
        op.execute(SET_NOT_NULL % {"table": table})


def downgrade() -> None:
    for table, column in TITLE_COLUMNS.items():
        op.execute(DROP_NOT_NULL % {"table": table})
        op.alter_column(table, column, type_=sa.String(200), existing_type=sa.String(500), existing_nullable=False)
