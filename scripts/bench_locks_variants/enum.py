"""bench variant: alter_enum, VALIDATE in its own transaction"""

from __future__ import annotations

from alembic import op

revision = "bench_variant"
down_revision = "__BASE__"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_constraint("chk_orders_status", "orders", type_="check")
    op.create_check_constraint(
        "chk_orders_status",
        "orders",
        "status IN ('NEW','PAID','SHIPPED','CANCELLED','REFUNDED')",
        postgresql_not_valid=True,
    )
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_status")


def downgrade() -> None:
    op.drop_constraint("chk_orders_status", "orders", type_="check")
    op.create_check_constraint(
        "chk_orders_status", "orders", "status IN ('NEW','PAID','SHIPPED','CANCELLED')", postgresql_not_valid=True
    )
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT chk_orders_status")
