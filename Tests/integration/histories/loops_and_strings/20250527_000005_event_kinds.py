"""event kinds

Revision ID: 20250527_000005
Revises: 20250520_000004
Create Date: 2025-05-27

Events get a kind; their title becomes name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250527_000005"
down_revision = "20250520_000004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(32), nullable=False, server_default="generic"))
        batch_op.alter_column("title", new_column_name="name", existing_type=sa.String(200), existing_nullable=False)
        batch_op.create_check_constraint("ck_events_kind", "kind IN ('generic', 'system', 'audit')")


def downgrade() -> None:
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_constraint("ck_events_kind", type_="check")
        batch_op.alter_column("name", new_column_name="title", existing_type=sa.String(200), existing_nullable=False)
        batch_op.drop_column("kind")
