"""A delivery's messages as the core's ``Inbound`` events; status updates are skipped.

Parsing never raises on a strange payload: every field is read with its type checked, and a
message that still cannot be read is left out and logged by error class alone, while the
other messages of the delivery go on. Meta redelivers a delivery answered with an error,
so one odd message must never cost the rest.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
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
    sent_at: datetime | None = None  # the message's own timestamp; None when unreadable


def parse_delivery(body: Any) -> list[Incoming]:
    found: list[Incoming] = []
    for entry in _list(_dict(body).get("entry")):
        for change in _list(_dict(entry).get("changes")):
            value = _dict(_dict(change).get("value"))
            contacts = [c for c in _list(value.get("contacts")) if isinstance(c, dict)]
            for message in _list(value.get("messages")):
                try:
                    item = _message(message, contacts)
                except Exception as exc:  # a shape nobody foresaw: this message only
                    log.warning("whatsapp.message_unreadable error=%s", type(exc).__name__)
                    continue
                if item is not None:
                    found.append(item)
    return found


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    """A string field; an id sent as a number is taken as its digits, anything else is ""."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return ""


def _timestamp(value: Any) -> datetime | None:
    text = _str(value)
    if not text.isdigit():
        return None
    try:
        return datetime.fromtimestamp(int(text), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _message(message: Any, contacts: list[dict[str, Any]]) -> Incoming | None:
    message = _dict(message)
    message_id = _str(message.get("id"))
    if not message_id:
        log.warning("whatsapp.message_without_id")
        return None
    wa_id = _str(message.get("from"))
    contact = next((c for c in contacts if wa_id and _str(c.get("wa_id")) == wa_id), None)
    if contact is None:
        contact = contacts[0] if len(contacts) == 1 else {}
    user = wa_id or _str(message.get("from_user_id")) or _str(contact.get("user_id"))
    if not user:
        log.warning("whatsapp.message_without_sender")
        return None
    return Incoming(user=user, reply_to=user, message_id=message_id,
                    event=to_inbound(message), media_id=_picture_id(message),
                    sent_at=_timestamp(message.get("timestamp")))


def _picture_id(message: dict[str, Any]) -> str:
    """The media id of a photo, or of a picture sent as a file (an image's MIME type)."""
    kind = message.get("type")
    media = _dict(message.get(kind)) if kind in ("image", "document") else {}
    if kind == "document" and not _str(media.get("mime_type")).startswith("image/"):
        return ""
    return _str(media.get("id"))


def to_inbound(message: dict[str, Any]) -> Inbound:
    kind = message.get("type")
    context = _dict(message.get("context"))
    forwarded = bool(context.get("forwarded") or context.get("frequently_forwarded"))
    if kind == "text":
        text = _str(_dict(message.get("text")).get("body"))
        if forwarded:
            return Inbound(kind=Kind.FORWARD, text=text, forward_origin="forwarded")
        if text.startswith("/"):
            head, _, rest = text[1:].partition(" ")
            if head and head.replace("_", "").isalnum():
                return Inbound(kind=Kind.COMMAND, command=head.lower(), args=rest.strip())
        return Inbound(kind=Kind.TEXT, text=text)
    if kind == "interactive":
        interactive = _dict(message.get("interactive"))
        reply = (_dict(interactive.get("button_reply")) or
                 _dict(interactive.get("list_reply")))
        choice = _str(reply.get("id"))
        return Inbound(kind=Kind.CHOICE, choice=choice) if choice else Inbound(
            kind=Kind.UNSUPPORTED)
    if kind == "button":  # a template's quick-reply button
        return Inbound(kind=Kind.CHOICE, choice=_str(_dict(message.get("button")).get(
            "payload")))
    if kind == "location":
        return _location(_dict(message.get("location")))
    if kind in ("image", "document", "video"):
        caption = _str(_dict(message.get(kind)).get("caption"))
        if caption and forwarded:
            return Inbound(kind=Kind.FORWARD, text=caption, forward_origin="forwarded")
        return Inbound(kind=Kind.MEDIA, text=caption)
    return Inbound(kind=Kind.MEDIA)  # audio, voice, sticker, reaction, unsupported


def _location(place: dict[str, Any]) -> Inbound:
    try:
        latitude, longitude = float(place["latitude"]), float(place["longitude"])
    except (KeyError, TypeError, ValueError):
        return Inbound(kind=Kind.UNSUPPORTED)
    if not (math.isfinite(latitude) and math.isfinite(longitude)
            and abs(latitude) <= 90 and abs(longitude) <= 180):
        return Inbound(kind=Kind.UNSUPPORTED)
    return Inbound(kind=Kind.LOCATION, latitude=latitude, longitude=longitude)
