"""Crash test: SIGKILL at random moments while several people send tips at once.

The real product (``main.py run whatsapp``, started through the zygote in
tests/helpers/reliability_procs.py) serves signed deliveries from USERS simulated people,
each walking /report to "Send" again and again; the answers reach a stand-in Graph API on
127.0.0.1 in this process. A seeded RNG picks, for each of CYCLES cycles, when to kill the
process with SIGKILL: after a random 0.3-2 s, 0-0.8 s after someone pressed "Send"
(while it is handled: receipt hash, commit, fsync, conversation saved, answer sent), or
0-60 ms after the product logged a commit ("tips.saved"). The
process is started again on a new port, and everyone carries on as a person would: an
unanswered button is pressed again (a stale answer means the step was done: the draft
starts again from /report, as does a lost text), an unanswered "Send" is pressed again
until it is answered.

At the end, on a last live process:
- every receipt code the bot ever sent (as recorded by the stand-in API) answers
  ``/status CODE`` with its tip: no tip the reporter was told about is lost;
- that tip's text in the database is exactly the text the person sent, and no text is
  stored twice (one tip per draft: every draft has a text of its own);
- the database passes ``PRAGMA integrity_check``;
- (a test of its own) every committed tip got its receipt to its reporter: the README
  promises that after a crash between the commit and the reply, pressing "Send" again
  issues a code for the same tip.
The figures are printed (pytest -s): cycles, drafts, receipts, tips, lost, orphans.
A last test checks the same promise deterministically, without a crash: the Graph API
refuses the message that carries the receipt once, and "Send" is pressed again.

Runtime: about 25-40 s on 2 shared cores (20 cycles; each start of the product takes
0.1-0.4 s through the zygote, plus its one-time import while other tests run).
"""

from __future__ import annotations

import asyncio
import random
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

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
    wait_for_webhook,
)
from tests.helpers.reliability_procs import Child, Zygote, free_port, product_env, wait_ready

SEED = 20261201
CYCLES = 20
USERS = 5
ANSWER_SECONDS = 20.0  # a live process that takes longer than this to answer is a fault
SECRET = "crash-test-app-secret"
VERIFY = "crash-test-verify-token"
CODE = re.compile(r"[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}")
REF = re.compile(r"Your report (T-\d{4}-\d{4,})")
STALE = "That button belongs to an earlier conversation"
NONCE_LETTERS = "abcdefghijkmnpqrstuvwxyz"

# (expected fragment of the answer, the button to press next, or None for a text step)
TOPIC = "Trafficking or a suspicious job offer"
CONSENT = "Only organisations that help (NGOs)"


def find_choice(messages: list[dict[str, Any]], title: str) -> dict[str, Any] | None:
    """The delivery that presses the button titled ``title`` (reply button or list row)."""
    for m in reversed(messages):
        if m["type"] != "interactive":
            continue
        action = m["interactive"]["action"]
        for b in action.get("buttons", []):
            if b["reply"]["title"] == title:
                return {"kind": "button", "id": b["reply"]["id"]}
        for section in action.get("sections", []):
            for row in section["rows"]:
                if title in (row["title"], row.get("description")):
                    return {"kind": "list", "id": row["id"]}
    return None


@dataclass
class Attempt:
    wa_id: str  # each draft is sent by a person of its own (30 messages a minute each)
    text: str
    codes: list[str] = field(default_factory=list)
    sends: int = 0  # how many times "Send" was pressed
    outcome: str = "abandoned"  # receipt, stale (the answer to "Send" was lost), abandoned
    lost_sends: list[int] = field(default_factory=list)  # processes that died on a "Send"


@dataclass
class Figures:
    cycles: int = 0
    kills_after_send: int = 0
    kills_after_commit: int = 0
    starts: list[float] = field(default_factory=list)
    lost_steps: int = 0
    resent_sends: int = 0


