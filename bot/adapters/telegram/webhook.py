"""The Telegram webhook: aiogram's ``SimpleRequestHandler`` with the checks a public port
needs.

aiogram compares the secret header with ``secrets.compare_digest`` on str, which raises
on a non-ASCII value (a 500 and a traceback for any stranger), and hands the body to
``json.loads`` and pydantic unguarded: not JSON, nested 100,000 deep or of a shape
pydantic refuses gave a 500 and a log line quoting the update. Here the secret is compared
as bytes (401), an unreadable body is answered 400, an update of an unreadable shape is
acknowledged (Telegram would redeliver it forever) and skipped, and the log says only
where it failed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiogram import Bot
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.adapters.telegram.updates import read_update
from bot.adapters.telegram.webhook_body import checked_update
from bot.limits import secret_matches
from bot.runtime import where

log = logging.getLogger(__name__)


class TelegramWebhook(SimpleRequestHandler):
    def __init__(self, dispatcher: Any, bot: Bot, secret_token: str, **data: Any) -> None:
        super().__init__(dispatcher=dispatcher, bot=bot, handle_in_background=True,
                         secret_token=secret_token, **data)

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        return secret_matches(telegram_secret_token, self.secret_token or "")

    async def handle(self, request: web.Request) -> web.Response:
        body = await checked_update(request, self.secret_token or "")
        if isinstance(body, web.Response):
            return body
        update = read_update(body, self.bot)
        if update is not None:
            task = asyncio.create_task(self._feed(update))
            self._background_feed_update_tasks.add(task)
            task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({})  # at once; the update is handled in the background

    async def _feed(self, update: Update) -> None:
        try:
            result = await self.dispatcher.feed_update(self.bot, update, **self.data)
            if isinstance(result, TelegramMethod):
                await self.dispatcher.silent_call_request(bot=self.bot, result=result)
        except Exception as exc:  # handlers answer their own errors; this is the rest
            log.error("telegram.webhook_error error=%s at=%s", type(exc).__name__,
                      where(exc))
