"""The core's replies as Telegram messages: HTML with every piece of user text escaped,
inline keyboards, and long texts split at Telegram's limit on paragraph boundaries.

Library-neutral: the keyboard is plain data of the Bot API's shape (``inline_keyboard``
rows of buttons with ``text`` and ``callback_data``), which the aiogram adapter and the
python-telegram-bot adapter each turn into their library's markup."""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.rendering import HTML as TELEGRAM_HTML
from bot.rendering import TextRenderer, split
from flows.payload import MAX_PAYLOAD_BYTES
from flows.types import Reply

MAX_MESSAGE = 4096  # Telegram's limit for a message's text (after entity parsing)
MAX_BUTTON_TEXT = 64  # what fits a phone's keyboard row in practice

HTML = TELEGRAM_HTML  # defined beside the renderer, so the console never imports aiogram


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    callback_data: str


@dataclass(frozen=True, slots=True)
class Keyboard:
    inline_keyboard: tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Outgoing:
    text: str
    keyboard: Keyboard | None = None


def render(renderer: TextRenderer, reply: Reply, lang: str) -> list[Outgoing]:
    text = renderer.parts(reply.parts, lang)
    chunks = split(text, MAX_MESSAGE)
    keyboard = None
    if reply.choices:
        rows = []
        for choice in reply.choices:
            if len(choice.payload.encode()) > MAX_PAYLOAD_BYTES:
                raise ValueError("callback data over Telegram's 64 bytes")
            label = html.unescape(renderer.part(choice.label, lang))  # buttons are plain text
            rows.append((Button(text=_clip(label), callback_data=choice.payload),))
        keyboard = Keyboard(inline_keyboard=tuple(rows))
    return [Outgoing(chunk, keyboard if i == len(chunks) - 1 else None)
            for i, chunk in enumerate(chunks)]


def _clip(label: str) -> str:
    return label if len(label) <= MAX_BUTTON_TEXT else label[: MAX_BUTTON_TEXT - 1] + "…"