class Cluster:
    """One product process at a time, on a fresh port after every kill."""

    def __init__(self, zygote: Zygote | None, graph: FakeGraph, tmp: Path) -> None:
        self.zygote, self.graph, self.tmp = zygote, graph, tmp
        self.data_dir = tmp / "data"
        self.generation = 0
        self.url: str | None = None
        self.up = asyncio.Event()
        self.send_posted = asyncio.Event()
        self.child: Child | None = None
        self.figures = Figures()
        self.finished = False

    async def start(self) -> None:
        assert self.zygote is not None
        port = free_port()
        env = product_env(self.data_dir, WEB_HOST="127.0.0.1", WEB_PORT=str(port),
                          WHATSAPP_ACCESS_TOKEN="EAAcrash", WHATSAPP_PHONE_NUMBER_ID=PHONE_ID,
                          WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY,
                          WHATSAPP_API_BASE_URL=self.graph.base_url, TIPS_PER_HOUR="100000",
                          LOG_LEVEL="INFO")
        log = self.tmp / f"product-{self.generation:02d}.log"
        self.child = self.zygote.spawn(["run", "whatsapp"], env, log, cwd=self.tmp)
        url = f"http://127.0.0.1:{port}/whatsapp/webhook"
        self.figures.starts.append(await wait_ready(self.child, url, 403))
        self.url = url
        self.up.set()

    async def wait_for_commit(self, seconds: float) -> bool:
        """Waits until the live process logs a new "tips.saved" (polling its log)."""
        assert self.child is not None
        log = self.child.log
        seen = log.read_text(errors="replace").count("tips.saved") if log.exists() else 0
        for _ in range(int(seconds / 0.005)):
            await asyncio.sleep(0.005)
            if log.exists() and log.read_text(errors="replace").count("tips.saved") > seen:
                return True
        return False

    def kill(self) -> None:
        assert self.child is not None
        self.up.clear()
        self.url = None
        self.child.kill()  # SIGKILL, then reaped
        self.generation += 1

    async def wait_generation_after(self, generation: int, seconds: float = 15.0) -> bool:
        deadline = time.monotonic() + seconds
        while self.generation == generation:
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.01)
        return True


