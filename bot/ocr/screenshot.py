"""What Tesseract read, as the message a person would paste: the lines of a chat screenshot
without its times, ticks, names, status bar and input box, and the words of a flyer joined
into paragraphs. Pure text work on ``Word`` values.

A screenshot's chrome is recognised by its words, not by where it sits (apps and phones put
it in different places): a line that is only a time, a date or a status ("online", "в сети",
"mengetik…"), a time with delivery ticks closing a bubble's last line, the phone's status bar
(a time beside a battery percentage or a network name), the box to type in. The contact's
name is the line just above their status in the header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.ocr.tesseract import Word

MIN_CONF = 30.0  # words Tesseract doubts more than this are noise (icons, avatars, stains)

_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[AaPp]\.?\s?[Mm]\.?)?"
# What follows a bubble's time: delivery ticks, which Tesseract reads as ✓✓, vv, W, 00, OO,
# ПП, DU, [0…: short tokens, never a word of the message.
_JUNK = r"(?:\s+\S{1,3}){0,2}"
_TRAILING_TIME = re.compile(rf"\s+{_TIME}{_JUNK}\s*$")
_ONLY_TIME = re.compile(rf"^\W*{_TIME}{_JUNK}\W*$")
# The phone's status bar: a time, a network, a battery percentage, in any order or alone.
_STATUS_BAR = re.compile(
    rf"^\W*(?:{_TIME}\s+)?(?:\S{{1,3}}\s+){{0,2}}\d{{1,3}}\s?%\W*$"
    rf"|^\W*{_TIME}\b.*\b(?:LTE|4G|5G|3G|Wi-?Fi)\b", re.IGNORECASE)
_STATUS = re.compile(
    r"^\W*(?:online|typing|last seen\b.*|recording audio|"
    r"в сети|онлайн|печатает|был[аи]? (?:в сети|недавно)\b.*|"
    r"mengetik|terakhir dilihat\b.*|sedang mengetik)\W*$", re.IGNORECASE)
_DAY = re.compile(
    r"^\W*(?:today|yesterday|hari ini|kemarin|сегодня|вчера|"
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}|"
    r"\d{1,2}\s+\w+\s+\d{4}|\w+\s+\d{1,2},\s+\d{4})\W*$", re.IGNORECASE)
_CHROME = re.compile(
    r"^\W*(?:type a message|message|ketik pesan|pesan|сообщение|написать сообщение|"
    r"forwarded|diteruskan|пересланное(?: сообщение)?|переслано|"
    r"messages (?:and calls )?are end-to-end encrypted\b.*|"
    r"pesan dan panggilan terenkripsi\b.*|сообщения (?:и звонки )?защищены\b.*)"
    r"(?:\s+\S{1,2})?\W*$", re.IGNORECASE)
# The box to type in, when Tesseract reads it on the line of the last bubble's time.
_TRAILING_BOX = re.compile(r"\s*(?:type a message|ketik pesan|сообщение|написать сообщение)"
                           r"(?:\s+\S{1,2})?\W*$", re.IGNORECASE)
# The edge of a sheet or a bubble, read as a letter-less stroke.
_EDGE = re.compile(r"^[|¦_~]+$")
# Icons and avatars read as letters before a name: "< ©®", "«", "@".
_LEADING_JUNK = re.compile(r"^(?:[^\w\s]+\s*)+")


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    conf: float  # the mean confidence of its words
    paragraph: tuple[int, int]  # block, paragraph


def lines_of(words: Sequence[Word], min_conf: float = MIN_CONF) -> list[Line]:
    """Words grouped into Tesseract's lines, doubtful words left out."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for word in words:
        if word.conf >= min_conf and not _EDGE.match(word.text):
            grouped.setdefault(word.line, []).append(word)
    lines = []
    for key in sorted(grouped):  # Tesseract numbers blocks, paragraphs, lines in reading order
        group = sorted(grouped[key], key=lambda w: w.left)
        lines.append(Line(" ".join(w.text for w in group),
                          sum(w.conf for w in group) / len(group), key[:2]))
    return lines


def is_chrome(text: str) -> bool:
    """A line that belongs to the app, not to the message."""
    return bool(_ONLY_TIME.match(text) or _STATUS_BAR.match(text) or _STATUS.match(text)
                or _DAY.match(text) or _CHROME.match(text) or _is_stray(text))


def _is_stray(text: str) -> bool:
    """No letter and too few digits for a number worth keeping: an arrow, an icon, a
    clock cut in two ("21 < 14"). A phone number alone on a line has six digits or more."""
    return not any(ch.isalpha() for ch in text) and sum(ch.isdigit() for ch in text) < 6


def clean_lines(lines: Sequence[Line]) -> list[Line]:
    """The app's chrome dropped, times and ticks cut from the ends of bubbles."""
    kept: list[Line] = []
    for i, line in enumerate(lines):
        text = _TRAILING_TIME.sub("", _TRAILING_BOX.sub("", line.text.strip())).strip()
        if not text or is_chrome(text):
            continue
        if _beside_status(lines, i) and len(_LEADING_JUNK.sub("", text).split()) <= 5:
            continue  # the contact's name above "online" / "last seen" (or read after it)
        kept.append(Line(text, line.conf, line.paragraph))
    return kept


def _beside_status(lines: Sequence[Line], i: int) -> bool:
    return any(0 <= j < len(lines) and _STATUS.match(lines[j].text.strip())
               for j in (i - 1, i + 1))


def message_text(lines: Sequence[Line]) -> str:
    """Lines joined as a person would paste them: a paragraph's lines into one line, a word
    cut by a hyphen at a line's end joined again, paragraphs apart."""
    paragraphs: list[list[str]] = []
    last: tuple[int, int] | None = None
    for line in lines:
        if line.paragraph != last:
            paragraphs.append([])
            last = line.paragraph
        paragraphs[-1].append(line.text)
    out: list[str] = []
    for paragraph in paragraphs:
        # A bubble's or a flyer's lines are wraps of one text: joined with spaces, as the
        # text was written (a line break reads as a sentence's end to the analyzer).
        text = "\n".join(paragraph)
        text = re.sub(r"(\w)-\n(\w)", r"\1\2", text).replace("\n", " ")
        if out and _continues(out[-1], text):
            out[-1] = f"{out[-1]} {text}"  # Tesseract cut one sentence in two paragraphs
        else:
            out.append(text)
    return "\n\n".join(out).strip()


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` goes on the sentence ``before`` left open: no full stop, and a
    comma, or a small letter or a number to go on with ("fee of RM" / "1500 before")."""
    if not before or before[-1] in ".!?…:;»\")":
        return False
    return before[-1] == "," or after[:1].islower() or after[:1].isdigit()


def letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


__all__ = ["Line", "clean_lines", "is_chrome", "letters", "lines_of", "message_text"]
