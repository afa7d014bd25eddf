"""python-telegram-bot's Bot with the guards of the aiogram runtime (bot/adapters/telegram/
retry.py and updates.py): flood control and network retries for every call, getUpdates
answers read update by update, redeliveries dropped.

PTB lets a ``BaseRateLimiter`` wrap every API call except getUpdates
(``telegram/ext/_extbot.py``), which is the place for the retries; getUpdates is read in a
subclass of ``ExtBot``.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import ApplicationHandlerStop, BaseRateLimiter, ContextTypes, ExtBot

from bot.limits import SeenDeliveries

log = logging.getLogger(__name__)
TRANSPORT = "telegram"  # the same conversation keys and delivery records as with aiogram


class RetryingCalls(BaseRateLimiter[None]):
    """Waits as long as Telegram says on 429 (``retry_after``), and retries network errors
    with exponential backoff; gives up after ``attempts`` tries."""

    def __init__(self, attempts: int = 4, base_delay: float = 1.0, max_delay: float = 60.0,
                 sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep) -> None:
        self._attempts = attempts
        self._base = base_delay
        self._max = max_delay
        self._sleep = sleep
        self.network_attempts: int | None = None  # 1 at start: the caller retries itself

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(self, callback: Callable[..., Coroutine[Any, Any, Any]],
                              args: Any, kwargs: dict[str, Any], endpoint: str,
                              data: dict[str, Any], rate_limit_args: None) -> Any:
        for attempt in range(1, self._attempts + 1):
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                if attempt == self._attempts:
                    raise
                with warnings.catch_warnings():  # PTB 22 warns that it becomes a timedelta
                    warnings.simplefilter("ignore")
                    wait = _seconds(exc.retry_after)
                log.warning("telegram.flood_control method=%s wait=%ss", endpoint, wait)
                await self._sleep(min(wait, self._max))
            except (NetworkError, TimedOut) as exc:
                if type(exc).__name__ not in ("NetworkError", "TimedOut") or attempt >= (
                        self.network_attempts or self._attempts):
                    raise  # BadRequest, Forbidden… are NetworkError's subclasses too
                delay = min(self._base * 2 ** (attempt - 1), self._max)
                log.warning("telegram.network_error method=%s retry_in=%.1fs", endpoint,
                            delay)
                await self._sleep(delay)
        raise AssertionError("unreachable")


def _seconds(value: int | float | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


class ReadableBot(ExtBot[None]):
    """getUpdates answers read update by update: one PTB cannot read is logged by its place
    alone and skipped for good (PTB would fail the whole answer, and ask for it again)."""

    _skip_to = 0  # the offset past the last unreadable update

    async def _do_post(self, endpoint: str, data: dict[str, Any], **kwargs: Any) -> Any:
        if endpoint == "getUpdates" and (data.get("offset") or 0) < self._skip_to:
            data["offset"] = self._skip_to
        result = await super()._do_post(endpoint, data, **kwargs)
        if endpoint == "getUpdates" and isinstance(result, list):
            return [item for item in result if self._readable(item)]
        return result

    def _readable(self, item: Any) -> bool:
        if read_update(item, self) is not None:
            return True
        update_id = item.get("update_id") if isinstance(item, dict) else None
        if isinstance(update_id, int) and not isinstance(update_id, bool):
            self._skip_to = max(self._skip_to, update_id + 1)
        return False


def read_update(raw: Any, bot: Any) -> Update | None:
    """An update, or None when PTB cannot read it (logged without content)."""
    try:
        update = Update.de_json(raw, bot)
        _ = update.effective_message, update.effective_user  # reads the nested objects
        return update
    except Exception as exc:  # PTB raises KeyError, TypeError, ValueError… quoting nothing
        log.warning("telegram.update_unreadable error=%s", type(exc).__name__)
        return None


class ReplayGuard:
    """Drops an update whose id was already taken (a redelivery, also after a restart):
    a handler of group -1 that stops every later group."""

    def __init__(self, seen: SeenDeliveries) -> None:
        self._seen = seen

    async def __call__(self, update: object, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        if not await self._seen.answer_it(TRANSPORT, str(update.update_id)):
            raise ApplicationHandlerStop


__all__ = ["ReadableBot", "ReplayGuard", "RetryingCalls", "read_update"]
