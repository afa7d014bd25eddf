"""The file formats the directory is imported from and exported to, by name or ending.

    csv    .csv          one row per organisation (``tabular.py``); any encoding, comma,
                         semicolon or tab
    xlsx   .xlsx         the same columns in a workbook's first sheet
    yaml   .yaml .yml    the shipped data file's own format
    hsds   .json         Open Referral HSDS 3.0: a JSON array of organization objects
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from referral_directory.errors import DirectoryError
from referral_directory.hsds import from_hsds, to_hsds
from referral_directory.loader import Directory
from referral_directory.spreadsheet import decode, read_xlsx, to_xlsx
from referral_directory.tabular import from_csv, from_yaml, to_csv, to_yaml


@dataclass(frozen=True)
class Format:
    name: str
    suffixes: tuple[str, ...]
    description: str
    read: Callable[[bytes, str], Directory]
    write: Callable[[Directory], bytes]


def _text(parse: Callable[[str, str], Directory]) -> Callable[[bytes, str], Directory]:
    def read(data: bytes, name: str) -> Directory:
        text, _ = decode(data, name)
        return parse(text, name)
    return read


def _utf8_yaml(data: bytes, name: str) -> Directory:
    # YAML is UTF-8 by its own specification; a wrong byte is an error, not a guess
    try:
        return from_yaml(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as exc:
        raise DirectoryError([f"{name}: not UTF-8 text (byte {exc.start + 1}); YAML files "
                              "are UTF-8: save it as UTF-8 and import it again"]) from exc


def _hsds_json(directory: Directory) -> bytes:
    return (json.dumps(to_hsds(directory), ensure_ascii=False, indent=1) + "\n").encode()


FORMATS = (
    Format("csv", (".csv",), "CSV, one row per organisation", _text(from_csv),
           lambda d: to_csv(d).encode("utf-8")),
    Format("xlsx", (".xlsx",), "an Excel workbook, the CSV's columns", read_xlsx, to_xlsx),
    Format("yaml", (".yaml", ".yml"), "YAML, as the shipped data file", _utf8_yaml,
           lambda d: to_yaml(d).encode("utf-8")),
    Format("hsds", (".json",), "HSDS 3.0 JSON (Open Referral organizations)",
           _text(from_hsds), _hsds_json),
)
BY_NAME = {f.name: f for f in FORMATS}


def known() -> str:
    """The formats, as a line for an error message: 'csv (.csv), xlsx (.xlsx), …'."""
    return ", ".join(f"{f.name} ({', '.join(f.suffixes)})" for f in FORMATS)


def choose(path: Path, name: str | None = None) -> Format:
    """The format named, or the one the file's ending says; ``DirectoryError`` otherwise."""
    if name is not None:
        if name not in BY_NAME:
            raise DirectoryError([f"unknown format {name!r}: one of {known()}"])
        return BY_NAME[name]
    suffix = path.suffix.lower()
    for fmt in FORMATS:
        if suffix in fmt.suffixes:
            return fmt
    raise DirectoryError([f"{path}: the format follows the file's ending, and "
                          f"{suffix or 'no ending'!r} is none we know: {known()}"])
