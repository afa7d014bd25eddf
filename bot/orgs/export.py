"""Tips as CSV for staff spreadsheets: every cell escaped against formula injection
(a cell starting with = + - @ or a control character is prefixed with '), UTF-8 with a
byte-order mark so Excel reads Cyrillic and Indonesian text right.

Machine ids keep their own columns (``topic``, ``risk``, ``flags``, ``urgent``: what a
script filters on) and each has a ``*_name`` column beside it in the organisation's
language (what a person reads)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
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


def tips_csv(rows: Iterable[Any], say: Say | None = None, lang: str = FALLBACK) -> bytes:
    """``say`` translates the names; without it the names are the English ones."""
    cache: dict[tuple[bool, str], str] = {}  # our names carry no parameters

    def name(value: Msg | str) -> str:
        key = (isinstance(value, Msg), value.msgid if isinstance(value, Msg) else value)
        if key not in cache:
            cache[key] = say(value, lang) if say else key[1]
        return cache[key]

    # A digest's tips share a few topics, risks and lists of flags: each is named once.
    topics: dict[str, str] = {}
    risks: dict[str, str] = {}
    flag_lists: dict[tuple[str, ...], tuple[str, str]] = {}
    urgency = {True: ("yes", name(names.URGENT)), False: ("no", name(names.NOT_URGENT))}

    def line(row: Any) -> tuple[Any, ...]:
        topic = topics.get(row.topic)
        if topic is None:
            topic = topics[row.topic] = name(names.topic(row.topic))
        risk = risks.get(row.risk)
        if risk is None:
            risk = risks[row.risk] = name(names.risk(row.risk))
        flags = flag_lists.get(row.flags)
        if flags is None:
            flags = flag_lists[row.flags] = (
                " ".join(row.flags), "; ".join(name(names.flag(f)) for f in row.flags))
        urgent, urgent_name = urgency[bool(row.urgent)]
        # Only the reporter's text can start like a formula: references, days, ids and
        # our own names never do (escaping them too cost a third of a digest's CSV).
        return (row.ref, row.created_on, row.topic, topic, safe(row.place), urgent,
                urgent_name, row.risk, risk, flags[0], flags[1], safe(row.text),
                safe(row.recruiter), " ".join(row.linked) if row.links else "")

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(map(line, rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
