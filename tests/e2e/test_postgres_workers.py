"""Two `python main.py run whatsapp` processes on one real PostgreSQL behave as one bot.

One user's deliveries alternate between the two workers, as behind a round-robin proxy;
answers go to a stand-in Graph API on 127.0.0.1. A report walked across both reaches its
receipt, a message id delivered to both is answered once, the flood limit counts both,
exactly one worker runs the scheduler, and when it is killed the other takes over.
PostgreSQL is started by the tests (tests/helpers/postgres.py); skipped where absent.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import asyncpg
import pytest
import pytest_asyncio

from bot.orgs.scheduler import LEADER_LOCK, LEADER_POLL
from tests.helpers.fake_graph import (
    PHONE_ID,
    FakeGraph,
    button_reply,
    delivery,
    encode,
    fake_graph,
    list_reply,
    sign,
    text,
    texts,
)
from tests.helpers.postgres import require_postgres, shared_server
from tests.helpers.reliability_procs import Child, Zygote, free_port, product_env, wait_ready

SECRET = "two-workers-app-secret"
VERIFY = "two-workers-verify-token"
CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")
REF = re.compile(r"Your report (T-\d{4}-\d{4,})")
TOPIC = "Trafficking or a suspicious job offer"
CONSENT = "Only organisations that help (NGOs)"
pytestmark = pytest.mark.asyncio(loop_scope="module")  # the workers live for the module

ENGLISH = "From now on I will write in English"
SLOW_DOWN = "You are sending messages very fast"


@pytest.fixture(scope="module")
def zygote() -> Iterator[Zygote]:
    require_postgres()
    made = Zygote()
    yield made
    made.close()


@dataclass
class Workers:
    graph: FakeGraph
    http: aiohttp.ClientSession
    children: list[Child]
    urls: list[str]
    database: str

    async def post(self, worker: int, message: dict[str, Any], wa_id: str) -> int:
        raw = encode(delivery(message, wa_id=wa_id, name=f"Tester {wa_id}"))
        async with self.http.post(self.urls[worker], data=raw, headers={
                "Content-Type": "application/json",
                "X-Hub-Signature-256": sign(raw, SECRET)}) as response:
            return response.status

    def handled(self) -> int:
        """Text messages the workers' runtimes have handled so far (their INFO logs)."""
        return sum(c.output().count("runtime.event kind=text") for c in self.children)

    async def say(self, worker: int, message: dict[str, Any], wa_id: str,
                  expect: Callable[[list[dict[str, Any]]], bool],
                  seconds: float = 20.0) -> list[dict[str, Any]]:
        """One delivery to one worker, and the answer it brought."""
        before = len(self.graph.to(wa_id))
        assert await self.post(worker, message, wa_id) == 200
        deadline = time.monotonic() + seconds
        while True:
            new = self.graph.to(wa_id)[before:]
            if expect(new):
                return new
            if time.monotonic() > deadline:
                logs = "\n".join(c.output()[-1500:] for c in self.children)
                raise AssertionError(f"no expected answer from worker {worker}; it said "
                                     f"{texts(new)[-400:]!r}\n{logs}")
            await asyncio.sleep(0.01)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def workers(zygote: Zygote, tmp_path_factory: pytest.TempPathFactory
                  ) -> AsyncIterator[Workers]:
    tmp = tmp_path_factory.mktemp("workers")
    database = shared_server().new_database()
    async with fake_graph() as graph, aiohttp.ClientSession() as http:
        children, urls = [], []
        for number in range(2):
            port = free_port()
            # One bot: the same secret key and database; DATA_DIR shared as a network
            # folder would be (parked photos), here one folder on this machine.
            env = product_env(tmp / "data", DATABASE_URL=database, BOT_SECRET_KEY="k" * 32,
                              WEB_HOST="127.0.0.1", WEB_PORT=str(port),
                              WHATSAPP_ACCESS_TOKEN="EAAtwo", WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
                              WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY,
                              WHATSAPP_API_BASE_URL=graph.base_url, LOG_LEVEL="INFO")
            child = zygote.spawn(["run", "whatsapp"], env, tmp / f"worker-{number}.log",
                                 cwd=tmp)
            children.append(child)
            url = f"http://127.0.0.1:{port}/whatsapp/webhook"
            await wait_ready(child, url, 403, seconds=90)
            urls.append(url)
        try:
            yield Workers(graph, http, children, urls, database)
        finally:
            for child in children:
                child.kill()


def has(fragment: str, choice: str | None = None) -> Callable[[list[Any]], bool]:
    return lambda new: fragment in texts(new) and (
        choice is None or find_choice(new, choice) is not None)


def find_choice(messages: list[dict[str, Any]], title: str) -> dict[str, Any] | None:
    for m in reversed(messages):
        if m["type"] != "interactive":
            continue
        action = m["interactive"]["action"]
        for b in action.get("buttons", []):
            if b["reply"]["title"] == title:
                return button_reply(b["reply"]["id"])
        for section in action.get("sections", []):
            for row in section["rows"]:
                if title in (row["title"], row.get("description")):
                    return list_reply(row["id"])
    return None


def press(new: list[dict[str, Any]], title: str, wa_id: str) -> dict[str, Any]:
    choice = find_choice(new, title)
    assert choice is not None, title
    choice["from"] = wa_id
    return choice


