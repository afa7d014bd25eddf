"""Conversation state on PostgreSQL, shared by several workers behind one bot.

Any worker may receive any message of a user (a round-robin proxy, Meta's or Telegram's
retries), so nothing about a conversation may live only in one process:

- No cache: a per-process copy goes stale as soon as another worker answers the user.
  Each event reads its row fresh, inside the conversation's lock (one indexed lookup, about
  a tenth of a millisecond on the same host: bench/bench_workers.py).
- Ordering: ``hold(key)`` opens a transaction and takes a transaction-level advisory lock
  on the conversation (``pg_advisory_xact_lock``), so one conversation's events run one at
  a time across every worker, in the order the workers ask for it (PostgreSQL queues
  waiters first come, first served). Loads and saves inside use that transaction; its
  commit at the end of ``hold`` releases the lock, and so does a worker that dies (its
  connection closes), so a lock can never be left behind.
- Compare-and-set: every row has a version; a save names the version its state was made
  from and is refused (``StaleConversation``) when another worker saved since. Only a save
  outside the event's own hold can meet that: the state a tip's receipt waits to save
  until the reply is delivered (``Runtime.delivered``), when the user has already moved on
  through another worker.

Row locks (``SELECT … FOR UPDATE``) would also order events, but a conversation seen for
the first time has no row to lock; LISTEN/NOTIFY could keep a cache valid, but a
notification arrives after the commit, leaving a window where a worker reads its stale
copy — the very bug this replaces.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.storage.models import conversations
from flows.engine import Conversation
from flows.flow import durable

# Conversations held at once by one worker. Each holds one pooled connection while its
# event runs, and the event's effects (a tip, a rate-limit counter) need others: staying
# well under the pool (bot/storage/database.py, POOL) means they always find one.
MAX_HELD = 8


class StaleConversation(Exception):
    """Another worker saved this conversation after the state being saved was read."""


def lock_id(key: str) -> int:
    """The advisory lock of a conversation: 64 bits of a hash of its key (the single
    bigint key space; the scheduler's leader lock uses the two-integer one, which never
    overlaps it)."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big",
                          signed=True)


class SharedConversationStore:
    """``ConversationStore`` for several workers on one PostgreSQL (module docstring)."""

    def __init__(self, engine: AsyncEngine, ttl: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 max_held: int = MAX_HELD) -> None:
        self._engine = engine
        self._ttl = ttl
        self._clock = clock
        self._held: dict[str, AsyncConnection] = {}
        # What the last load of a key read: the state and its version, for the save.
        self._loaded: dict[str, tuple[Conversation, int]] = {}
        self._slots = asyncio.Semaphore(max_held)

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        """The conversation is this worker's until the block ends; what was saved inside
        is committed when it ends (before the caller replies)."""
        async with self._slots, self._engine.begin() as conn:
            await conn.execute(select(func.pg_advisory_xact_lock(lock_id(key))))
            self._held[key] = conn
            try:
                yield
            finally:
                del self._held[key]

    @contextlib.asynccontextmanager
    async def _conn(self, key: str) -> AsyncIterator[AsyncConnection]:
        held = self._held.get(key)
        if held is not None:
            yield held
            return
        async with self._engine.begin() as conn:
            yield conn

    async def load(self, key: str) -> Conversation:
        async with self._conn(key) as conn:
            row = (await conn.execute(select(conversations).where(
                conversations.c.key == key))).mappings().first()
        if row is None:
            self._remember(key, Conversation(), 0)
            return Conversation()
        conv = Conversation(flow=row["flow"], state=row["state"],
                            data=json.loads(row["data"]), session=row["session"],
                            lang=row["lang"], country=row["country"] or "")
        self._remember(key, conv, row["version"])
        updated = row["updated_at"]
        if updated.tzinfo is None:
            updated = updated.replace(tzinfo=UTC)
        if self._clock() - updated > self._ttl:
            return Conversation(session=conv.session, lang=conv.lang, country=conv.country)
        return conv

    def _remember(self, key: str, conv: Conversation, version: int) -> None:
        if len(self._loaded) > 100_000:  # keys whose reply was never delivered
            self._loaded.clear()
        self._loaded[key] = (conv, version)

    async def save(self, key: str, conversation: Conversation) -> None:
        """Writes the state made from the last load of ``key``; raises
        ``StaleConversation`` when another worker saved the conversation since."""
        loaded = self._loaded.pop(key, None)
        if loaded is None:  # not loaded here (a test, a tool): from whatever is stored
            async with self._conn(key) as conn:
                version = (await conn.execute(select(conversations.c.version).where(
                    conversations.c.key == key))).scalar()
            loaded = (None, version or 0)  # type: ignore[assignment]
        previous, version = loaded
        if previous == conversation and conversation.idle:
            self._loaded[key] = loaded  # nothing changed: the stored row is current
            return
        values = {
            "flow": conversation.flow,
            "state": conversation.state,
            "data": json.dumps(durable(conversation.data), ensure_ascii=False),
            "session": conversation.session,
            "lang": conversation.lang,
            "country": conversation.country,
            "updated_at": self._clock(),
        }
        stmt = postgresql.insert(conversations).values(key=key, version=1, **values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[conversations.c.key],
            set_={**values, "version": conversations.c.version + 1},
            where=conversations.c.version == version,
        ).returning(conversations.c.version)
        async with self._conn(key) as conn:
            written = (await conn.execute(stmt)).scalar()
        if written is None:
            raise StaleConversation
        self._loaded[key] = (conversation, written)

    async def count(self) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(
                select(func.count()).select_from(conversations))).scalar_one())
