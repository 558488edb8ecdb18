"""\"Quoted\" start with \"\"\" inside, back\\slash\\ and 'single' quotes\"

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12

 Indented with a tab.
    Indented with spaces, then a tab: end.
Contains \"\"\" and ''' and a trailing backslash \\
\"Starts with a quote
Revision ID: not_the_real_one
Revises: nothing

  - nested item
Ends with a quote\"
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
        "quotes",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("mood", sa.String(length=32), server_default=sa.text("'it''s'"), nullable=False),
        sa.Column("quip", sa.Text(), server_default=sa.text("'He said \"don''t\" \\ twice'"), nullable=True),
        sa.Column("dq", sa.Text(), server_default=sa.text("'\"\"'"), nullable=True),
        sa.Column("bs", sa.Text(), server_default=sa.text("'\\'"), nullable=True),
        sa.Column(
            "meta",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text('\'{"k\'\'ey":"va\\"l\\\\ue","n":[1,false]}\''),
            nullable=True,
        ),
        sa.Column("lt", sa.String(length=255), server_default=sa.text("'Pridėti sąskaitų lentelę'"), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint(
            "mood IN ('it''s','say \"hi\"','back\\slash','both '' and \"','trailing\\','\"\"\"','''''')",
            name="chk_quotes_mood",
        ),
    )


def downgrade() -> None:
    op.drop_table("quotes")
