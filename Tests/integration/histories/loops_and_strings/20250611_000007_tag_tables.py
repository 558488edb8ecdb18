"""tag tables for notes and events

Revision ID: 20250611_000007
Revises: 20250603_000006
Create Date: 2025-06-11
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250611_000007"
down_revision = "20250603_000006"
branch_labels = None
depends_on = None

TAGGED = ("notes", "events")


def _create_tag_table(parent: str) -> None:
    key = f"{parent[:-1]}_id"
    op.create_table(
        f"{parent}_tags",
        sa.Column(key, sa.Integer(), sa.ForeignKey(f"{parent}.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag", sa.String(50), primary_key=True),
    )
    op.create_index("ix_{0}_tags_tag".format(parent), f"{parent}_tags", ["tag"])


def upgrade() -> None:
    for parent in TAGGED:
        _create_tag_table(parent)


def downgrade() -> None:
    for parent in TAGGED:
        op.drop_table(parent + "_tags")
