"""What several workers on one PostgreSQL need of the conversation store: each worker has
an engine (a pool) of its own here, as two processes would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage import SharedConversationStore, open_database
from bot.storage.shared import StaleConversation, lock_id
from flows.engine import Conversation
from tests.helpers.postgres import postgres_url  # noqa: F401  (a fixture)

KEY = "a" * 64


@pytest.fixture
async def engines(postgres_url: str) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:  # noqa: F811
    first = await open_database(postgres_url)
    second = await open_database(postgres_url)
    yield first, second
    await first.dispose()
    await second.dispose()


async def test_a_save_by_one_worker_is_what_the_other_loads_next(engines) -> None:  # type: ignore[no-untyped-def]
    a, b = (SharedConversationStore(e) for e in engines)
    for n in range(1, 6):  # alternating, as behind a round-robin proxy
        here, there = (a, b) if n % 2 else (b, a)
        conv = await here.load(KEY)
        assert conv.session == n - 1  # never an older copy
        await here.save(KEY, Conversation(flow="report", state=f"s{n}", session=n))
        assert (await there.load(KEY)).state == f"s{n}"


async def test_a_save_from_an_older_state_is_refused(engines) -> None:  # type: ignore[no-untyped-def]
    a, b = (SharedConversationStore(e) for e in engines)
    await a.load(KEY)
    await a.save(KEY, Conversation(flow="report", state="summary", session=1))
    await a.load(KEY)  # a reads "summary", holds its next state back (a receipt on its way)
    await b.load(KEY)
    await b.save(KEY, Conversation(flow="check", state="wait", session=2))  # b moves on
    with pytest.raises(StaleConversation):
        await a.save(KEY, Conversation(flow="report", state="done", session=1))
    assert (await b.load(KEY)).flow == "check"


async def test_two_new_conversations_saved_at_once_keep_one(engines) -> None:  # type: ignore[no-untyped-def]
    a, b = (SharedConversationStore(e) for e in engines)
    await a.load(KEY)
    await b.load(KEY)  # neither finds a row
    await a.save(KEY, Conversation(lang="id"))
    with pytest.raises(StaleConversation):
        await b.save(KEY, Conversation(lang="ru"))
    assert (await b.load(KEY)).lang == "id"


async def test_hold_runs_one_conversation_at_a_time_across_workers(engines) -> None:  # type: ignore[no-untyped-def]
    a, b = (SharedConversationStore(e) for e in engines)
    trace: list[str] = []

    async def step(store: SharedConversationStore, name: str, key: str) -> None:
        async with store.hold(key):
            trace.append(f"{name}+")
            conv = await store.load(key)
            await asyncio.sleep(0.2)  # a slow step: the other worker must wait
            await store.save(key, Conversation(session=conv.session + 1))
            trace.append(f"{name}-")

    first = asyncio.create_task(step(a, "a", KEY))
    await asyncio.sleep(0.05)
    await step(b, "b", KEY)
    await first
    assert trace == ["a+", "a-", "b+", "b-"]
    assert (await a.load(KEY)).session == 2  # no update lost

    trace.clear()  # another conversation is never held up by this one
    other = asyncio.create_task(step(a, "a", KEY))
    await asyncio.sleep(0.05)
    await step(b, "b", "b" * 64)
    await other
    assert trace[:2] == ["a+", "b+"]


async def test_what_a_hold_saved_is_committed_only_at_its_end(engines) -> None:  # type: ignore[no-untyped-def]
    a, b = (SharedConversationStore(e) for e in engines)
    with pytest.raises(RuntimeError):
        async with a.hold(KEY):
            await a.load(KEY)
            await a.save(KEY, Conversation(lang="ru"))
            raise RuntimeError("the reply could not be made")
    assert await b.count() == 0  # rolled back with the hold, the lock released
    async with b.hold(KEY):
        assert (await b.load(KEY)) == Conversation()


def test_lock_ids_are_64_bit_and_differ() -> None:
    ids = {lock_id(f"{n:064x}") for n in range(1000)}
    assert len(ids) == 1000
    assert all(-(2 ** 63) <= i < 2 ** 63 for i in ids)
