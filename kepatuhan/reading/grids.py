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
from collections import Counter
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from kepatuhan.errors import DataError, Problem

TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
OPENPYXL_SUFFIXES = (".xlsx", ".xlsm")
CALAMINE_SUFFIXES = (".xls", ".xlsb", ".ods")
DELIMITERS = (",", ";", "\t", "|")
#: How many leading lines may be read to find the separator.
SNIFF_LINES = 12
#: How much of a line the separator sniffing looks at (a one-line 1 MB file is judged on its start).
SNIFF_CHARS = 4096
#: The largest cell a CSV may hold (the csv module's default, 128 KiB, rejects long notes).
FIELD_LIMIT = 64 * 1024 * 1024
#: Characters that show nothing: a cell holding only these (and spaces) is empty.
INVISIBLE = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]*$")
HINT_SAVE = "open it in Excel or LibreOffice and save it again as CSV (UTF-8) or .xlsx"


def grids(path: Path, label: str, is_header=None) -> tuple[dict[str | None, pd.DataFrame], list[Problem]]:
    """Every table of a file (one per visible sheet; ``None`` for a text file) as text cells, and reading notes
    (hidden sheets skipped). ``is_header`` tells a known column header (it helps find a text file's separator)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        grid, notes = text_grid(path, label, is_header)
        return {None: grid}, notes
    if suffix in OPENPYXL_SUFFIXES:
        return openpyxl_grids(path, label)
    if suffix in CALAMINE_SUFFIXES:
        return calamine_grids(path, label)
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
        raise DataError.single(
            "the file is neither UTF-8, UTF-16 nor Windows-1252 text",
            file=label,
            value=f"byte {data[exc.start : exc.start + 1]!r} at offset {exc.start}",
            hint=HINT_SAVE,
        ) from None


def text_grid(path: Path, label: str, is_header=None) -> tuple[pd.DataFrame, list[Problem]]:
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
        notes.append(
            Problem(
                f"first line 'sep={delimiter}' (an Excel hint) read as the separator and skipped", file=label, row=1
            )
        )
    else:
        delimiter = sniff(lines, is_header)
    csv.field_size_limit(FIELD_LIMIT)  # a long note is a note; the default limit (128 KiB) would reject the file
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter, strict=True)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise unparsable(exc, label, reader.line_num + skipped) from None
    grid = as_grid(rows)
    grid.index = grid.index + skipped  # rows keep the numbers they have in the file
    if grid.empty:
        raise DataError.single("the file is empty", file=label, hint="export the scores again")
    grid.attrs["delimiter"] = delimiter
    grid.attrs["widths"] = [len(row) for row in rows]  # a row wider than its header: a separator not quoted
    return grid, notes


def unparsable(exc: csv.Error, label: str, line: int) -> DataError:
    """The error for a CSV the reader gives up on, at the line (as an editor counts it) where it gave up."""
    if "field larger than field limit" in str(exc):
        return DataError.single(
            f"a cell is longer than {FIELD_LIMIT // 2**20} MiB, the most one cell may hold",
            file=label,
            row=line,
            hint='a value that starts with " must end with "; otherwise move the long text out of the file',
        )
    return DataError.single(
        f"the file cannot be parsed as CSV: {exc}",
        file=label,
        row=line,
        hint='check the quotes: a value that starts with " must end with "',
    )


def sniff(lines: list[str], is_header=None) -> str:
    """The separator: the one whose split of the first lines shows the most known headers, then gives the most
    lines of one same width (a note full of commas in a ``;`` file does not win), then the widest."""
    sample = [line[:SNIFF_CHARS] for line in lines[:SNIFF_LINES] if line.strip()]
    is_header = is_header or (lambda cell: False)

    def score(delimiter: str) -> tuple[int, int, int]:
        try:
            rows = [row for row in csv.reader(sample, delimiter=delimiter) if len(row) > 1]
        except csv.Error:
            return (0, 0, 0)
        widths = Counter(len(row) for row in rows)
        width, lines_of_width = widths.most_common(1)[0] if widths else (0, 0)
        return (max((sum(map(is_header, row)) for row in rows), default=0), lines_of_width, width)

    scores = {delimiter: score(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=scores.__getitem__)
    return best if scores[best][2] else ","


def cell_text(value, number_format: str = "General") -> str:
    """A cell as the analyst sees it: percentages times 100, whole numbers without ``.0``, errors as their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if is_percent(number_format):
            value = value * 100
        return str(int(value)) if float(value).is_integer() else f"{value:.10g}"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def is_percent(number_format) -> bool:
    """Whether a number format multiplies by 100: a ``%`` outside quotes and not escaped (``0.00" %"`` does not)."""
    bare = re.sub(r'"[^"]*"|\\.', "", str(number_format or ""))
    return "%" in bare


