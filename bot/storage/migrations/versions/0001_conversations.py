"""conversations: per-user state under a pseudonymous key

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("flow", sa.String(32), nullable=False, server_default=""),
        sa.Column("state", sa.String(32), nullable=False, server_default=""),
        sa.Column("data", sa.Text(), nullable=False, server_default="{}"),
        sa.Column("session", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("lang", sa.String(8), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_conversations"),
    )


def downgrade() -> None:
    op.drop_table("conversations")
