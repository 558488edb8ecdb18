"""invoice replacements

Revision ID: 20250620_000006
Revises: 20250615_000005
Create Date: 2025-06-20

Both constraints are added NOT VALID; the foreign key is validated right away,
the amount check later (old imported invoices still have negative amounts).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250620_000006"
down_revision = "20250615_000005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("invoices", sa.Column("replaces_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        "fk_invoices_replaces",
        "invoices",
        "invoices",
        ["replaces_id"],
        ["id"],
        ondelete="SET NULL",
        postgresql_not_valid=True,
    )
    op.execute("ALTER TABLE invoices VALIDATE CONSTRAINT fk_invoices_replaces")
    op.create_check_constraint("ck_invoices_amount_nonneg", "invoices", "amount >= 0", postgresql_not_valid=True)


def downgrade() -> None:
    op.drop_constraint("ck_invoices_amount_nonneg", "invoices", type_="check")
    op.drop_constraint("fk_invoices_replaces", "invoices", type_="foreignkey")
    op.drop_column("invoices", "replaces_id")
