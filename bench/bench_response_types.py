"""aiogram's answer models held or not (HeldResponseTypes, issue #18): CPU per sendMessage
call and the number of ``Response[...]`` classes pydantic builds, side by side in one run,
against the stand-in Bot API in a process of its own (bench/telegram_standin.py).

    python bench/bench_response_types.py [--calls 2000] [--rounds 3]

Between calls the loop allocates what a handler allocates (lists of a few thousand
objects), so the garbage collector runs as it does in the bot, after gc.freeze() as in
bot/app.py.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiogram import Bot  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from pydantic import main as pydantic_main  # noqa: E402

from bot.adapters.telegram.response_types import HeldResponseTypes  # noqa: E402

TOKEN = "123456789:BENCH-token-for-the-stand-in-api"
built = [0]
_create = pydantic_main._generics.create_generic_submodel


def _counting(*args, **kwargs):  # type: ignore[no-untyped-def]
    built[0] += 1
    return _create(*args, **kwargs)


pydantic_main._generics.create_generic_submodel = _counting


async def run(api: str, calls: int, hold: bool) -> tuple[float, int]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(api))
    if hold:
        session.middleware(HeldResponseTypes())
    bot = Bot(TOKEN, session=session)
    gc.freeze()  # as bot/app.py does at the end of start-up, before any API call
    await bot.send_message(1, "warm-up")
    built[0] = 0
    cpu = time.process_time()
    for n in range(calls):
        await bot.send_message(1000 + n % 300, "Lowongan kerja")
        _garbage = [[] for _ in range(3000)]
    used = time.process_time() - cpu
    await session.close()
    gc.unfreeze()
    return 1000 * used / calls, built[0]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    standin = await asyncio.create_subprocess_exec(
        sys.executable, str(ROOT / "bench" / "telegram_standin.py"),
        stdout=asyncio.subprocess.PIPE)
    assert standin.stdout is not None
    api = f"http://127.0.0.1:{int((await standin.stdout.readline()).split()[1])}"
    results: dict[bool, list[tuple[float, int]]] = {False: [], True: []}
    try:
        for _ in range(args.rounds):
            for hold in (False, True):
                results[hold].append(await run(api, args.calls, hold))
    finally:
        standin.terminate()
        await standin.wait()
    for hold, runs in results.items():
        cpu = [r[0] for r in runs]
        print(f"{'held   ' if hold else 'not held'}: CPU {statistics.median(cpu):.3f} ms per "
              f"call ({min(cpu):.3f}-{max(cpu):.3f}), Response classes built per "
              f"{args.calls} calls: {statistics.median(r[1] for r in runs):.0f}")


if __name__ == "__main__":
    asyncio.run(main())
