"""The per-user message limit and the record of seen deliveries, on a real SQLite file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.limits import MESSAGES_PER_MINUTE, RateLimiter, SeenDeliveries
from bot.storage import open_database
from tests.helpers.clock import Clock

# A real message id's shape: base64 that embeds the sender's number (6281234567890).
WAMID = "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYFDNBMDFCMzQ1Njc4OUFCQ0RFRjAA"


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, Path]]:
    path = tmp_path / "seen.sqlite3"
    engine = await open_database(f"sqlite+aiosqlite:///{path}")
    try:
        yield engine, path
    finally:
        await engine.dispose()


def test_thirty_messages_a_minute_then_one_warning_then_silence() -> None:
    now = [1000.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert MESSAGES_PER_MINUTE == 30
    assert all(limiter.allow("k") == (True, False) for _ in range(30))
    assert limiter.allow("k") == (False, True)
    assert limiter.allow("k") == (False, False)
    assert limiter.allow("other") == (True, False)  # per user
    now[0] += 61
    assert limiter.allow("k") == (True, False)


async def test_a_delivery_is_taken_once(db: tuple[AsyncEngine, Path]) -> None:
    seen = SeenDeliveries(db[0], b"s" * 32, clock=Clock())
    assert await seen.first("whatsapp", WAMID)
    assert not await seen.first("whatsapp", WAMID)
    assert await seen.first("telegram", WAMID)  # per transport
    again = SeenDeliveries(db[0], b"s" * 32, clock=Clock())  # a restarted process
    assert not await again.first("whatsapp", WAMID)


async def test_only_a_keyed_hash_of_the_id_is_stored(db: tuple[AsyncEngine, Path]) -> None:
    seen = SeenDeliveries(db[0], b"s" * 32, clock=Clock())
    await seen.first("whatsapp", WAMID)
    rows = sqlite3.connect(db[1]).execute("select delivery, seen_at from seen_deliveries")
    ((stored, when),) = rows.fetchall()
    assert len(stored) == 64 and stored != WAMID and "HBgN" not in stored
    assert stored == seen.digest("whatsapp", WAMID)
    assert when.endswith(":30:00.000000")  # the minute only (the clock says 09:30)
    raw = db[1].read_bytes() + (db[1].parent / "seen.sqlite3-wal").read_bytes()
    assert WAMID.encode() not in raw and b"6281234567890" not in raw


async def test_old_rows_are_trimmed_after_a_day(db: tuple[AsyncEngine, Path]) -> None:
    clock = Clock()
    seen = SeenDeliveries(db[0], b"s" * 32, clock=clock, trim_every=1)
    await seen.first("telegram", "1")
    clock.now += timedelta(hours=25)
    await seen.first("telegram", "2")  # trims
    count = sqlite3.connect(db[1]).execute("select count(*) from seen_deliveries").fetchone()
    assert count == (1,)
    assert await seen.first("telegram", "1")  # forgotten: older than any redelivery


async def test_the_record_is_bounded_in_rows(db: tuple[AsyncEngine, Path]) -> None:
    clock = Clock()
    seen = SeenDeliveries(db[0], b"s" * 32, clock=clock, max_rows=3, trim_every=1)
    for n in range(8):
        clock.now += timedelta(minutes=1)
        await seen.first("telegram", str(n))
    count = sqlite3.connect(db[1]).execute("select count(*) from seen_deliveries").fetchone()
    assert count == (3,)
    assert not await seen.first("telegram", "7")  # the newest are kept
