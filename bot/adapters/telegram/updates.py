"""Updates as they arrive, before any handler: unreadable ones skipped without a trace of
their content, redeliveries dropped.

aiogram reports an update that fails validation with pydantic's message, which quotes the
input (``input_value={'id': 5550001, …}``): the user's id and text would reach the ERROR
log. In polling mode the whole getUpdates answer fails with it and polling retries the same
answer forever. Here each update is read on its own; what cannot be read is logged by the
error's type and place only, and skipped.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import AiogramError, ClientDecodeError
from aiogram.methods import GetUpdates
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError
from pydantic import ValidationError

from bot.limits import SeenDeliveries

log = logging.getLogger(__name__)
TRANSPORT = "telegram"
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_\[\], -]{0,60}$")  # field and model names


class UnreadableAnswer(AiogramError):
    """The Bot API's answer could not be read; the message holds no content of it."""

    def __init__(self, method: str) -> None:
        super().__init__(f"unreadable answer to {method}")


def where_invalid(exc: ValidationError) -> str:
    """The failing fields ("message.from.id:int_parsing"), never the input."""
    places = []
    for error in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = ".".join(str(part) if isinstance(part, int) or _FIELD.match(str(part)) else "?"
                       for part in error["loc"])
        places.append(f"{loc or '-'}:{error['type']}")
    more = f"+{len(places) - 5}" if len(places) > 5 else ""
    return ",".join(places[:5]) + more


def read_update(raw: Any, bot: Any) -> Update | None:
    """An update, or None when it cannot be read (logged without content)."""
    try:
        return Update.model_validate(raw, context={"bot": bot})
    except ValidationError as exc:
        log.warning("telegram.update_unreadable at=%s", where_invalid(exc))
        return None


class ReadableUpdates(BaseRequestMiddleware):
    """getUpdates answers read update by update; unreadable ones are skipped for good."""

    def __init__(self) -> None:
        self._skip_to = 0  # the offset past the last unreadable update

    async def __call__(self, make_request: Any, bot: Any, method: Any) -> Any:
        if not isinstance(method, GetUpdates):
            return await make_request(bot, method)
        if (method.offset or 0) < self._skip_to:
            method.offset = self._skip_to  # aiogram only moves past updates it yielded
        try:
            return await make_request(bot, method)
        except ClientDecodeError as exc:
            return self._salvage(exc.data, bot)

    def _salvage(self, data: Any, bot: Any) -> list[Update]:
        items = data.get("result") if isinstance(data, dict) and data.get("ok") is True else None
        if not isinstance(items, list):
            raise UnreadableAnswer("getUpdates") from None
        updates = []
        for item in items:
            update = read_update(item, bot)
            if update is not None:
                updates.append(update)
                continue
            update_id = item.get("update_id") if isinstance(item, dict) else None
            if isinstance(update_id, int) and not isinstance(update_id, bool):
                self._skip_to = max(self._skip_to, update_id + 1)
        return updates


class ReplayGuard(BaseMiddleware):
    """Drops an update whose id was already taken (a redelivery, also after a restart) and
    one of a type this bot does not know (aiogram would warn with the whole update)."""

    def __init__(self, seen: SeenDeliveries) -> None:
        self._seen = seen

    async def __call__(self, handler: Callable[[TelegramObject, dict[str, Any]],
                                               Awaitable[Any]],
                       event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        try:
            _ = event.event_type
        except UpdateTypeLookupError:
            log.warning("telegram.update_of_unknown_type")
            return None
        if not await self._seen.answer_it(TRANSPORT, str(event.update_id)):
            return None
        return await handler(event, data)
