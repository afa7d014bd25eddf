"""What the outside may make the bot do, shared by both transports.

- ``RateLimiter``: messages per user and minute, by the pseudonymous key (in memory;
  ``SharedRateLimiter`` counts in the database when several workers share PostgreSQL).
- ``SeenDeliveries``: a bounded record of delivery ids already handled, in the database,
  so a redelivery (Telegram's ``update_id``, WhatsApp's message id) is acknowledged but not
  answered twice, also after a restart.
- ``secret_matches`` and ``read_json``: comparing what a caller sent with a secret, and
  reading a webhook body, without ever raising on what a stranger can put in a request.
- ``ServerLimits`` and ``start_server``: the webhook servers' read timeouts, connection
  cap and neutral ``Server`` header (both transports serve with aiohttp).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import hdrs, web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.web_protocol import RequestHandler
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.errors import StartupError
from bot.runtime import where
from bot.storage.database import autocommit, dialect_insert, is_shared, writing
from bot.storage.models import rate_limits, seen_deliveries
from flows.types import Reply, msg, text_reply

MESSAGES_PER_MINUTE = 30


def _utc_now() -> datetime:
    return datetime.now(UTC)


def slow_down() -> Reply:
    """The polite answer to the first message over the limit."""
    return text_reply(msg("You are sending messages very fast. Please wait a minute."))


class RateLimiter:
    """Per-user rate limiting by the pseudonymous key (a sliding window in memory)."""

    def __init__(self, per_minute: int = MESSAGES_PER_MINUTE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._warned: set[str] = set()

    def allow(self, key: str) -> tuple[bool, bool]:
        """(allowed, warn): the first refusal in a window asks for a pause, later ones drop."""
        now = self._clock()
        window = self._seen.setdefault(key, deque())
        while window and now - window[0] > 60.0:
            window.popleft()
        if len(window) < self._limit:
            window.append(now)
            self._warned.discard(key)
            if len(self._seen) > 100_000:  # forget idle users
                self._seen = {k: v for k, v in self._seen.items() if v}
            return True, False
        warn = key not in self._warned
        self._warned.add(key)
        return False, warn

    async def check(self, key: str) -> tuple[bool, bool]:
        """``allow`` as the adapters call it: the shared limiter asks the database."""
        return self.allow(key)


class SharedRateLimiter(RateLimiter):
    """The same limit counted in the database, for several workers behind one bot: a user
    whose messages alternate between workers meets one limit, not one per worker.

    A counter per user and minute (a fixed window: one upsert that returns the count,
    where the in-memory limiter keeps a sliding window of times). The row holds an HMAC of
    the conversation key with a salt of its own, so it cannot be joined to conversations
    or tips; a minute's rows are deleted once it is over.
    """

    ACTION = "message"

    def __init__(self, db: AsyncEngine, salt: bytes, per_minute: int = MESSAGES_PER_MINUTE,
                 clock: Callable[[], datetime] = _utc_now, trim_every: int = 500) -> None:
        super().__init__(per_minute)
        self._db = db
        self._salt = salt
        self._wall = clock
        self._trim_every = trim_every
        self._until_trim = 0

    async def check(self, key: str) -> tuple[bool, bool]:
        window = self._wall().strftime("%Y-%m-%dT%H:%M")
        counter = hmac.new(self._salt, key.encode(), hashlib.sha256).hexdigest()
        stmt = dialect_insert(self._db)(rate_limits).values(
            key=counter, action=self.ACTION, window=window, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[rate_limits.c.key, rate_limits.c.action, rate_limits.c.window],
            set_={"count": rate_limits.c.count + 1}).returning(rate_limits.c.count)
        async with autocommit(self._db) as conn:
            count = (await conn.execute(stmt)).scalar_one()
            self._until_trim -= 1
            if self._until_trim <= 0:
                self._until_trim = self._trim_every
                # Only this limiter's rows: the tip counters share the table (hourly).
                await conn.execute(delete(rate_limits).where(
                    rate_limits.c.action == self.ACTION, rate_limits.c.window < window))
        if count <= self._limit:
            return True, False
        return False, count == self._limit + 1  # the first refusal asks for a pause


def message_limiter(db: AsyncEngine, salt: bytes,
                    clock: Callable[[], datetime] | None = None) -> RateLimiter:
    """The per-user message limit: in memory for one process (SQLite), in the database
    when several workers may share it (PostgreSQL)."""
    if is_shared(db):
        return SharedRateLimiter(db, salt, clock=clock or _utc_now)
    return RateLimiter()


_seen_log = logging.getLogger("bot.deliveries")


class SeenDeliveries:
    """Delivery ids already taken, kept ``keep`` long and at most ``max_rows`` of them.

    Only an HMAC of the id is stored: a WhatsApp message id (``wamid.HBgL…``) is base64
    that embeds the sender's phone number. Times are kept to the minute, which is all the
    trimming needs. Taking an id is one INSERT that a second attempt cannot repeat, so two
    processes behind one bot never both answer a delivery.
    """

    def __init__(self, db: AsyncEngine, salt: bytes, *, keep: timedelta = timedelta(hours=24),
                 max_rows: int = 500_000, clock: Callable[[], datetime] = _utc_now,
                 trim_every: int = 500) -> None:
        self._db = db
        self._salt = salt
        self._keep = keep
        self._max_rows = max_rows
        self._clock = clock
        self._trim_every = trim_every
        self._until_trim = 0  # the first delivery after a start trims what the last run left
        self._insert = dialect_insert(db)
        # Group commit where one process writes (SQLite); PostgreSQL takes each id alone.
        self._group = not is_shared(db)
        self._waiting: list[tuple[str, str, asyncio.Future[bool]]] = []
        self._taker: asyncio.Task[None] | None = None

    def digest(self, transport: str, delivery_id: str) -> str:
        return hmac.new(self._salt, f"{transport}\x00{delivery_id}".encode(),
                        hashlib.sha256).hexdigest()

    async def first(self, transport: str, delivery_id: str) -> bool:
        """True the first time a delivery id is seen (it is recorded), False after."""
        digest = self.digest(transport, delivery_id)
        if not self._group:
            return await self._take_one(transport, digest)
        done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((transport, digest, done))
        if self._taker is None or self._taker.done():
            self._taker = asyncio.create_task(self._take_waiting())
        return await done

    async def answer_it(self, transport: str, delivery_id: str) -> bool:
        """Whether to answer a delivery: not when it was taken before (logged as dropped);
        yes when the record cannot be written, since answering twice is better than never
        (every transport's policy)."""
        try:
            first = await self.first(transport, delivery_id)
        except Exception as exc:  # the database
            _seen_log.error("%s.replay_check_failed error=%s", transport, type(exc).__name__)
            return True
        if not first:
            _seen_log.info("%s.redelivery_dropped", transport)
        return first

    async def _take_one(self, transport: str, digest: str) -> bool:
        """One INSERT that commits by itself (PostgreSQL: workers take ids concurrently)."""
        now = self._clock().replace(second=0, microsecond=0)
        stmt = self._insert(seen_deliveries).values(
            transport=transport, delivery=digest, seen_at=now).on_conflict_do_nothing()
        async with autocommit(self._db) as conn:
            taken = (await conn.execute(stmt)).rowcount == 1
            await self._trim(conn, now, 1)
        return taken

    async def _take_waiting(self) -> None:
        """SQLite: the ids that arrive together are taken in one transaction (one INSERT
        … RETURNING names the new ones), instead of a transaction, its lock and its hops
        to the driver's thread per delivery (issue #18: 15-18% of the CPU at steady load)."""
        while self._waiting:
            batch, self._waiting = self._waiting[:500], self._waiting[500:]
            now = self._clock().replace(second=0, microsecond=0)
            wanted = list(dict.fromkeys((t, d) for t, d, _ in batch))
            stmt = self._insert(seen_deliveries).values(
                [{"transport": t, "delivery": d, "seen_at": now} for t, d in wanted]
            ).on_conflict_do_nothing().returning(seen_deliveries.c.transport,
                                                 seen_deliveries.c.delivery)
            try:
                async with writing(self._db) as conn:
                    new = {(row.transport, row.delivery)
                           for row in (await conn.execute(stmt)).all()}
                    await self._trim(conn, now, len(batch))
            except Exception as exc:  # each caller answers as after its own failure
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for transport, digest, done in batch:
                if not done.done():  # a repeat within the batch: only its first takes it
                    done.set_result((transport, digest) in new)
                new.discard((transport, digest))

    async def _trim(self, conn: AsyncConnection, now: datetime, taken: int) -> None:
        self._until_trim -= taken
        if self._until_trim > 0:
            return
        self._until_trim = self._trim_every
        await conn.execute(delete(seen_deliveries).where(
            seen_deliveries.c.seen_at < now - self._keep))
        # Strictly older than the max_rows-th newest: a burst within one minute is never
        # cut in half.
        oldest_kept = (select(seen_deliveries.c.seen_at)
                       .order_by(seen_deliveries.c.seen_at.desc())
                       .offset(self._max_rows - 1).limit(1).scalar_subquery())
        await conn.execute(delete(seen_deliveries).where(
            seen_deliveries.c.seen_at < oldest_kept))


def secret_matches(given: str | None, expected: str) -> bool:
    """Constant-time comparison of what a request carried with a secret.

    ``hmac.compare_digest`` raises on a str with non-ASCII characters, so both sides are
    compared as UTF-8 bytes ("surrogatepass": a header aiohttp decoded with
    surrogateescape encodes too). An empty secret never matches.
    """
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode())


