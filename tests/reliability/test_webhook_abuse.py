"""Slow and odd clients against both webhook servers of the real product, on 127.0.0.1:
``main.py run telegram`` in webhook mode (TELEGRAM_WEBHOOK_URL and _SECRET set; the
stand-in Bot API answers setWebhook and records the replies) and ``main.py run
whatsapp`` (signed deliveries; the stand-in Graph API records the replies).

At once, against each server:
- a client that sends its request headers one byte every half second and never ends them;
- a client that announces a Content-Length of 1,000 and never sends the body (without the
  signature or secret, and with the right Telegram secret);
- IDLE_PER_SERVER connections that send nothing at all (2 x 100 = 200 in all);
- two seconds in, while all of them hang, a normal authenticated delivery (a signed
  WhatsApp message, a Telegram update with the secret).
Properties: every slow or idle connection is closed by the server within SLOW_BOUND
seconds; the normal delivery is answered (200 at once, the bot's reply at the stand-in API
within 10 s).

Then odd requests, each on its own connection: non-ASCII bytes in X-Hub-Signature-256,
X-Telegram-Bot-Api-Secret-Token and hub.verify_token, a body that is not JSON, a
100,000-deep nested array, a 5 MB body, a signed delivery with fields of the wrong type,
each unauthenticated (and, for WhatsApp, also signed). Properties: no answer is 5xx; an
unauthenticated one is 401 or 403 (413 for the huge body); a signed but unreadable body
is 400 (README: "unreadable JSON: 400"); a signed delivery of the wrong shape is accepted
(200: "Parsing never raises on a strange payload").

Runtime: about 12-20 s (all slow clients at once: as long as the server takes to cut
them off, at most SLOW_BOUND + 1 s).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.helpers import fake_graph as wa
from tests.helpers.fake_telegram import fake_bot_api
from tests.helpers.reliability_procs import Zygote, free_port, product_env, wait_ready

SLOW_BOUND = 15.0  # seconds a slow or idle connection may stay open
IDLE_PER_SERVER = 100
SECRET, VERIFY = "abuse-app-secret", "abuse-verify-token"
TG_SECRET = "abuse-telegram-secret"
TG_TOKEN = "123456789:TEST-token-for-the-stand-in-api"
WA_PATH, TG_PATH = "/whatsapp/webhook", "/telegram/webhook"
DEEP = b"[" * 100_000 + b"]" * 100_000
HUGE = b'{"entry": "' + b"x" * 5_000_000 + b'"}'
WRONG_TYPES = json.dumps({"object": "whatsapp_business_account", "entry": [{"changes": [{
    "value": {"messages": [{"id": "wamid.abuse1", "from": "6281200001111", "type": "text",
                            "text": "not an object"}]}}]}]}).encode()


def tg_update(update_id: int, text: str) -> bytes:
    chat = {"id": 5550001, "type": "private", "first_name": "Abuse"}
    return json.dumps({"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "chat": chat,
        "from": {"id": 5550001, "is_bot": False, "first_name": "Abuse",
                 "language_code": "en"},
        "text": text, "entities": [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]}}).encode()


def request(path: str, body: bytes, headers: dict[str, bytes] | None = None,
            method: str = "POST") -> bytes:
    lines = [f"{method} {path} HTTP/1.1".encode(), b"Host: 127.0.0.1",
             b"Content-Type: application/json", f"Content-Length: {len(body)}".encode(),
             b"Connection: close"]
    lines += [name.encode() + b": " + value for name, value in (headers or {}).items()]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


async def exchange(port: int, raw: bytes, seconds: float = 20.0) -> int | None:
    """Sends raw bytes; the answer's status code, or None when the server closed without
    one (or did not answer in time). The answer is read while the request is still being
    written: a server may refuse a huge body before it has all of it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def send() -> None:
        try:
            for start in range(0, len(raw), 65536):
                writer.write(raw[start:start + 65536])
                await writer.drain()
        except ConnectionError:
            pass  # refused half-way: the answer says why

    sending = asyncio.create_task(send())
    try:
        line = await asyncio.wait_for(reader.readline(), seconds)
        parts = line.split()
        return int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else None
    except (ConnectionError, TimeoutError):
        return None
    finally:
        sending.cancel()
        writer.close()


