"""widen payment methods and invoice terms

Revision ID: 20250701_000007
Revises: 20250620_000006
Create Date: 2025-07-01
"""

from __future__ import annotations

from alembic import op

revision = "20250701_000007"
down_revision = "20250620_000006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("ck_payments_method", "payments", type_="check")
    op.create_check_constraint("ck_payments_method", "payments", "method IN ('card', 'transfer', 'cash', 'wallet')")
    op.execute(
        """
        ALTER TABLE invoices
            DROP CONSTRAINT ck_invoices_terms,
            ADD CONSTRAINT ck_invoices_terms CHECK (payment_terms = ANY (ARRAY['NET15', 'NET30', 'NET45', 'NET60']))
        """
    )


def downgrade() -> None:
    op.execute(
        """
        ALTER TABLE invoices
            DROP CONSTRAINT ck_invoices_terms,
            ADD CONSTRAINT ck_invoices_terms CHECK (payment_terms IN ('NET15', 'NET30', 'NET60'))
        """
    )
    op.drop_constraint("ck_payments_method", "payments", type_="check")
    op.create_check_constraint("ck_payments_method", "payments", "method IN ('card', 'transfer', 'cash')")
