"""Transport-neutral values that flows consume and produce.

Adapters turn a transport update into one ``Inbound``; flows answer with ``Reply`` values
made of ``Msg`` (a gettext message id plus parameters, translated at the edge) and
``Choice`` buttons. Nothing here knows about Telegram, WhatsApp or the terminal.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What an inbound event is; anything an adapter cannot map is ``unsupported``."""

    TEXT = "text"
    COMMAND = "command"
    CHOICE = "choice"
    FORWARD = "forward"
    MEDIA = "media"
    LOCATION = "location"  # a shared location: resolved to a place, never stored
    UNSUPPORTED = "unsupported"


@dataclass(frozen=True, slots=True)
class Inbound:
    """One user event, normalised by an adapter.

    ``text`` holds the message text (or the caption / forwarded text); ``command`` and
    ``args`` a slash command; ``choice`` the raw payload of a pressed button;
    ``forward_origin`` a short label of where a forwarded message came from (``user``,
    ``channel``, ``hidden_user``…) and never an identifier; ``locale_hint`` the transport's
    language hint (Telegram ``language_code``) or the console's environment locale.
    """

    kind: Kind
    text: str = ""
    command: str = ""
    args: str = ""
    choice: str = ""
    forward_origin: str = ""
    locale_hint: str = ""
    latitude: float | None = None
    longitude: float | None = None
    received_at: datetime | None = None
    # A picture read by the adapter (bot/ocr): "read" when its text follows the caption in
    # ``text`` and is also in ``picture_text``; "unreadable" when it held no text to read.
    picture: str = ""
    picture_text: str = ""

    def __post_init__(self) -> None:
        # The one door every transport's events pass: text that cannot be encoded (lone
        # surrogates from a JSON payload) or a coordinate that is no number would fail this
        # user's state or a shared group commit further on, so it is cleaned here.
        for name in ("text", "command", "args", "choice", "forward_origin", "locale_hint"):
            value = getattr(self, name)
            if not isinstance(value, str):
                object.__setattr__(self, name, "" if value is None else str(value))
            elif not value.isascii() and _SURROGATE.search(value):
                object.__setattr__(self, name, _SURROGATE.sub("\ufffd", value))
        lat, lon = self.latitude, self.longitude
        if (lat is not None or lon is not None) and not (
                _coordinate(lat, 90.0) and _coordinate(lon, 180.0)):
            object.__setattr__(self, "latitude", None)
            object.__setattr__(self, "longitude", None)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _coordinate(value: object, bound: float) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value) and -bound <= value <= bound)


@dataclass(frozen=True, slots=True)
class Msg:
    """A translatable message: a gettext id, optional plural, and its parameters.

    Templates may use ``*bold*`` marks (trusted: they come from our catalogs); parameter
    values are user text or numbers and every renderer escapes them for its channel.
    """

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)
    plural: str | None = None
    n: int | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """User-provided text shown back verbatim (escaped by the renderer, never translated)."""

    text: str


@dataclass(frozen=True, slots=True)
class Text:
    """Text already in the reader's language from our own content (guidance), with the same
    ``*bold*`` marks as catalog templates; escaped by the renderer, never translated."""

    text: str


@dataclass(frozen=True, slots=True)
class Bullets:
    """A short list, one item per line (rendered with a bullet by each channel)."""

    items: tuple[Msg | Quote, ...]


Part = Msg | Quote | Text | Bullets


@dataclass(frozen=True, slots=True)
class Choice:
    """A button: an opaque packed payload and its label (translated, or a name as it is)."""

    payload: str
    label: Part


class ChoiceStyle(StrEnum):
    BUTTONS = "buttons"  # a few short options (WhatsApp: reply buttons, at most 3)
    LIST = "list"  # a menu of options (WhatsApp: list message, at most 10 rows)


@dataclass(frozen=True, slots=True)
class Phone:
    """A number the renderer may show as tap-to-call; ``label`` names who answers it."""

    number: str
    label: Msg | Quote


@dataclass(frozen=True, slots=True)
class Reply:
    """One outgoing message: paragraphs of text, then optional buttons."""

    parts: tuple[Part, ...]
    choices: tuple[Choice, ...] = ()
    style: ChoiceStyle = ChoiceStyle.BUTTONS


def msg(msgid: str, /, **params: Any) -> Msg:
    """Builds a Msg; the name is a Babel extraction keyword (see ``locales/babel.cfg``)."""
    return Msg(msgid, params)


def nmsg(singular: str, plural: str, n: int, /, **params: Any) -> Msg:
    """Builds a plural Msg (``ngettext``); ``n`` is also available as ``{n}``."""
    return Msg(singular, {"n": n, **params}, plural=plural, n=n)


def text_reply(*parts: Part, choices: tuple[Choice, ...] = (),
               style: ChoiceStyle = ChoiceStyle.BUTTONS) -> Reply:
    return Reply(parts=tuple(parts), choices=choices, style=style)
