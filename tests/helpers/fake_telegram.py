"""A local stand-in for the Telegram Bot API on 127.0.0.1: records every call the real
aiogram client makes, serves queued updates to getUpdates, and answers the methods the bot
uses with results of the documented shapes."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.helpers.local_server import serve_local

BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "Safe Work",
            "username": "safework_test_bot"}
PHOTO_BYTES = b""  # set by tests that send photos


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeBotApi:
    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    flood_once: set[str] = field(default_factory=set)  # methods that get one 429 first
    base_url: str = ""
    polls: int = 0  # getUpdates calls (not recorded as calls: there are many)
    json_bodies: int = 0  # calls sent as application/json (the rest as forms)
    polling: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _update_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    def push(self, update: dict[str, Any]) -> None:
        update = {"update_id": next(self._update_ids), **update}
        self.updates.append(update)
        self._arrived.set()

    def sent(self, method: str = "sendMessage") -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, count: int, method: str = "sendMessage",
                       seconds: float = 10.0) -> list[Call]:
        deadline = time.monotonic() + seconds
        while len(self.sent(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(self.sent(method))} {method} calls, "
                                     f"wanted {count}")
            await asyncio.sleep(0.01)
        return self.sent(method)

    # -- the server ---------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = {}
        if request.content_type == "application/json":  # a call with no file in it
            params = await request.json()
            self.json_bodies += 1
        form = await request.post() if not params else {}
        for key, value in form.items():
            if isinstance(value, str):
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    params[key] = value
            else:  # an uploaded file (sendDocument, sendPhoto)
                params[key] = {"filename": value.filename, "content": value.file.read()}
        for key, value in list(params.items()):  # aiogram refers to files as attach://name
            if isinstance(value, str) and value.startswith("attach://"):
                params[key] = params.pop(value[len("attach://"):], {})
        if method == "getUpdates":
            self.polls += 1
            self.polling.set()
        else:
            self.calls.append(Call(method, params))
        if method in self.flood_once:
            self.flood_once.discard(method)
            return web.json_response({"ok": False, "error_code": 429,
                                      "description": "Too Many Requests: retry after 1",
                                      "parameters": {"retry_after": 1}},
                                     status=429)  # as the Bot API answers it
        result = await self.result(method, params)
        return web.json_response({"ok": True, "result": result})

    async def result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            timeout = min(float(params.get("timeout") or 0), 0.5)
            deadline = time.monotonic() + timeout
            while True:
                ready = [u for u in self.updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    return ready
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
                except TimeoutError:
                    return []
        if method == "sendMessage":
            return {"message_id": next(self._ids), "date": int(time.time()),
                    "chat": {"id": params["chat_id"], "type": "private"},
                    "text": params.get("text", "")}
        if method == "sendDocument":
            upload = params.get("document") or {}
            return {"message_id": next(self._ids), "date": int(time.time()),
                    "chat": {"id": params["chat_id"], "type": "private"},
                    "document": {"file_id": "doc", "file_unique_id": "doc",
                                 "file_name": upload.get("filename", "file")}}
        if method == "sendPhoto":
            return {"message_id": next(self._ids), "date": int(time.time()),
                    "chat": {"id": params["chat_id"], "type": "private"},
                    "photo": [{"file_id": "photo", "file_unique_id": "photo",
                               "width": 720, "height": 400}],
                    **({"caption": params["caption"]} if params.get("caption") else {})}
        if method == "getFile":
            return {"file_id": params["file_id"], "file_unique_id": "u" + params["file_id"],
                    "file_size": len(self.files.get(params["file_id"], b"")),
                    "file_path": f"photos/{params['file_id']}.jpg"}
        return True

    async def file(self, request: web.Request) -> web.Response:
        name = request.match_info["path"].split("/")[-1].removesuffix(".jpg")
        return web.Response(body=self.files.get(name, b""))


@asynccontextmanager
async def fake_bot_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api.handle)
    app.router.add_get("/file/bot{token}/{path:.*}", api.file)
    async with serve_local(app) as base_url:
        api.base_url = base_url
        yield api


# -- updates of the documented shapes ---------------------------------------------------------

def user(user_id: int, language: str = "id") -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Siti", "username": f"user{user_id}",
            "language_code": language}


def private_text(user_id: int, text: str, language: str = "id",
                 **extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": int(time.time() * 1000) % 10**9, "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": "Siti"},
        "from": user(user_id, language), "text": text, **extra}
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"message": message}


def group_text(chat_id: int, user_id: int, text: str, language: str = "id") -> dict[str, Any]:
    update = private_text(user_id, text, language)
    update["message"]["chat"] = {"id": chat_id, "type": "supergroup", "title": "Warga Desa"}
    return update


def callback(user_id: int, data: str, language: str = "id") -> dict[str, Any]:
    return {"callback_query": {
        "id": str(int(time.time() * 1e6)), "from": user(user_id, language),
        "chat_instance": "1", "data": data,
        "message": {"message_id": 1, "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private"}, "text": "menu"}}}
