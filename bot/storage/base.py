"""The storage ports. Each has an in-memory and a SQL implementation run by one contract test."""

from __future__ import annotations

from typing import Protocol

from flows.engine import Conversation


class ConversationStore(Protocol):
    """Per-user conversation state, keyed by the pseudonymous key of ``bot.keys``."""

    async def load(self, key: str) -> Conversation:
        """The conversation of ``key``; a new one when unknown.

        A flow step older than the store's time-to-live is forgotten (the language and the
        session counter are kept), so nobody returns days later into a half-finished form.
        """
        ...

    async def save(self, key: str, conversation: Conversation) -> None:
        """Stores the conversation durably before returning."""
        ...

    async def count(self) -> int:
        """How many conversations are stored (for health checks and tests)."""
        ...
