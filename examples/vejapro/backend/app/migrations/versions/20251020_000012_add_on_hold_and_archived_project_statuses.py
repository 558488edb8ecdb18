"""add on hold and archived project statuses

Revision ID: 20251020_000012
Revises: 20251014_000011
Create Date: 2025-10-20

Replaces chk_projects_status so that projects can be paused or archived.
Batch mode keeps this working on the SQLite test database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20251020_000012"
down_revision = "20251014_000011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_constraint("chk_projects_status", type_="check")
        batch_op.create_check_constraint(
            "chk_projects_status", "status IN ('DRAFT','ACTIVE','ON_HOLD','COMPLETED','ARCHIVED')"
        )


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_constraint("chk_projects_status", type_="check")
        batch_op.create_check_constraint("chk_projects_status", "status IN ('DRAFT','ACTIVE','COMPLETED')")
