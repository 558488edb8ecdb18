"""create ledger

Revision ID: 20250715_000008
Revises: 20250701_000007
Create Date: 2025-07-15

Ledger accounts are SQL with a SERIAL key; entries have a composite key and
notes point at an entry by both columns.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250715_000008"
down_revision = "20250701_000007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "CREATE TABLE ledger_accounts (id SERIAL, account_no VARCHAR(20) NOT NULL UNIQUE,"
        " opened_on DATE NOT NULL DEFAULT CURRENT_DATE, PRIMARY KEY (id))"
    )
    op.create_table(
        "ledger_entries",
        sa.Column("account_no", sa.String(20), nullable=False),
        sa.Column("entry_no", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.BigInteger(), nullable=True),
        sa.Column("side", sa.Enum("debit", "credit", name="ledger_side"), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("account_no", "entry_no", name="pk_ledger_entries"),
        sa.ForeignKeyConstraint(["account_no"], ["ledger_accounts.account_no"], name="fk_ledger_entries_account"),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payments.id"],
            name="fk_ledger_entries_payment",
            ondelete="SET NULL",
            onupdate="CASCADE",
            deferrable=True,
            initially="DEFERRED",
        ),
        sa.UniqueConstraint("payment_id", "side", name="uq_ledger_entries_payment_side"),
    )
    op.create_table(
        "ledger_entry_notes",
        sa.Column("account_no", sa.String(20), primary_key=True),
        sa.Column("entry_no", sa.Integer(), primary_key=True),
        sa.Column("line", sa.SmallInteger(), primary_key=True, autoincrement=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_no", "entry_no"],
            ["ledger_entries.account_no", "ledger_entries.entry_no"],
            name="fk_ledger_entry_notes_entry",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("ledger_entry_notes")
    op.drop_table("ledger_entries")
    op.execute("DROP TYPE ledger_side")
    op.execute("DROP TABLE ledger_accounts")
