"""Telegram: the whole pipeline against a bare echo bot, each bot in a process of its own
and the stand-in Bot API in a third (bench/telegram_standin.py), so neither bot is charged
for the stand-in's work. Every update is a job offer as people paste it (bench/offers.py,
about 185 characters on average, each with a number of its own).

    python bench/bench_telegram.py [--variants echo,before,after] [--burst 1500]
                                   [--rate 300] [--seconds 10] [--users 300] [--rounds 3]
                                   [--profile DIR]

For each variant, in one run: a warm-up of --users updates (every user has spoken once),
then a burst of --burst updates queued at once (updates/s until the last reply), then a
steady --rate updates/s for --seconds (CPU of the bot's process per update, read from
/proc, and the latency of each reply from its update's release to the reply's arrival:
p50 and p99). Variants:

- ``echo``: a bare aiogram bot that answers each text with its own text;
- ``before``: the whole pipeline (adapter, flows, analyzer, SQLite, rendering, sending)
  without HeldResponseTypes, as it was before issue #18;
- ``after``: the whole pipeline as shipped;
- ``ptb-echo`` and ``ptb``: the same two on python-telegram-bot (TELEGRAM_LIBRARY=ptb);
- ``VARIANT@DIR``: that variant run from another checkout (``git worktree add DIR REV``),
  to compare the code before a change with the code after it in one run.

Every update must be answered; rates and latencies count each update's first reply (an
update the pipeline answers with two messages, such as an emergency answer before the
analysis, is counted once and reported as "extra").
"""

from __future__ import annotations

import argparse
import asyncio
import json
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

TOKEN = "123456789:BENCH-token-for-the-stand-in-api"
VARIANTS = ("echo", "before", "after", "ptb-echo", "ptb")
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- the bots, each run as `bench_telegram.py --bot VARIANT --api URL` ---------------------------

async def run_bot(variant: str, api: str) -> None:
    from pydantic import main as pydantic_main

    from bot.logging_setup import configure_logging

    built = [0]
    create = pydantic_main._generics.create_generic_submodel

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        built[0] += 1
        return create(*args, **kwargs)

    pydantic_main._generics.create_generic_submodel = counting  # pydantic's generic classes

    configure_logging("WARNING")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    if variant == "echo":
        await _aiogram_echo(api, stop)
    elif variant == "ptb-echo":
        await _ptb_echo(api, stop)
    else:
        await _pipeline(variant, api, stop)
    print(f"built {built[0]}", flush=True)


async def _aiogram_echo(api: str, stop: asyncio.Event) -> None:
    from aiogram import Bot, Dispatcher
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.types import Message

    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(api)))
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def reply(message: Message) -> None:
        await message.answer(message.text or "")

    task = asyncio.create_task(dispatcher.start_polling(bot, handle_signals=False))
    print("ready", flush=True)
    await stop.wait()
    await dispatcher.stop_polling()
    await task


async def _ptb_echo(api: str, stop: asyncio.Event) -> None:
    from telegram import Update
    from telegram.ext import ApplicationBuilder, MessageHandler, filters

    async def reply(update: Update, _context: object) -> None:
        assert update.message is not None
        await update.message.reply_text(update.message.text or "")

    application = (ApplicationBuilder().token(TOKEN).base_url(f"{api}/bot")
                   .concurrent_updates(True).build())
    application.add_handler(MessageHandler(filters.TEXT, reply))
    async with application:
        await application.start()
        assert application.updater is not None
        await application.updater.start_polling(timeout=10)
        print("ready", flush=True)
        await stop.wait()
        await application.updater.stop()
        await application.stop()


async def _pipeline(variant: str, api: str, stop: asyncio.Event) -> None:
    from bot.app import build_app
    from bot.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        library = "ptb" if variant == "ptb" else "aiogram"
        app = await build_app(Settings(data_dir=Path(tmp), telegram_bot_token=TOKEN,
                                       telegram_api_base_url=api,
                                       telegram_library=library))
        if library == "ptb":
            from bot.adapters.ptb.service import build_ptb, serve_ptb_polling, start

            service = build_ptb(app)
            service.adapter.limiter._limit = 10**9  # the benchmark is one busy client
            assert await start(service, stop)
            task = asyncio.create_task(serve_ptb_polling(service, stop))
            print("ready", flush=True)
            await task
            await service.application.shutdown()
        else:
            from bot.adapters.telegram.response_types import HeldResponseTypes
            from bot.commands.telegram import build_telegram, serve_polling

            service = build_telegram(app)
            if variant == "before":  # the pipeline as it was: pydantic rebuilds the types
                middlewares = service.bot.session.middleware._middlewares
                middlewares[:] = [m for m in middlewares
                                  if not isinstance(m, HeldResponseTypes)]
            service.adapter._limiter._limit = 10**9  # the benchmark is one busy client
            await service.adapter.start(service.bot)
            task = asyncio.create_task(serve_polling(service, handle_signals=False))
            print("ready", flush=True)
            await stop.wait()
            await service.dispatcher.stop_polling()
            await task
            await service.adapter.drain()
            await service.bot.session.close()
        await app.close()


# -- the driver ---------------------------------------------------------------------------------

def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


async def control(http, url: str, **load: object) -> dict:  # type: ignore[no-untyped-def, type-arg]
    async with http.post(f"{url}/_bench/load", json=load) as response:
        response.raise_for_status()
    async with http.get(f"{url}/_bench/result", params={"wait": "600"}) as response:
        return await response.json()  # type: ignore[no-any-return]


