"""A delivery's messages as the core's ``Inbound`` events; status updates are skipped.

Parsing never raises on a strange payload: what cannot be read is left out and logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flows.types import Inbound, Kind

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Incoming:
    user: str  # wa_id, else the business-scoped user id; hashed before it is kept
    reply_to: str  # where to send the answer (the same id; in memory only)
    message_id: str
    event: Inbound
    media_id: str = ""  # a photo to fetch from the Graph API (it may join a report)


def parse_delivery(body: Any) -> list[Incoming]:
    found: list[Incoming] = []
    if not isinstance(body, dict):
        return found
    for entry in _list(body.get("entry")):
        for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            contacts = {c.get("wa_id"): c for c in _list(value.get("contacts"))
                        if isinstance(c, dict)}
            for message in _list(value.get("messages")):
                item = _message(message, contacts)
                if item is not None:
                    found.append(item)
    return found


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _message(message: Any, contacts: dict[Any, Any]) -> Incoming | None:
    if not isinstance(message, dict) or not message.get("id"):
        return None
    wa_id = message.get("from")
    contact = contacts.get(wa_id) or (next(iter(contacts.values())) if len(contacts) == 1
                                      else {})
    bsuid = message.get("from_user_id") or contact.get("user_id")
    user = wa_id or bsuid
    if not user:
        log.warning("whatsapp.message_without_sender")
        return None
    image = message.get("image") if message.get("type") == "image" else None
    media_id = str(image.get("id") or "") if isinstance(image, dict) else ""
    return Incoming(user=str(user), reply_to=str(user), message_id=str(message["id"]),
                    event=to_inbound(message), media_id=media_id)


def to_inbound(message: dict[str, Any]) -> Inbound:
    kind = message.get("type")
    context = message.get("context") if isinstance(message.get("context"), dict) else {}
    forwarded = bool(context.get("forwarded") or context.get("frequently_forwarded"))
    if kind == "text":
        text = str((message.get("text") or {}).get("body", ""))
        if forwarded:
            return Inbound(kind=Kind.FORWARD, text=text, forward_origin="forwarded")
        if text.startswith("/"):
            head, _, rest = text[1:].partition(" ")
            if head and head.replace("_", "").isalnum():
                return Inbound(kind=Kind.COMMAND, command=head.lower(), args=rest.strip())
        return Inbound(kind=Kind.TEXT, text=text)
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        if reply.get("id"):
            return Inbound(kind=Kind.CHOICE, choice=str(reply["id"]))
        return Inbound(kind=Kind.UNSUPPORTED)
    if kind == "button":  # a template's quick-reply button
        return Inbound(kind=Kind.CHOICE, choice=str((message.get("button") or {}).get(
            "payload", "")))
    if kind == "location":
        place = message.get("location") or {}
        try:
            return Inbound(kind=Kind.LOCATION, latitude=float(place["latitude"]),
                           longitude=float(place["longitude"]))
        except (KeyError, TypeError, ValueError):
            return Inbound(kind=Kind.UNSUPPORTED)
    if kind in ("image", "document", "video"):
        caption = str((message.get(kind) or {}).get("caption", "") or "")
        if caption and forwarded:
            return Inbound(kind=Kind.FORWARD, text=caption, forward_origin="forwarded")
        return Inbound(kind=Kind.MEDIA, text=caption)
    return Inbound(kind=Kind.MEDIA)  # audio, voice, sticker, reaction, unsupported