class UnreadableBody(ValueError):
    """A webhook body that is not JSON, or nested deeper than the parser goes."""


def read_json(raw: bytes) -> Any:
    """The parsed body; raises ``UnreadableBody`` (answered 400, logged without content)."""
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:  # RecursionError: [[[[… 100,000 deep
        raise UnreadableBody(type(exc).__name__) from None


# -- the webhook servers ----------------------------------------------------------------------

SERVER_NAME = "safe-work"  # not aiohttp's "Python/3.11 aiohttp/3.x": versions help attackers
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nServer: " + SERVER_NAME.encode() +
         b"\r\nRetry-After: 5\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
_http_log = logging.getLogger("bot.http")


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """How long and how many: Meta and Telegram send small bodies at once, so a client that
    dawdles is not one of them."""

    header_timeout: float = 10.0  # from connecting to the end of the headers, and idle time
    body_timeout: float = 10.0  # reading a request's body
    max_connections: int = 256  # more are answered 503 at once (both senders retry)
    backlog: int = 128
    max_line_size: int = 4096
    max_field_size: int = 8190
    max_headers: int = 64
    lingering: float = 1.0  # reading what is left of a refused body before closing


class _NoTracebacks(logging.LoggerAdapter):  # type: ignore[type-arg]
    """aiohttp's own debug lines, without the traceback (a request may be in it)."""

    def process(self, message: Any, kwargs: Any) -> tuple[Any, Any]:
        kwargs.pop("exc_info", None)
        return message, kwargs


