"""rename_table

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
    op.rename_table("comments", "notes")


def downgrade() -> None:
    op.rename_table("notes", "comments")
