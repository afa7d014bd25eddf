"""Per-user rate limiting by the pseudonymous key (a sliding window in memory)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    def __init__(self, per_minute: int = 30,
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
