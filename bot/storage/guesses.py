"""Wrong guesses of receipt codes per user, so /status answers slow down for a guesser
(bot/tips/performer.py): in memory for one process, in the database when several workers
share PostgreSQL. Kept apart from bot/limits.py, which brings in aiohttp: the console
reads receipt codes too."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.database import autocommit, dialect_insert, is_shared
from bot.storage.models import rate_limits


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Guesses:
    """Wrong guesses per user (receipt codes for /status), counted in memory: one process."""

    def __init__(self) -> None:
        self._wrong: dict[str, int] = {}

    async def count(self, key: str) -> int:
        return self._wrong.get(key, 0)

    async def wrong(self, key: str) -> None:
        if len(self._wrong) > 100_000:  # bounded; a guesser starts over, slowed again soon
            self._wrong.clear()
        self._wrong[key] = self._wrong.get(key, 0) + 1

    async def right(self, key: str) -> None:
        self._wrong.pop(key, None)


class SharedGuesses(Guesses):
    """The same count in the database, so a guesser whose messages alternate between
    workers is slowed down as by one. Per hour (the row's window); a keyed hash of the
    user's key, as for the message counters."""

    ACTION = "guess"

    def __init__(self, db: AsyncEngine, salt: bytes,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        super().__init__()
        self._db = db
        self._salt = salt
        self._wall = clock

    def _row(self, key: str) -> tuple[str, str]:
        # ":00" sorts after the hour ("…T09" < "…T09:00"), so the tip counters' trim of
        # past hours never takes the current hour's guesses.
        return (hmac.new(self._salt, key.encode(), hashlib.sha256).hexdigest(),
                self._wall().strftime("%Y-%m-%dT%H:00"))

    async def count(self, key: str) -> int:
        counter, window = self._row(key)
        async with self._db.connect() as conn:
            found = (await conn.execute(select(rate_limits.c.count).where(
                rate_limits.c.key == counter, rate_limits.c.action == self.ACTION,
                rate_limits.c.window == window))).scalar()
        return int(found or 0)

    async def wrong(self, key: str) -> None:
        counter, window = self._row(key)
        stmt = dialect_insert(self._db)(rate_limits).values(
            key=counter, action=self.ACTION, window=window, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[rate_limits.c.key, rate_limits.c.action, rate_limits.c.window],
            set_={"count": rate_limits.c.count + 1})
        async with autocommit(self._db) as conn:
            await conn.execute(stmt)
            await conn.execute(delete(rate_limits).where(
                rate_limits.c.action == self.ACTION, rate_limits.c.window < window))

    async def right(self, key: str) -> None:
        counter, _ = self._row(key)
        async with autocommit(self._db) as conn:
            await conn.execute(delete(rate_limits).where(
                rate_limits.c.key == counter, rate_limits.c.action == self.ACTION))


def guess_counter(db: AsyncEngine, salt: bytes) -> Guesses:
    """Wrong receipt-code guesses: in memory on SQLite, in the database on PostgreSQL."""
    return SharedGuesses(db, salt) if is_shared(db) else Guesses()
