"""The webhook at /whatsapp/webhook on aiohttp: verify, acknowledge at once, deduplicate,
then handle each message through the runtime and answer through the Graph API."""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from bot.adapters.whatsapp.client import GraphClient, GraphError
from bot.adapters.whatsapp.inbound import Incoming, parse_delivery
from bot.adapters.whatsapp.render import WHATSAPP, render
from bot.adapters.whatsapp.security import signature_status, verify_subscription
from bot.i18n import Translator
from bot.keys import KeyBuilder
from bot.rendering import TextRenderer
from bot.runtime import Runtime, where
from bot.tips.photos import MAX_BYTES, PhotoRejected, receive

log = logging.getLogger(__name__)
PATH = "/whatsapp/webhook"
TRANSPORT = "whatsapp"
REMEMBERED_IDS = 20_000  # message ids kept to drop WhatsApp's redeliveries


class WhatsAppWebhook:
    def __init__(self, runtime: Runtime, keys: KeyBuilder, translator: Translator,
                 client: GraphClient, *, verify_token: str, app_secret: str,
                 data_dir: Path | None = None) -> None:
        self._data_dir = data_dir  # where received photos wait for a report; None: ignored
        self._runtime = runtime
        self._keys = keys
        self._renderer = TextRenderer(translator, WHATSAPP)
        self._client = client
        self._verify_token = verify_token
        self._app_secret = app_secret
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()

    def app(self) -> web.Application:
        application = web.Application(client_max_size=1024 * 1024)
        application.router.add_get(PATH, self.verify)
        application.router.add_post(PATH, self.deliver)
        return application

    async def verify(self, request: web.Request) -> web.Response:
        status, body = verify_subscription(request.query, self._verify_token)
        return web.Response(status=status, text=body)

    async def deliver(self, request: web.Request) -> web.Response:
        raw = await request.read()
        status = signature_status(raw, request.headers.get("X-Hub-Signature-256"),
                                  self._app_secret)
        if status != 200:
            log.warning("whatsapp.signature_refused status=%d", status)
            return web.Response(status=status, text="signature")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            log.warning("whatsapp.malformed_delivery")
            return web.Response(status=400, text="malformed")
        for item in parse_delivery(body):  # status updates carry no messages: skipped
            if item.message_id in self._seen:
                log.info("whatsapp.redelivery_dropped")
                continue
            self._seen[item.message_id] = None
            if len(self._seen) > REMEMBERED_IDS:
                self._seen.popitem(last=False)
            task = asyncio.create_task(self._handle(item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return web.Response(status=200, text="ok")  # at once: the work goes on in tasks

    async def _handle(self, item: Incoming) -> None:
        try:
            key = self._keys.conversation_key(TRANSPORT, item.user)
            event = item.event
            if item.media_id and self._data_dir is not None:
                event = replace(event, choice=await self._photo(item.media_id))
            response = await self._runtime.handle(key, event)
            for reply in response.replies:
                for message in render(self._renderer, reply, response.lang):
                    await self._client.send(item.reply_to, message)
        except GraphError:
            pass  # logged by the client, by code only
        except Exception as exc:  # one message must never stop the webhook
            log.error("whatsapp.error error=%s at=%s", type(exc).__name__, where(exc))

    async def _photo(self, media_id: str) -> str:
        """Downloads a photo, strips its metadata and parks it: a token, or "" when it
        cannot be had (the caption is still read)."""
        assert self._data_dir is not None
        try:
            data = await self._client.media(media_id, MAX_BYTES)
            return receive(self._data_dir, data)
        except (GraphError, PhotoRejected, OSError) as exc:
            log.warning("whatsapp.photo_rejected error=%s", type(exc).__name__)
            return ""

    async def drain(self, seconds: float = 30.0) -> None:
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=seconds)
