"""Spreadsheets as people save them: real files written here byte by byte (cp1251 and
semicolons from Excel in a Russian locale, a BOM, UTF-16 with tabs, cp1252) and XLSX
workbooks written by openpyxl; imported through the command an operator runs."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.commands import directory as cli
from referral_directory import DirectoryError, load_directory
from referral_directory.formats import BY_NAME
from referral_directory.overlay import load_merged, load_overlay
from referral_directory.spreadsheet import decode, to_xlsx
from referral_directory.tabular import COLUMNS
from tests.e2e.test_analyze_cli import ROOT

HEADER = ["id", "name_local", "name_en", "kind", "operator", "country", "places",
          "languages", "topics", "contacts", "hours", "sources", "verified_on", "notes"]
RUSSIAN = [
    ["ru-krizisnyi-centr", "Кризисный центр «Сёстры»", "Sisters crisis centre", "ngo", "ngo",
     "RU", "Москва", "ru", "trafficking\nviolence_against_women_children",
     "phone | 8 800 700-06-00 | Горячая линия; будни, 10:00–20:00", "пн–пт 10:00–20:00",
     "https://example.org/sestry", "2024-05", "Проверено оператором: звонок 03.11"],
    ["kg-bishkek-ngo", "Общественный фонд «Тендеш»", "Tendesh foundation", "ngo", "ngo", "KG",
     "Бишкек", "ky\nru", "migrant_workers", "phone | +996 312 00-00-00", "",
     "https://example.org/tendesh", "2025", ""],
]


def _csv(rows: list[list[str]], delimiter: str) -> str:
    """A table as a spreadsheet program writes it: quoted cells where needed, CRLF."""
    def cell(value: str) -> str:
        if any(ch in value for ch in (delimiter, '"', "\n")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(delimiter.join(cell(v) for v in row) + "\r\n" for row in rows)


def main_py(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "directory", *args],
                          capture_output=True, text=True, timeout=120, env=env)


def test_excel_in_a_russian_locale_cp1251_and_semicolons(tmp_path: Path,
                                                         data_dir: Path) -> None:
    """The file of the issue: it ended in a UnicodeDecodeError traceback."""
    path = tmp_path / "организации.csv"
    path.write_bytes(_csv([HEADER, *RUSSIAN], ";").encode("cp1251"))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")  # what the old import did
    done = main_py(data_dir, "import", str(path))
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stdout
    merged = load_merged(data_dir)
    org = merged.get("ru-krizisnyi-centr")
    assert org is not None
    assert org.names.local == "Кризисный центр «Сёстры»"
    assert org.contacts[0].note == "Горячая линия; будни, 10:00–20:00"
    assert [t.value for t in org.topics] == ["trafficking", "violence_against_women_children"]
    assert merged.get("kg-bishkek-ngo").languages == ("ky", "ru")  # type: ignore[union-attr]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8", ";"),  # said "missing columns: id, …" before
    ("utf-8-sig", ";"),  # Excel's "CSV UTF-8": a byte-order mark first
    ("utf-8-sig", ","),
    ("utf-8", "\t"),
    ("utf-16", "\t"),  # Excel's "Unicode text"
    ("cp1251", ","),  # LibreOffice asked for "Cyrillic (Windows-1251)"
])
def test_encodings_and_delimiters(encoding: str, delimiter: str) -> None:
    data = _csv([HEADER, *RUSSIAN], delimiter).encode(encoding)
    directory = BY_NAME["csv"].read(data, "org.csv")
    assert [o.id for o in directory] == ["ru-krizisnyi-centr", "kg-bishkek-ngo"]
    assert directory.get("ru-krizisnyi-centr").notes == "Проверено оператором: звонок 03.11"  # type: ignore[union-attr]


def test_short_cyrillic_and_western_cells_are_told_apart() -> None:
    # charset-normalizer alone reads the Cyrillic one as Chinese (big5) and the other as
    # Baltic (cp775): our spreadsheets' code pages are asked first
    assert decode("id;name_local\nru-x;Москва\n".encode("cp1251"), "a.csv")[1] == "cp1251"
    text = "id,name_local\nid-x,Café Société Ñandú\n"
    assert decode(text.encode("cp1252"), "b.csv") == (text, "cp1252")


def test_a_binary_file_is_refused_not_guessed() -> None:
    with pytest.raises(DirectoryError, match="not text in any encoding"):
        decode(bytes(range(256)) * 8, "photo.csv")


def test_errors_name_the_line_in_the_file(tmp_path: Path, data_dir: Path) -> None:
    bad = [list(r) for r in RUSSIAN]
    bad[1][HEADER.index("contacts")] = "phone | звоните нам"
    rows = [HEADER, RUSSIAN[0], ["", "", ""], bad[1]]  # a multi-line cell, an empty row
    path = tmp_path / "bad.csv"
    path.write_bytes(_csv(rows, ";").encode("cp1251"))
    done = main_py(data_dir, "import", str(path))
    assert done.returncode == 1
    # row 2 spans lines 2-3 (its topics cell holds two lines); the bad row starts on line 5
    assert "bad.csv:5: kg-bishkek-ngo: contacts.0: Value error, not a phone number: " \
           "'звоните нам'" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and load_overlay(data_dir) is None


def test_missing_columns_say_how_the_file_was_read() -> None:
    data = "name;phone\nФонд;112\n".encode("cp1251")
    with pytest.raises(DirectoryError) as caught:
        BY_NAME["csv"].read(data, "x.csv")
    assert "x.csv:1: missing columns: id, name_local" in str(caught.value)
    assert "read with semicolons between cells" in str(caught.value)


def test_a_workbook_as_a_person_fills_it(tmp_path: Path, data_dir: Path) -> None:
    """Written by openpyxl as a spreadsheet program would: a number typed as a number, a
    date as a date, the columns in another order, an empty row at the end."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    header = list(reversed(HEADER))
    sheet.append(header)
    row = dict(zip(HEADER, RUSSIAN[0], strict=True))
    row["verified_on"] = datetime(2024, 5, 17)  # type: ignore[assignment]
    row["contacts"] = "phone | 112"
    sheet.append([row[c] for c in header])
    sheet.append([None] * len(header))
    path = tmp_path / "orgs.xlsx"
    workbook.save(path)
    assert cli.import_file(path, data_dir) == 0
    org = load_merged(data_dir).get("ru-krizisnyi-centr")
    assert org is not None and org.verified_on == "2024-05-17"
    assert org.places == ("Москва",) and org.contacts[0].value == "112"


