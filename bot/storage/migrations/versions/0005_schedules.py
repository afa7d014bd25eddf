"""org_schedules: when each organisation receives its digest

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "org_schedules",
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("at", sa.String(5), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("timezone", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("org_id", name="pk_org_schedules"),
    )


def downgrade() -> None:
    op.drop_table("org_schedules")
