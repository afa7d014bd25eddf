"""Updates per second through the whole Telegram pipeline (aiogram, adapter, flows,
analyzer, SQLite) side by side with a bare aiogram echo bot, in the same run, against the
same local stand-in Bot API (figures and the ratio go in the README).

    python bench/bench_telegram.py [--updates 1200] [--users 300]

All updates are queued before polling starts (a burst), from --users users in turn: a
user's own updates are handled one at a time (the conversation lock), as they must be.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiogram import Bot, Dispatcher  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiogram.types import Message  # noqa: E402

from bot.app import build_app  # noqa: E402
from bot.commands.telegram import build_telegram, serve_polling  # noqa: E402
from bot.logging_setup import configure_logging  # noqa: E402
from bot.settings import Settings  # noqa: E402
from tests.helpers.fake_telegram import fake_bot_api, private_text  # noqa: E402

TOKEN = "123456789:BENCH-token-for-the-stand-in-api"
MESSAGES = [
    "/start", "/help",
    "Dicari pelayan restoran di Malaysia, gaji 20 juta, tidak perlu pengalaman.",
    "Требуются официантки в Турцию, зарплата 3000 долларов, паспорт сдаёте агенту.",
    "/learn", "Lowongan operator di PT Maju Jaya, Jl. Industri 3, Bekasi, gaji sesuai UMK.",
]


async def measure(api, start, stop, updates: int, users: int) -> float:  # type: ignore[no-untyped-def]
    api.calls.clear()
    api.updates.clear()
    for n in range(updates):
        api.push(private_text(100 + n % users, MESSAGES[n % len(MESSAGES)]))
    started = time.perf_counter()
    task = asyncio.create_task(start())
    await api.wait_for(updates, seconds=300)
    elapsed = time.perf_counter() - started
    await stop()
    await task
    return updates / elapsed


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=1200)
    parser.add_argument("--users", type=int, default=300)
    args = parser.parse_args()
    configure_logging("WARNING")
    async with fake_bot_api() as api:
        # The bare echo bot: aiogram and one send per update, nothing else.
        session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url))
        echo_bot = Bot(TOKEN, session=session)
        echo = Dispatcher()

        @echo.message()
        async def reply(message: Message) -> None:
            await message.answer(message.text or "")

        echo_rate = await measure(
            api, lambda: echo.start_polling(echo_bot, handle_signals=False,
                                            close_bot_session=False),
            echo.stop_polling, args.updates, args.users)
        await echo_bot.session.close()

        with tempfile.TemporaryDirectory() as tmp:
            app = await build_app(Settings(data_dir=Path(tmp), telegram_bot_token=TOKEN,
                                           telegram_api_base_url=api.base_url))
            service = build_telegram(app)
            service.adapter._limiter._limit = 10**9  # the benchmark is one busy client
            await service.adapter.start(service.bot)

            async def stop() -> None:
                await service.dispatcher.stop_polling()

            # Every update here is answered with one message.
            api.calls.clear()
            api.updates.clear()
            for n in range(args.updates):
                api.push(private_text(100 + n % args.users, MESSAGES[n % len(MESSAGES)]))
            started = time.perf_counter()
            task = asyncio.create_task(serve_polling(service, handle_signals=False))
            await api.wait_for(args.updates, seconds=300)
            full_rate = args.updates / (time.perf_counter() - started)
            await stop()
            await task
            await service.adapter.drain()
            # The measure counts replies: it is fair only while each update gets exactly one.
            replies = len(api.sent())
            assert replies == args.updates, f"{replies} replies to {args.updates} updates"
            await service.bot.session.close()
            await app.close()
    print(f"bare aiogram echo bot   {echo_rate:8.0f} updates/s")
    print(f"whole pipeline          {full_rate:8.0f} updates/s")
    print(f"ratio                   {full_rate / echo_rate:8.0%}")


if __name__ == "__main__":
    asyncio.run(main())
