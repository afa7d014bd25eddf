"""Storage: the schema, migrations and repositories behind small ports."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.base import ConversationStore
from bot.storage.conversations import SqlConversationStore
from bot.storage.database import is_shared, open_database, prepare_data_dir
from bot.storage.memory import MemoryConversationStore
from bot.storage.shared import SharedConversationStore

__all__ = [
    "ConversationStore",
    "MemoryConversationStore",
    "SharedConversationStore",
    "SqlConversationStore",
    "conversation_store",
    "open_database",
    "prepare_data_dir",
]


def conversation_store(engine: AsyncEngine, ttl: timedelta = timedelta(hours=24),
                       clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                       ) -> SqlConversationStore | SharedConversationStore:
    """SQLite: one process, a write-through cache and group commit. PostgreSQL: several
    workers may serve the bot, so no cache, a lock per conversation and compare-and-set."""
    if is_shared(engine):
        return SharedConversationStore(engine, ttl=ttl, clock=clock)
    return SqlConversationStore(engine, ttl=ttl, clock=clock)
