"""audit order changes

Revision ID: 20250502_000008
Revises: 20250415_000007
Create Date: 2025-05-02

A trigger writes every insert and update on orders to audit_events.
"""

from __future__ import annotations

from alembic import op

revision = "20250502_000008"
down_revision = "20250415_000007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        CREATE TABLE audit_events (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            table_name TEXT NOT NULL,
            row_id TEXT NOT NULL,
            action VARCHAR(8) NOT NULL,
            at TIMESTAMPTZ NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        """
        CREATE OR REPLACE FUNCTION log_order_change() RETURNS trigger
        LANGUAGE plpgsql AS $function$
        BEGIN
            INSERT INTO audit_events (table_name, row_id, action) VALUES ('orders', NEW.id::text, TG_OP);
            RETURN NEW;
        END;
        $function$
        """
    )
    op.execute(
        """
        CREATE TRIGGER trg_orders_audit
            AFTER INSERT OR UPDATE ON orders
            FOR EACH ROW EXECUTE FUNCTION log_order_change();
        COMMENT ON TABLE orders IS 'Customer orders; one row per checkout';
        COMMENT ON COLUMN orders.note IS 'Free text; shown to staff';
        """
    )
    op.execute(
        """
        CREATE FUNCTION touch_customer() RETURNS trigger AS $$
        BEGIN
            NEW.created_at := coalesce(NEW.created_at, now());
            RETURN NEW;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    op.execute(
        "CREATE TRIGGER trg_customers_touch BEFORE INSERT ON customers FOR EACH ROW EXECUTE FUNCTION touch_customer()"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS trg_customers_touch ON customers")
    op.execute("DROP FUNCTION IF EXISTS touch_customer()")
    op.execute("COMMENT ON COLUMN orders.note IS NULL")
    op.execute("COMMENT ON TABLE orders IS NULL")
    op.execute("DROP TRIGGER IF EXISTS trg_orders_audit ON orders")
    op.execute("DROP FUNCTION IF EXISTS log_order_change()")
    op.execute("DROP TABLE audit_events")
