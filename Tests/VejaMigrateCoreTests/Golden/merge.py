"""merge heads

Revision ID: 20260212_000020
Revises: 20260211_000018, 20260211_000019
Create Date: 2026-02-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260212_000020"
down_revision = ("20260211_000018", "20260211_000019")
branch_labels = None
depends_on = None


def upgrade() -> None:
    # TODO: implement upgrade
    pass


def downgrade() -> None:
    # TODO: implement downgrade
    pass
