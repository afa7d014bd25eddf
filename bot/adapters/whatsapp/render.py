"""The core's replies as Graph API message objects, within WhatsApp's limits.

Text messages carry at most 4,096 characters; an interactive message's body 1,024. Reply
buttons: at most 3, titles up to 20 characters; a list: up to 10 rows, row titles up to
24 characters and descriptions up to 72, the list button's label up to 20 (Meta's
interactive-messages reference). Longer replies are sent as text first and the buttons
follow with the last paragraphs.
"""

from __future__ import annotations

import re
from typing import Any

from bot.rendering import Markup, TextRenderer, split
from flows.types import Reply, msg

MAX_TEXT = 4096
MAX_BODY = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
_MARKS = re.compile(r"([*_~`])")

# WhatsApp marks bold with *…*; a zero-width space after each mark in user text keeps
# "*50% off*" in an ad from turning bold or breaking our own formatting.
WHATSAPP = Markup(escape=lambda s: _MARKS.sub("\\1\u200b", s), bold=lambda s: f"*{s}*")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render(renderer: TextRenderer, reply: Reply, lang: str) -> list[dict[str, Any]]:
    text = renderer.parts(reply.parts, lang)
    if not reply.choices:
        return [_text(chunk) for chunk in split(text, MAX_TEXT)]
    paragraphs = text.split("\n\n")
    body_parts: list[str] = []
    while paragraphs and len("\n\n".join([paragraphs[-1], *body_parts])) <= MAX_BODY:
        body_parts.insert(0, paragraphs.pop())
    lead = "\n\n".join(paragraphs)
    messages = [_text(chunk) for chunk in split(lead, MAX_TEXT)] if lead else []
    body = "\n\n".join(body_parts) or _clip(text, MAX_BODY)
    labels = [renderer.part(c.label, lang).replace("\u200b", "") for c in reply.choices]
    if len(reply.choices) <= MAX_BUTTONS and all(len(lb) <= MAX_BUTTON_TITLE for lb in labels):
        action: dict[str, Any] = {"buttons": [
            {"type": "reply", "reply": {"id": c.payload, "title": label}}
            for c, label in zip(reply.choices, labels, strict=True)]}
        messages.append({"type": "interactive", "interactive": {
            "type": "button", "body": {"text": body}, "action": action}})
        return messages
    rows = []
    for choice, label in zip(reply.choices, labels, strict=True):
        row: dict[str, Any] = {"id": choice.payload, "title": _clip(label, MAX_ROW_TITLE)}
        if len(label) > MAX_ROW_TITLE:
            row["description"] = _clip(label, MAX_ROW_DESCRIPTION)
        rows.append(row)
    button = _clip(renderer.message(msg("Choose"), lang).replace("*", ""), MAX_BUTTON_TITLE)
    # A list holds ten rows: more choices follow in further lists, never dropped.
    more = renderer.message(msg("More choices:"), lang)
    for start in range(0, len(rows), MAX_ROWS):
        messages.append({"type": "interactive", "interactive": {
            "type": "list", "body": {"text": body if start == 0 else more},
            "action": {"button": button, "sections": [
                {"title": _clip(button, 24), "rows": rows[start:start + MAX_ROWS]}]}}})
    return messages


def _text(body: str) -> dict[str, Any]:
    return {"type": "text", "text": {"body": body, "preview_url": False}}
