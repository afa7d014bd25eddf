"""Errors of the runtime.

    BotError
    └── StartupError          the bot cannot start; the message names what to fix
        ├── DataDirError      DATA_DIR missing, not a directory, or not writable
        └── StorageError      the database cannot be opened or migrated (corrupt file…)
"""

from __future__ import annotations


class BotError(Exception):
    """Base of the runtime's errors."""


class StartupError(BotError):
    """The bot cannot start; ``str(error)`` is a message for the operator."""


class DataDirError(StartupError):
    pass


class StorageError(StartupError):
    pass
