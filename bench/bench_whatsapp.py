"""WhatsApp: signed deliveries acknowledged per second by `run whatsapp`'s webhook, against
a bare aiohttp handler that only checks the signature, each server in a process of its own;
the sender and the stand-in Graph API run in this process.

    python bench/bench_whatsapp.py [--deliveries 3000] [--concurrency 32] [--users 300]
                                   [--variants bare,before,after] [--rounds 3]
                                   [--profile DIR]

Each delivery is one text message (a job offer of bench/offers.py) from one of --users
people, signed with the app secret, posted by --concurrency connections at once. The
figures: acknowledgements per second (until the last 200), and for the bot the time until
every delivery was answered through the Graph API (each one must be). Variants:

- ``bare``: aiohttp, read the body, check X-Hub-Signature-256, answer 200;
- ``before``: the webhook as it was before issue #18: the record of seen deliveries is
  written before the 200 (the old ``deliver``, kept below as it was);
- ``after``: the webhook as shipped;
- ``VARIANT@DIR``: that variant served from another checkout (``git worktree add DIR
  REV``), to compare the code before a change with the code after it in one run.

Each figure comes with the server's CPU time per delivery (from /proc, the warm-up
included), fairer than rates on a machine that other work keeps busy.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

SECRET = "bench-app-secret"
VERIFY = "bench-verify-token"
PHONE_ID = "1122334455667"


# -- the servers, each run as `bench_whatsapp.py --serve VARIANT --port N --graph URL` ----------

async def serve(variant: str, port: int, graph: str) -> None:
    from aiohttp import web

    from bot.adapters.whatsapp.security import signature_status
    from bot.logging_setup import configure_logging

    configure_logging("WARNING")
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    if variant == "bare":
        async def handle(request: web.Request) -> web.Response:
            raw = await request.read()
            status = signature_status(raw, request.headers.get("X-Hub-Signature-256"), SECRET)
            return web.Response(status=status, text="ok")

        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_post("/whatsapp/webhook", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        print("ready", flush=True)
        await stop.wait()
        await runner.cleanup()
        return
    import aiohttp

    from bot.adapters.whatsapp import server
    from bot.app import build_app
    from bot.commands.whatsapp import serve_whatsapp
    from bot.settings import Settings

    if variant == "before":
        server.WhatsAppWebhook.deliver = _deliver_before  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as tmp:
        app = await build_app(Settings(
            data_dir=Path(tmp), web_port=port, whatsapp_access_token="EAAbench",
            whatsapp_phone_number_id=PHONE_ID, whatsapp_app_secret=SECRET,
            whatsapp_verify_token=VERIFY, whatsapp_api_base_url=graph, run_scheduler=False))
        from bot.limits import RateLimiter

        limiter = RateLimiter(per_minute=10**9)  # the benchmark is one busy client
        async with aiohttp.ClientSession() as http:
            task = asyncio.create_task(serve_whatsapp(app, http, stop, limiter=limiter))
            await asyncio.sleep(0.5)
            print("ready", flush=True)
            await task
        await app.close()


async def _deliver_before(self, request):  # type: ignore[no-untyped-def]
    """WhatsAppWebhook.deliver before issue #18 (commit 557e09c), for the comparison."""
    from aiohttp import web

    from bot.adapters.whatsapp.inbound import parse_delivery
    from bot.adapters.whatsapp.security import signature_status
    from bot.limits import UnreadableBody, read_json

    raw = await request.read()
    status = signature_status(raw, request.headers.get("X-Hub-Signature-256"),
                              self._app_secret)
    if status != 200:
        return web.Response(status=status, text="signature")
    try:
        body = read_json(raw)
        if not isinstance(body, dict):
            raise UnreadableBody("not_an_object")
    except UnreadableBody:
        return web.Response(status=400, text="malformed")
    oldest = self._clock() - self._max_age
    for item in parse_delivery(body):
        if item.sent_at is None or item.sent_at < oldest:
            continue
        try:
            first = await self._seen.first("whatsapp", item.message_id)
        except Exception:
            return web.Response(status=503, text="busy")
        if not first:
            continue
        task = asyncio.create_task(self._handle(item))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
    return web.Response(status=200, text="ok")


# -- the driver ---------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    """The process's user and system CPU time, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bodies(count: int, users: int, offset: int) -> list[bytes]:
    from offers import offer

    from tests.helpers.fake_graph import delivery, encode, text

    out = []
    for n in range(count):
        user = str(6281300000000 + n % users)
        out.append(encode(delivery(text(offer(offset + n), mid=f"wamid.bench-{offset + n}"),
                                   wa_id=user)))
    return out


