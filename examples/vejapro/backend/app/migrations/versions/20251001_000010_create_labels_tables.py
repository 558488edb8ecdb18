"""create labels tables

Revision ID: 20251001_000010
Revises: 20250926_000009
Create Date: 2025-10-01

Labels belong to a project; task_labels links them to tasks.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "20251001_000010"
down_revision = "20250926_000009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", postgresql.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("project_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("color", sa.String(length=7), server_default=sa.text("'#888888'"), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name="fk_labels_project_id", ondelete="CASCADE"),
        sa.UniqueConstraint("project_id", "name", name="uniq_labels_project_id_name"),
    )
    op.create_index("idx_labels_project_id", "labels", ["project_id"])
    op.create_table(
        "task_labels",
        sa.Column("task_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("label_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.PrimaryKeyConstraint("task_id", "label_id"),
        sa.ForeignKeyConstraint(["task_id"], ["tasks.id"], name="fk_task_labels_task_id", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["label_id"], ["labels.id"], name="fk_task_labels_label_id", ondelete="CASCADE"),
    )
    op.create_index("idx_task_labels_task_id", "task_labels", ["task_id"])
    op.create_index("idx_task_labels_label_id", "task_labels", ["label_id"])


def downgrade() -> None:
    op.drop_index("idx_task_labels_label_id", table_name="task_labels")
    op.drop_index("idx_task_labels_task_id", table_name="task_labels")
    op.drop_table("task_labels")
    op.drop_index("idx_labels_project_id", table_name="labels")
    op.drop_table("labels")
