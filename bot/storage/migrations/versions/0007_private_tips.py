"""tips never linked to a conversation, references never reused, the key's fingerprint

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tip_sequence",
        sa.Column("month", sa.String(4), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_tip_sequence")),
    )
    # Numbers already issued stay issued: seed each month with its highest reference.
    bind = op.get_bind()
    last: dict[str, int] = {}
    for (ref,) in bind.execute(sa.text("SELECT ref FROM tips")):
        _t, month, number = ref.split("-")
        last[month] = max(last.get(month, 0), int(number))
    if last:
        bind.execute(sa.text("INSERT INTO tip_sequence (month, last) VALUES (:m, :n)"),
                     [{"m": m, "n": n} for m, n in last.items()])
    op.create_table(
        "instance",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("value", sa.String(128), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_instance")),
    )
    # The old draft ids equalled values kept in conversation rows: they are dropped, not
    # converted (a retry of a send made before this version simply starts a new tip).
    with op.batch_alter_table("tips") as batch:
        batch.drop_constraint("uq_tips_draft_id", type_="unique")
        batch.drop_column("draft_id")
        batch.add_column(sa.Column("draft_hash", sa.String(64), nullable=True))
        batch.create_unique_constraint("uq_tips_draft_hash", ["draft_hash"])


def downgrade() -> None:
    with op.batch_alter_table("tips") as batch:
        batch.drop_constraint("uq_tips_draft_hash", type_="unique")
        batch.drop_column("draft_hash")
        batch.add_column(sa.Column("draft_id", sa.String(32), nullable=True))
    op.drop_table("instance")
    op.drop_table("tip_sequence")
