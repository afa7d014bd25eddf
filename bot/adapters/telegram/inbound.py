"""One function from a Telegram message or button press to the core's ``Inbound``.

Anything it cannot map becomes ``Kind.MEDIA`` (answered "please send text") rather than an
error. Identifiers never enter the ``Inbound``: the caller keys the conversation by HMAC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flows.types import Inbound, Kind

if TYPE_CHECKING:  # python-telegram-bot's objects have the same fields: both libraries use it
    from aiogram.types import CallbackQuery, Message

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$",
                      re.DOTALL)


@dataclass(frozen=True, slots=True)
class Addressed:
    """How a group message concerns the bot."""

    command_for_us: bool  # "/cmd" or "/cmd@ourbot"
    mentioned: bool  # "@ourbot" in the text or a reply to the bot


def command_of(text: str, bot_username: str) -> tuple[str, str] | None:
    """("check", "args") for "/check@ourbot args"; None for text or another bot's command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    target = match.group(2)
    if target and target.lower() != bot_username.lower():
        return None
    return match.group(1).lower(), (match.group(3) or "").strip()


def from_message(message: Message, bot_username: str, attachment: str = "") -> Inbound:
    hint = message.from_user.language_code or "" if message.from_user else ""
    text = message.text or message.caption or ""
    if message.forward_origin is not None:
        return Inbound(kind=Kind.FORWARD, text=text, forward_origin=message.forward_origin.type,
                       locale_hint=hint)
    if message.location is not None:
        return Inbound(kind=Kind.LOCATION, latitude=message.location.latitude,
                       longitude=message.location.longitude, locale_hint=hint)
    if message.text is not None:
        command = command_of(message.text, bot_username)
        if command is not None:
            return Inbound(kind=Kind.COMMAND, command=command[0], args=command[1],
                           locale_hint=hint)
        return Inbound(kind=Kind.TEXT, text=message.text, locale_hint=hint)
    # A photo (its caption is checked; the photo itself joins a report as an attachment),
    # a document, a sticker, a voice message…
    return Inbound(kind=Kind.MEDIA, text=text, choice=attachment, locale_hint=hint)


def from_callback(query: CallbackQuery) -> Inbound:
    hint = query.from_user.language_code or "" if query.from_user else ""
    return Inbound(kind=Kind.CHOICE, choice=query.data or "", locale_hint=hint)


def addressed(message: Message, bot_username: str, bot_id: int) -> Addressed:
    text = message.text or message.caption or ""
    mention = f"@{bot_username}".lower() in text.lower()
    reply_to_bot = bool(message.reply_to_message and message.reply_to_message.from_user
                        and message.reply_to_message.from_user.id == bot_id)
    return Addressed(command_for_us=bool(message.text and command_of(message.text,
                                                                     bot_username)),
                     mentioned=mention or reply_to_bot)


def picture_file(message: Message, max_bytes: int) -> str | None:
    """The file id of the picture a message carries: the largest photo size within
    ``max_bytes`` (Telegram sends each photo in several sizes), or an image sent as a file;
    "" without a picture, None when it is too large. Both libraries' messages have these
    fields."""
    document = message.document
    if message.photo:
        fitting = [p.file_id for p in message.photo
                   if p.file_size is None or p.file_size <= max_bytes]
    elif document is not None and (document.mime_type or "").startswith("image/"):
        fitting = [document.file_id] if (document.file_size or 0) <= max_bytes else []
    else:
        return ""
    return fitting[-1] if fitting else None
