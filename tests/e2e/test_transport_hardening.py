"""Both webhook servers against what an outside attack sent: strangers' odd headers and
bodies, slow connections, too many connections, the Server header. Real servers on
127.0.0.1 with short limits; the answers go to the local stand-in APIs."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.app import build_app
from bot.commands.telegram import build_telegram, serve_webhook
from bot.commands.whatsapp import serve_whatsapp
from bot.limits import ServerLimits
from bot.settings import Settings
from tests.helpers.fake_graph import delivery, encode, fake_graph, sign, text
from tests.helpers.fake_telegram import fake_bot_api, private_text
from tests.helpers.local_server import exchange, free_port, header_of, status_of

SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"
TG_SECRET = "s3cret-header-value"
TOKEN = "123456789:TEST-token-for-the-stand-in-api"
LIMITS = ServerLimits(header_timeout=0.6, body_timeout=0.6, max_connections=40, lingering=0.2)
DEEP = b"[" * 100_000 + b"]" * 100_000


@dataclass
class Served:
    """One of our servers, running, and how to send it a genuine delivery."""

    port: int
    path: str
    sign: Callable[[bytes], dict[str, str]]  # the headers a genuine sender adds
    body: Callable[[int], bytes]  # a genuine delivery, numbered
    answered: Callable[[], Awaitable[int]]  # answers sent so far through the stand-in API

    def request(self, body: bytes, headers: dict[str, str] | None = None,
                method: str = "POST", path: str | None = None) -> bytes:
        lines = [f"{method} {path or self.path} HTTP/1.1", "Host: 127.0.0.1",
                 "Content-Type: application/json", f"Content-Length: {len(body)}",
                 "Connection: close"]
        head = "\r\n".join(lines).encode()
        for name, value in (headers or {}).items():
            head += f"\r\n{name}: {value}".encode()  # UTF-8, as an attacker would send
        return head + b"\r\n\r\n" + body

    def signed(self, n: int) -> bytes:
        body = self.body(n)
        return self.request(body, self.sign(body))

    async def genuine(self, n: int) -> int:
        return status_of(await exchange(self.port, self.signed(n)))


@pytest.fixture(params=["whatsapp", "telegram"])
async def served(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Served]:
    port = free_port()
    stop = asyncio.Event()
    if request.param == "whatsapp":
        async with fake_graph() as graph:
            import aiohttp

            async with aiohttp.ClientSession() as http:
                app = await build_app(Settings(
                    data_dir=tmp_path / "data", web_port=port, whatsapp_access_token="EAAt",
                    whatsapp_phone_number_id="1122334455667", whatsapp_app_secret=SECRET,
                    whatsapp_verify_token=VERIFY, whatsapp_api_base_url=graph.base_url))
                server = asyncio.create_task(serve_whatsapp(app, http, stop, limits=LIMITS))

                async def sent() -> int:
                    return len(graph.sent)

                yield await _ready(Served(
                    port, "/whatsapp/webhook", lambda raw: {"X-Hub-Signature-256":
                                                            sign(raw, SECRET)},
                    lambda n: encode(delivery(text("/help", wa_id=f"62812000{n:05d}"),
                                              wa_id=f"62812000{n:05d}")), sent))
                stop.set()
                await server
                await app.close()
        return
    async with fake_bot_api() as api:
        settings = Settings(data_dir=tmp_path / "data", telegram_bot_token=TOKEN,
                            telegram_api_base_url=api.base_url, web_port=port,
                            telegram_webhook_url="https://bot.example.org/telegram/webhook",
                            telegram_webhook_secret=TG_SECRET)
        app = await build_app(settings)
        service = build_telegram(app)
        await service.adapter.start(service.bot)
        server = asyncio.create_task(serve_webhook(service, settings, stop, limits=LIMITS))
        await api.wait_for(1, "setWebhook")

        async def calls() -> int:
            return len(api.sent())

        yield await _ready(Served(
            port, "/telegram/webhook",
            lambda raw: {"X-Telegram-Bot-Api-Secret-Token": TG_SECRET},
            lambda n: json.dumps({"update_id": 1000 + n,
                                  **private_text(5000 + n, "/help", "ru")}).encode(), calls))
        stop.set()
        await server
        await service.adapter.drain()
        await service.bot.session.close()
        await app.close()


async def _ready(served: Served) -> Served:
    for _ in range(200):
        try:
            await exchange(served.port, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return served
        except OSError:
            await asyncio.sleep(0.02)
    raise AssertionError("server did not start")


async def wait_answers(served: Served, count: int) -> None:
    for _ in range(500):
        if await served.answered() >= count:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{await served.answered()} answers, wanted {count}")


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text


async def test_non_ascii_secrets_are_refused_not_crashed(
        served: Served, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        body = served.body(1)
        for value in ("sha256=пароль", "🔑" * 40, "sha256=" + "é" * 64):
            header = ("X-Hub-Signature-256" if "whatsapp" in served.path
                      else "X-Telegram-Bot-Api-Secret-Token")
            answer = await exchange(served.port, served.request(body, {header: value}))
            assert status_of(answer) in (401, 403), answer[:80]
        if "whatsapp" in served.path:
            query = "/whatsapp/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=%D0%BF"
            answer = await exchange(served.port, served.request(b"", method="GET", path=query))
            assert status_of(answer) == 403
    assert await served.answered() == 0
    no_traceback(caplog)


async def test_unreadable_bodies_get_400(served: Served,
                                         caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        for body in (b"{not json", DEEP, b"\xff\xfe", b'"just a string"'):
            answer = await exchange(served.port, served.request(body, served.sign(body)))
            assert status_of(answer) == 400, answer[:80]
    no_traceback(caplog)


async def test_server_header_is_neutral(served: Served) -> None:
    answers = [await exchange(served.port, served.request(b"", method="GET", path="/")),
               await exchange(served.port, b"NOT HTTP AT ALL\r\n\r\n"),
               await exchange(served.port, served.signed(2))]
    assert [status_of(a) for a in answers][1:] == [400, 200]
    for answer in answers:
        assert header_of(answer, "Server") == "safe-work", answer[:200]


async def test_slow_connections_are_closed_while_deliveries_are_answered(
        served: Served) -> None:
    async def slow_headers() -> float:
        started = time.monotonic()
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        writer.write(f"POST {served.path} HTTP/1.1\r\nHost: x\r\n".encode())
        try:
            async with asyncio.timeout(5):
                while not reader.at_eof():
                    writer.write(b"X-Slow: 1\r\n")  # a header line now and then, never the end
                    await writer.drain()
                    with_data = asyncio.ensure_future(reader.read(1))
                    done, _ = await asyncio.wait({with_data}, timeout=0.1)
                    if done and not with_data.result():
                        break
                    with_data.cancel()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()
        return time.monotonic() - started

    async def slow_body() -> bytes:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.port)
        writer.write(f"POST {served.path} HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n"
                     "\r\n{".encode())
        try:
            async with asyncio.timeout(5):
                for _ in range(40):
                    writer.write(b" ")
                    await writer.drain()
                    await asyncio.sleep(0.1)
                    if reader.at_eof() or reader._buffer:  # type: ignore[attr-defined]
                        break
                return await reader.read()
        except (ConnectionError, OSError):
            return b""
        finally:
            writer.close()

    slow = [asyncio.create_task(slow_headers()) for _ in range(25)]
    body = asyncio.create_task(slow_body())
    await asyncio.sleep(0.2)
    assert await served.genuine(3) == 200  # answered while 26 slow connections are open
    await wait_answers(served, 1)
    held = await asyncio.gather(*slow)
    assert all(0.5 <= seconds < 2.5 for seconds in held), held  # the 0.6 s header limit
    assert status_of(await body) == 408


async def test_connections_over_the_cap_get_503_at_once(served: Served) -> None:
    opened = [await asyncio.open_connection("127.0.0.1", served.port)
              for _ in range(LIMITS.max_connections)]
    await asyncio.sleep(0.1)
    started = time.monotonic()
    answer = await exchange(served.port, served.signed(4))
    assert status_of(answer) == 503 and time.monotonic() - started < 0.5
    assert header_of(answer, "Retry-After") == "5"
    for _, writer in opened:
        writer.close()
    await asyncio.sleep(0.2)
    assert await served.genuine(5) == 200  # a free slot again
