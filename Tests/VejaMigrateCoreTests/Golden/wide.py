"""wide text

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12

no-break spaces lead this line
  two spaces, then an ideographic space
CRLF line
next line
after a lone CR
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
    op.create_table(
        "labels",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column(
            "ja",
            sa.Text(),
            server_default=sa.text("'日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語日本語'"),
            nullable=True,
        ),
        sa.Column("emoji", sa.String(length=64), nullable=True),
        sa.Column(
            "lt",
            sa.Text(),
            server_default=sa.text("'Pridėti sąskaitų lentelę su daugybe ilgų žodžių ir dar šiek tiek teksto'"),
            nullable=True,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(
            "emoji IN ('😀1🎉','😀2🎉','😀3🎉','😀4🎉','😀5🎉','😀6🎉','😀7🎉','😀8🎉','😀9🎉')",
            name="chk_labels_emoji",
        ),
    )


def downgrade() -> None:
    op.drop_table("labels")
