"""Tips as CSV for staff spreadsheets: every cell escaped against formula injection
(a cell starting with = + - @ or a control character is prefixed with '), UTF-8 with a
byte-order mark so Excel reads Cyrillic and Indonesian text right."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

COLUMNS = ("ref", "day", "topic", "place", "urgent", "risk", "flags", "text", "recruiter",
           "linked")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def tips_csv(rows: Iterable[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe(v) for v in (
            row.ref, row.created_on, row.topic, row.place, "yes" if row.urgent else "no",
            row.risk, " ".join(row.flags), row.text, row.recruiter, " ".join(row.linked))])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
