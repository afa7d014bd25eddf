"""Keeps aiogram's ``Response[...]`` answer models alive for the life of the bot.

aiogram reads every Bot API answer with ``Response[method.__returning__]`` (a pydantic
generic model, ``aiogram/client/session/base.py``). pydantic caches parametrised models in
a ``WeakValueDictionary`` only (``pydantic/_internal/_generics.py``), and nothing else holds
them, so the garbage collector frees ``Response[Message]`` between two calls and the next
``sendMessage`` builds the class again (about 0.2 ms each, 22.6% of the bot's CPU at 300
updates/s in the profile of issue #18). One strong reference per method type ends that.
"""

from __future__ import annotations

from typing import Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.methods.base import Response


class HeldResponseTypes(BaseRequestMiddleware):
    """Builds ``Response[T]`` once per method type, on its first call, and holds it."""

    def __init__(self) -> None:
        self._held: dict[type, type] = {}

    def __len__(self) -> int:
        return len(self._held)

    async def __call__(self, make_request: Any, bot: Any, method: Any) -> Any:
        kind = type(method)
        if kind not in self._held:
            self._held[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)


__all__ = ["HeldResponseTypes"]
