"""Delivery records and message limits on a real SQLite file and a real PostgreSQL: ids
taken together (SQLite groups them into one transaction) and by two workers at once
(PostgreSQL), one flood limit for two workers, and counters that leave the tip limit's
rows alone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.limits import MESSAGES_PER_MINUTE, SeenDeliveries, SharedRateLimiter, message_limiter
from bot.storage import open_database
from bot.storage.database import dialect_insert, writing
from bot.storage.models import rate_limits
from tests.helpers.clock import Clock
from tests.helpers.postgres import require_postgres, shared_server

SALT = b"s" * 32


@pytest.fixture(params=["sqlite", "postgres"])
async def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgres":
        require_postgres()
        return shared_server().new_database()
    return f"sqlite+aiosqlite:///{tmp_path / 'limits.sqlite3'}"


@pytest.fixture
async def db(url: str) -> AsyncIterator[AsyncEngine]:
    engine = await open_database(url)
    yield engine
    await engine.dispose()


async def test_ids_arriving_together_are_each_taken_once(db: AsyncEngine) -> None:
    seen = SeenDeliveries(db, SALT, clock=Clock())
    ids = [f"wamid.{n % 150}" for n in range(300)]  # each id twice, all at once
    taken = await asyncio.gather(*(seen.first("whatsapp", i) for i in ids))
    assert sum(taken) == 150
    assert {i for i, t in zip(ids, taken, strict=True) if t} == set(ids)
    assert not any(await asyncio.gather(*(seen.first("whatsapp", i) for i in ids[:150])))
    assert await seen.first("telegram", "wamid.1")  # another transport's id space


async def test_two_workers_never_both_take_an_id(url: str) -> None:
    if not url.startswith("postgresql"):
        pytest.skip("one process serves a SQLite file")
    engines = [await open_database(url) for _ in range(2)]
    try:
        a, b = (SeenDeliveries(e, SALT, clock=Clock()) for e in engines)
        ids = [f"update-{n}" for n in range(200)]
        results = await asyncio.gather(*(a.first("telegram", i) for i in ids),
                                       *(b.first("telegram", i) for i in ids))
        assert sum(results) == 200  # each id once, by one worker or the other
    finally:
        for engine in engines:
            await engine.dispose()


async def test_one_flood_limit_for_two_workers(url: str) -> None:
    engines = [await open_database(url) for _ in range(2)]
    clock = Clock()
    try:
        a, b = (SharedRateLimiter(e, SALT, clock=clock) for e in engines)
        answers = [await (a if n % 2 else b).check("k" * 64)
                   for n in range(MESSAGES_PER_MINUTE + 3)]
        assert answers[:MESSAGES_PER_MINUTE] == [(True, False)] * MESSAGES_PER_MINUTE
        assert answers[MESSAGES_PER_MINUTE:] == [(False, True), (False, False), (False, False)]
        assert await a.check("other" * 10) == (True, False)  # per user
        clock.now = clock.now.replace(minute=clock.now.minute + 1)
        assert await b.check("k" * 64) == (True, False)  # a new minute
    finally:
        for engine in engines:
            await engine.dispose()


async def test_message_counters_leave_the_tip_counters_alone(db: AsyncEngine) -> None:
    tip_row = {"key": "t" * 64, "action": "tip", "window": "2026-11-25T08", "count": 2}
    async with writing(db) as conn:
        await conn.execute(dialect_insert(db)(rate_limits).values(**tip_row))
    limiter = SharedRateLimiter(db, SALT, clock=Clock(), trim_every=1)
    await limiter.check("k" * 64)  # trims the message counters of past minutes
    async with db.connect() as conn:
        actions = sorted((await conn.execute(select(rate_limits.c.action))).scalars())
    assert actions == ["message", "tip"]
    # No raw conversation key in the table: a keyed hash of its own.
    async with db.connect() as conn:
        keys = set((await conn.execute(select(rate_limits.c.key))).scalars())
    assert "k" * 64 not in keys


async def test_the_limit_lives_in_the_database_only_where_workers_share_it(
        db: AsyncEngine) -> None:
    shared = isinstance(message_limiter(db, SALT), SharedRateLimiter)
    assert shared == (db.dialect.name == "postgresql")


async def test_an_invite_code_given_to_two_workers_at_once_registers_one_chat(
        url: str) -> None:
    from bot.orgs.store import OrgStore
    engines = [await open_database(url) for _ in range(2)]
    try:
        a, b = (OrgStore(e, SALT, clock=Clock()) for e in engines)
        for _ in range(5):  # at once, several times over: never two chats for one code
            code = await a.invite("id-migrant-care")
            results = await asyncio.gather(a.register(code, "telegram", "-1"),
                                           b.register(code, "telegram", "-2"))
            assert sorted(map(str, results)) == ["None", "id-migrant-care"]
    finally:
        for engine in engines:
            await engine.dispose()


async def test_wrong_receipt_guesses_count_across_workers(url: str) -> None:
    from bot.storage.guesses import Guesses, SharedGuesses, guess_counter
    engines = [await open_database(url) for _ in range(2)]
    clock = Clock()
    try:
        made = guess_counter(engines[0], SALT)
        assert isinstance(made, SharedGuesses) == url.startswith("postgresql")
        a, b = (SharedGuesses(e, SALT, clock=clock) for e in engines)
        for n in range(4):
            await (a if n % 2 else b).wrong("k" * 64)
        assert await a.count("k" * 64) == await b.count("k" * 64) == 4
        assert await a.count("j" * 64) == 0  # per user
        await b.right("k" * 64)  # a right code forgives
        assert await a.count("k" * 64) == 0
        memory = Guesses()
        await memory.wrong("k")
        assert await memory.count("k") == 1
    finally:
        for engine in engines:
            await engine.dispose()
