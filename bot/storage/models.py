"""The database schema. Migrations under ``migrations/versions`` create exactly this."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

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
    Column("updated_at", DateTime(timezone=True), nullable=False),
)
