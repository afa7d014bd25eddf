"""The directory as a spreadsheet (CSV) and as YAML, both ways, without losing a field.

One row per organisation. List cells hold one item per line (places, languages, topics,
sources, caveats); the contacts cell holds one contact per line as ``type | value | note``,
or ``type | value | note | seen_on | source`` for a contact with its own date and source.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import ValidationError

from referral_directory.errors import DirectoryError
from referral_directory.loader import Directory, dump_yaml, parse_directory
from referral_directory.schema import DirectoryEntry, Organisation

COLUMNS = ("id", "name_local", "name_en", "kind", "operator", "operator_confirmed", "country",
           "citizens_of", "places", "languages", "topics", "contacts", "hours", "sources",
           "verified_on", "confidence", "caveats", "notes")
_REQUIRED = ("id", "name_local", "name_en", "kind", "country", "contacts", "sources")
_LISTS = ("places", "languages", "topics", "sources", "caveats")
_DATE_OR_EMPTY = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?)?$")
_LINK_OR_EMPTY = re.compile(r"^(https?://\S+)?$")


def to_record(org: Organisation) -> dict[str, Any]:
    return org.model_dump(mode="json", exclude_none=False)


def to_yaml(directory: Directory) -> str:
    return dump_yaml([to_record(o) for o in directory])


def to_rows(directory: Directory) -> list[dict[str, str]]:
    """One row of cells per organisation, as CSV and XLSX hold them (``COLUMNS``)."""
    rows = []
    for org in directory:
        record = to_record(org)
        row = {
            "id": org.id, "name_local": org.names.local, "name_en": org.names.en,
            "kind": record["kind"], "operator": record["operator"] or "",
            "operator_confirmed": "" if org.operator_confirmed else "false",
            "country": org.country, "citizens_of": org.citizens_of or "",
            "hours": org.hours or "",
            "verified_on": org.verified_on or "", "confidence": org.confidence or "",
            "notes": org.notes or "",
            "contacts": "\n".join(_contact_cell(c) for c in record["contacts"]),
        }
        for name in _LISTS:
            row[name] = "\n".join(record[name])
        rows.append(row)
    return rows


def to_csv(directory: Directory) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_rows(directory))
    return out.getvalue()


def _contact_cell(contact: dict[str, Any]) -> str:
    if not (contact.get("seen_on") or contact.get("source")):
        return " | ".join(filter(None, (contact["type"], contact["value"], contact["note"])))
    return " | ".join((contact["type"], contact["value"], contact["note"] or "",
                       contact["seen_on"] or "", contact["source"] or ""))


def sniff_delimiter(text: str) -> str:
    """The delimiter a spreadsheet saved the file with: comma, semicolon (Excel in a
    Russian, German or Indonesian locale) or tab. ``csv.Sniffer`` guesses from a sample;
    its guess is kept only if the header then names our columns, else the delimiter that
    splits the header into most of them wins (a notes cell full of commas can fool it)."""
    sample = text[:65536]
    header = sample.splitlines()[0] if sample else ""

    def known(delimiter: str) -> int:
        return sum(1 for cell in header.split(delimiter)
                   if cell.strip().strip('"').strip().lower() in COLUMNS)

    try:
        guessed = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        guessed = ","
    best = max(",;\t", key=known)
    return guessed if known(guessed) >= known(best) else best


def from_csv(text: str, name: str = "organisations.csv") -> Directory:
    """Parses a spreadsheet export; every row is validated and errors name their line."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        ended = 0
        for cells in reader:
            # A cell may span lines (contacts, sources): name the line where the row starts.
            line, ended = ended + 1, reader.line_num
            yield line, cells

    return from_rows(rows(), name, _DELIMITER_NAMES[delimiter])


_DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def from_rows(rows: Iterable[tuple[int, list[str]]], name: str,
              read_as: str = "") -> Directory:
    """Validates a table whose first row names the columns (``COLUMNS``, in any order;
    ``line`` numbers the row as the file or sheet does); errors name their line."""
    iterator = iter(rows)
    header_line, header = next(iterator, (1, []))
    columns = [cell.strip().lower() for cell in header]
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        how = f" (read with {read_as} between cells)" if read_as else ""
        raise DirectoryError([f"{name}:{header_line}: missing columns: {', '.join(missing)}"
                              f"{how}; the first row must name the columns: "
                              f"{', '.join(COLUMNS)}"])
    problems: list[str] = []
    organisations: list[Organisation] = []
    seen: dict[str, int] = {}
    for line, cells in iterator:
        if not any(cell.strip() for cell in cells):
            continue  # the empty rows a spreadsheet leaves at the end
        row = dict(zip(columns, cells, strict=False))
        try:
            org = DirectoryEntry.model_validate(_record(row))
        except (ValidationError, ValueError) as exc:
            details = (exc.errors() if isinstance(exc, ValidationError)
                       else [{"loc": ("contacts",), "msg": str(exc)}])
            for error in details:
                where = ".".join(str(p) for p in error["loc"])
                problems.append(f"{name}:{line}: {row.get('id') or '?'}: {where}: "
                                f"{error['msg']}")
            continue
        if org.id in seen:
            problems.append(f"{name}:{line}: {org.id}: duplicate id (first at line "
                            f"{seen[org.id]})")
            continue
        seen[org.id] = line
        organisations.append(org)
    if problems:
        raise DirectoryError(problems)
    return Directory(tuple(organisations))


def from_yaml(text: str, name: str = "organisations.yaml") -> Directory:
    return parse_directory(text, name)


def _lines(cell: str | None) -> list[str]:
    return [part.strip() for part in (cell or "").splitlines() if part.strip()]


def _record(row: dict[str, str]) -> dict[str, Any]:
    contacts = []
    for entry in _lines(row.get("contacts")):
        pieces = [p.strip() for p in entry.split("|")]
        if len(pieces) < 2:
            raise ValueError(f"a contact must read 'type | value | note': {entry!r}")
        contact = {"type": pieces[0], "value": pieces[1]}
        if (len(pieces) >= 5 and (pieces[-2] or pieces[-1])
                and _DATE_OR_EMPTY.match(pieces[-2]) and _LINK_OR_EMPTY.match(pieces[-1])):
            # the contact's own date and source (see the module docstring)
            contact["seen_on"], contact["source"] = pieces[-2] or None, pieces[-1] or None
            pieces = pieces[:-2]
        if len(pieces) > 2 and " | ".join(pieces[2:]):
            contact["note"] = " | ".join(pieces[2:])
        contacts.append(contact)
    record: dict[str, Any] = {
        "id": (row.get("id") or "").strip(),
        "names": {"local": (row.get("name_local") or "").strip(),
                  "en": (row.get("name_en") or "").strip()},
        "kind": (row.get("kind") or "").strip(),
        # left out when empty, so that a missing operator is reported as missing
        **({"operator": op} if (op := (row.get("operator") or "").strip()) else {}),
        "operator_confirmed": (row.get("operator_confirmed") or "").strip().lower() not in (
            "false", "no", "0"),
        "country": (row.get("country") or "").strip(),
        "citizens_of": (row.get("citizens_of") or "").strip().upper() or None,
        "contacts": contacts,
        "hours": (row.get("hours") or "").strip() or None,
        "verified_on": (row.get("verified_on") or "").strip() or None,
        "confidence": (row.get("confidence") or "").strip() or None,
        "notes": (row.get("notes") or "").strip() or None,
    }
    for column in _LISTS:
        record[column] = _lines(row.get(column))
    return record
