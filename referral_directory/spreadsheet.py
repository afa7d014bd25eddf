"""Spreadsheets as people save them: the bytes of a CSV in whatever encoding the program
chose, and XLSX workbooks (openpyxl), both ways.

Excel saves "CSV" in the locale's ANSI code page (cp1251 in Russia and Central Asia, cp1252
in Indonesia and western Europe) with semicolons where the decimal mark is a comma, "CSV
UTF-8" with a byte-order mark, and "Unicode text" as UTF-16 with tabs; LibreOffice asks.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from datetime import date, datetime, time
from typing import Any
from xml.etree.ElementTree import ParseError

from charset_normalizer import from_bytes

from referral_directory.errors import DirectoryError
from referral_directory.loader import Directory
from referral_directory.tabular import COLUMNS, from_rows, to_rows

# Excel's "CSV" in Russian, Kazakh, Kyrgyz, Tajik and Uzbek (Cyrillic) locales, then in
# Indonesian, Malay, English and western European ones; ties go to the first.
SPREADSHEET_CODE_PAGES = ("cp1251", "cp1252")
_MESSY = 0.2  # charset-normalizer's chaos above which a code page reads as gibberish
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, name: str) -> tuple[str, str]:
    """The text and the encoding it was read in. A byte-order mark decides; then strict
    UTF-8 (most files, and any ASCII one); then charset-normalizer, asked first about the
    code pages spreadsheets save in where the bot works (a short cell of Cyrillic is
    otherwise read as Chinese), then about every encoding it knows."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DirectoryError([f"{name}: starts as {encoding} but byte "
                                      f"{exc.start + 1} is not: save it again"]) from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    local = sorted(from_bytes(data, cp_isolation=list(SPREADSHEET_CODE_PAGES)),
                   key=lambda m: (m.chaos, -m.coherence,
                                  SPREADSHEET_CODE_PAGES.index(m.encoding)))
    best = local[0] if local and local[0].chaos < _MESSY else from_bytes(data).best()
    if best is None:
        raise DirectoryError([f"{name}: not text in any encoding we can tell (a binary "
                              "file?); save the sheet as CSV UTF-8 or XLSX and import it "
                              "again"])
    return str(best), best.encoding


def read_xlsx(data: bytes, name: str) -> Directory:
    """The first sheet of a workbook, its first row naming the columns; errors name the
    sheet's row numbers, as the spreadsheet shows them."""
    from openpyxl import load_workbook  # openpyxl takes ~0.2 s to import: only when needed
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError,
            ParseError) as exc:
        raise _not_a_workbook(name, exc) from exc
    try:
        # read_only parses a sheet's XML while iterating: a damaged one fails here
        sheet = workbook.worksheets[0]
        rows = [(number, [_cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
    except (IndexError, KeyError, ValueError, ParseError, zipfile.BadZipFile) as exc:
        raise _not_a_workbook(name, exc) from exc
    finally:
        workbook.close()
    return from_rows(rows, name)


def _not_a_workbook(name: str, exc: Exception) -> DirectoryError:
    return DirectoryError([f"{name}: not an XLSX workbook, or a damaged one "
                           f"({exc.__class__.__name__}); save it from the spreadsheet as "
                           ".xlsx, or as CSV"])


def _cell_text(value: Any) -> str:
    """A cell as the text the directory holds: a number typed into a cell reads as its
    digits (129, not 129.0), a date as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_xlsx(directory: Directory) -> bytes:
    """One sheet, the columns of the CSV export; every cell is stored as text, so that a
    value starting with '=' or '+' is never taken for a formula and '129' stays '129'."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "organisations"
    wrap = Alignment(wrap_text=True, vertical="top")
    for column, title in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=title)
        cell.font = Font(bold=True)
    for row_number, row in enumerate(to_rows(directory), start=2):
        for column, title in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=column)
            cell.value = row[title]
            cell.data_type = "s"  # text, whatever it starts with
            if "\n" in row[title]:
                cell.alignment = wrap
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
