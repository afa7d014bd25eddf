"""A local stand-in for the WhatsApp Cloud API's Graph endpoint on 127.0.0.1, and signed
webhook deliveries of the documented shapes (Meta's webhook reference)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from tests.helpers.local_server import serve_local

PHONE_ID = "1122334455667"


@dataclass
class FakeGraph:
    sent: list[dict[str, Any]] = field(default_factory=list)
    fail_next: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    base_url: str = ""
    media: dict[str, bytes] = field(default_factory=dict)  # photos users "sent"
    downloads: int = 0
    # GET /{phone-number-id}?fields=display_phone_number answers this; None: an error
    display_phone_number: str | None = "+62 811-0000-0000"
    number_lookups: int = 0
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def handle(self, request: web.Request) -> web.Response:
        assert request.headers.get("Authorization", "").startswith("Bearer ")
        if self.fail_next:
            status, body = self.fail_next.pop(0)
            return web.json_response(body, status=status)
        body = await request.json()
        self.sent.append(body)
        return web.json_response({"messaging_product": "whatsapp",
                                  "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                                  "messages": [{"id": f"wamid.out{next(self._ids)}"}]})

    async def media_info(self, request: web.Request) -> web.Response:
        """GET /{media-id}: the documented metadata with a short-lived download URL."""
        assert request.headers.get("Authorization", "").startswith("Bearer ")
        media_id = request.match_info["media_id"]
        if media_id not in self.media:
            return web.json_response({"error": {"message": "Unsupported get request",
                                                "code": 100}}, status=400)
        data = self.media[media_id]
        root = self.base_url.rsplit("/", 1)[0]
        return web.json_response({"messaging_product": "whatsapp",
                                  "url": f"{root}/media-files/{media_id}",
                                  "mime_type": "image/jpeg",
                                  "sha256": hashlib.sha256(data).hexdigest(),
                                  "file_size": len(data), "id": media_id})

    async def media_file(self, request: web.Request) -> web.Response:
        if not request.headers.get("Authorization", "").startswith("Bearer "):
            return web.Response(status=401)  # Meta's download URL needs the token too
        self.downloads += 1
        return web.Response(body=self.media[request.match_info["media_id"]],
                            content_type="image/jpeg")

    async def phone_number(self, request: web.Request) -> web.Response:
        """GET /{phone-number-id}: the fields asked for, as the Graph API gives them."""
        assert request.headers.get("Authorization", "").startswith("Bearer ")
        self.number_lookups += 1
        if self.display_phone_number is None:
            return web.json_response({"error": {"message": "Unsupported get request",
                                                "code": 100}}, status=400)
        fields = request.query.get("fields", "").split(",")
        body: dict[str, Any] = {"id": PHONE_ID}
        if "display_phone_number" in fields:
            body["display_phone_number"] = self.display_phone_number
        return web.json_response(body)

    def to(self, user: str) -> list[dict[str, Any]]:
        return [m for m in self.sent if m["to"] == user]


@asynccontextmanager
async def fake_graph() -> AsyncIterator[FakeGraph]:
    graph = FakeGraph()
    app = web.Application()
    app.router.add_post(f"/v21.0/{PHONE_ID}/messages", graph.handle)
    app.router.add_get(f"/v21.0/{PHONE_ID}", graph.phone_number)  # before any media id
    app.router.add_get("/v21.0/{media_id}", graph.media_info)
    app.router.add_get("/media-files/{media_id}", graph.media_file)
    async with serve_local(app) as base_url:
        graph.base_url = f"{base_url}/v21.0"
        yield graph


_mids = itertools.count(1)


def delivery(*messages: dict[str, Any], wa_id: str | None = "6281200001111",
             user_id: str = "US.13491208655302741918", name: str = "Siti Aminah",
             statuses: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    contact: dict[str, Any] = {"profile": {"name": name}, "user_id": user_id}
    if wa_id:
        contact["wa_id"] = wa_id
    value: dict[str, Any] = {"messaging_product": "whatsapp",
                             "metadata": {"display_phone_number": "6281100000000",
                                          "phone_number_id": PHONE_ID},
                             "contacts": [contact]}
    if messages:
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = statuses
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "1234567890987654321",
                       "changes": [{"value": value, "field": "messages"}]}]}


def message(kind: str, content: dict[str, Any], wa_id: str | None = "6281200001111",
            mid: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": mid or f"wamid.in{next(_mids)}",
                            "timestamp": str(int(time.time())), "type": kind, kind: content,
                            **extra}
    if wa_id:
        body["from"] = wa_id
    return body


def text(body: str, **kw: Any) -> dict[str, Any]:
    return message("text", {"body": body}, **kw)


def button_reply(reply_id: str, title: str = "x", **kw: Any) -> dict[str, Any]:
    return message("interactive", {"type": "button_reply",
                                   "button_reply": {"id": reply_id, "title": title}}, **kw)


def list_reply(reply_id: str, title: str = "x", **kw: Any) -> dict[str, Any]:
    return message("interactive", {"type": "list_reply",
                                   "list_reply": {"id": reply_id, "title": title}}, **kw)


def sign(raw: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def encode(body: dict[str, Any]) -> bytes:
    return json.dumps(body).encode()


def texts(messages: list[dict[str, Any]]) -> str:
    """What the messages sent to the stand-in say, text and interactive bodies alike."""
    out = []
    for m in messages:
        if m["type"] == "text":
            out.append(m["text"]["body"])
        else:
            out.append(m["interactive"]["body"]["text"])
    return "\n".join(out)


async def wait_for_webhook(http: aiohttp.ClientSession, url: str) -> None:
    """Until the WhatsApp webhook answers (403 to a GET without the verify token)."""
    for _ in range(200):
        try:
            async with http.get(url) as response:
                if response.status == 403:
                    return
        except aiohttp.ClientError:
            await asyncio.sleep(0.02)
