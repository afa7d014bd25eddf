"""``run telegram`` on python-telegram-bot (TELEGRAM_LIBRARY=ptb): long polling through
PTB's Updater, or our own hardened aiohttp webhook (bot/limits.py) feeding PTB's update
queue, as PTB's customwebhookbot example does with other servers.

The start-up contract is the aiogram runtime's (bot/commands/telegram.py): a refused
token stops with exit 2 before anything is served, no network is one log line per try and
1, 2, 4 … 60 s of waiting, SIGTERM stops polling or the webhook and waits for updates in
flight.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from aiohttp import web
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot.adapters.ptb.adapter import PtbAdapter
from bot.adapters.ptb.calls import ReadableBot, ReplayGuard, RetryingCalls, read_update
from bot.adapters.telegram.staff import Staff
from bot.adapters.telegram.webhook_body import checked_update
from bot.app import App
from bot.errors import StartupError
from bot.limits import (
    SeenDeliveries,
    ServerLimits,
    message_limiter,
    start_server,
)
from bot.ocr import PictureReader
from bot.settings import Settings
from bot.storage.campaigns import CampaignCounter

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
DEFAULT_WEBHOOK_PATH = "/telegram/webhook"
MAX_START_DELAY = 60.0
CONCURRENT_UPDATES = 256  # one conversation's updates still go one at a time (the runtime)
_TOKEN_FORM = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


@dataclass
class PtbService:
    application: Application  # type: ignore[type-arg]
    adapter: PtbAdapter
    retry: RetryingCalls

    @property
    def bot(self) -> ReadableBot:
        return self.application.bot  # type: ignore[return-value]


class _Scrubbed(logging.Handler):
    """PTB's own log records, by level, logger and error class only: at DEBUG it logs every
    update and every call's parameters (text, chat ids), and tracebacks on polling errors."""

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        log.log(record.levelno, "telegram.library_%s logger=%s error=%s",
                record.levelname.lower(), record.name, type(error).__name__ if error else "-")


def quiet_library_logs() -> None:
    # httpx logs every request's URL, which carries the bot token; httpcore its exchanges.
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    library = logging.getLogger("telegram")
    library.setLevel(logging.WARNING)
    library.propagate = False
    if not any(isinstance(h, _Scrubbed) for h in library.handlers):
        library.addHandler(_Scrubbed())


def build_ptb(app: App) -> PtbService:
    quiet_library_logs()
    settings = app.settings
    token = settings.telegram_bot_token.get_secret_value() if (
        settings.telegram_bot_token) else ""
    if not token:
        raise StartupError("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and "
                           "put its token in the environment or .env.")
    if not _TOKEN_FORM.match(token):
        raise StartupError("TELEGRAM_BOT_TOKEN does not look like a bot token "
                           "(123456:ABC…); copy it again from @BotFather.")
    base = settings.telegram_api_base_url.rstrip("/")
    retry = RetryingCalls()
    bot = ReadableBot(
        token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot",
        defaults=Defaults(parse_mode=ParseMode.HTML,
                          link_preview_options=LinkPreviewOptions(is_disabled=True)),
        rate_limiter=retry,
        request=HTTPXRequest(connection_pool_size=CONCURRENT_UPDATES),
        get_updates_request=HTTPXRequest(read_timeout=40.0))
    application = (Application.builder().bot(bot).concurrent_updates(CONCURRENT_UPDATES)
                   .build())
    adapter = PtbAdapter(app.runtime, app.keys, app.translator, app.deps.analyzer,
                         CampaignCounter(app.db), app.data_dir,
                         staff=Staff(app.orgs, app.desk, app.digests, app.scheduler),
                         pictures=PictureReader.detect(
                             workers=app.settings.ocr_workers,
                             timeout=app.settings.ocr_timeout_seconds),
                         limiter=message_limiter(app.db, app.keys.salt("message-limit")))
    seen = SeenDeliveries(app.db, app.keys.salt("seen-deliveries"))
    application.add_handler(TypeHandler(object, ReplayGuard(seen)), group=-1)
    application.add_handler(MessageHandler(filters.UpdateType.MESSAGE, adapter.on_message))
    application.add_handler(CallbackQueryHandler(adapter.on_callback))
    application.add_error_handler(adapter.on_error)

    async def send(transport: str, chat_id: str, text: str) -> None:
        if transport == "telegram":
            await bot.send_message(int(chat_id), text)

    async def send_file(transport: str, chat_id: str, name: str, data: bytes,
                        caption: str) -> None:
        if transport != "telegram":
            return
        # A chart is seen at a glance as a photo; a CSV is a document.
        if name.endswith(".png"):
            await bot.send_photo(int(chat_id), data, caption=html.escape(caption) or None,
                                 filename=name)
        else:
            await bot.send_document(int(chat_id), data, filename=name,
                                    caption=html.escape(caption) or None)

    app.digests.sender = send
    app.digests.file_sender = send_file
    return PtbService(application, adapter, retry)