def test_a_workbook_error_names_its_row(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    sheet.append(RUSSIAN[0])
    broken = list(RUSSIAN[1])
    broken[HEADER.index("kind")] = "club"
    sheet.append(broken)
    path = tmp_path / "orgs.xlsx"
    workbook.save(path)
    with pytest.raises(DirectoryError) as caught:
        BY_NAME["xlsx"].read(path.read_bytes(), "orgs.xlsx")
    assert "orgs.xlsx:3: kg-bishkek-ngo: kind" in str(caught.value)


def test_not_a_workbook(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("id,name\n")
    done = main_py(data_dir, "import", str(path))
    assert done.returncode == 1 and "not an XLSX workbook" in done.stderr
    assert "Traceback" not in done.stderr


def test_xlsx_export_keeps_every_field_and_never_a_formula() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    shipped = load_directory()
    data = to_xlsx(shipped)
    assert BY_NAME["xlsx"].read(data, "d.xlsx") == shipped
    sheet = load_workbook(BytesIO(data)).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    # '+7 …' numbers and '129' stay text: nothing a spreadsheet evaluates or reformats
    types = {cell.data_type for row in sheet.iter_rows(min_row=2) for cell in row
             if cell.value is not None}
    assert types == {"s"}


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    import io
    import zipfile

    good = zipfile.ZipFile(io.BytesIO(to_xlsx(load_directory())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for member in good.namelist():
            data = good.read(member)
            if member.startswith("xl/worksheets/"):
                data = data[:len(data) // 2]  # a sheet cut off half-way
            damaged.writestr(member, data)
    with pytest.raises(DirectoryError, match="not an XLSX workbook, or a damaged one"):
        BY_NAME["xlsx"].read(out.getvalue(), "cut.xlsx")


def test_random_bytes_are_refused_politely() -> None:
    """Whatever a file holds, the CSV reader says why it cannot use it; the command turns
    csv.Error (a cell over the field limit) into one line too."""
    import contextlib
    import csv
    import random

    rng = random.Random(3)
    header = ";".join(HEADER).encode("cp1251") + b"\r\n"
    for size in (0, 1, 10, 300, 3000):
        for _ in range(20):
            data = header + bytes(rng.randrange(256) for _ in range(size))
            with contextlib.suppress(DirectoryError, csv.Error):
                BY_NAME["csv"].read(data, "r.csv")
