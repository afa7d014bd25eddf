"""The storage's share of a checked offer on SQLite at a steady load: the delivery record,
the conversation's load and save, through the real runtime and flows, in one process.

    python bench/bench_storage.py [--messages 3000] [--users 300] [--concurrency 64]

Each message is a pasted offer (bench/offers.py, about 190 characters, a number of its own
each) from one of --users users; --concurrency of them are in flight at once, as webhook
deliveries are. The run measures, in turn and in the same process, the delivery record as
it was before (one write transaction per delivery: the writer lock, BEGIN, INSERT, COMMIT,
each a hop to aiosqlite's thread) and as it is (deliveries that arrive together recorded in
one transaction), and prints messages/s, CPU per message and how many bytes a checked
offer's conversation row holds (the offer's text is kept in memory only).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from bench.offers import offer  # noqa: E402
from bot.app import build_app  # noqa: E402
from bot.limits import SeenDeliveries  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage.models import conversations  # noqa: E402
from flows.types import Inbound  # noqa: E402


async def run(grouped: bool, messages: int, users: int, concurrency: int,
              start: int) -> tuple[float, float, float]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-storage-"))
    app = await build_app(Settings(data_dir=tmp / "data", bot_secret_key="b" * 32))
    try:
        seen = SeenDeliveries(app.db, b"s" * 32)
        seen._group = grouped  # the path before this change, or the grouped one
        keys = [app.keys.conversation_key("whatsapp", f"6289{u:09d}") for u in range(users)]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for n in range(start, start + messages):
            queue.put_nowait(n)

        async def deliver() -> None:
            while not queue.empty():
                n = queue.get_nowait()
                assert await seen.first("whatsapp", f"wamid.{n}")
                await app.runtime.handle(keys[n % users], Inbound(kind="text", text=offer(n)))

        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(deliver() for _ in range(concurrency)))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        async with app.db.connect() as conn:
            stored = (await conn.execute(select(func.avg(func.length(conversations.c.data)))
                                         )).scalar()
        return messages / wall, cpu / messages * 1000, float(stored or 0)
    finally:
        await app.close()
        shutil.rmtree(tmp, ignore_errors=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    await run(True, 200, 50, 8, 10**6)  # warm-up: lexicons, analyzer caches of the code
    for round_ in range(args.rounds):
        for grouped in (False, True):
            rate, cpu, stored = await run(grouped, args.messages, args.users,
                                          args.concurrency, round_ * args.messages)
            name = "grouped (now)" if grouped else "one transaction each (before)"
            print(f"round {round_ + 1}, delivery records {name}: {rate:,.0f} messages/s, "
                  f"{cpu:.2f} ms CPU per message, conversation data {stored:.0f} bytes "
                  f"(offers {sum(len(offer(n)) for n in range(100)) / 100:.0f} characters)",
                  flush=True)


if __name__ == "__main__":
    asyncio.run(main())