async def held_open(port: int, opening: bytes, drip: bytes, limit: float) -> float | None:
    """Sends ``opening``, then ``drip`` one byte every half second; the seconds until the
    server closed the connection, or None if it was still open after ``limit``."""
    started = time.monotonic()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    async def closed() -> float:
        while await reader.read(65536):
            pass  # an answer (408, 400…) may come before the close
        return time.monotonic() - started

    watcher = asyncio.create_task(closed())
    try:
        writer.write(opening)
        await writer.drain()
        position = 0
        while not watcher.done() and time.monotonic() - started < limit:
            if drip:
                writer.write(drip[position % len(drip):position % len(drip) + 1])
                position += 1
                try:
                    await writer.drain()
                except ConnectionError:
                    break
            await asyncio.wait({watcher}, timeout=0.5)
        try:
            return await asyncio.wait_for(asyncio.shield(watcher), 0.5)
        except (TimeoutError, ConnectionError):
            return None
    except ConnectionError:
        return time.monotonic() - started
    finally:
        watcher.cancel()
        writer.close()


@dataclass(repr=False)
class Results:
    slow: dict[str, float | None] = field(default_factory=dict)
    idle_open: dict[str, int] = field(default_factory=dict)
    normal: dict[str, str] = field(default_factory=dict)
    odd: dict[str, int | None] = field(default_factory=dict)
    odd_logs: dict[str, str] = field(default_factory=dict)  # what the server logged meanwhile
    logs: dict[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # pytest prints the fixture with every failure
        return "Results()"


async def scenario(zygote: Zygote, tmp: Path) -> Results:
    results = Results()
    limit = SLOW_BOUND + 1.0
    async with fake_bot_api() as api, wa.fake_graph() as graph:
        tg_port, wa_port = free_port(), free_port()
        telegram = zygote.spawn(["run", "telegram"], product_env(
            tmp / "tg-data", TELEGRAM_BOT_TOKEN=TG_TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
            TELEGRAM_WEBHOOK_URL=f"https://bot.example.org{TG_PATH}",
            TELEGRAM_WEBHOOK_SECRET=TG_SECRET, WEB_HOST="127.0.0.1", WEB_PORT=str(tg_port),
            RUN_SCHEDULER="false"), tmp / "telegram.log", cwd=tmp)
        whatsapp = zygote.spawn(["run", "whatsapp"], product_env(
            tmp / "wa-data", WEB_HOST="127.0.0.1", WEB_PORT=str(wa_port),
            WHATSAPP_ACCESS_TOKEN="EAAabuse", WHATSAPP_PHONE_NUMBER_ID=wa.PHONE_ID,
            WHATSAPP_APP_SECRET=SECRET, WHATSAPP_VERIFY_TOKEN=VERIFY,
            WHATSAPP_API_BASE_URL=graph.base_url), tmp / "whatsapp.log", cwd=tmp)
        try:
            await wait_ready(whatsapp, f"http://127.0.0.1:{wa_port}{WA_PATH}", 403)
            await wait_ready(telegram, f"http://127.0.0.1:{tg_port}{TG_PATH}", 401,
                             method="POST")
            servers = {"telegram": (tg_port, TG_PATH), "whatsapp": (wa_port, WA_PATH)}

            # -- slow and idle clients, and a normal delivery while they hang ------------
            slow: dict[str, asyncio.Task[float | None]] = {}
            idle: dict[str, list[asyncio.Task[float | None]]] = {}
            for name, (port, path) in servers.items():
                head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n".encode()
                slow[f"{name}: headers one byte every 0.5 s"] = asyncio.create_task(
                    held_open(port, head, b"X-Slow-Header: " + b"a" * 4000, limit))
                no_body = request(path, b"").replace(b"Content-Length: 0",
                                                     b"Content-Length: 1000")
                slow[f"{name}: Content-Length 1000, no body, unauthenticated"] = (
                    asyncio.create_task(held_open(port, no_body, b"", limit)))
                if name == "telegram":
                    with_secret = no_body.replace(
                        b"Connection: close", b"X-Telegram-Bot-Api-Secret-Token: " +
                        TG_SECRET.encode())
                    slow[f"{name}: Content-Length 1000, no body, with the secret"] = (
                        asyncio.create_task(held_open(port, with_secret, b"", limit)))
                idle[name] = [asyncio.create_task(held_open(port, b"", b"", limit))
                              for _ in range(IDLE_PER_SERVER)]
            await asyncio.sleep(2.0)

            async def normal_whatsapp() -> str:
                raw = wa.encode(wa.delivery(wa.text("/help", wa_id="6281299990001"),
                                            wa_id="6281299990001"))
                status = await exchange(wa_port, request(WA_PATH, raw, {
                    "X-Hub-Signature-256": wa.sign(raw, SECRET).encode()}), 5.0)
                for _ in range(200):  # 10 s
                    if graph.to("6281299990001"):
                        break
                    await asyncio.sleep(0.05)
                return f"{status}, {len(graph.to('6281299990001'))} replies"

            async def normal_telegram() -> str:
                status = await exchange(tg_port, request(TG_PATH, tg_update(1, "/help"), {
                    "X-Telegram-Bot-Api-Secret-Token": TG_SECRET.encode()}), 5.0)
                for _ in range(200):  # 10 s
                    if api.sent():
                        break
                    await asyncio.sleep(0.05)
                return f"{status}, {len(api.sent())} replies"

            results.normal["whatsapp"], results.normal["telegram"] = await asyncio.gather(
                normal_whatsapp(), normal_telegram())

            # -- odd requests ----------------------------------------------------------------
            odd: dict[str, tuple[int, bytes]] = {
                "whatsapp: non-ASCII signature": (wa_port, request(WA_PATH, b"{}", {
                    "X-Hub-Signature-256": b"sha256=" + "é".encode() * 32})),
                "whatsapp: signature of bytes that are not UTF-8": (wa_port, request(
                    WA_PATH, b"{}", {"X-Hub-Signature-256": b"sha256=\xff\xfe" + b"0" * 62})),
                "whatsapp: non-ASCII verify token": (wa_port, request(
                    WA_PATH + "?hub.mode=subscribe&hub.verify_token=%C3%A9t%C3%A9"
                    "&hub.challenge=42", b"", method="GET")),
                "whatsapp: body not JSON, unsigned": (wa_port, request(WA_PATH, b"\x00\xffnot")),
                "whatsapp: body not JSON, signed": (wa_port, request(WA_PATH, b"{not json", {
                    "X-Hub-Signature-256": wa.sign(b"{not json", SECRET).encode()})),
                "whatsapp: 100,000-deep array, unsigned": (wa_port, request(WA_PATH, DEEP)),
                "whatsapp: 100,000-deep array, signed": (wa_port, request(WA_PATH, DEEP, {
                    "X-Hub-Signature-256": wa.sign(DEEP, SECRET).encode()})),
                "whatsapp: 5 MB body, unsigned": (wa_port, request(WA_PATH, HUGE)),
                "whatsapp: 5 MB body, signed": (wa_port, request(WA_PATH, HUGE, {
                    "X-Hub-Signature-256": wa.sign(HUGE, SECRET).encode()})),
                "whatsapp: wrong types, signed": (wa_port, request(WA_PATH, WRONG_TYPES, {
                    "X-Hub-Signature-256": wa.sign(WRONG_TYPES, SECRET).encode()})),
                "telegram: non-ASCII secret": (tg_port, request(TG_PATH, tg_update(2, "/start"), {
                    "X-Telegram-Bot-Api-Secret-Token": "сек".encode() + b"ret"})),
                "telegram: secret of bytes that are not UTF-8": (tg_port, request(
                    TG_PATH, tg_update(3, "/start"),
                    {"X-Telegram-Bot-Api-Secret-Token": b"\xff\xfe\xfd"})),
                "telegram: body not JSON, no secret": (tg_port, request(TG_PATH, b"\x00not")),
                "telegram: 100,000-deep array, no secret": (tg_port, request(TG_PATH, DEEP)),
                "telegram: 5 MB body, no secret": (tg_port, request(TG_PATH, HUGE)),
            }
            children = {tg_port: telegram, wa_port: whatsapp}
            for label, (port, raw) in odd.items():  # one at a time: each one's log is its own
                before = len(children[port].output())
                results.odd[label] = await exchange(port, raw)
                await asyncio.sleep(0.1)
                results.odd_logs[label] = _errors(children[port].output()[before:])

            for label, task in slow.items():
                results.slow[label] = await task
            for name, tasks in idle.items():
                closes = await asyncio.gather(*tasks)
                results.idle_open[name] = sum(1 for c in closes if c is None or c > SLOW_BOUND)
            for label, child in (("telegram", telegram), ("whatsapp", whatsapp)):
                results.logs[label] = child.output()[-3000:]
        finally:
            telegram.kill()
            whatsapp.kill()
    return results


def _errors(log: str) -> str:
    """The traceback lines of a log excerpt: where the server failed, without the noise."""
    keep = [line for line in log.splitlines() if line.startswith(("  File ", "Traceback"))
            or (line and not line.startswith(" ") and ("Error" in line or "error" in line))]
    return "\n".join(keep[-12:])


@pytest.fixture(scope="module")
def abuse(zygote: Zygote, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Results]:
    yield asyncio.run(scenario(zygote, tmp_path_factory.mktemp("abuse")))


SLOW_CASES = ("telegram: headers one byte every 0.5 s",
              "telegram: Content-Length 1000, no body, unauthenticated",
              "telegram: Content-Length 1000, no body, with the secret",
              "whatsapp: headers one byte every 0.5 s",
              "whatsapp: Content-Length 1000, no body, unauthenticated")


@pytest.mark.parametrize("case", SLOW_CASES)
def test_a_slow_client_is_cut_off(abuse: Results, case: str) -> None:
    closed = abuse.slow[case]
    assert closed is not None and closed <= SLOW_BOUND, (
        f"{case}: still open after {SLOW_BOUND + 1:.0f} s" if closed is None else
        f"{case}: closed only after {closed:.1f} s")


@pytest.mark.parametrize("server", ("telegram", "whatsapp"))
def test_idle_connections_are_closed(abuse: Results, server: str) -> None:
    assert abuse.idle_open[server] == 0, (
        f"{abuse.idle_open[server]} of {IDLE_PER_SERVER} idle connections to the {server} "
        f"webhook were still open after {SLOW_BOUND:.0f} s")


@pytest.mark.parametrize("server", ("telegram", "whatsapp"))
def test_a_normal_delivery_is_answered_while_slow_clients_hang(abuse: Results,
                                                               server: str) -> None:
    status, replies = abuse.normal[server].split(", ")
    assert status == "200" and not replies.startswith("0"), (
        f"{server}: {abuse.normal[server]}\n{abuse.logs[server]}")


ODD_EXPECTED: dict[str, tuple[int, ...]] = {
    "whatsapp: non-ASCII signature": (403,),
    "whatsapp: signature of bytes that are not UTF-8": (403,),
    "whatsapp: non-ASCII verify token": (403,),
    "whatsapp: body not JSON, unsigned": (401,),
    "whatsapp: body not JSON, signed": (400,),
    "whatsapp: 100,000-deep array, unsigned": (401,),
    "whatsapp: 100,000-deep array, signed": (400,),
    "whatsapp: 5 MB body, unsigned": (401, 413),
    "whatsapp: 5 MB body, signed": (413,),
    "whatsapp: wrong types, signed": (200,),
    "telegram: non-ASCII secret": (401,),
    "telegram: secret of bytes that are not UTF-8": (401,),
    "telegram: body not JSON, no secret": (401,),
    "telegram: 100,000-deep array, no secret": (401,),
    "telegram: 5 MB body, no secret": (401, 413),
}


@pytest.mark.parametrize("case", list(ODD_EXPECTED))
def test_an_odd_request_is_refused_cleanly(abuse: Results, case: str) -> None:
    status = abuse.odd[case]
    logged = abuse.odd_logs[case]
    assert status is not None, f"{case}: no answer at all\n{logged}"
    assert status < 500, f"{case}: answered {status}\n{logged}"
    assert status in ODD_EXPECTED[case], f"{case}: answered {status}\n{logged}"
