"""Factories for inbound events and helpers to read replies in tests."""

from __future__ import annotations

from flows.types import Inbound, Kind, Msg, Quote, Reply


def text(value: str, hint: str = "") -> Inbound:
    return Inbound(kind=Kind.TEXT, text=value, locale_hint=hint)


def command(name: str, args: str = "", hint: str = "") -> Inbound:
    return Inbound(kind=Kind.COMMAND, command=name, args=args, locale_hint=hint)


def press(payload: str) -> Inbound:
    return Inbound(kind=Kind.CHOICE, choice=payload)


def msgids(replies: tuple[Reply, ...]) -> list[str]:
    """The message ids of every paragraph, in order (what a reply says, untranslated)."""
    return [p.msgid for r in replies for p in r.parts if isinstance(p, Msg)]


def quotes(replies: tuple[Reply, ...]) -> list[str]:
    return [p.text for r in replies for p in r.parts if isinstance(p, Quote)]


def find_choice(replies: tuple[Reply, ...], label_msgid: str) -> str:
    for reply in replies:
        for choice in reply.choices:
            label = choice.label
            if (isinstance(label, Msg) and label.msgid == label_msgid) or (
                isinstance(label, Quote) and label.text == label_msgid
            ):
                return choice.payload
    raise AssertionError(f"no button {label_msgid!r}")
