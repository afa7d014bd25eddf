"""conversations.country: where the person is, so numbers and routes follow it

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("country", sa.String(2), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("country")
