"""Storage: the schema, migrations and repositories behind small ports."""

from bot.storage.base import ConversationStore
from bot.storage.conversations import SqlConversationStore
from bot.storage.database import open_database, prepare_data_dir
from bot.storage.memory import MemoryConversationStore

__all__ = [
    "ConversationStore",
    "MemoryConversationStore",
    "SqlConversationStore",
    "open_database",
    "prepare_data_dir",
]
