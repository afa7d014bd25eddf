"""The runtime: one event per conversation at a time; errors never lose state or leak text."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.runtime import MAX_WAITING, Runtime
from bot.storage import SqlConversationStore, open_database
from flows.engine import Conversation
from tests.helpers.events import command, msgids, text


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


async def test_one_bad_row_never_fails_the_others_in_a_group_commit(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'rt.sqlite3'}")
    store = SqlConversationStore(engine)
    good = [store.save(f"{i:064d}", Conversation(flow="report", state="what",
                                                 data={"text": f"user {i}"}))
            for i in range(20)]
    # A lone surrogate cannot be encoded for SQLite: only this save may fail.
    bad = store.save("b" * 64, Conversation(flow="report", data={"text": "paspor \ud800"}))
    results = await asyncio.gather(*good, bad, return_exceptions=True)
    assert all(r is None for r in results[:20]) and isinstance(results[20], Exception)
    fresh = SqlConversationStore(engine)
    assert (await fresh.load(f"{7:064d}")).data == {"text": "user 7"}
    await engine.dispose()


async def test_broken_text_from_one_user_fails_no_one(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'rt.sqlite3'}")
    runtime = Runtime(SqlConversationStore(engine), build_engine())
    users = [f"{i:064d}" for i in range(21)]
    for user in users:
        await runtime.handle(user, command("report", hint="id"))
    said = [text(f"Ada lowongan aneh dari agen nomor {i}") for i in range(20)]
    said.append(text("paspor \ud800 ditahan agen"))
    responses = await asyncio.gather(*(runtime.handle(u, e) for u, e in zip(users, said,
                                                                          strict=True)))
    for response in responses:
        assert not msgids(response.replies)[0].startswith("Sorry, something went wrong")
    # The sender of the broken text can go on with the draft.
    nxt = await runtime.handle(users[20], text("Indramayu"))
    assert not msgids(nxt.replies)[0].startswith("Sorry")
    await engine.dispose()


def test_broken_coordinates_and_surrogates_are_cleaned_at_the_door() -> None:
    from flows.types import Inbound, Kind
    event = Inbound(kind=Kind.LOCATION, latitude=float("nan"), longitude=106.8)
    assert event.latitude is None and event.longitude is None
    assert Inbound(kind=Kind.LOCATION, latitude=-6.2, longitude=106.8).latitude == -6.2
    assert Inbound(kind=Kind.LOCATION, latitude=1e308 * 10, longitude=0.0).latitude is None
    cleaned = Inbound(kind=Kind.TEXT, text="a\ud800b", args="\udfff")
    assert cleaned.text == "a\ufffdb" and cleaned.args == "\ufffd"
    cleaned.text.encode("utf-8")  # encodable now


async def test_a_flood_from_one_user_is_answered_at_once_not_queued(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'rt.sqlite3'}")
    store = SlowStore(engine)
    runtime = Runtime(store, build_engine())
    await runtime.handle("f" * 64, command("lang", "ru"))
    responses = await asyncio.gather(*(runtime.handle("f" * 64, command("start"))
                                       for _ in range(40)))
    dropped = [r for r in responses
               if msgids(r.replies) == ["You are sending messages very fast. Please wait a "
                                        "minute."]]
    assert len(dropped) == 40 - 1 - MAX_WAITING  # one runs, eight wait, the rest are told
    assert {r.lang for r in dropped} == {"ru"}
    # Another user is not affected, and the flooding user is served again afterwards.
    assert msgids((await runtime.handle("g" * 64, command("start"))).replies)[0] != (
        "You are sending messages very fast. Please wait a minute.")
    assert (await store.load("f" * 64)).session == 1 + MAX_WAITING  # each /start counted
    await engine.dispose()


class FailingLoads(SqlConversationStore):
    async def load(self, key: str) -> Conversation:
        raise OSError("disk I/O error")


async def test_a_database_error_while_loading_is_an_apology(tmp_path: Path) -> None:
    engine = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'rt.sqlite3'}")
    runtime = Runtime(FailingLoads(engine), build_engine())
    response = await runtime.handle("k" * 64, command("start"))
    assert msgids(response.replies)[0].startswith("Sorry, something went wrong")
    await engine.dispose()
