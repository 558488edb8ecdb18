"""bench variant: add_check, VALIDATE in its own transaction"""

from __future__ import annotations

from alembic import op

revision = "bench_variant"
down_revision = "__BASE__"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_check_constraint("chk_orders_amount", "orders", "amount >= 0", postgresql_not_valid=True)
    with op.get_context().autocommit_block():  # commits the NOT VALID step: its lock is released
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_amount")


def downgrade() -> None:
    op.drop_constraint("chk_orders_amount", "orders", type_="check")