async def measure(variant: str, api: str, args: argparse.Namespace) -> dict[str, float]:
    import aiohttp

    name, _, tree = variant.partition("@")  # after@DIR: the bot from another checkout
    script = Path(tree, "bench", "bench_telegram.py") if tree else Path(__file__)
    bot = await asyncio.create_subprocess_exec(sys.executable, str(script), "--bot", name,
                                               "--api", api, stdout=asyncio.subprocess.PIPE)
    assert bot.stdout is not None
    line = (await bot.stdout.readline()).decode()
    if line.strip() != "ready":
        bot.kill()
        raise SystemExit(f"{variant}: the bot did not start")
    spy = await _spy(bot.pid, variant, args)
    offset = 0
    out: dict[str, float] = {}
    try:
        async with aiohttp.ClientSession() as http:
            runs = (("warm-up", args.users, 0.0), ("burst", args.burst, 0.0),
                    ("steady", int(args.rate * args.seconds), args.rate))
            for name, count, rate in runs:
                cpu = cpu_seconds(bot.pid)
                started = time.monotonic()
                result = await control(http, api, count=count, users=args.users, rate=rate,
                                       first_user=1000, offset=offset)
                elapsed = time.monotonic() - started
                used = cpu_seconds(bot.pid) - cpu
                offset += count
                if name == "warm-up":  # a first message may get a greeting too
                    continue
                if result["matched"] != count:
                    raise SystemExit(f"{variant} {name}: {result['replies']} replies "
                                     f"({result['matched']} matched) to {count} updates; "
                                     f"unmatched: {result['unmatched']}")
                out[f"{name}_extra"] = result["replies"] - count  # a second message
                if name == "burst":
                    out["burst_rate"] = result["rate"]
                    out["burst_cpu_ms"] = 1000 * used / count
                elif name == "steady":
                    out["steady_rate"] = count / elapsed
                    out["cpu_ms"] = 1000 * used / count
                    out["p50_ms"] = result["p50_ms"]
                    out["p99_ms"] = result["p99_ms"]
    finally:
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes its samples on SIGINT
            await spy.wait()
        bot.send_signal(signal.SIGTERM)
        try:
            rest = (await asyncio.wait_for(bot.stdout.read(), 60)).decode()
            await asyncio.wait_for(bot.wait(), 30)
        except TimeoutError:
            bot.kill()
            rest = ""
    handled = args.users + args.burst + int(args.rate * args.seconds)
    for line in rest.splitlines():
        if line.startswith("built "):  # pydantic generic classes built, per 1,000 updates
            out["built_per_1k"] = 1000 * int(line.split()[1]) / handled
    return out


async def _spy(pid: int, variant: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """With --profile DIR: py-spy samples the bot from its ready line on (start-up left
    out), all threads (aiosqlite's too), into DIR/VARIANT-PID.txt as folded stacks."""
    if not args.profile:
        return None
    spy = shutil.which("py-spy")
    if spy is None:
        raise SystemExit("--profile needs py-spy on PATH (pip install py-spy)")
    out = Path(args.profile) / f"{variant.replace('/', '_')}-{pid}.txt"
    return await asyncio.create_subprocess_exec(
        spy, "record", "-p", str(pid), "-r", "100", "-f", "raw", "-o", str(out),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def drive(args: argparse.Namespace) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from offers import mean_length

    standin = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bench" / "telegram_standin.py"),
        stdout=asyncio.subprocess.PIPE)
    assert standin.stdout is not None
    port = int((await standin.stdout.readline()).split()[1])
    api = f"http://127.0.0.1:{port}"
    runs: dict[str, list[dict[str, float]]] = {}
    try:
        for _ in range(args.rounds):  # variants in turn, so a busy minute hits all alike
            for variant in args.variants.split(","):
                runs.setdefault(variant, []).append(await measure(variant, api, args))
                print(f"{variant:9} " + json.dumps({k: round(v, 2) for k, v in
                                                    runs[variant][-1].items()}), flush=True)
    finally:
        standin.terminate()
        await standin.wait()
    results = {variant: {key: statistics.median(r[key] for r in rs) for key in rs[0]}
               for variant, rs in runs.items()}
    print(f"\noffers: {mean_length():.0f} characters on average; burst {args.burst} updates, "
          f"steady {args.rate:g}/s for {args.seconds:g} s, {args.users} users; medians of "
          f"{args.rounds} rounds")
    print(f"{'variant':9} {'burst/s':>8} {'steady/s':>8} {'CPU ms/upd':>10} {'p50 ms':>7} "
          f"{'p99 ms':>7} {'classes/1k':>10}")
    for variant, r in results.items():
        print(f"{variant:9} {r['burst_rate']:8.0f} {r['steady_rate']:8.0f} {r['cpu_ms']:10.2f} "
              f"{r['p50_ms']:7.1f} {r['p99_ms']:7.1f} {r.get('built_per_1k', -1):10.0f}")
    pairs = [("echo", "before"), ("echo", "after"), ("ptb-echo", "ptb"), ("echo", "ptb")]
    pairs += [("echo", v) for v in results if "@" in v]
    for bare, full in pairs:
        if bare in results and full in results:
            print(f"ratio {full} / {bare}: "
                  f"{results[full]['burst_rate'] / results[bare]['burst_rate']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bot", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    parser.add_argument("--variants", default="echo,before,after")
    parser.add_argument("--burst", type=int, default=1500)
    parser.add_argument("--rate", type=float, default=300.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", metavar="DIR",
                        help="sample each bot with py-spy into DIR (folded stacks)")
    args = parser.parse_args()
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    if args.bot:
        asyncio.run(run_bot(args.bot, args.api))
    else:
        asyncio.run(drive(args))


if __name__ == "__main__":
    main()