class _Protocol(RequestHandler):
    """aiohttp's HTTP protocol with a neutral Server header and one-line error logs."""

    async def finish_response(self, request: BaseRequest, resp: StreamResponse,
                              start_time: float | None) -> tuple[StreamResponse, bool]:
        # Every response passes here before its headers are written, the 400 for a
        # request aiohttp cannot parse included.
        if isinstance(resp, StreamResponse) and not resp.prepared:
            resp.headers[hdrs.SERVER] = SERVER_NAME
        return await super().finish_response(request, resp, start_time)

    def log_exception(self, *args: Any, **kw: Any) -> None:
        exc = kw.get("exc_info")
        if isinstance(exc, HttpProcessingError):  # a malformed request: the client's doing
            _http_log.warning("http.bad_request error=%s", type(exc).__name__)
        elif isinstance(exc, BaseException):
            _http_log.error("http.error error=%s at=%s", type(exc).__name__, where(exc))
        else:
            _http_log.error("http.error")


class _Busy(asyncio.Protocol):
    """A connection over the cap: 503 at once, then closed once its request was read (so
    the kernel sends FIN rather than a reset that could swallow the answer)."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        transport.write(_BUSY)
        asyncio.get_running_loop().call_later(1.0, transport.close)

    def data_received(self, data: bytes) -> None:
        self._transport.close()


class _LimitedSite(web.BaseSite):
    """A TCP site whose connections get our protocol, up to ``max_connections``."""

    __slots__ = ("_host", "_limits", "_port")

    def __init__(self, runner: web.BaseRunner, host: str, port: int,
                 limits: ServerLimits) -> None:
        super().__init__(runner, backlog=limits.backlog)
        self._host, self._port, self._limits = host, port, limits

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None
        loop = asyncio.get_running_loop()
        limits = self._limits

        def protocol() -> asyncio.Protocol:
            if len(server.connections) >= limits.max_connections:
                return _Busy()
            # aiohttp's keep-alive timer starts when the connection is made and closes it
            # if no whole request has arrived by then: that is the header timeout.
            return _Protocol(server, loop=loop, keepalive_timeout=limits.header_timeout,
                             logger=_NoTracebacks(_http_log, {}),  # type: ignore[arg-type]
                             access_log=None, max_line_size=limits.max_line_size,
                             max_field_size=limits.max_field_size,
                             max_headers=limits.max_headers, lingering_time=limits.lingering,
                             # Neither sender compresses; a gzip bomb is not inflated.
                             auto_decompress=False)

        self._server = await loop.create_server(protocol, self._host, self._port,
                                                backlog=limits.backlog, reuse_address=True)


def _body_deadline(seconds: float) -> Any:
    @web.middleware
    async def deadline(request: web.Request, handler: Any) -> web.StreamResponse:
        if request.body_exists:
            try:
                async with asyncio.timeout(seconds):
                    await request.read()  # kept by aiohttp: the handler reads it again
            except TimeoutError:
                _http_log.warning("http.body_timeout")
                refused = web.HTTPRequestTimeout()
                refused.force_close()
                raise refused from None
        return await handler(request)

    return deadline


async def start_server(app: web.Application, host: str, port: int,
                       limits: ServerLimits | None = None) -> web.AppRunner:
    """Serves ``app`` on host:port within ``limits``; ``runner.cleanup()`` stops it."""
    limits = limits or ServerLimits()
    app.middlewares.append(_body_deadline(limits.body_timeout))
    # handler_cancellation: a handler whose caller hung up stops, instead of working on.
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    try:
        await _LimitedSite(runner, host, port, limits).start()
    except OSError as exc:
        await runner.cleanup()
        raise StartupError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); set "
                           "WEB_HOST and WEB_PORT to a free address.") from exc
    return runner
