"""unique emails

Revision ID: 20250902_000008
Revises: 20250826_000007
Create Date: 2025-09-02

Duplicates (same email in another case) are removed, keeping the oldest user,
then emails are unique ignoring case. The removed rows do not come back on
downgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20250902_000008"
down_revision = "20250826_000007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM users a USING users b WHERE a.id > b.id AND lower(a.email) = lower(b.email)"))
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
    op.alter_column("users", "email", existing_type=sa.String(255), type_=sa.String(320), existing_nullable=False)


def downgrade() -> None:
    op.alter_column("users", "email", existing_type=sa.String(320), type_=sa.String(255), existing_nullable=False)
    op.drop_index("uq_users_email_lower", table_name="users")
