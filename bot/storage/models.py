"""The database schema. Migrations under ``migrations/versions`` create exactly this."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

# One row per pseudonymous user key: never a transport id, name or phone number.
conversations = Table(
    "conversations",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("flow", String(32), nullable=False, default=""),
    Column("state", String(32), nullable=False, default=""),
    Column("data", Text, nullable=False, default="{}"),
    Column("session", Integer, nullable=False, default=0),
    Column("lang", String(8), nullable=False, default=""),
    Column("country", String(2), nullable=False, default="", server_default=""),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # Bumped by every save on PostgreSQL, where several workers share the table: a save
    # that was not made from the newest state is refused (bot/storage/shared.py).
    Column("version", Integer, nullable=False, default=0, server_default="0"),
)

# A tip holds what the reporter chose to tell, its routing, a reference for organisations and
# the hash of the reporter's receipt code; no column can link it to an account or to
# conversation state (DESIGN.md). Dates are days, not times.
tips = Table(
    "tips",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ref", String(16), nullable=False, unique=True),
    # A keyed hash of the draft's id, only while the reporter's conversation may still press
    # "Send" again after a crash; cleared as soon as the conversation has moved on, so no
    # value here equals or outlives anything kept for the conversation.
    Column("draft_hash", String(64), nullable=True, unique=True),
    Column("receipt_hash", String(64), nullable=False, unique=True),
    Column("created_on", Date, nullable=False),
    Column("topic", String(32), nullable=False),
    Column("text", Text, nullable=False, default=""),
    Column("when_text", String(200), nullable=False, default=""),
    Column("recruiter", Text, nullable=False, default=""),
    Column("place_id", String(40), nullable=True),
    Column("place_label", String(120), nullable=False, default=""),
    Column("country", String(2), nullable=True),
    Column("danger_now", Boolean, nullable=False, default=False),
    Column("minor", Boolean, nullable=False, default=False),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("consent", String(32), nullable=False),
    Column("risk", String(8), nullable=False, default="low"),
    Column("flags", Text, nullable=False, default="[]"),
    Column("language", String(8), nullable=False, default=""),
    Column("status", String(16), nullable=False, default="received"),
    Column("delivered_on", Date, nullable=True),
    Column("claimed_by", String(64), nullable=True),
    Column("reply", Text, nullable=True),
    Column("last_digest_on", Date, nullable=True),
    Index("ix_tips_created_on", "created_on"),
)

# The last tip number issued per month: references are never reused, even after the
# tips of a month are purged (a staff /reply meant for an old tip must never reach a new
# reporter).
tip_sequence = Table(
    "tip_sequence",
    metadata,
    Column("month", String(4), primary_key=True),  # "2611"
    Column("last", Integer, nullable=False),
)

# Facts about this installation: the fingerprint of the secret key the data was made with.
instance = Table(
    "instance",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("value", String(128), nullable=False),
)

# Which organisations receive a tip (the routing is stored with it).
tip_routes = Table(
    "tip_routes",
    metadata,
    Column("tip_id", Integer, ForeignKey("tips.id", ondelete="CASCADE"), primary_key=True),
    Column("org_id", String(64), primary_key=True),
    Column("reason", String(16), nullable=False),
    Column("delivered_on", Date, nullable=True),
    Index("ix_tip_routes_org_id", "org_id", "tip_id"),
)

# What a tip says about the recruiter, normalised, so tips about one recruiter are linked.
recruiter_marks = Table(
    "recruiter_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tip_id", Integer, ForeignKey("tips.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # phone, handle, agency, name
    Column("value", String(200), nullable=False),
    Index("ix_recruiter_marks_kind_value", "kind", "value"),
)

# Photos of a flyer or a chat: files under DATA_DIR/tips/<ref>/, metadata stripped.
tip_files = Table(
    "tip_files",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tip_id", Integer, ForeignKey("tips.id", ondelete="CASCADE"), nullable=False),
    Column("path", String(200), nullable=False),
    Column("size", Integer, nullable=False),
)

# Per-user counters for abuse limits: the pseudonymous key and an hour, nothing else; no
# link to any tip.
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("action", String(16), primary_key=True),
    Column("window", String(16), primary_key=True),  # e.g. "2026-11-25T09"
    Column("count", Integer, nullable=False, default=0),
)

# Deep-link campaigns ("/start poster-jember"): how many people came, per day; nothing else.
campaign_counts = Table(
    "campaign_counts",
    metadata,
    Column("campaign", String(32), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("count", Integer, nullable=False, default=0),
)

# Organisations' staff chats: organisations, not reporters, so their chat ids are stored.
org_chats = Table(
    "org_chats",
    metadata,
    Column("org_id", String(64), primary_key=True),
    Column("transport", String(16), primary_key=True),
    Column("chat_id", String(64), primary_key=True),
    Column("registered_on", Date, nullable=False),
    Column("language", String(8), nullable=True),  # chosen with /lang; else the directory's
)

# One-time invite codes for staff chats (only a hash is kept; a code expires).
org_invites = Table(
    "org_invites",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used", Boolean, nullable=False, default=False),
)

# The digest ledger: which tips a digest to an organisation carries, and whether it went
# out. A send is idempotent: an unsent row is sent again with the same tips; a tip in a
# sent row is never sent to that organisation again.
digests = Table(
    "digests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("org_id", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("tip_ids", Text, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Index("ix_digests_org_id", "org_id"),
)

# When an organisation wants its digest: daily or weekly, at a local time in its timezone.
org_schedules = Table(
    "org_schedules",
    metadata,
    Column("org_id", String(64), primary_key=True),
    Column("frequency", String(8), nullable=False),  # daily, weekly
    Column("at", String(5), nullable=False),  # "08:00"
    Column("weekday", Integer, nullable=True),  # 0 = Monday, for weekly
    Column("timezone", String(40), nullable=False),
)

# Deliveries already taken (Telegram update ids, WhatsApp message ids), so a redelivery is
# acknowledged without being answered again, also after a restart. Only an HMAC of the id
# (a WhatsApp message id embeds the sender's phone number) and the minute it came; rows
# older than a day are trimmed (bot/limits.py).
seen_deliveries = Table(
    "seen_deliveries",
    metadata,
    Column("transport", String(16), primary_key=True),
    Column("delivery", String(64), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
    Index("ix_seen_deliveries_seen_at", "seen_at"),
)
