"""seen_deliveries: keyed hashes of recent delivery ids, so redeliveries are not answered twice

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "seen_deliveries",
        sa.Column("transport", sa.String(16), nullable=False),
        sa.Column("delivery", sa.String(64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("transport", "delivery", name="pk_seen_deliveries"),
    )
    op.create_index("ix_seen_deliveries_seen_at", "seen_deliveries", ["seen_at"])


def downgrade() -> None:
    op.drop_index("ix_seen_deliveries_seen_at", table_name="seen_deliveries")
    op.drop_table("seen_deliveries")
