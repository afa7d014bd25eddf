"""tips: anonymous tips, their routing, recruiter marks, files; rate-limit counters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tips",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ref", sa.String(16), nullable=False),
        sa.Column("draft_id", sa.String(32), nullable=False),
        sa.Column("receipt_hash", sa.String(64), nullable=False),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("topic", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("when_text", sa.String(200), nullable=False),
        sa.Column("recruiter", sa.Text(), nullable=False),
        sa.Column("place_id", sa.String(40), nullable=True),
        sa.Column("place_label", sa.String(120), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("danger_now", sa.Boolean(), nullable=False),
        sa.Column("minor", sa.Boolean(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("consent", sa.String(32), nullable=False),
        sa.Column("risk", sa.String(8), nullable=False),
        sa.Column("flags", sa.Text(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("last_digest_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tips"),
        sa.UniqueConstraint("ref", name="uq_tips_ref"),
        sa.UniqueConstraint("draft_id", name="uq_tips_draft_id"),
        sa.UniqueConstraint("receipt_hash", name="uq_tips_receipt_hash"),
    )
    op.create_index("ix_tips_created_on", "tips", ["created_on"])
    op.create_table(
        "tip_routes",
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["tip_id"], ["tips.id"], ondelete="CASCADE",
                                name="fk_tip_routes_tip_id_tips"),
        sa.PrimaryKeyConstraint("tip_id", "org_id", name="pk_tip_routes"),
    )
    op.create_table(
        "recruiter_marks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["tip_id"], ["tips.id"], ondelete="CASCADE",
                                name="fk_recruiter_marks_tip_id_tips"),
        sa.PrimaryKeyConstraint("id", name="pk_recruiter_marks"),
    )
    op.create_index("ix_recruiter_marks_kind_value", "recruiter_marks", ["kind", "value"])
    op.create_table(
        "tip_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["tip_id"], ["tips.id"], ondelete="CASCADE",
                                name="fk_tip_files_tip_id_tips"),
        sa.PrimaryKeyConstraint("id", name="pk_tip_files"),
    )
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("window", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "action", "window", name="pk_rate_limits"),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")
    op.drop_table("tip_files")
    op.drop_index("ix_recruiter_marks_kind_value", table_name="recruiter_marks")
    op.drop_table("recruiter_marks")
    op.drop_table("tip_routes")
    op.drop_index("ix_tips_created_on", table_name="tips")
    op.drop_table("tips")
