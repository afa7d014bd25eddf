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

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        # Only the reporter's text can start like a formula: references, days, ids and
        # our own names never do (escaping them too cost a third of a digest's CSV).
        writer.writerow((
            row.ref, row.created_on, row.topic, name(names.topic(row.topic)), safe(row.place),
            "yes" if row.urgent else "no", name(names.URGENT if row.urgent
                                                else names.NOT_URGENT),
            row.risk, name(names.risk(row.risk)), " ".join(row.flags),
            "; ".join(name(names.flag(f)) for f in row.flags), safe(row.text),
            safe(row.recruiter), " ".join(row.linked)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