class Person:
    """One of USERS people sending at once. Each draft comes from a number of its own, so
    that no number sends more than the product's 30 messages a minute (bot/limits.py)."""

    def __init__(self, number: int, cluster: Cluster, http: aiohttp.ClientSession,
                 rng: random.Random) -> None:
        self.number = number
        self.wa_id = f"6281{number:02d}0000000"
        self.cluster, self.http, self.rng = cluster, http, rng
        self.attempts: list[Attempt] = []

    async def say(self, message: Callable[[], dict[str, Any]],
                  expect: Callable[[list[dict[str, Any]]], bool],
                  on_posted: Callable[[], None] | None = None) -> list[dict[str, Any]] | None:
        """One delivery and its answer; None when the process died before answering."""
        cluster = self.cluster
        await cluster.up.wait()
        generation, url = cluster.generation, cluster.url
        if url is None:
            return None
        before = len(cluster.graph.to(self.wa_id))
        raw = encode(delivery(message(), wa_id=self.wa_id, name=f"Crash Tester {self.wa_id}"))
        try:
            async with self.http.post(url, data=raw, headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": sign(raw, SECRET)}) as response:
                status = response.status
        except (TimeoutError, aiohttp.ClientError) as exc:
            if await cluster.wait_generation_after(generation):
                return None
            raise AssertionError(f"a live bot refused a delivery: {exc!r}") from exc
        if status != 200:
            if cluster.generation != generation:
                return None
            raise AssertionError(f"a signed delivery was answered {status}")
        if on_posted is not None:
            on_posted()
        deadline = time.monotonic() + ANSWER_SECONDS
        while True:
            new = cluster.graph.to(self.wa_id)[before:]
            if expect(new):
                return new
            if cluster.generation != generation:
                return None
            if time.monotonic() > deadline:
                raise AssertionError(f"a live bot gave no expected answer within "
                                     f"{ANSWER_SECONDS} s; it said: {texts(new)[-500:]!r}")
            await asyncio.sleep(0.01)

    async def run(self) -> None:
        while not self.cluster.finished:
            await self.attempt()

    async def attempt(self) -> None:
        self.wa_id = w = f"6281{self.number:02d}{len(self.attempts) + 1:07d}"
        nonce = "".join(self.rng.choice(NONCE_LETTERS) for _ in range(16))
        attempt = Attempt(w, f"Crash case {w} {nonce}: a recruiter promised the girls "
                             f"restaurant jobs in the city and keeps their passports.")
        self.attempts.append(attempt)
        figures = self.cluster.figures

        def has(fragment: str, choice: str | None = None) -> Callable[[list[Any]], bool]:
            return lambda new: fragment in texts(new) and (
                choice is None or find_choice(new, choice) is not None)

        new = await self.say(lambda: text("/lang en", wa_id=w),
                             has("From now on I will write in English"))
        if new is not None:
            new = await self.say(lambda: text("/report", wa_id=w),
                                 has("Tell me what happened"))
        if new is not None:
            new = await self.say(lambda: text(attempt.text, wa_id=w),
                                 has("What is it about?", TOPIC))
        for label, expect in ((TOPIC, has("Where did it happen", "Skip")),
                              ("Skip", has("which country are you in now", "Skip")),
                              ("Skip", has("When did it happen", "Skip")),
                              ("Skip", has("Is someone in danger", "No")),
                              ("No", has("What do you know about the recruiter", "Skip")),
                              ("Skip", has("", CONSENT)),
                              (CONSENT, has("Please check your report", "Send"))):
            if new is None:
                figures.lost_steps += 1
                return  # the text step was lost: a new draft from /report
            target = find_choice(new, label)
            assert target is not None, label

            def answered(new: list[Any], expect: Callable[[list[Any]], bool] = expect) -> bool:
                return expect(new) or STALE in texts(new)

            answer = await self.say(self._press(target), answered)
            if answer is None:  # the process died: the same button again, on the new one
                figures.lost_steps += 1
                answer = await self.say(self._press(target), answered)
            if answer is None or not expect(answer):
                return  # the step was done before the crash, its answer lost: start again
            new = answer
        target = find_choice(new, "Send")
        assert target is not None
        while True:  # "Send", and again while its answer is lost to a crash (kills are few)
            attempt.sends += 1
            answer = await self.say(self._press(target), lambda new: bool(
                CODE.search(texts(new))) or STALE in texts(new), self._posted_send)
            if answer is None:
                figures.resent_sends += 1
                attempt.lost_sends.append(self.cluster.generation - 1)
                continue
            attempt.codes += dict.fromkeys(CODE.findall(texts(answer)))
            attempt.outcome = "receipt" if attempt.codes else "stale"
            return

    def _press(self, target: dict[str, Any]) -> Callable[[], dict[str, Any]]:
        make = button_reply if target["kind"] == "button" else list_reply
        return lambda: make(target["id"], wa_id=self.wa_id)

    def _posted_send(self) -> None:
        self.cluster.send_posted.set()

    async def status(self, code: str, wa_id: str) -> str | None:
        self.wa_id = wa_id
        answer = await self.say(lambda: text(f"/status {code}", wa_id=self.wa_id),
                                lambda new: "Your report T-" in texts(new)
                                or "I found no report" in texts(new))
        assert answer is not None, "the last process must not die"
        found = REF.search(texts(answer))
        return found.group(1) if found else None


@dataclass
class Outcome:
    figures: Figures
    people: list[Person]
    shown: dict[str, list[str]]  # receipt codes the bot sent, per number (one per draft)
    refs: dict[str, str | None]  # what /status CODE found
    stored: list[tuple[str, str]]  # (ref, text) of every tip in the database
    integrity: str
    logs: Path

    def __repr__(self) -> str:  # pytest prints the fixture with every failure
        return "Outcome()"


async def crash_cycles(zygote: Zygote, tmp_path: Path) -> Outcome:
    rng = random.Random(SEED)
    async with fake_graph() as graph, aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(force_close=True),
            timeout=aiohttp.ClientTimeout(total=15)) as http:
        cluster = Cluster(zygote, graph, tmp_path)
        await cluster.start()
        people = [Person(n, cluster, http, random.Random(rng.random())) for n in range(USERS)]
        walking = [asyncio.create_task(p.run()) for p in people]
        try:
            for _ in range(CYCLES):
                mode = rng.random()
                if mode < 0.35:
                    cluster.send_posted.clear()
                    try:  # while a "Send" is handled (it takes 0.1-1 s: scrypt, commit, fsync)
                        await asyncio.wait_for(cluster.send_posted.wait(), 4.0)
                        cluster.figures.kills_after_send += 1
                    except TimeoutError:
                        pass
                    await asyncio.sleep(rng.uniform(0.0, 0.8))
                elif mode < 0.7:
                    # Right after a commit: the product logs "tips.saved" once the tip is on
                    # disk, before the conversation is saved and the receipt sent.
                    if await cluster.wait_for_commit(4.0):
                        cluster.figures.kills_after_commit += 1
                    await asyncio.sleep(rng.uniform(0.0, 0.06))
                else:
                    await asyncio.sleep(rng.uniform(0.3, 2.0))
                for task in walking:
                    if task.done():
                        task.result()  # a person's failed assertion fails the test now
                cluster.kill()
                cluster.figures.cycles += 1
                await cluster.start()
            cluster.finished = True  # everyone finishes the attempt in hand, on a live bot
            await asyncio.wait_for(asyncio.gather(*walking), 120)
            # Every code the bot sent, also one that reached the stand-in API as the
            # process died (its person had already given the answer up for lost).
            shown = {a.wa_id: list(dict.fromkeys(CODE.findall(texts(graph.to(a.wa_id)))))
                     for p in people for a in p.attempts}

            async def follow_up(person: Person) -> dict[str, str | None]:
                return {code: await person.status(code, a.wa_id) for a in person.attempts
                        for code in shown[a.wa_id]}

            refs: dict[str, str | None] = {}
            for found in await asyncio.gather(*(follow_up(p) for p in people)):
                refs.update(found)
        finally:
            cluster.finished = True
            for task in walking:
                task.cancel()
            if cluster.child is not None and cluster.child.alive():
                cluster.kill()
    db = sqlite3.connect(cluster.data_dir / "bot.sqlite3")
    try:
        (integrity,) = db.execute("PRAGMA integrity_check").fetchone()
        stored = db.execute("select ref, text from tips").fetchall()
    finally:
        db.close()
    return Outcome(cluster.figures, people, shown, refs, stored, integrity, tmp_path)


