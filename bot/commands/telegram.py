"""``python main.py run telegram``: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import BufferedInputFile
from aiogram.utils.token import TokenValidationError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.adapters.telegram.adapter import Staff, TelegramAdapter
from bot.adapters.telegram.retry import RetryMiddleware
from bot.app import App, build_app
from bot.errors import StartupError
from bot.logging_setup import configure_logging
from bot.settings import Settings
from bot.storage.campaigns import CampaignCounter
from bot.tips.photos import cleanup_incoming

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"


@dataclass
class TelegramService:
    bot: Bot
    dispatcher: Dispatcher
    adapter: TelegramAdapter


def build_telegram(app: App) -> TelegramService:
    settings = app.settings
    token = settings.telegram_bot_token.get_secret_value() if (
        settings.telegram_bot_token) else ""
    if not token:
        raise StartupError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and "
                           "put its token in the environment or .env.")
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base_url))
    session.middleware(RetryMiddleware())
    try:
        bot = Bot(token, session=session,
                  default=DefaultBotProperties(parse_mode=ParseMode.HTML,
                                               link_preview_is_disabled=True))
    except TokenValidationError as exc:
        raise StartupError("TELEGRAM_BOT_TOKEN does not look like a bot token "
                           "(123456:ABC…); copy it again from @BotFather.") from exc
    dispatcher = Dispatcher()
    adapter = TelegramAdapter(app.runtime, app.keys, app.translator, app.deps.analyzer,
                              CampaignCounter(app.db), app.data_dir,
                              staff=Staff(app.orgs, app.desk, app.digests, app.scheduler))
    dispatcher.include_router(adapter.router)

    async def send(transport: str, chat_id: str, text: str) -> None:
        if transport == "telegram":
            await bot.send_message(int(chat_id), text)

    async def send_file(transport: str, chat_id: str, name: str, data: bytes,
                        caption: str) -> None:
        if transport != "telegram":
            return
        # A chart is seen at a glance as a photo; a CSV is a document.
        send = bot.send_photo if name.endswith(".png") else bot.send_document
        await send(int(chat_id), BufferedInputFile(data, filename=name),
                   caption=html.escape(caption) or None)

    app.digests.sender = send
    app.digests.file_sender = send_file
    return TelegramService(bot, dispatcher, adapter)


@contextlib.asynccontextmanager
async def telegram_sender(app: App) -> AsyncIterator[None]:
    """Lets digests and urgent alerts reach staff chats on Telegram from a process that
    does not poll (``digest send``, ``run whatsapp``); nothing without a bot token."""
    service = build_telegram(app) if app.settings.telegram_bot_token else None
    try:
        yield
    finally:
        if service is not None:
            await service.bot.session.close()


async def serve_polling(service: TelegramService, *, handle_signals: bool = True) -> None:
    await service.bot.delete_webhook(drop_pending_updates=False)
    await service.dispatcher.start_polling(service.bot, handle_signals=handle_signals,
                                           close_bot_session=False,
                                           allowed_updates=ALLOWED_UPDATES)


async def serve_webhook(service: TelegramService, settings: Settings,
                        stop: asyncio.Event) -> None:
    if settings.telegram_webhook_secret is None:
        raise StartupError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode: Telegram "
                           "sends it with every update, so forged updates are refused.")
    url = settings.telegram_webhook_url or ""
    secret = settings.telegram_webhook_secret.get_secret_value()
    web_app = web.Application()
    # Answers 200 at once and handles the update in the background; a wrong or missing
    # X-Telegram-Bot-Api-Secret-Token header gets 401.
    SimpleRequestHandler(dispatcher=service.dispatcher, bot=service.bot,
                         secret_token=secret).register(
        web_app, path=urlparse(url).path or DEFAULT_WEBHOOK_PATH)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.web_host, settings.web_port)
    await site.start()
    await service.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    log.info("telegram.webhook_listening port=%d", settings.web_port)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def run_telegram() -> int:
    settings = Settings()
    configure_logging(settings.log_level)
    app = await build_app(settings)
    try:
        service = build_telegram(app)
        cleanup_incoming(app.data_dir)
        await service.adapter.start(service.bot)
        if settings.run_scheduler:
            await app.scheduler.start()  # rebuilt from the database; missed digests go now
        if settings.telegram_webhook_url:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, stop.set)
            await serve_webhook(service, settings, stop)
        else:
            log.info("telegram.polling")
            await serve_polling(service)
        app.scheduler.shutdown()
        await service.adapter.drain()  # finish updates in flight before closing the store
        await app.effects.drain()  # and urgent alerts on their way
        await service.bot.session.close()
    finally:
        await app.close()
    return 0
