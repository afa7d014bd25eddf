"""The checks every Telegram webhook delivery passes before a library sees it, whichever
library serves it: the secret header compared as bytes (401), and a body that must be a JSON
object (400). Free of aiogram and python-telegram-bot imports."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.limits import UnreadableBody, read_json, secret_matches

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name


async def checked_update(request: web.Request, secret: str) -> dict[str, Any] | web.Response:
    """The delivery's update as a dict, or the response that refuses it."""
    if not secret_matches(request.headers.get(SECRET_HEADER, ""), secret):
        log.warning("telegram.webhook_secret_refused")
        return web.Response(status=401, text="unauthorized")
    try:
        body = read_json(await request.read())
        if not isinstance(body, dict):
            raise UnreadableBody("not_an_object")
    except UnreadableBody as exc:
        log.warning("telegram.webhook_malformed error=%s", exc)
        return web.Response(status=400, text="malformed")
    return body