async def test_a_report_alternating_between_workers_reaches_its_receipt(
        workers: Workers) -> None:
    w = "6281300000001"
    turn = iter(range(100))

    def worker() -> int:
        return next(turn) % 2  # A, B, A, B…: a round-robin proxy

    await workers.say(worker(), text("/lang en", wa_id=w), w, has(ENGLISH))
    await workers.say(worker(), text("/report", wa_id=w), w, has("Tell me what happened"))
    new = await workers.say(worker(), text(
        "A recruiter promised restaurant jobs in the city and keeps the girls' passports.",
        wa_id=w), w, has("What is it about?", TOPIC))
    for label, expect in ((TOPIC, has("Where did it happen", "Skip")),
                          ("Skip", has("which country are you in now", "Skip")),
                          ("Skip", has("When did it happen", "Skip")),
                          ("Skip", has("Is someone in danger", "No")),
                          ("No", has("What do you know about the recruiter", "Skip")),
                          ("Skip", has("", CONSENT)),
                          (CONSENT, has("Please check your report", "Send"))):
        new = await workers.say(worker(), press(new, label, w), w, expect)
    new = await workers.say(worker(), press(new, "Send", w), w,
                            lambda new: bool(CODE.search(texts(new))))
    code = CODE.search(texts(new))
    assert code is not None
    for number in (0, 1):  # either worker finds the tip by its code
        answer = await workers.say(number, text(f"/status {code.group(0)}", wa_id=w), w,
                                   has("Your report T-"))
        assert REF.search(texts(answer))
    # Both workers did part of the conversation, and neither failed on it.
    for child in workers.children:
        assert "runtime.event" in child.output()
        assert "runtime.error" not in child.output()


async def test_a_message_delivered_to_both_workers_is_answered_once(workers: Workers) -> None:
    w = "6281300000002"
    await workers.say(0, text("/lang en", wa_id=w), w, has(ENGLISH))
    before = len(workers.graph.to(w))
    again = text("/help", wa_id=w, mid="wamid.redelivered-to-both")
    statuses = [await workers.post(n, again, w) for n in (0, 1, 0, 1)]
    assert statuses == [200] * 4  # every delivery is acknowledged
    for _ in range(200):  # the answer, however slow the machine
        if "/report" in texts(workers.graph.to(w)[before:]):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(1.5)  # and time for a second one, which must not come
    answers = workers.graph.to(w)[before:]
    helps = [m for m in answers if "/report" in texts([m])]
    assert len(helps) == 1, texts(answers)


async def test_a_burst_to_both_workers_is_answered_whole_one_message_at_a_time(
        workers: Workers) -> None:
    """Deliveries of one user sent without waiting, alternately to both workers: each is
    answered, none with an apology (no lost or refused save), and their events never ran
    at once (the conversation's lock across workers)."""
    w = "6281300000005"
    await workers.say(0, text("/lang en", wa_id=w), w, has(ENGLISH))
    before = len(workers.graph.to(w))
    handled = workers.handled()
    offers = [f"Job in Dubai for girls 18-25, salary 5{n}00 USD, the agent keeps your "
              f"passport, pay the ticket fee first. Code {n}" for n in range(8)]
    for n, body in enumerate(offers):
        assert await workers.post(n % 2, text(body, wa_id=w), w) == 200
    for _ in range(300):
        if workers.handled() - handled >= len(offers):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(0.5)  # the last answer on its way to the stand-in
    said = texts(workers.graph.to(w)[before:])
    assert workers.handled() - handled == len(offers), said  # each handled once
    assert len(workers.graph.to(w)[before:]) >= len(offers), said
    assert "Sorry, something went wrong" not in said
    for child in workers.children:
        assert "runtime.error" not in child.output()


async def test_the_flood_limit_counts_messages_to_both_workers(workers: Workers) -> None:
    w = "6281300000003"
    if time.time() % 60 > 40:  # one minute's window for the whole test
        await asyncio.sleep(61 - time.time() % 60)
    for n in range(30):  # 30 a minute are answered, whichever worker takes them
        await workers.say(n % 2, text("/lang en", wa_id=w), w, has(ENGLISH))
    await workers.say(0, text("/lang en", wa_id=w), w, has(SLOW_DOWN))  # the 31st: a pause
    before = len(workers.graph.to(w))
    for n in range(4):  # after the warning, nothing more until the minute is over
        assert await workers.post(n % 2, text("/lang en", wa_id=w), w) == 200
    await asyncio.sleep(1.5)
    assert workers.graph.to(w)[before:] == []
    assert texts(workers.graph.to(w)).count(ENGLISH) == 30


async def test_one_scheduler_and_the_other_takes_over_when_it_dies(workers: Workers) -> None:
    async def leaders() -> list[int]:
        return [n for n, child in enumerate(workers.children)
                if child.alive() and "scheduler.leading" in child.output()]

    for _ in range(int(30 * LEADER_POLL)):  # 3 polls at most
        if await leaders():
            break
        await asyncio.sleep(0.1)
    first = await leaders()
    assert len(first) == 1, "exactly one worker runs the scheduler"
    assert await _leader_locks(workers.database) == 1
    leader, other = first[0], 1 - first[0]
    workers.children[leader].kill()  # SIGKILL: no goodbye, its session just ends
    deadline = time.monotonic() + 4 * LEADER_POLL
    while "scheduler.leading" not in workers.children[other].output():
        assert time.monotonic() < deadline, workers.children[other].output()[-2000:]
        await asyncio.sleep(0.1)
    assert await _leader_locks(workers.database) == 1
    # The survivor still answers.
    w = "6281300000004"
    await workers.say(other, text("/lang en", wa_id=w), w, has(ENGLISH))


async def _leader_locks(database: str) -> int:
    conn = await asyncpg.connect(database.replace("postgresql+asyncpg", "postgresql"))
    try:
        return int(await conn.fetchval(
            "select count(*) from pg_locks where locktype = 'advisory' and granted "
            "and classid = $1 and objid = $2 and objsubid = 2", *LEADER_LOCK))
    finally:
        await conn.close()

