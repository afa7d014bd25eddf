"""Tips as CSV for staff spreadsheets: every cell that holds outside text (the tip's text,
the recruiter, the place) escaped against formula injection (a cell starting with = + - @
or a control character is prefixed with '); references, days, ids and our own names never
start like a formula. UTF-8 with a byte-order mark so Excel reads Cyrillic and Indonesian
text right.

Machine ids keep their own columns (``topic``, ``risk``, ``flags``, ``urgent``: what a
script filters on) and each has a ``*_name`` column beside it in the organisation's
language (what a person reads)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bot.orgs import names
from flows.locale import FALLBACK
from flows.types import Msg

COLUMNS = ("ref", "day", "topic", "topic_name", "place", "urgent", "urgent_name", "risk",
           "risk_name", "flags", "flag_names", "text", "recruiter", "linked")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
# Our own text in plain form, in a language (DigestService._say).
Say = Callable[[Msg | str, str], str]


def safe(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def cell(text: str) -> str:
    """One cell as the csv module writes it (the excel dialect, QUOTE_MINIMAL, lines ending
    in CRLF): quoted when it holds a comma, a quote or a line break, quotes doubled.

    By hand because the csv module copies each character through its own checks: 20 MB
    of digest CSV took it 0.55 s of CPU, ``str`` methods 0.25 s (tests/unit/
    test_digest_csv.py holds the two to the same bytes)."""
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def outside_cell(value: Any) -> str:
    """``cell(safe(value))`` in one call: the two cells of every row that hold the
    reporter's text."""
    text = str(value)
    if text.startswith(_FORMULA):
        text = "'" + text
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def line(cells: Sequence[str]) -> str:
    return ",".join([cell(c) for c in cells]) + "\r\n"


def tips_csv(rows: Iterable[Any], say: Say | None = None, lang: str = FALLBACK) -> bytes:
    """``say`` translates the names; without it the names are the English ones."""
    cache: dict[tuple[bool, str], str] = {}  # our names carry no parameters

    def name(value: Msg | str) -> str:
        key = (isinstance(value, Msg), value.msgid if isinstance(value, Msg) else value)
        if key not in cache:
            cache[key] = say(value, lang) if say else key[1]
        return cache[key]

    # A digest's tips share a few topics, risks, places and lists of flags: the cells of
    # each are written once (an id with its name, as they stand side by side).
    topics: dict[str, str] = {}
    risks: dict[str, str] = {}
    places: dict[str, str] = {}
    flag_lists: dict[tuple[str, ...], str] = {}
    urgency = {True: line(("yes", name(names.URGENT)))[:-2],
               False: line(("no", name(names.NOT_URGENT)))[:-2]}
    out = [line(COLUMNS)]
    add = out.append
    for row in rows:
        # The fields unpacked at once (a tip row: bot/orgs/digests.py's TipRow).
        _id, ref, day, topic_id, place_text, urgent, risk_id, flag_ids, text, recruiter, \
            links = row
        topic = topics.get(topic_id)
        if topic is None:
            topic = topics[topic_id] = line((topic_id, name(names.topic(topic_id))))[:-2]
        risk = risks.get(risk_id)
        if risk is None:
            risk = risks[risk_id] = line((risk_id, name(names.risk(risk_id))))[:-2]
        place = places.get(place_text)
        if place is None:
            place = places[place_text] = outside_cell(place_text)
        flags = flag_lists.get(flag_ids)
        if flags is None:
            flags = flag_lists[flag_ids] = line((
                " ".join(flag_ids), "; ".join(name(names.flag(f)) for f in flag_ids)))[:-2]
        shown = cell(" ".join(row.linked)) if links else ""
        # Only the reporter's text can start like a formula: references, days, ids and
        # our own names never do (escaping them too cost a third of a digest's CSV).
        add(f"{cell(str(ref))},{cell(str(day))},{topic},{place},{urgency[bool(urgent)]},"
            f"{risk},{flags},{outside_cell(text)},{outside_cell(recruiter)},{shown}\r\n")
    return ("\ufeff" + "".join(out)).encode("utf-8")
