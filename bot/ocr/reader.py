"""One picture read, start to end: decode under the pixel cap, prepare, Tesseract within the
time limit, the screenshot's chrome dropped. Blocking; ``bot.ocr.pool`` runs it in workers."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum

from bot.ocr.preprocess import MAX_PIXELS, PictureRejected, decode, prepare
from bot.ocr.screenshot import clean_lines, letters, lines_of, message_text
from bot.ocr.tesseract import OcrFailed, read_words

MAX_CHARS = 3000  # a flyer's text fits; more is a page of a book, cut here
MIN_LETTERS = 12  # fewer letters read is no text (a photo of a face, a logo, a stain)


class Status(StrEnum):
    READ = "read"  # text was found
    NO_TEXT = "no_text"  # a picture, but nothing readable in it
    FAILED = "failed"  # the engine failed or ran out of time
    REJECTED = "rejected"  # not a picture we read (format, pixels, broken)
    BUSY = "busy"  # too many pictures wait already
    OFF = "off"  # no engine installed


@dataclass(frozen=True, slots=True)
class Reading:
    status: Status
    text: str = ""
    langs: str = ""
    seconds: float = 0.0

    @property
    def read(self) -> bool:
        return self.status is Status.READ


def read_picture(data: bytes, langs: str, timeout: float,
                 max_pixels: int = MAX_PIXELS) -> Reading:
    """The message in a picture's bytes; never raises for a bad picture."""
    started = time.perf_counter()
    try:
        prepared = prepare(decode(data, max_pixels))
        words = read_words(prepared.image, langs, timeout)
    except PictureRejected:
        return Reading(Status.REJECTED, langs=langs, seconds=time.perf_counter() - started)
    except OcrFailed:
        return Reading(Status.FAILED, langs=langs, seconds=time.perf_counter() - started)
    text = message_text(clean_lines(lines_of(words)))[:MAX_CHARS]
    status = Status.READ if letters(text) >= MIN_LETTERS else Status.NO_TEXT
    return Reading(status, text if status is Status.READ else "", langs,
                   time.perf_counter() - started)


__all__ = ["MAX_CHARS", "Reading", "Status", "read_picture"]
