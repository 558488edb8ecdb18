"""add tickets

Revision ID: 20260212_000018
Revises: 20260211_000017
Create Date: 2026-02-12
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20260212_000018"
down_revision = "20260211_000017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=40), server_default=sa.text("'STATE_01_WAITING'"), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=True),
        sa.Column(
            "medium_note",
            sa.Text(),
            server_default=sa.text("'a default long enough to push the column past one line, but not its arguments'"),
            nullable=True,
        ),
        sa.Column(
            "long_note",
            sa.Text(),
            server_default=sa.text(
                "'this default is far too long for any single line this default is far too long for any single line this default is far too long for any single line '",
            ),
            nullable=True,
        ),
        sa.Column("customer_reference_number", sa.String(length=64), nullable=True),
        sa.Column("assigned_department_code", sa.String(length=16), nullable=True),
        sa.Column("escalation_level", sa.SmallInteger(), nullable=True),
        sa.Column("owner_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["very_long_referenced_table_name_for_users.user_identifier"],
            name="fk_tickets_owner_id",
            ondelete="SET NULL",
        ),
        sa.UniqueConstraint(
            "status",
            "priority",
            "escalation_level",
            "owner_id",
            name="uniq_tickets_status_priority_escalation_level_owner_id",
        ),
        sa.CheckConstraint(
            "status IN ('STATE_01_WAITING','STATE_02_WAITING','STATE_03_WAITING','STATE_04_WAITING','STATE_05_WAITING','STATE_06_WAITING','STATE_07_WAITING','STATE_08_WAITING','STATE_09_WAITING','STATE_10_WAITING','STATE_11_WAITING','STATE_12_WAITING','STATE_13_WAITING','STATE_14_WAITING','STATE_15_WAITING','STATE_16_WAITING','STATE_17_WAITING','STATE_18_WAITING','STATE_19_WAITING','STATE_20_WAITING','STATE_21_WAITING','STATE_22_WAITING','STATE_23_WAITING','STATE_24_WAITING','STATE_25_WAITING','STATE_26_WAITING','STATE_27_WAITING','STATE_28_WAITING','STATE_29_WAITING','STATE_30_WAITING')",
            name="chk_tickets_status",
        ),
        sa.CheckConstraint("priority IN ('LOW','MID','HIGH')", name="chk_tickets_priority"),
    )
    op.create_index("idx_tickets_owner_id", "tickets", ["owner_id"])
    op.create_index(
        "idx_tickets_customer_reference_number_assigned_department_code",
        "tickets",
        ["customer_reference_number", "assigned_department_code"],
    )


def downgrade() -> None:
    op.drop_index("idx_tickets_customer_reference_number_assigned_department_code", table_name="tickets")
    op.drop_index("idx_tickets_owner_id", table_name="tickets")
    op.drop_table("tickets")
