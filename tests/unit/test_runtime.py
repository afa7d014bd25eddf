"""The runtime: one event per conversation at a time; errors never lose state or leak text."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.runtime import Runtime
from bot.storage import SqlConversationStore, open_database
from flows.engine import Conversation
from tests.helpers.events import command, msgids


class SlowStore(SqlConversationStore):
    """Yields between load and save, so an unlocked runtime would interleave two events."""

    async def load(self, key: str) -> Conversation:
        conv = await super().load(key)
        await asyncio.sleep(0.02)
        return conv


async def test_concurrent_events_of_one_conversation_run_one_at_a_time(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'rt.sqlite3'}")
    store = SlowStore(engine)
    runtime = Runtime(store, build_engine())
    await asyncio.gather(*(runtime.handle("k" * 64, command("start")) for _ in range(5)))
    assert (await store.load("k" * 64)).session == 5  # no lost update
    await engine.dispose()


async def test_a_failing_step_apologises_and_keeps_the_old_state(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'rt.sqlite3'}")
    store = SqlConversationStore(engine)
    await store.save("k" * 64, Conversation(lang="ru", session=4))
    flows = build_engine()

    def boom(*_args: object) -> None:
        raise ValueError("secret user text must not be logged")

    flows.handle = boom  # type: ignore[method-assign]
    runtime = Runtime(store, flows)
    with caplog.at_level(logging.DEBUG):
        response = await runtime.handle("k" * 64, command("start"))
    assert response.lang == "ru"
    assert msgids(response.replies)[0].startswith("Sorry, something went wrong")
    assert (await store.load("k" * 64)) == Conversation(lang="ru", session=4)
    assert "secret user text" not in caplog.text
    assert "ValueError" in caplog.text
    await engine.dispose()