@pytest.fixture(scope="module")
def outcome(zygote: Zygote, tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    found = asyncio.run(crash_cycles(zygote, tmp_path_factory.mktemp("sigkill")))
    print(f"\ncrash harness: {summary(found)}")
    return found


def _orphans(o: Outcome) -> list[Attempt]:
    """Drafts committed as a tip whose receipt never reached the reporter."""
    by_ref = dict(o.stored)
    with_receipt = {by_ref[r] for r in o.refs.values() if r is not None and r in by_ref}
    stored = {t for _, t in o.stored}
    return [a for p in o.people for a in p.attempts if a.text in stored
            and a.text not in with_receipt]


def summary(o: Outcome) -> str:
    f = o.figures
    receipts = sum(len(codes) for codes in o.shown.values())
    late = sum(1 for p in o.people for a in p.attempts for code in o.shown[a.wa_id]
               if code not in a.codes)
    lost = sum(1 for r in o.refs.values() if r is None or r not in dict(o.stored))
    return (f"cycles={f.cycles} (kills while a Send was handled: {f.kills_after_send}, "
            f"0-60 ms after a commit: {f.kills_after_commit}), "
            f"people={USERS}, drafts={sum(len(p.attempts) for p in o.people)}, receipts "
            f"shown={receipts} (arriving as the process died: {late}), tips stored="
            f"{len(o.stored)}, tips lost={lost}, committed without a receipt reaching the "
            f"reporter={len(_orphans(o))}, Sends pressed again after a crash="
            f"{f.resent_sends}, other steps lost to a crash={f.lost_steps}, start-up "
            f"{min(f.starts):.2f}-{max(f.starts):.2f} s")


def test_no_receipt_shown_is_lost_changed_or_duplicated(outcome: Outcome) -> None:
    o = outcome
    by_ref = dict(o.stored)
    attempts = {a.text for p in o.people for a in p.attempts}
    lost = [code for code, ref in o.refs.items() if ref is None or ref not in by_ref]
    wrong_text = []
    for attempt in (a for p in o.people for a in p.attempts):
        for code in o.shown[attempt.wa_id]:
            ref = o.refs[code]
            if ref is not None and ref in by_ref and by_ref[ref] != attempt.text:
                wrong_text.append(f"{code} -> {ref}: {by_ref[ref][:60]!r}")
    twice = [t[:80] for t, n in Counter(t for _, t in o.stored).items() if n > 1]
    strangers = [t[:80] for _, t in o.stored if t not in attempts]
    receipts = sum(len(codes) for codes in o.shown.values())
    assert o.figures.cycles >= 20
    assert receipts >= CYCLES, "too few tips got through for the test to mean anything"
    assert o.integrity == "ok", o.integrity
    assert not lost, f"receipt codes shown whose tip /status cannot find: {lost}"
    assert not wrong_text, f"tips whose stored text differs from what was sent: {wrong_text}"
    assert not twice, f"drafts stored as more than one tip: {twice}"
    assert not strangers, f"tips nobody sent: {strangers}"


def test_a_committed_tip_always_gets_its_receipt_to_the_reporter(outcome: Outcome) -> None:
    """README: "A crash between the commit and the reply loses nothing: pressing "Send"
    again finds the same draft and issues a fresh code for the same tip"."""
    orphans = _orphans(outcome)
    details = []
    for attempt in orphans[:3]:
        tails = []
        for generation in attempt.lost_sends:
            log = outcome.logs / f"product-{generation:02d}.log"
            lines = log.read_text(errors="replace").splitlines() if log.exists() else []
            tails.append(lines[-4:])
        tail = next((t for t in tails if any("tips.saved" in line for line in t)),
                    tails[-1] if tails else [])
        details.append(f"{attempt.text[:40]!r}: Send pressed {attempt.sends} times, the last "
                       f"answer {attempt.outcome!r}; the process that died logged last: "
                       + " | ".join(line[24:130] for line in tail))
    assert not orphans, (f"{len(orphans)} tips committed whose reporter never got a receipt "
                         "(pressing Send again was a stale button): " + "; ".join(details))


async def test_a_receipt_the_platform_refused_can_be_had_again(tmp_path: Path) -> None:
    """The same promise without a crash: the Graph API refuses the message carrying the
    receipt code once (a 400, as for an undeliverable message), so the reporter never sees
    it; pressing "Send" again must give a code for the same tip, not a stale button."""
    from bot.app import build_app
    from bot.commands.whatsapp import serve_whatsapp
    from bot.settings import Settings

    async with fake_graph() as graph, aiohttp.ClientSession() as http:
        port = free_port()
        app = await build_app(Settings(
            data_dir=tmp_path / "data", web_port=port, whatsapp_access_token="EAAtoken",
            whatsapp_phone_number_id=PHONE_ID, whatsapp_app_secret=SECRET,
            whatsapp_verify_token=VERIFY, whatsapp_api_base_url=graph.base_url))
        stop = asyncio.Event()
        server = asyncio.create_task(serve_whatsapp(app, http, stop))
        cluster = Cluster(None, graph, tmp_path)  # no process to kill: the app runs here
        cluster.finished = True
        try:
            url = f"http://127.0.0.1:{port}/whatsapp/webhook"
            await wait_for_webhook(http, url)
            cluster.url = url
            cluster.up.set()
            person = Person(99, cluster, http, random.Random(SEED))
            w = person.wa_id
            await person.say(lambda: text("/lang en", wa_id=w),
                             lambda new: "From now on" in texts(new))
            new = await person.say(lambda: text("/report", wa_id=w),
                                   lambda new: "Tell me what happened" in texts(new))
            new = await person.say(lambda: text("Crash case refused: a broker keeps passports.",
                                                wa_id=w),
                                   lambda new: find_choice(new, TOPIC) is not None)
            # the place, the one-time country question (no place gave one), when, ...
            for label, then in ((TOPIC, "Skip"), ("Skip", "Skip"), ("Skip", "Skip"),
                                ("Skip", "No"), ("No", "Skip"), ("Skip", CONSENT),
                                (CONSENT, "Send")):
                target = find_choice(new, label)
                assert target is not None, label
                new = await person.say(person._press(target),
                                       lambda new, then=then: find_choice(new, then) is not None)
            send = find_choice(new, "Send")
            assert send is not None
            graph.fail_next.append((400, {"error": {"code": 131026,
                                                    "message": "Message undeliverable"}}))
            before = len(graph.to(w))
            raw = encode(delivery(person._press(send)(), wa_id=w))
            async with http.post(url, data=raw, headers={
                    "X-Hub-Signature-256": sign(raw, SECRET)}) as response:
                assert response.status == 200
            for _ in range(100):
                if not graph.fail_next:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(0.3)
            assert not CODE.search(texts(graph.to(w)[before:])), "the refusal did not happen"
            again = await person.say(person._press(send), lambda new: bool(
                CODE.search(texts(new))) or STALE in texts(new))
            assert again is not None
            assert CODE.search(texts(again)), (
                "pressing Send again after the receipt was refused: "
                f"{texts(again)[:160]!r}")
        finally:
            stop.set()
            await server
            await app.close()
