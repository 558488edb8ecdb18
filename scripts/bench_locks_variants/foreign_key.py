"""bench variant: add_foreign_key, VALIDATE in its own transaction"""

from __future__ import annotations

from alembic import op

revision = "bench_variant"
down_revision = "__BASE__"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_foreign_key(
        "fk_orders_customer_id", "orders", "customers", ["customer_id"], ["id"], postgresql_not_valid=True
    )
    with op.get_context().autocommit_block():
        op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_customer_id")


def downgrade() -> None:
    op.drop_constraint("fk_orders_customer_id", "orders", type_="foreignkey")
