"""In-memory conversation store: the reference implementation for pure unit tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from flows.engine import Conversation


class MemoryConversationStore:
    def __init__(self, ttl: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._rows: dict[str, tuple[Conversation, datetime]] = {}
        self._ttl = ttl
        self._clock = clock

    async def load(self, key: str) -> Conversation:
        row = self._rows.get(key)
        if row is None:
            return Conversation()
        conv, updated = row
        if self._clock() - updated > self._ttl:
            return replace(conv, flow="", state="", data={})
        return conv

    async def save(self, key: str, conversation: Conversation) -> None:
        self._rows[key] = (conversation, self._clock())

    async def count(self) -> int:
        return len(self._rows)
