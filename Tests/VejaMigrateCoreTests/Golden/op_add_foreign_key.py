"""add_foreign_key

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
    with op.get_context().autocommit_block():
        op.create_index("idx_audit_log_entity_id", "audit_log", ["entity_id"], postgresql_concurrently=True)
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.create_foreign_key(
            "fk_audit_log_entity_id", "projects", ["entity_id"], ["id"], ondelete="SET NULL", postgresql_not_valid=True
        )
    if op.get_context().dialect.name == "postgresql":
        with op.get_context().autocommit_block():
            op.execute("ALTER TABLE audit_log VALIDATE CONSTRAINT fk_audit_log_entity_id")


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch_op:
        batch_op.drop_constraint("fk_audit_log_entity_id", type_="foreignkey")
    with op.get_context().autocommit_block():
        op.drop_index("idx_audit_log_entity_id", table_name="audit_log", postgresql_concurrently=True)
