"""A picture a person sent, on any transport: its text read (bot/ocr) into the event the
flows get, beside the photo parked for a report (bot/tips/photos.py) as before.

The caption comes first and the picture's text after it, so the check reads both and a
report's description carries both (the digest shows them); ``picture`` says whether the
text was read, so the check can say so and show an excerpt, and a picture without text is
answered "I could not find text" instead of "I can only read text".
"""

from __future__ import annotations

from dataclasses import replace

from bot.ocr import PictureReader, Reading, Status
from flows.types import Inbound

READ = "read"
UNREADABLE = "unreadable"


def with_reading(event: Inbound, reading: Reading) -> Inbound:
    """The event with what was read in its picture (pure)."""
    if reading.status is Status.READ:
        text = f"{event.text}\n\n{reading.text}" if event.text.strip() else reading.text
        return replace(event, text=text, picture=READ, picture_text=reading.text)
    if reading.status in (Status.NO_TEXT, Status.FAILED, Status.BUSY):
        return replace(event, picture=UNREADABLE)
    return event  # no engine (as before OCR), or not a picture: the photo's own notice says so


async def read_into(event: Inbound, data: bytes, reader: PictureReader | None, *,
                    lang: str, country: str, person: str) -> Inbound:
    """Reads the picture in the reader's pool (never on the event loop) into the event."""
    if reader is None or not reader.enabled:
        return event
    return with_reading(event, await reader.read(data, lang, country, person))


__all__ = ["READ", "UNREADABLE", "read_into", "with_reading"]
