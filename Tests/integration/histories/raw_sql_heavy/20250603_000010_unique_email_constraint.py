"""unique email constraint built online

Revision ID: 20250603_000010
Revises: 20250520_000009
Create Date: 2025-06-03

The index is built CONCURRENTLY and then attached as a constraint (the index
takes the constraint's name). The status check gets the team's ck_ prefix.
"""

from __future__ import annotations

from alembic import op

revision = "20250603_000010"
down_revision = "20250520_000009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        op.execute("CREATE UNIQUE INDEX CONCURRENTLY idx_accounts_email_tmp ON accounts (email)")
    op.execute("ALTER TABLE accounts ADD CONSTRAINT uq_accounts_email UNIQUE USING INDEX idx_accounts_email_tmp")
    op.execute("ALTER TABLE accounts RENAME CONSTRAINT chk_accounts_status TO ck_accounts_status")


def downgrade() -> None:
    op.execute("ALTER TABLE accounts RENAME CONSTRAINT ck_accounts_status TO chk_accounts_status")
    op.execute("ALTER TABLE accounts DROP CONSTRAINT uq_accounts_email")
