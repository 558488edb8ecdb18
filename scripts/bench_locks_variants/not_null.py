"""bench variant: alter_column NOT NULL, backfill in committed batches before the CHECK, VALIDATE on its own"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "bench_variant"
down_revision = "__BASE__"
branch_labels = None
depends_on = None


def backfill() -> None:
    """note = '' where NULL, 10,000 ids at a time, each batch its own transaction (autocommit)."""
    bind = op.get_bind()
    low, high = bind.execute(sa.text("SELECT min(id), max(id) FROM orders")).one()
    for start in range(low or 0, (high or 0) + 1, 10000):
        bind.execute(
            sa.text("UPDATE orders SET note = '' WHERE note IS NULL AND id >= :low AND id < :high"),
            {"low": start, "high": start + 10000},
        )


def upgrade() -> None:
    # The backfill comes first: a committed CHECK, even NOT VALID, refuses any UPDATE of a row
    # that still holds NULL.
    with op.get_context().autocommit_block():
        backfill()
    op.create_check_constraint("chk_orders_note_not_null", "orders", "note IS NOT NULL", postgresql_not_valid=True)
    with op.get_context().autocommit_block():  # commits the CHECK: its ACCESS EXCLUSIVE is released
        backfill()  # rows that became NULL since the first pass
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_note_not_null")
    op.alter_column("orders", "note", existing_type=sa.Text(), nullable=False)  # no scan: the CHECK proves it
    op.drop_constraint("chk_orders_note_not_null", "orders", type_="check")


def downgrade() -> None:
    op.alter_column("orders", "note", existing_type=sa.Text(), nullable=True)