async def measure(variant: str, graph, http, args: argparse.Namespace,  # type: ignore[no-untyped-def]
                  offset: int) -> dict[str, float]:
    from tests.helpers.fake_graph import sign
    from tests.helpers.local_server import free_port

    port = free_port()
    name, _, tree = variant.partition("@")  # after@DIR: the server from another checkout
    script = Path(tree, "bench", "bench_whatsapp.py") if tree else Path(__file__)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(script), "--serve", name, "--port", str(port), "--graph",
        graph.base_url, stdout=asyncio.subprocess.PIPE)
    assert proc.stdout is not None
    if (await proc.stdout.readline()).decode().strip() != "ready":
        proc.kill()
        raise SystemExit(f"{variant}: the server did not start")
    spy = None
    if args.profile:  # py-spy samples the server from its ready line on, all threads
        spy = await asyncio.create_subprocess_exec(
            shutil.which("py-spy") or "py-spy", "record", "-p", str(proc.pid), "-r", "100",
            "-f", "raw", "-o", str(Path(args.profile, f"{name}-{proc.pid}.txt")),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    cpu = cpu_seconds(proc.pid)
    url = f"http://127.0.0.1:{port}/whatsapp/webhook"
    try:
        warm = bodies(args.users, args.users, offset)  # every person has written once
        await _post_all(http, url, warm, [sign(b, SECRET) for b in warm], args.concurrency)
        if name != "bare":
            await _answered(graph, len(warm), 300)
        raws = bodies(args.deliveries, args.users, offset + args.users)
        signatures = [sign(raw, SECRET) for raw in raws]
        graph.sent.clear()
        started = time.monotonic()
        statuses = await _post_all(http, url, raws, signatures, args.concurrency)
        acked = time.monotonic() - started
        assert statuses == {200: len(raws)}, statuses
        out = {"acks_per_s": len(raws) / acked}
        if name != "bare":
            await _answered(graph, len(raws), 600)
            out["answered_per_s"] = len(raws) / (time.monotonic() - started)
        out["cpu_ms"] = 1000 * (cpu_seconds(proc.pid) - cpu) / (len(raws) + len(warm))
        return out
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its samples on SIGINT
            await spy.wait()
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 60)
        except TimeoutError:
            proc.kill()


async def _post_all(http, url: str, raws: list[bytes], signatures: list[str],  # type: ignore[no-untyped-def]
                    concurrency: int) -> dict[int, int]:
    statuses: dict[int, int] = {}
    queue = iter(range(len(raws)))

    async def sender() -> None:
        for i in queue:
            async with http.post(url, data=raws[i], headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": signatures[i]}) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1

    await asyncio.gather(*(sender() for _ in range(concurrency)))
    return statuses


async def _answered(graph, count: int, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while len(graph.sent) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(graph.sent)} of {count} deliveries answered")
        await asyncio.sleep(0.02)


async def drive(args: argparse.Namespace) -> None:
    import aiohttp

    from tests.helpers.fake_graph import fake_graph

    runs: dict[str, list[dict[str, float]]] = {}
    offset = 0
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with fake_graph() as graph, aiohttp.ClientSession(connector=connector) as http:
        for _ in range(args.rounds):
            for variant in args.variants.split(","):
                result = await measure(variant, graph, http, args, offset)
                offset += args.deliveries + args.users
                runs.setdefault(variant, []).append(result)
                print(variant, {k: round(v, 2) for k, v in result.items()}, flush=True)
    print(f"\n{args.deliveries} signed deliveries, {args.concurrency} connections, "
          f"{args.users} people; medians of {args.rounds} rounds")
    medians = {v: {k: statistics.median(r[k] for r in rs) for k in rs[0]}
               for v, rs in runs.items()}
    for variant, m in medians.items():
        answered = f", all answered at {m['answered_per_s']:.0f}/s" if (
            "answered_per_s" in m) else ""
        share = (f" ({m['acks_per_s'] / medians['bare']['acks_per_s']:.2f} of bare)"
                 if "bare" in medians and variant != "bare" else "")
        print(f"{variant:7} {m['acks_per_s']:7.0f} acks/s{share}{answered}; "
              f"{m['cpu_ms']:.2f} ms CPU per delivery")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=("bare", "before", "after"), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--graph", help=argparse.SUPPRESS)
    parser.add_argument("--variants", default="bare,before,after")
    parser.add_argument("--deliveries", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", metavar="DIR",
                        help="sample each server with py-spy into DIR (folded stacks)")
    args = parser.parse_args()
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    if args.serve:
        asyncio.run(serve(args.serve, args.port, args.graph))
    else:
        asyncio.run(drive(args))


if __name__ == "__main__":
    main()
