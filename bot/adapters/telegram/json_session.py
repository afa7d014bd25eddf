"""aiogram's aiohttp session, sending JSON bodies instead of forms.

aiogram posts every Bot API call as a form (``AiohttpSession.build_form_data``): each field
is prepared, the keyboard dumped to JSON, and the whole form URL-encoded by aiohttp, which
for a checked offer's reply of 1–2 kB was about a tenth of the bot's CPU in the profile of
issue #18. The Bot API takes ``application/json`` bodies as well ("All queries … support
… application/json", core.telegram.org/bots/api#making-requests), so a call without a file
is sent as one JSON document; a call that uploads a file (a digest's CSV, a chart) still
goes as multipart form data, as before.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods.base import TelegramType
from aiohttp import ClientError

if TYPE_CHECKING:
    from aiogram.client.bot import Bot
    from aiogram.methods import TelegramMethod

_JSON = {"Content-Type": "application/json"}


def _compact_json(value: Any) -> str:
    # UTF-8 as it is, no spaces: a Russian reply's body is 1.7 kB instead of 4.1 (\uXXXX).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class JsonBodySession(AiohttpSession):
    """Measured by bench/bench_request_bodies.py on a checked offer's 683-character Russian
    reply with three buttons: aiogram's form 353 µs and 4.1 kB, this body 112 µs and 1.6 kB."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("json_dumps", _compact_json)
        super().__init__(**kwargs)

    def json_body(self, bot: Bot, method: TelegramMethod[TelegramType]) -> str | None:
        """The call as a JSON document, or None when it uploads a file."""
        files: dict[str, Any] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is None or prepared == "" or prepared == [] or prepared == {}:
                continue  # (the form leaves these out too)
            body[key] = prepared
        if files:
            return None
        return self.json_dumps(body)

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None) -> TelegramType:  # noqa: ASYNC109
        # (aiogram's signature: the timeout is aiohttp's, per call)
        body = self.json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(url, data=body.encode(), headers=_JSON,
                                    timeout=self.timeout if timeout is None else timeout
                                    ) as resp:
                raw_result = await resp.text()
        except TimeoutError as e:
            raise TelegramNetworkError(method=method, message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=method, message=f"{type(e).__name__}: {e}") from e
        response = self.check_response(bot=bot, method=method, status_code=resp.status,
                                       content=raw_result)
        return cast(TelegramType, response.result)


__all__ = ["JsonBodySession"]
