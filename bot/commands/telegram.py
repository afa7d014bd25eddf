"""``python main.py run telegram``: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    AiogramError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile
from aiogram.utils.token import TokenValidationError
from aiohttp import web

from bot.adapters.telegram.adapter import TelegramAdapter
from bot.adapters.telegram.json_session import JsonBodySession
from bot.adapters.telegram.response_types import HeldResponseTypes
from bot.adapters.telegram.retry import RetryMiddleware
from bot.adapters.telegram.staff import Staff
from bot.adapters.telegram.updates import ReadableUpdates, ReplayGuard
from bot.adapters.telegram.webhook import TelegramWebhook
from bot.app import App, build_app
from bot.errors import StartupError
from bot.limits import SeenDeliveries, ServerLimits, message_limiter, start_server
from bot.logging_setup import configure_logging
from bot.ocr import PictureReader
from bot.settings import Settings
from bot.storage.campaigns import CampaignCounter
from bot.tips.photos import cleanup_incoming

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
MAX_START_DELAY = 60.0
_SECRET_FORM = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Worth waiting for at start; any other refusal is a setting to fix.
_PASSING = (TelegramNetworkError, TelegramServerError, TelegramRetryAfter)


@dataclass
class TelegramService:
    bot: Bot
    dispatcher: Dispatcher
    adapter: TelegramAdapter
    retry: RetryMiddleware


def build_telegram(app: App) -> TelegramService:
    settings = app.settings
    token = settings.telegram_bot_token.get_secret_value() if (
        settings.telegram_bot_token) else ""
    if not token:
        raise StartupError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and "
                           "put its token in the environment or .env.")
    # JSON bodies, not forms: URL-encoding long replies cost a tenth of the CPU (issue #18).
    session = JsonBodySession(api=TelegramAPIServer.from_base(settings.telegram_api_base_url))
    retry = RetryMiddleware()
    session.middleware(HeldResponseTypes())  # pydantic would rebuild them on every call
    session.middleware(retry)
    session.middleware(ReadableUpdates())
    try:
        bot = Bot(token, session=session,
                  default=DefaultBotProperties(parse_mode=ParseMode.HTML,
                                               link_preview_is_disabled=True))
    except TokenValidationError as exc:
        raise StartupError("TELEGRAM_BOT_TOKEN does not look like a bot token "
                           "(123456:ABC…); copy it again from @BotFather.") from exc
    dispatcher = Dispatcher(disable_fsm=True)  # state lives in our store (issue #18: 2% CPU)
    dispatcher.update.outer_middleware(ReplayGuard(SeenDeliveries(
        app.db, app.keys.salt("seen-deliveries"))))
    adapter = TelegramAdapter(app.runtime, app.keys, app.translator, app.deps.analyzer,
                              CampaignCounter(app.db), app.data_dir,
                              staff=Staff(app.orgs, app.desk, app.digests, app.scheduler),
                              pictures=PictureReader.detect(
                                  workers=app.settings.ocr_workers,
                                  timeout=app.settings.ocr_timeout_seconds),
                              limiter=message_limiter(app.db, app.keys.salt("message-limit")))
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
    return TelegramService(bot, dispatcher, adapter, retry)


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


def webhook_secret(settings: Settings) -> str | None:
    """The webhook secret in webhook mode, None in polling mode; refuses a missing or
    malformed one before anything reaches the network."""
    if not settings.telegram_webhook_url:
        return None
    secret = (settings.telegram_webhook_secret.get_secret_value()
              if settings.telegram_webhook_secret else "")
    if not secret:
        raise StartupError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode: Telegram "
                           "sends it with every update, so forged updates are refused.")
    if not _SECRET_FORM.match(secret):
        raise StartupError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, "
                           "0-9, _ and - (Telegram's rule for secret_token).")
    return secret


async def until_reachable(service: TelegramService, stop: asyncio.Event,
                          calls: Callable[[], Awaitable[object]]) -> bool:
    """Makes the start-up calls, retrying while Telegram cannot be reached: one log line
    per try, then 1, 2, 4 … 60 s, and on until it answers or ``stop`` is set (False).
    A refused token or request stops the start with a message instead."""
    delay = 1.0
    while True:
        try:
            with service.retry.network_errors_raised():
                await calls()
            return True
        except TelegramUnauthorizedError:
            raise StartupError("Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy "
                               "it again from @BotFather.") from None
        except AiogramError as exc:  # the class only: an answer's text may quote a request
            if isinstance(exc, TelegramAPIError) and not isinstance(exc, _PASSING):
                raise StartupError(f"Telegram refused {type(exc.method).__name__}: "
                                   f"{exc.message}") from None
            log.warning("telegram.unreachable error=%s retry_in=%ds", type(exc).__name__,
                        delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return False
        delay = min(delay * 2, MAX_START_DELAY)


async def serve_polling(service: TelegramService, *, handle_signals: bool = True) -> None:
    await service.dispatcher.start_polling(service.bot, handle_signals=handle_signals,
                                           close_bot_session=False,
                                           allowed_updates=ALLOWED_UPDATES)


async def serve_webhook(service: TelegramService, settings: Settings,
                        stop: asyncio.Event, *, limits: ServerLimits | None = None) -> None:
    secret = webhook_secret(settings)
    assert secret is not None
    url = settings.telegram_webhook_url or ""
    web_app = web.Application(client_max_size=1024 * 1024)
    # Answers 200 at once and handles the update in the background; a wrong or missing
    # X-Telegram-Bot-Api-Secret-Token header gets 401, a body that is not JSON 400.
    TelegramWebhook(service.dispatcher, service.bot, secret).register(
        web_app, path=urlparse(url).path or DEFAULT_WEBHOOK_PATH)
    runner = await start_server(web_app, settings.web_host, settings.web_port, limits)
    try:
        if await until_reachable(service, stop, lambda: service.bot.set_webhook(
                url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)):
            log.info("telegram.webhook_listening port=%d", settings.web_port)
            await stop.wait()
    finally:
        await runner.cleanup()


LIBRARIES = ("aiogram", "ptb")


async def run_telegram() -> int:
    settings = Settings()
    configure_logging(settings.log_level)
    secret = webhook_secret(settings)  # refused here, before any network call
    webhook = secret is not None
    library = settings.telegram_library.strip().lower()
    if library not in LIBRARIES:
        raise StartupError(f"TELEGRAM_LIBRARY must be aiogram or ptb, not "
                           f"{settings.telegram_library[:40]!r}.")
    if library == "ptb":
        return await _run_ptb(settings, secret)
    app = await build_app(settings)
    try:
        service = build_telegram(app)
        cleanup_incoming(app.data_dir)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        started = await until_reachable(service, stop,
                                        lambda: service.adapter.start(service.bot))
        if started and webhook:
            if settings.run_scheduler:
                await app.scheduler.start()  # rebuilt from the database; missed digests go
            await serve_webhook(service, settings, stop)
        elif started and await until_reachable(
                service, stop, lambda: service.bot.delete_webhook(drop_pending_updates=False)):
            if settings.run_scheduler:
                await app.scheduler.start()
            log.info("telegram.polling")
            await serve_polling(service)  # aiogram's own SIGTERM/SIGINT handlers from here
        app.scheduler.shutdown()
        await service.adapter.drain()  # finish updates in flight before closing the store
        await app.effects.drain()  # and urgent alerts on their way
        await service.bot.session.close()
    finally:
        await app.close()
    return 0


async def _run_ptb(settings: Settings, secret: str | None) -> int:
    try:
        from bot.adapters.ptb.service import run_ptb
    except ImportError:
        raise StartupError("TELEGRAM_LIBRARY=ptb needs python-telegram-bot: pip install "
                           "'safe-work-bot[ptb]' (or python-telegram-bot>=21).") from None
    app = await build_app(settings)
    try:
        cleanup_incoming(app.data_dir)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        await run_ptb(app, secret, stop)
    finally:
        await app.close()
    return 0
