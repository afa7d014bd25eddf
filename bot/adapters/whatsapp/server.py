"""The webhook at /whatsapp/webhook on aiohttp: verify, acknowledge at once, deduplicate,
then handle each message through the runtime and answer through the Graph API."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web

from bot.adapters import pictures as picture_text
from bot.adapters.whatsapp.campaign import campaign_start
from bot.adapters.whatsapp.client import GraphClient, GraphError
from bot.adapters.whatsapp.inbound import Incoming, parse_delivery
from bot.adapters.whatsapp.render import WHATSAPP, render
from bot.adapters.whatsapp.security import signature_status, verify_subscription
from bot.i18n import Translator
from bot.keys import KeyBuilder
from bot.limits import RateLimiter, SeenDeliveries, UnreadableBody, read_json, slow_down
from bot.ocr import PictureReader
from bot.rendering import TextRenderer
from bot.runtime import Runtime, apology, where
from bot.storage.campaigns import CampaignCounter
from bot.tips.photos import MAX_BYTES, PhotoRejected, receive_photo, refused
from flows.locale import DEFAULT
from flows.red_flags import detect_language
from flows.types import Reply

log = logging.getLogger(__name__)
PATH = "/whatsapp/webhook"
TRANSPORT = "whatsapp"
MAX_AGE = timedelta(hours=24)  # older messages are replays: Meta gives up well before
REMEMBERED_LANGUAGES = 10_000  # per key, for answers the runtime did not make
WORKERS = 64  # messages handled at once: enough for group commits, few enough for acks
MAX_WAITING = 10_000  # messages taken but not yet answered; beyond, deliveries get 503


def _utc_now() -> datetime:
    return datetime.now(UTC)


class RecentDeliveries:
    """The keyed hashes of the last ``size`` deliveries this process took (memory only)."""

    def __init__(self, size: int = 20_000) -> None:
        self._size = size
        self._seen: OrderedDict[str, None] = OrderedDict()

    def first(self, digest: str) -> bool:
        if digest in self._seen:
            return False
        self._seen[digest] = None
        if len(self._seen) > self._size:
            self._seen.popitem(last=False)
        return True


class WhatsAppWebhook:
    def __init__(self, runtime: Runtime, keys: KeyBuilder, translator: Translator,
                 client: GraphClient, *, verify_token: str, app_secret: str,
                 seen: SeenDeliveries, data_dir: Path | None = None,
                 limiter: RateLimiter | None = None, max_age: timedelta = MAX_AGE,
                 clock: Callable[[], datetime] = _utc_now,
                 pictures: PictureReader | None = None,
                 campaigns: CampaignCounter | None = None) -> None:
        self._campaigns = campaigns  # counts "/start NAME" from posters; None: not counted
        self._data_dir = data_dir  # where received photos wait for a report; None: ignored
        self._pictures = pictures  # reads the text of pictures; None: off
        self._runtime = runtime
        self._keys = keys
        self._renderer = TextRenderer(translator, WHATSAPP)
        self._client = client
        self._verify_token = verify_token
        self._app_secret = app_secret
        self._seen = seen
        self._limiter = limiter or RateLimiter()
        self._max_age = max_age
        self._clock = clock
        # WhatsApp sends no language hint: an apology or a "slow down" goes out in the
        # language of the user's last answer (memory only, by the pseudonymous key).
        self._langs: OrderedDict[str, str] = OrderedDict()
        self._tasks: set[asyncio.Task[None]] = set()
        self._recent = RecentDeliveries()  # taken by this process, before the database knows
        # At most WORKERS messages are handled at once; the others wait parked (in order)
        # on the semaphore, so the acknowledgements share the loop with a few handlers
        # instead of being crowded out by one running task per message. A slow one (a
        # picture being read) holds one place, not a queue of other people.
        self._slots = asyncio.Semaphore(WORKERS)
        self._waiting = 0

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
            body = read_json(raw)
            if not isinstance(body, dict):
                raise UnreadableBody("not_an_object")
        except UnreadableBody as exc:
            log.warning("whatsapp.malformed_delivery error=%s", exc)
            return web.Response(status=400, text="malformed")
        if self._waiting >= MAX_WAITING:  # Meta delivers it again later: nothing is lost
            log.warning("whatsapp.backlog_full waiting=%d", self._waiting)
            return web.Response(status=503, text="busy", headers={"Retry-After": "5"})
        oldest = self._clock() - self._max_age
        for item in parse_delivery(body):  # status updates carry no messages: skipped
            if item.sent_at is None or item.sent_at < oldest:
                log.warning("whatsapp.stale_message_dropped")
                continue
            if not self._recent.first(self._seen.digest(TRANSPORT, item.message_id)):
                log.info("whatsapp.redelivery_dropped")  # this process took it already
                continue
            self._waiting += 1
            task = asyncio.create_task(self._work(item))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        # At once, without waiting for the record of seen deliveries: that write queues
        # behind every conversation's save on SQLite's one writer (acknowledgements fell
        # to 1,041/s against 6,875 for a bare handler, issue #18). Acknowledging first
        # loses nothing the old order kept: a message acknowledged and then killed before
        # its answer was lost either way (Meta does not redeliver a 200), and a
        # redelivery is still dropped, here by the memory above, by the database record
        # across restarts and other workers.
        return web.Response(status=200, text="ok")

    async def _work(self, item: Incoming) -> None:
        try:
            async with self._slots:
                await self._take(item)
        finally:
            self._waiting -= 1

    async def _take(self, item: Incoming) -> None:
        """Records the delivery (one INSERT no other worker can repeat), then answers it."""
        if not await self._seen.answer_it(TRANSPORT, item.message_id):
            return
        await self._handle(item)

    async def _handle(self, item: Incoming) -> None:
        key = self._keys.conversation_key(TRANSPORT, item.user)
        lang = self._langs.get(key, DEFAULT)
        try:
            allowed, warn = await self._limiter.check(key)
            if not allowed:
                if warn:
                    await self._send(item.reply_to, lang, (slow_down(),))
                return
            event, photo_refused = item.event, False
            if item.media_id and self._data_dir is not None:
                data, token = await self._photo(item.media_id)
                event, photo_refused = replace(event, choice=token), not token
                if data:
                    stored_lang, country = await self._runtime.profile(key)
                    event = await picture_text.read_into(
                        event, data, self._pictures, lang=stored_lang or lang,
                        country=country, person=key)
            started = campaign_start(event, self._runtime.engine.flows, detect_language)
            if started is not None:  # a poster's wa.me text: counted, then a plain /start
                if self._campaigns is not None:
                    await self._campaigns.count(started.campaign)
                event = started.event
            response = await self._runtime.handle(key, event)
            lang = self._remember(key, response.lang)
            notice = (refused(),) if photo_refused else ()
            await self._send(item.reply_to, lang, notice + response.replies)
            await self._runtime.delivered(key)  # Graph accepted it: a receipt has arrived
        except GraphError:
            pass  # logged by the client, by code only; nothing can reach the user now
        except Exception as exc:  # one message must never stop the webhook
            log.error("whatsapp.error error=%s at=%s", type(exc).__name__, where(exc))
            try:
                await self._send(item.reply_to, lang, (apology(),))
            except Exception as again:
                log.warning("whatsapp.apology_failed error=%s", type(again).__name__)

    async def _send(self, to: str, lang: str, replies: tuple[Reply, ...]) -> None:
        for reply in replies:
            for message in render(self._renderer, reply, lang):
                await self._client.send(to, message)

    def _remember(self, key: str, lang: str) -> str:
        self._langs[key] = lang
        self._langs.move_to_end(key)
        if len(self._langs) > REMEMBERED_LANGUAGES:
            self._langs.popitem(last=False)
        return lang

    async def _photo(self, media_id: str) -> tuple[bytes, str]:
        """Downloads a picture, strips its metadata and parks it: its bytes (to be read)
        and a token, or (b"", "") when it cannot be had (the user is told; the caption is
        still read)."""
        assert self._data_dir is not None
        try:
            data = await self._client.media(media_id, MAX_BYTES)
            return data, await receive_photo(self._data_dir, data)
        except (GraphError, PhotoRejected, OSError) as exc:
            log.warning("whatsapp.photo_rejected error=%s reason=%s", type(exc).__name__,
                        exc if isinstance(exc, PhotoRejected) else "-")
            return b"", ""

    async def drain(self, seconds: float = 30.0) -> None:
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=seconds)