def openpyxl_grids(path: Path, label: str) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every visible sheet of an .xlsx/.xlsm workbook, cell by cell with its number format; a note for each
    hidden sheet; a :class:`DataError` for formulas saved without their value (nothing to read)."""
    import openpyxl  # heavy

    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError.single(
            "the workbook is password-protected or in the old .xls format with an .xlsx name",
            file=label,
            hint="remove the password, or open it in Excel and save it as .xlsx",
        )
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        shown = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
        notes = [
            Problem("sheet skipped: hidden sheet", file=f"{label} [{sheet.title}]")
            for sheet in book.worksheets
            if sheet not in shown
        ]
        sheets = {
            sheet.title: [[cell_text(c.value, c.number_format) for c in row] for row in sheet.iter_rows()]
            for sheet in shown
        }
        book.close()
        uncached = uncached_formulas(path, label, sheets)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise DataError.single(
            f"the workbook cannot be opened ({type(exc).__name__}: {exc})"[:300],
            file=label,
            hint="the file may be truncated or not an Excel file: export it again as .xlsx",
        ) from None
    except Exception as exc:  # openpyxl raises many types for corrupt parts
        raise DataError.single(
            f"the workbook cannot be read ({type(exc).__name__})",
            file=label,
            hint="the file may be damaged: open it in Excel and save a new copy as .xlsx",
        ) from None
    if uncached:
        raise DataError(uncached)
    return {name: as_grid(rows) for name, rows in sheets.items()}, notes


def uncached_formulas(path: Path, label: str, sheets: dict[str, list[list[str]]]) -> list[Problem]:
    """Formula cells saved without their value (written by a program, never opened in Excel): the value the
    analyst would see is unknown, so each is a problem. Only workbooks that hold formulas are opened twice."""
    import openpyxl  # heavy

    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(b"<f" in archive.read(n) for n in names):
            return []
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    problems = []
    for title, rows in sheets.items():
        for r, row in enumerate(book[title].iter_rows()):
            for c, cell in enumerate(row):
                if (
                    isinstance(cell.value, str)
                    and cell.value.startswith("=")
                    and not (rows[r][c] if c < len(rows[r]) else "")
                ):
                    problems.append(
                        Problem(
                            "the cell holds a formula saved without its value",
                            file=f"{label} [{title}]",
                            row=r + 1,
                            column=cell.coordinate,
                            value=cell.value,
                            hint="the values are not in the file: open it in Excel or LibreOffice and save a copy under a new name (the values are then stored); keep the original outside data/raw",
                        )
                    )
    book.close()
    return problems


def as_grid(rows: list[list[str]]) -> pd.DataFrame:
    """Rows of text into a frame (rows padded), without the rows that are wholly empty; index = row position."""
    width = max((len(r) for r in rows), default=0)
    rows = [["" if INVISIBLE.match(str(c)) else c for c in r] for r in rows]
    kept = [(i, r + [""] * (width - len(r))) for i, r in enumerate(rows) if any(r)]
    return (
        pd.DataFrame([r for _, r in kept], index=[i for i, _ in kept], dtype=str) if kept else pd.DataFrame(dtype=str)
    )


def calamine_grids(path: Path, label: str) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
    """Every visible sheet of an .xls, .xlsb or .ods file (values as stored), read with calamine; a note for
    each hidden sheet."""
    try:
        with open(path, "rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
            hidden = [m.name for m in book.sheets_metadata if str(m.visible).split(".")[-1].lower() != "visible"]
            sheets = {
                name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names
                if name not in hidden
            }
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise DataError.single(
            f"the spreadsheet cannot be read ({type(exc).__name__}: {exc})"[:300],
            file=label,
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from None
    notes = [Problem("sheet skipped: hidden sheet", file=f"{label} [{name}]") for name in hidden]
    return {str(name): as_grid([[cell_text(v) for v in row] for row in rows]) for name, rows in sheets.items()}, notes
