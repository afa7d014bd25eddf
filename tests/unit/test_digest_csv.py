"""The digest CSV is written with str methods instead of the csv module (bot/orgs/export.py,
for speed): the bytes must stay the ones the csv module writes, and read back the same."""

from __future__ import annotations

import csv
import io

from bot.orgs.digests import Link, TipRow
from bot.orgs.export import COLUMNS, cell, line, tips_csv

# Every character the quoting rules care about, alone, inside and at either end of a cell,
# and a sample of the rest of Unicode (controls, line separators, Cyrillic, emoji).
_AWKWARD = [",", '"', "\r", "\n", "\r\n", "'", ";", "\t", " ", "=", "\x00", "\x0b", "\x0c",
            "\x1c", "\x85", "\u2028", "\u2029", "ж", "🙂", '""', ",,", ""]


def _csv_module(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(cells)
    return out.getvalue()


def test_cells_are_quoted_exactly_as_the_csv_module_quotes_them() -> None:
    cells = [piece for c in _AWKWARD for piece in (c, f"a{c}b", f"{c}x", f"x{c}", c * 3)]
    cells += [chr(code) for code in range(0, 0x3000, 7)]
    for text in cells:
        assert line(["x", text, ""]) == _csv_module(["x", text, ""]), repr(text)
        assert f"{cell(text)},y\r\n" == _csv_module([text, "y"]), repr(text)
    assert line(COLUMNS) == _csv_module(list(COLUMNS))


def test_a_digest_csv_reads_back_cell_for_cell() -> None:
    link = Link("phone", 4, ("T-2611-0002", "T-2611-0003", "T-2611-0004"))
    rows = [TipRow(id=n, ref=f"T-2611-000{n}", created_on="2026-11-25", topic=topic,
                   place=place, urgent=n % 2 == 0, risk="high", flags=flags, text=text,
                   recruiter=recruiter, links=links)
            for n, (topic, place, flags, text, recruiter, links) in enumerate([
                ("trafficking", "Medan, Sumatera Utara", ("document_retention",),
                 'Gaji "20 juta",\r\nhubungi <b>Pak</b> & co', "=cmd|' /C calc'!A0",
                 (link, link._replace(kind="name"))),
                ("newer_topic", "", (), "", "", ()),
                ("migrant_workers", "=1+1", ("vague_job_lure", "unknown_flag"),
                 "Работа в Дубае;\nзарплата 3000$", "+7 701 000", (link,)),
            ], start=1)]
    data = tips_csv(rows)
    assert data.startswith("\ufeff".encode())
    header, *cells = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert header == list(COLUMNS) and len(cells) == 3
    first, second, third = (dict(zip(header, c, strict=True)) for c in cells)
    assert first["text"] == 'Gaji "20 juta",\r\nhubungi <b>Pak</b> & co'
    assert first["recruiter"] == "'=cmd|' /C calc'!A0" and first["urgent"] == "no"
    assert first["place"] == "Medan, Sumatera Utara" and first["urgent_name"] == "not urgent"
    assert first["linked"] == "T-2611-0002 T-2611-0003 T-2611-0004"  # each reference once
    assert second["topic_name"] == "newer_topic" and second["flags"] == ""
    assert second["linked"] == "" and second["urgent"] == "yes"
    assert third["place"] == "'=1+1" and third["recruiter"] == "'+7 701 000"
    assert third["flags"] == "vague_job_lure unknown_flag"
    assert third["flag_names"].endswith("; unknown_flag")