async def until_reachable(service: PtbService, stop: asyncio.Event,
                          calls: Callable[[], Awaitable[object]]) -> bool:
    """Makes the start-up calls, retrying while Telegram cannot be reached: one log line
    per try, then 1, 2, 4 … 60 s, and on until it answers or ``stop`` is set (False).
    A refused token or request stops the start with a message instead."""
    delay = 1.0
    while True:
        service.retry.network_attempts = 1
        try:
            await calls()
            return True
        except InvalidToken:
            raise StartupError("Telegram refused TELEGRAM_BOT_TOKEN (401 Unauthorized): copy "
                               "it again from @BotFather.") from None
        except TelegramError as exc:  # the class only: an answer's text may quote a request
            passing = isinstance(exc, RetryAfter) or type(exc) in (NetworkError, TimedOut)
            if not passing:
                raise StartupError(f"Telegram refused a start-up call: {exc.message}") from None
            log.warning("telegram.unreachable error=%s retry_in=%ds", type(exc).__name__,
                        delay)
        finally:
            service.retry.network_attempts = None
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        if stop.is_set():
            return False
        delay = min(delay * 2, MAX_START_DELAY)


async def start(service: PtbService, stop: asyncio.Event) -> bool:
    """PTB's initialise (it asks getMe) and our menus, retried while Telegram is away."""

    async def calls() -> None:
        if not service.application._initialized:  # getMe failed the last time
            await service.application.initialize()
        await service.adapter.start(service.bot)

    return await until_reachable(service, stop, calls)


async def serve_ptb_polling(service: PtbService, stop: asyncio.Event) -> None:
    """Polls until ``stop`` (PTB's own signal handling is not used: we stop it)."""
    application = service.application
    if not await until_reachable(service, stop, lambda: service.bot.delete_webhook(
            drop_pending_updates=False)):
        return
    updater = application.updater
    assert updater is not None
    await application.start()
    await updater.start_polling(allowed_updates=ALLOWED_UPDATES, timeout=30,
                                bootstrap_retries=0)
    log.info("telegram.polling")
    try:
        await stop.wait()
    finally:
        await updater.stop()
        await service.adapter.drain()
        await application.stop()


def webhook_handler(service: PtbService, secret: str) -> Callable[
        [web.Request], Awaitable[web.Response]]:
    """Checks the secret header (401), reads the body (400 when it is not a JSON object),
    queues the update for PTB and answers at once; an update PTB cannot read is
    acknowledged (Telegram would redeliver it forever) and skipped."""

    async def handle(request: web.Request) -> web.Response:
        body = await checked_update(request, secret)
        if isinstance(body, web.Response):
            return body
        update = read_update(body, service.bot)
        if update is not None:
            await service.application.update_queue.put(update)
        return web.json_response({})

    return handle


async def serve_ptb_webhook(service: PtbService, settings: Settings, stop: asyncio.Event,
                            secret: str, *, limits: ServerLimits | None = None) -> None:
    url = settings.telegram_webhook_url or ""
    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.router.add_post(urlparse(url).path or DEFAULT_WEBHOOK_PATH,
                            webhook_handler(service, secret))
    await service.application.start()
    runner = await start_server(web_app, settings.web_host, settings.web_port, limits)
    try:
        if await until_reachable(service, stop, lambda: service.bot.set_webhook(
                url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)):
            log.info("telegram.webhook_listening port=%d", settings.web_port)
            await stop.wait()
    finally:
        await runner.cleanup()
        await service.adapter.drain()
        await service.application.stop()


async def run_ptb(app: App, webhook_secret: str | None, stop: asyncio.Event) -> None:
    """The whole of ``run telegram`` on PTB, after the app is built."""
    service = build_ptb(app)
    try:
        if await start(service, stop):
            if app.settings.run_scheduler:
                await app.scheduler.start()  # rebuilt from the database; missed digests go
            if webhook_secret is not None:
                await serve_ptb_webhook(service, app.settings, stop, webhook_secret)
            else:
                await serve_ptb_polling(service, stop)
        app.scheduler.shutdown()
        await app.effects.drain()  # urgent alerts on their way
    finally:
        if service.application._initialized:
            await service.application.shutdown()


__all__ = ["PtbService", "build_ptb", "run_ptb", "serve_ptb_polling", "serve_ptb_webhook",
           "start"]
