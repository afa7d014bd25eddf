"""The stand-in Bot API for bench/bench_telegram.py, in a process of its own, so that its
work is not charged to the bot under test (the tests' stand-in shares their event loop).

    python bench/telegram_standin.py        # prints "port N", then serves until killed

It extends tests/helpers/fake_telegram.py with a release time per update: getUpdates hands
out only updates whose time has come (all at once for a burst, one every 1/rate s for a
steady rate), and each sendMessage is matched to the oldest unanswered update of its chat,
so the latency of every reply is known. The driver controls it over two routes:
``POST /_bench/load`` (a run's updates) and ``GET /_bench/result`` (after the last reply).
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import statistics
import sys
import time
from collections import defaultdict, deque
from pathlib import Path
from typing import Any

from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from offers import offer  # noqa: E402

from tests.helpers.fake_telegram import FakeBotApi, private_text  # noqa: E402


class PacedBotApi(FakeBotApi):
    def __init__(self) -> None:
        super().__init__()
        self.release: list[float] = []  # per update, in update id order
        self.first_id = 1
        self.pending: dict[int, deque[float]] = defaultdict(deque)
        self.latencies: list[float] = []
        self.unmatched: list[str] = []  # the first replies no update was waiting for
        self.replies = 0
        self.expected = 0
        self.started = 0.0
        self.last_reply = 0.0  # the last first reply
        self.last_any = 0.0  # the last message of any kind
        self.done = asyncio.Event()

    def load(self, count: int, users: int, rate: float, first_user: int, offset: int) -> None:
        self.updates.clear()
        self.calls.clear()
        self.release.clear()
        self.pending.clear()
        self.latencies.clear()
        self.unmatched.clear()
        self.replies = 0
        self.expected = count
        self.done.clear()
        self.started = time.monotonic()
        self.first_id = -1
        for n in range(count):
            self.push(private_text(first_user + n % users, offer(offset + n)))
            if self.first_id < 0:
                self.first_id = self.updates[0]["update_id"]
            self.release.append(self.started + (n / rate if rate > 0 else 0.0))
        self._arrived.set()

    async def result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return await self._released(int(params.get("offset") or 0),
                                        min(float(params.get("timeout") or 0), 0.5))
        if method == "sendMessage":
            now = time.monotonic()
            chat = int(params["chat_id"])
            waiting = self.pending.get(chat)
            if waiting:
                self.latencies.append(now - waiting.popleft())
                self.last_reply = now
                if len(self.latencies) >= self.expected:
                    self.done.set()  # every update has its (first) reply
            elif len(self.unmatched) < 5:
                self.unmatched.append(str(params.get("text", ""))[:120])
            self.replies += 1
            self.last_any = now
            self.calls.clear()  # nothing in the benchmark reads them back
        return await super().result(method, params)

    async def _released(self, offset: int, seconds: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + seconds
        while True:
            now = time.monotonic()
            start = max(0, offset - self.first_id)
            end = bisect.bisect_right(self.release, now)
            if end > start:
                out = self.updates[start:end]
                for i, update in enumerate(out, start):
                    if update.get("_handed"):
                        continue
                    update["_handed"] = True
                    self.pending[update["message"]["chat"]["id"]].append(self.release[i])
                return [{k: v for k, v in u.items() if k != "_handed"} for u in out]
            nxt = self.release[end] if end < len(self.release) else deadline
            wait = min(deadline, nxt) - now
            if wait <= 0 and now >= deadline:
                return []
            self._arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._arrived.wait(), max(wait, 0.0005))
            if time.monotonic() >= deadline:
                return []

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        span = self.last_reply - self.started
        return {"replies": self.replies, "expected": self.expected,
                "rate": len(lat) / span if span > 0 else 0.0,
                "p50_ms": 1000 * statistics.median(lat) if lat else None,
                "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))] if lat else None,
                "matched": len(lat), "unmatched": self.unmatched}


async def main() -> None:
    api = PacedBotApi()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api.handle)

    async def load(request: web.Request) -> web.Response:
        spec = await request.json()
        api.load(spec["count"], spec["users"], spec["rate"], spec["first_user"],
                 spec["offset"])
        return web.json_response({"ok": True})

    async def result(request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(api.done.wait(), float(request.query.get("wait", 300)))
        # and late replies, if any, are in: two seconds without one
        while (quiet := 2.0 - (time.monotonic() - api.last_any)) > 0:  # noqa: ASYNC110
            await asyncio.sleep(quiet)
        return web.json_response(api.summary())

    app.router.add_post("/_bench/load", load)
    app.router.add_get("/_bench/result", result)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    print(f"port {port}", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
