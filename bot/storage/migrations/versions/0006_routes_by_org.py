"""tip_routes by organisation: the digest reads an organisation's tips through it

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Without it SQLite scans every tip and probes each against the organisations asked
    # for: a 100-organisation digest run spent most of its query time there.
    op.create_index("ix_tip_routes_org_id", "tip_routes", ["org_id", "tip_id"])


def downgrade() -> None:
    op.drop_index("ix_tip_routes_org_id", table_name="tip_routes")
