"""bench variant: alter_column NOT NULL, backfill in committed batches, VALIDATE on its own"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "bench_variant"
down_revision = "__BASE__"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_check_constraint("chk_orders_note_not_null", "orders", "note IS NOT NULL", postgresql_not_valid=True)
    with op.get_context().autocommit_block():  # each statement below commits by itself
        bind = op.get_bind()
        low, high = bind.execute(sa.text("SELECT min(id), max(id) FROM orders")).one()
        for start in range(low or 0, (high or 0) + 1, 10000):
            bind.execute(
                sa.text("UPDATE orders SET note = '' WHERE note IS NULL AND id >= :low AND id < :high"),
                {"low": start, "high": start + 10000},
            )
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_note_not_null")
    op.alter_column("orders", "note", existing_type=sa.Text(), nullable=False)  # no scan: the CHECK proves it
    op.drop_constraint("chk_orders_note_not_null", "orders", type_="check")


def downgrade() -> None:
    op.alter_column("orders", "note", existing_type=sa.Text(), nullable=True)
