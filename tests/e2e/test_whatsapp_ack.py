"""The WhatsApp acknowledgement does not wait for the database (issue #18): a delivery is
answered 200 while SQLite's one writer is busy, and the message is still answered, once,
when the writer is free; a redelivery that arrives meanwhile is dropped. A full backlog is
answered 503, so Meta delivers again, and nothing taken is lost."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.whatsapp import server
from bot.storage.database import writing
from tests.e2e.test_whatsapp import WA_ID, running
from tests.helpers.fake_graph import delivery, fake_graph, text, texts


async def test_the_ack_does_not_wait_for_a_busy_writer_and_nothing_is_lost(
        tmp_path: Path) -> None:
    async with fake_graph() as graph, aiohttp.ClientSession() as http, \
            running(tmp_path / "data", graph, http) as phone:
        once = text("/help", mid="wamid.ack-while-busy")
        writer_free = asyncio.Event()

        async def hold_the_writer() -> None:
            async with writing(phone.app.db):  # what a burst of saves does to the writer
                await writer_free.wait()

        holder = asyncio.create_task(hold_the_writer())
        await asyncio.sleep(0.05)
        started = time.monotonic()
        async with asyncio.timeout(5):  # the old order waited here until the writer was free
            assert await phone.post(delivery(once)) == 200
            assert await phone.post(delivery(once)) == 200  # Meta's redelivery, meanwhile
        assert time.monotonic() - started < 5
        assert graph.to(WA_ID) == []  # not answered yet: the record is not written
        writer_free.set()
        await holder
        for _ in range(500):
            if graph.to(WA_ID):
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)
        assert len(graph.to(WA_ID)) == 1 and "/check" in texts(graph.to(WA_ID))
        assert await phone.post(delivery(once)) == 200  # and later, by the database record
        await asyncio.sleep(0.3)
        assert len(graph.to(WA_ID)) == 1


async def test_a_full_backlog_is_answered_503_and_what_was_taken_is_answered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server, "MAX_WAITING", 2)
    async with fake_graph() as graph, aiohttp.ClientSession() as http, \
            running(tmp_path / "data", graph, http) as phone:
        writer_free = asyncio.Event()

        async def hold_the_writer() -> None:
            async with writing(phone.app.db):
                await writer_free.wait()

        holder = asyncio.create_task(hold_the_writer())
        await asyncio.sleep(0.05)
        people = [f"62813000000{n:02d}" for n in range(3)]

        def said(n: int, who: str) -> dict[str, object]:
            return delivery(text("/help", mid=f"wamid.full-{n}", wa_id=who), wa_id=who)

        statuses = [await phone.post(said(n, who)) for n, who in enumerate(people)]
        assert statuses == [200, 200, 503]  # the third waits for Meta's next try
        writer_free.set()
        await holder
        for _ in range(500):
            if all(graph.to(who) for who in people[:2]):
                break
            await asyncio.sleep(0.01)
        assert all(graph.to(who) for who in people[:2])
        assert await phone.post(said(2, people[2])) == 200  # Meta's next try
        for _ in range(500):
            if graph.to(people[2]):
                break
            await asyncio.sleep(0.01)
        assert len(graph.to(people[2])) == 1
