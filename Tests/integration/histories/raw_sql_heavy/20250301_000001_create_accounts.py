"""create accounts

Revision ID: 20250301_000001
Revises: None
Create Date: 2025-03-01

Written in SQL by hand: the ops team keeps a copy of this DDL in the runbook.
"""

from __future__ import annotations

from alembic import op

revision = "20250301_000001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE accounts (
            id BIGSERIAL PRIMARY KEY,
            email VARCHAR(255) NOT NULL,
            display_name VARCHAR(120),
            status VARCHAR(16) NOT NULL DEFAULT 'active',
            created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
            CONSTRAINT chk_accounts_status CHECK (status IN ('active', 'suspended'))
        )
        """
    )
    op.execute("CREATE UNIQUE INDEX uq_accounts_email_lower ON accounts (lower(email))")


def downgrade() -> None:
    op.execute("DROP TABLE accounts")
