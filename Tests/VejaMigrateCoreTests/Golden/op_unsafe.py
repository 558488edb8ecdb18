"""unsafe

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260212_000018"
down_revision = "20260211_000017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("idx_comments_edited_at", "comments", ["edited_at"])
    with op.batch_alter_table("projects") as batch_op:
        batch_op.create_check_constraint("chk_projects_budget", "budget >= 0")


def downgrade() -> None:
    with op.batch_alter_table("projects") as batch_op:
        batch_op.drop_constraint("chk_projects_budget", type_="check")
    op.drop_index("idx_comments_edited_at", table_name="comments")
