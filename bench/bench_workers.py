"""WhatsApp messages per second through whole `run whatsapp` processes: one worker on
SQLite, one worker on PostgreSQL, and two workers on one PostgreSQL with each user's
messages alternating between them (a round-robin proxy). Figures go in the README.

    python bench/bench_workers.py [--messages 1200] [--users 120] [--senders 32]

Each process is a real `python main.py run whatsapp` (forked from one process that
imported the product, as in the reliability harness); signed deliveries go to their
webhooks, answers to a stand-in Graph API on 127.0.0.1 in this process. A message counts
when its answer has reached the stand-in. PostgreSQL runs with fsync on, as in production
(started here with initdb and pg_ctl, see tests/helpers/postgres.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402

from tests.helpers.fake_graph import (  # noqa: E402
    PHONE_ID,
    FakeGraph,
    delivery,
    encode,
    fake_graph,
    sign,
    text,
)
from tests.helpers.postgres import start_postgres  # noqa: E402
from tests.helpers.reliability_procs import (  # noqa: E402
    Zygote,
    free_port,
    product_env,
    wait_ready,
)

SECRET = "bench-app-secret"
MESSAGES = [
    "/lang en",
    "Dicari pelayan restoran di Malaysia, gaji 20 juta, tidak perlu pengalaman.",
    "Требуются официантки в Турцию, зарплата 3000 долларов, паспорт сдаёте агенту.",
    "/help",
    "Lowongan operator di PT Maju Jaya, Jl. Industri 3, Bekasi, gaji sesuai UMK.",
]


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU of these processes so far (from /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def postgres_pids(data: Path) -> list[int]:
    """The postmaster and its backends."""
    postmaster = int((data / "postmaster.pid").read_text().split()[0])
    pids = [postmaster]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == postmaster:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return pids


async def run(zygote: Zygote, graph: FakeGraph, tmp: Path, database: str | None,
              workers: int, messages: int, users: int, senders: int,
              pg_data: Path) -> tuple[float, float, float]:
    data = tmp / f"data-{time.monotonic_ns()}"
    children, urls = [], []
    settings = {"DATABASE_URL": database} if database else {}
    for number in range(workers):
        port = free_port()
        env = product_env(data, BOT_SECRET_KEY="b" * 32, WEB_HOST="127.0.0.1",
                          WEB_PORT=str(port), WHATSAPP_ACCESS_TOKEN="EAAbench",
                          WHATSAPP_PHONE_NUMBER_ID=PHONE_ID, WHATSAPP_APP_SECRET=SECRET,
                          WHATSAPP_VERIFY_TOKEN="v", WHATSAPP_API_BASE_URL=graph.base_url,
                          LOG_LEVEL="WARNING", RUN_SCHEDULER="false", **settings)
        child = zygote.spawn(["run", "whatsapp"], env, tmp / f"w{number}.log", cwd=tmp)
        children.append(child)
        url = f"http://127.0.0.1:{port}/whatsapp/webhook"
        await wait_ready(child, url, 403, seconds=120)
        urls.append(url)
    graph.sent.clear()
    plan = [(n % users, MESSAGES[(n // users) % len(MESSAGES)]) for n in range(messages)]
    queue: asyncio.Queue[tuple[int, int, str]] = asyncio.Queue()
    for n, (user, body) in enumerate(plan):
        queue.put_nowait((n, user, body))
    turns = [0] * users
    try:
        async with aiohttp.ClientSession() as http:
            async def sender() -> None:
                while not queue.empty():
                    _, user, body = queue.get_nowait()
                    wa_id = f"6289{user:09d}"
                    worker = turns[user] % workers  # the user's messages alternate
                    turns[user] += 1
                    raw = encode(delivery(text(body, wa_id=wa_id), wa_id=wa_id))
                    async with http.post(urls[worker], data=raw, headers={
                            "Content-Type": "application/json",
                            "X-Hub-Signature-256": sign(raw, SECRET)}) as response:
                        assert response.status == 200

            worker_pids = [c.pid for c in children]
            pg = postgres_pids(pg_data) if database else []
            cpu = (cpu_seconds(worker_pids), cpu_seconds(pg))
            started = time.perf_counter()
            await asyncio.gather(*(sender() for _ in range(senders)))
            users_answered = 0
            deadline = time.monotonic() + 300
            while True:  # every message answered (at least one reply per message)
                by_user: dict[str, int] = {}
                for m in graph.sent:
                    by_user[m["to"]] = by_user.get(m["to"], 0) + 1
                users_answered = sum(1 for u in range(users)
                                     if by_user.get(f"6289{u:09d}", 0) >= turns[u])
                if users_answered == users:
                    break
                assert time.monotonic() < deadline, f"{users_answered}/{users} answered"
                await asyncio.sleep(0.005)
            rate = messages / (time.perf_counter() - started)
            pg = postgres_pids(pg_data) if database else []  # backends come and go
            return (rate, (cpu_seconds(worker_pids) - cpu[0]) / messages * 1000,
                    max(cpu_seconds(pg) - cpu[1], 0.0) / messages * 1000)
    finally:
        for child in children:
            child.kill()
        shutil.rmtree(data, ignore_errors=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1200)
    parser.add_argument("--users", type=int, default=120)  # at most 30 a minute each
    parser.add_argument("--senders", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-fsync", action="store_true",
                        help="PostgreSQL without fsync (to tell the disk's share)")
    args = parser.parse_args()
    assert args.messages / args.users <= 30, "the flood limit would refuse some"
    tmp = Path(tempfile.mkdtemp(prefix="bench-workers-"))
    server = start_postgres(durable=not args.no_fsync)
    zygote = Zygote()
    try:
        async with fake_graph() as graph:
            for _ in range(args.rounds):
                for name, database, workers in (
                        ("SQLite, one worker", None, 1),
                        ("PostgreSQL, one worker", server.new_database(), 1),
                        ("PostgreSQL, two workers", server.new_database(), 2)):
                    rate, cpu, pg_cpu = await run(zygote, graph, tmp, database, workers,
                                                  args.messages, args.users, args.senders,
                                                  server.data)
                    print(f"{name}: {rate:,.0f} messages/s, workers' CPU {cpu:.1f} ms and "
                          f"PostgreSQL's {pg_cpu:.1f} ms per message", flush=True)
    finally:
        zygote.close()
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
