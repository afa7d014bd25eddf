"""SQL implementation of ``ConversationStore`` for one process (SQLite, the embedded default;
PostgreSQL with several workers uses ``bot.storage.shared``)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import dialect_insert, writing
from bot.storage.models import conversations
from flows.engine import Conversation
from flows.flow import durable


class SqlConversationStore:
    """Conversation state in SQL, with a write-through cache.

    The runtime is the only writer of a conversation in its process (it holds the
    conversation's lock), and on SQLite one process serves the bot, so the cache never
    serves a stale state. Writes always reach the database before the reply
    is sent; saves that arrive together are committed together (group commit); an
    unchanged conversation is not written again.
    """

    def __init__(self, engine: AsyncEngine, ttl: timedelta = timedelta(hours=24),
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 cache_size: int = 50_000) -> None:
        self._engine = engine
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[Conversation, datetime]] = {}
        self._cache_size = cache_size
        self._pending: list[tuple[str, Conversation, datetime, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._reads: list[tuple[str, asyncio.Future[tuple[Conversation, datetime] | None]]] = []
        self._reader: asyncio.Task[None] | None = None
        self._upsert = _upsert(dialect_insert(engine))

    async def load(self, key: str) -> Conversation:
        cached = self._cache.get(key)
        if cached is None:
            done: asyncio.Future[tuple[Conversation, datetime] | None] = (
                asyncio.get_running_loop().create_future())
            self._reads.append((key, done))
            if self._reader is None or self._reader.done():
                self._reader = asyncio.create_task(self._read_pending())
            cached = await done
            if cached is None:
                return Conversation()
        conv, updated = cached
        if self._clock() - updated > self._ttl:
            return Conversation(session=conv.session, lang=conv.lang, country=conv.country)
        return conv

    async def _read_pending(self) -> None:
        """Loads that arrive together are read with one query."""
        while self._reads:
            batch, self._reads = self._reads[:500], self._reads[500:]
            keys = list({key for key, _ in batch})
            try:
                async with self._engine.connect() as conn:
                    rows = (await conn.execute(select(conversations).where(
                        conversations.c.key.in_(keys)))).mappings().all()
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            found: dict[str, tuple[Conversation, datetime]] = {}
            for row in rows:
                conv = Conversation(flow=row["flow"], state=row["state"],
                                    data=json.loads(row["data"]), session=row["session"],
                                    lang=row["lang"], country=row["country"] or "")
                found[row["key"]] = (conv, _aware(row["updated_at"]))
                self._remember(row["key"], *found[row["key"]])
            for key, done in batch:
                if not done.done():
                    done.set_result(found.get(key))

    async def save(self, key: str, conversation: Conversation) -> None:
        cached = self._cache.get(key)
        if cached is not None and cached[0] == conversation and conversation.idle:
            return  # nothing changed and no step is waiting: the stored row is current
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((key, conversation, self._clock(), done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_pending())
        await done  # the row is committed before the caller may reply

    async def _write_pending(self) -> None:
        """Group commit: every save waiting now goes into one transaction. If that fails,
        each save is retried alone, so one conversation's bad row never fails another's."""
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self._commit(batch)
            except Exception as exc:
                if len(batch) == 1:
                    _fail(batch[0][3], exc)
                    continue
                for one in batch:
                    try:
                        await self._commit([one])
                    except Exception as alone:
                        _fail(one[3], alone)
                        continue
                    self._settle(one)
                continue
            for one in batch:
                self._settle(one)

    async def _commit(self, batch: list[tuple[str, Conversation, datetime,
                                               asyncio.Future[None]]]) -> None:
        rows = [{
            "key": key,
            "flow": conv.flow,
            "state": conv.state,
            "data": json.dumps(durable(conv.data), ensure_ascii=False),
            "session": conv.session,
            "lang": conv.lang,
            "country": conv.country,
            "updated_at": when,
        } for key, conv, when, _ in batch]
        async with writing(self._engine) as conn:
            await conn.execute(self._upsert, rows)

    def _settle(self, one: tuple[str, Conversation, datetime, asyncio.Future[None]]) -> None:
        key, conv, when, done = one
        self._remember(key, conv, when)
        if not done.done():
            done.set_result(None)

    def _remember(self, key: str, conversation: Conversation, updated: datetime) -> None:
        if len(self._cache) >= self._cache_size:
            self._cache.clear()  # simple and bounded; the next loads refill it
        self._cache[key] = (conversation, updated)

    async def count(self) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(
                select(func.count()).select_from(conversations))).scalar_one())


_COLUMNS = ("flow", "state", "data", "session", "lang", "country", "updated_at")


def _upsert(insert: Callable[[Any], Any]) -> Any:
    """The one statement every group commit runs, built once: building it and its cache key
    anew for each commit cost more than SQLAlchemy's compiled-statement cache saves."""
    stmt = insert(conversations)
    return stmt.on_conflict_do_update(index_elements=[conversations.c.key],
                                      set_={name: stmt.excluded[name] for name in _COLUMNS})


def _fail(done: asyncio.Future[None], exc: BaseException) -> None:
    if not done.done():
        done.set_exception(exc)


def _aware(value: datetime) -> datetime:
    # SQLite gives back naive datetimes; everything we write is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
