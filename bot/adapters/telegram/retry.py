"""Telegram's flood control and passing network failures, handled for every API call."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter

log = logging.getLogger(__name__)


class RetryMiddleware(BaseRequestMiddleware):
    """Waits as long as Telegram says on 429 (``retry_after``), and retries network errors
    with exponential backoff; gives up after ``attempts`` tries."""

    def __init__(self, attempts: int = 4, base_delay: float = 1.0, max_delay: float = 60.0,
                 sleep: Callable[[float], Any] = asyncio.sleep) -> None:
        self._attempts = attempts
        self._base = base_delay
        self._max = max_delay
        self._sleep = sleep
        self._network_attempts: int | None = None

    @contextlib.contextmanager
    def network_errors_raised(self) -> Iterator[None]:
        """Network errors are raised at the first try: at start the caller retries with
        its own, longer backoff (and one line per try)."""
        self._network_attempts = 1
        try:
            yield
        finally:
            self._network_attempts = None

    async def __call__(self, make_request: Any, bot: Any, method: Any) -> Any:
        for attempt in range(1, self._attempts + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if attempt == self._attempts:
                    raise
                log.warning("telegram.flood_control method=%s wait=%ss",
                            type(method).__name__, exc.retry_after)
                await self._sleep(min(float(exc.retry_after), self._max))
            except TelegramNetworkError:
                if attempt >= (self._network_attempts or self._attempts):
                    raise
                delay = min(self._base * 2 ** (attempt - 1), self._max)
                log.warning("telegram.network_error method=%s retry_in=%.1fs",
                            type(method).__name__, delay)
                await self._sleep(delay)
        raise AssertionError("unreachable")
