"""``python main.py run whatsapp``: the Cloud API webhook on WEB_HOST:WEB_PORT."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

import aiohttp

from bot.adapters.whatsapp.client import GraphClient
from bot.adapters.whatsapp.server import PATH, WhatsAppWebhook
from bot.app import App, build_app
from bot.errors import StartupError
from bot.limits import (
    RateLimiter,
    SeenDeliveries,
    ServerLimits,
    message_limiter,
    start_server,
)
from bot.logging_setup import configure_logging
from bot.ocr import PictureReader
from bot.settings import Settings
from bot.storage.campaigns import CampaignCounter
from bot.tips.photos import cleanup_incoming

log = logging.getLogger(__name__)


def _required(settings: Settings) -> tuple[str, str, str, str]:
    missing = [name for name, value in (
        ("WHATSAPP_ACCESS_TOKEN", settings.whatsapp_access_token),
        ("WHATSAPP_PHONE_NUMBER_ID", settings.whatsapp_phone_number_id),
        ("WHATSAPP_APP_SECRET", settings.whatsapp_app_secret),
        ("WHATSAPP_VERIFY_TOKEN", settings.whatsapp_verify_token)) if not value]
    if missing:
        raise StartupError(f"WhatsApp needs {', '.join(missing)} (README: Meta app set-up).")
    assert settings.whatsapp_access_token and settings.whatsapp_app_secret
    assert settings.whatsapp_verify_token and settings.whatsapp_phone_number_id
    return (settings.whatsapp_access_token.get_secret_value(), settings.whatsapp_phone_number_id,
            settings.whatsapp_app_secret.get_secret_value(),
            settings.whatsapp_verify_token.get_secret_value())


async def serve_whatsapp(app: App, http: aiohttp.ClientSession, stop: asyncio.Event, *,
                         limits: ServerLimits | None = None,
                         limiter: RateLimiter | None = None,
                         clock: Callable[[], datetime] | None = None) -> WhatsAppWebhook:
    """Serves the webhook until ``stop``; ``clock`` (UTC) judges message age and keeps the
    record of seen deliveries, so tests can fix it."""
    token, phone_id, secret, verify = _required(app.settings)
    client = GraphClient(http, app.settings.whatsapp_api_base_url, phone_id, token)
    now = clock or _utc_now
    seen = SeenDeliveries(app.db, app.keys.salt("seen-deliveries"), clock=now)
    webhook = WhatsAppWebhook(app.runtime, app.keys, app.translator, client,
                              verify_token=verify, app_secret=secret, seen=seen,
                              data_dir=app.data_dir, clock=now,
                              campaigns=CampaignCounter(app.db, now),
                              pictures=PictureReader.detect(
                                  workers=app.settings.ocr_workers,
                                  timeout=app.settings.ocr_timeout_seconds),
                              limiter=limiter or message_limiter(
                                  app.db, app.keys.salt("message-limit"), now))
    # An urgent tip reported here must reach staff chats on Telegram at once too.
    async with _telegram_alerts(app):
        runner = await start_server(webhook.app(), app.settings.web_host,
                                    app.settings.web_port, limits)
        log.info("whatsapp.listening port=%d path=%s", app.settings.web_port, PATH)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
            await webhook.drain()
            await app.effects.drain()  # urgent alerts on their way
    return webhook


def _utc_now() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def _telegram_alerts(app: App) -> AsyncIterator[None]:
    """Urgent alerts through the Bot API when a bot token is set. aiogram is imported only
    then: it was 78% of this command's import time (issue #18)."""
    if not app.settings.telegram_bot_token:
        yield
        return
    from bot.commands.telegram import telegram_sender

    async with telegram_sender(app):
        yield


async def run_whatsapp() -> int:
    settings = Settings()
    configure_logging(settings.log_level)
    _required(settings)
    app = await build_app(settings)
    cleanup_incoming(app.data_dir)  # photos parked before a restart that no report took
    try:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        # With no Telegram bot configured, this process runs the schedule: e-mail
        # digests still go out. With a bot, `run telegram` runs it (one scheduler only).
        scheduling = settings.run_scheduler and not settings.telegram_bot_token
        if scheduling:
            await app.scheduler.start()
        async with aiohttp.ClientSession() as http:
            await serve_whatsapp(app, http, stop)
        if scheduling:
            app.scheduler.shutdown()
    finally:
        await app.close()
    return 0
