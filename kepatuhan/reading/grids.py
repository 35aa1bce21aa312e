"""The cells of a raw file as text, the way the analyst sees them in a spreadsheet.

- CSV and text exports (``.csv``, ``.txt``, ``.tsv``): UTF-8 (with or without BOM), UTF-16 (Excel's
  "Unicode text") or Windows-1252; comma, semicolon or tab, or the separator an Excel ``sep=;`` first
  line names; title rows and rows of uneven length are kept as they are, for the reader to judge.
- ``.xlsx`` and ``.xlsm``: read cell by cell with openpyxl, so a cell formatted as a percentage
  (0.8962 shown as 89.62%) reads as 89.62, as shown, and an error cell (``#N/A``) reads as its text.
- ``.xls``, ``.xlsb`` and ``.ods``: read with calamine (values, no formats).

Every cell is text; a truly empty cell is "". Nothing here changes a raw file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from kepatuhan.errors import DataError, Problem

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
CALAMINE_SUFFIXES = (".xls", ".xlsb", ".ods")
DELIMITERS = (",", ";", "\t", "|")
#: How many leading lines may be read to find the separator.
SNIFF_LINES = 12
HINT_SAVE = "open it in Excel or LibreOffice and save it again as CSV (UTF-8) or .xlsx"


def grids(path: Path, label: str) -> tuple[dict[str | None, pd.DataFrame], list[Problem]]:
    """Every table of a file (one per sheet; ``None`` for a text file) as text cells, and reading notes."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        grid, notes = text_grid(path, label)
        return {None: grid}, notes
    if suffix in OPENPYXL_SUFFIXES:
        return openpyxl_grids(path, label), []
    if suffix in CALAMINE_SUFFIXES:
        return calamine_grids(path, label), []
    raise ValueError(f"no reader for {suffix}")


def decode(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """Text of a file: UTF-16 when it says so, else UTF-8 (with or without BOM), else Windows-1252 with a note."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), [Problem("read as UTF-16 (Excel's Unicode text)", file=label)]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), [Problem("read as Windows-1252 (not UTF-8); check accented names", file=label)]
    except UnicodeDecodeError as exc:
        raise DataError.single("the file is neither UTF-8, UTF-16 nor Windows-1252 text", file=label,
                               value=f"byte {data[exc.start:exc.start + 1]!r} at offset {exc.start}", hint=HINT_SAVE) from None  # fmt: skip


def text_grid(path: Path, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The cells of a CSV or text export, rows padded to the widest one."""
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise DataError.single("this is an Excel workbook with a text name", file=label, hint="rename it to .xlsx")
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataError.single("the file is binary, not CSV text", file=label, hint=HINT_SAVE)
    text, notes = decode(data, label)
    lines = re.split(r"\r\n|\n|\r", text)  # real line breaks only: a vertical tab inside a cell is text
    skipped = 0
    if lines and lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter, lines, skipped = lines[0].strip()[4], lines[1:], 1
        notes.append(Problem(f"first line 'sep={delimiter}' (an Excel hint) read as the separator and skipped", file=label, row=1))
    else:
        delimiter = sniff(lines)
    try:
        rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise DataError.single(f"the file cannot be parsed as CSV: {exc}", file=label,
                               hint="check the quotes: a value that starts with \" must end with \"") from None  # fmt: skip
    grid = as_grid(rows)
    grid.index = grid.index + skipped  # rows keep the numbers they have in the file
    if grid.empty:
        raise DataError.single("the file is empty", file=label, hint="export the scores again")
    grid.attrs["delimiter"] = delimiter
    return grid, notes


def sniff(lines: list[str]) -> str:
    """The separator: the one that splits the first lines into the most fields (a title line has none)."""
    sample = [line for line in lines[:SNIFF_LINES] if line.strip()]
    counts = {d: max((line.count(d) for line in sample), default=0) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def cell_text(value, number_format: str = "General") -> str:
    """A cell as the analyst sees it: percentages times 100, whole numbers without ``.0``, errors as their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in str(number_format):
            value = value * 100
        return str(int(value)) if float(value).is_integer() else f"{value:.10g}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def openpyxl_grids(path: Path, label: str) -> dict[str, pd.DataFrame]:
    """Every sheet of an .xlsx/.xlsm workbook, cell by cell with its number format."""
    import openpyxl

    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError.single("the workbook is password-protected or in the old .xls format with an .xlsx name", file=label,
                               hint="remove the password, or open it in Excel and save it as .xlsx")  # fmt: skip
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheets = {sheet.title: [[cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
                  for sheet in book.worksheets}  # fmt: skip
        book.close()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise DataError.single(f"the workbook cannot be opened ({type(exc).__name__}: {exc})"[:300], file=label,
                               hint="the file may be truncated or not an Excel file: export it again as .xlsx") from None  # fmt: skip
    except Exception as exc:  # openpyxl raises many types for corrupt parts
        raise DataError.single(f"the workbook cannot be read ({type(exc).__name__})", file=label,
                               hint="the file may be damaged: open it in Excel and save a new copy as .xlsx") from None  # fmt: skip
    return {name: as_grid(rows) for name, rows in sheets.items()}


def as_grid(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text into a frame (rows padded), without the rows that are wholly empty; index = row position."""
    width = max((len(r) for r in rows), default=0)
    kept = [(i, r + [""] * (width - len(r))) for i, r in enumerate(rows) if any(str(c).strip() for c in r)]
    return pd.DataFrame([r for _, r in kept], index=[i for i, _ in kept], dtype=str) if kept else pd.DataFrame(dtype=str)


def calamine_grids(path: Path, label: str) -> dict[str, pd.DataFrame]:
    """Every sheet of an .xls, .xlsb or .ods file (values as stored), read with calamine."""
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine", na_filter=False)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise DataError.single(f"the spreadsheet cannot be read ({type(exc).__name__}: {exc})"[:300], file=label,
                               hint="open it in Excel or LibreOffice and save it again as .xlsx") from None  # fmt: skip
    return {str(name): as_grid([[cell_text(v) for v in row] for row in grid.itertuples(index=False)]) for name, grid in sheets.items()}
