"""One contract for every ConversationStore: in memory, SQL on a real SQLite file, and the
shared store on a real PostgreSQL (started by the tests; skipped where it is not installed)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage import (
    MemoryConversationStore,
    SharedConversationStore,
    SqlConversationStore,
    conversation_store,
    open_database,
)
from flows.engine import Conversation
from tests.helpers.clock import Clock
from tests.helpers.postgres import require_postgres, shared_server


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "sqlite", "postgres"])
async def store(request: pytest.FixtureRequest, tmp_path: Path,
                clock: Clock) -> AsyncIterator[object]:
    if request.param == "memory":
        yield MemoryConversationStore(ttl=timedelta(hours=24), clock=clock)
        return
    if request.param == "postgres":
        require_postgres()
        url = shared_server().new_database()
    else:
        url = f"sqlite+aiosqlite:///{tmp_path / 'store.sqlite3'}"
    engine = await open_database(url)
    made = conversation_store(engine, ttl=timedelta(hours=24), clock=clock)
    assert isinstance(made, SharedConversationStore if request.param == "postgres"
                      else SqlConversationStore)
    yield made
    await engine.dispose()


async def test_unknown_key_is_a_new_conversation(store) -> None:  # type: ignore[no-untyped-def]
    assert await store.load("k" * 64) == Conversation()


async def test_round_trip_keeps_every_field(store) -> None:  # type: ignore[no-untyped-def]
    conv = Conversation(flow="lang", state="choose", data={"text": "Лоток ✓", "n": 2},
                        session=7, lang="ru")
    await store.save("a" * 64, conv)
    assert await store.load("a" * 64) == conv
    assert await store.count() == 1


async def test_save_overwrites(store) -> None:  # type: ignore[no-untyped-def]
    await store.save("b" * 64, Conversation(lang="id"))
    await store.save("b" * 64, Conversation(lang="ru", session=2))
    assert (await store.load("b" * 64)).lang == "ru"
    assert await store.count() == 1


async def test_stale_step_is_forgotten_but_language_kept(store, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    await store.save("c" * 64, Conversation(flow="lang", state="choose", session=3, lang="ru"))
    clock.now += timedelta(hours=25)
    assert await store.load("c" * 64) == Conversation(session=3, lang="ru")


async def test_sqlite_survives_reopen(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'reopen.sqlite3'}"
    engine = await open_database(url)
    await SqlConversationStore(engine).save("d" * 64, Conversation(lang="ru"))
    await engine.dispose()
    engine = await open_database(url)  # migrations run again: nothing is lost
    assert (await SqlConversationStore(engine).load("d" * 64)).lang == "ru"
    async with engine.connect() as conn:
        mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
    await engine.dispose()
    assert mode == "wal"
