"""Read raw score files (CSV and Excel) as they are really published.

Everything is read as text first, so that each value can be checked with its file, row and column
named. Columns are recognised by their header, any case or spacing, from the header variants in
``config/columns.csv`` (an analyst adds a new variant there, never to the published file).
Nothing here changes a raw file.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kepatuhan import config
from kepatuhan.errors import DataError, Problem

REQUIRED_COLUMNS = ("year", "pemda", "score")


@functools.cache
def column_headers(path: Path = config.COLUMNS_FILE) -> dict[str, tuple[str, ...]]:
    """Canonical column -> its accepted headers (normalised), from ``config/columns.csv``."""
    table = config.read_config_table(path, ["column", "headers"])
    return {column: tuple(dict.fromkeys(normalise_header(h) for h in headers.split("|") if h.strip()))
            for column, headers in zip(table["column"], table["headers"])}  # fmt: skip


def header_to_column() -> dict[str, str]:
    """Normalised header -> canonical column."""
    return {header: column for column, headers in column_headers().items() for header in headers}

#: How many leading rows may hold a title above the header row.
HEADER_SEARCH_ROWS = 10
CSV_DELIMITERS = (",", ";", "\t")

_HINT_SAVE_AS_CSV = "open it in Excel or LibreOffice and save it again as CSV (UTF-8) or .xlsx"


@dataclass
class RawTable:
    """The recognised columns of one file (or one sheet), all as text.

    ``frame`` has the canonical column names found, plus ``raw_file`` and ``raw_row`` (the row
    number a person sees in a spreadsheet: the header is row 1 when it is the first line).
    ``notes`` are things worth reporting that are not errors (encoding fallback, skipped sheets).
    """

    frame: pd.DataFrame
    notes: list[Problem] = field(default_factory=list)


def normalise_header(header: object) -> str:
    """Lower-case a header, drop a BOM, and fold ``_``, ``-``, ``.`` and runs of spaces to one space."""
    text = str(header).replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s_\-./]+", " ", text).strip()


def read_raw_file(path: Path, label: str | None = None) -> list[RawTable]:
    """Read one raw file into one table per sheet that carries the required columns.

    ``label`` is how the file is named in messages and in ``raw_file`` (default: the path).
    Raises :class:`DataError` for an empty, unreadable or column-less file.
    """
    path = Path(path)
    label = label or str(path)
    if path.suffix.lower() == ".xlsx":
        grids = _read_xlsx_grids(path, label)
        notes: list[Problem] = []
    else:
        grid, notes = _read_csv_grid(path, label)
        grids = {None: grid}
    tables, missing, header_only = [], [], []
    for sheet, grid in grids.items():
        where = label if sheet is None else f"{label} [{sheet}]"
        found = _table_from_grid(grid, where)
        if isinstance(found, RawTable) and len(found.frame):
            tables.append(found)
        elif isinstance(found, RawTable):
            header_only.append(where)
        elif grid.size:
            missing.append((where, found))
    if not tables:
        if missing:
            raise DataError([_missing_columns_problem(where, headers) for where, headers in missing])
        if header_only:
            raise DataError.single("the file has a header row but no data rows", file=label,
                                   hint="export the scores again, or remove the file")  # fmt: skip
        raise DataError.single("the file is empty", file=label, hint="export the scores again")
    skipped = [Problem("sheet skipped: it has no year/pemda/score columns", file=w) for w, _ in missing]
    skipped += [Problem("sheet skipped: header row but no data rows", file=w) for w in header_only]
    tables[0].notes.extend(notes + skipped)
    return tables


def _missing_columns_problem(where: str, headers: list[str]) -> Problem:
    recognised = {header_to_column().get(normalise_header(h)) for h in headers}
    absent = [c for c in REQUIRED_COLUMNS if c not in recognised]
    accepted = "; ".join(f"{c}: {', '.join(column_headers()[c])}" for c in absent)
    return Problem(
        f"missing required column(s) {', '.join(absent)}",
        file=where,
        row=1,
        value=", ".join(str(h) for h in headers[:12]),
        hint=f"add the header to config/columns.csv (the file itself is kept as published); accepted now -> {accepted}",
    )


def _decode(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """Decode CSV bytes as UTF-8 (with or without BOM), else Windows-1252 with a note."""
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DataError.single(
            "the file is neither UTF-8 nor Windows-1252 text",
            file=label,
            value=f"byte {data[exc.start:exc.start + 1]!r} at offset {exc.start}",
            hint=_HINT_SAVE_AS_CSV,
        ) from None
    note = Problem("read as Windows-1252 (not UTF-8); check accented names", file=label)
    return text, [note]


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of comma, semicolon and tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_grid(path: Path, label: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The cells of a CSV file as a frame of strings without a header."""
    data = path.read_bytes()
    if data.startswith(b"PK\x03\x04"):
        raise DataError.single(
            "this is an Excel workbook with a .csv name", file=label, hint="rename it to .xlsx"
        )
    if b"\x00" in data[:65536]:
        raise DataError.single(
            "the file is binary, not CSV text", file=label, hint=_HINT_SAVE_AS_CSV
        )
    text, notes = _decode(data, label)
    if not text.strip():
        raise DataError.single("the file is empty", file=label, hint="export the scores again")
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=_sniff_delimiter(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise DataError.single(
            f"the CSV cannot be parsed: {exc}".strip(),
            file=label,
            hint="check quotes and that every row has the same number of separators",
        ) from None
    return grid.fillna(""), notes


def _read_xlsx_grids(path: Path, label: str) -> dict[str, pd.DataFrame]:
    """The cells of every sheet of an XLSX workbook, as frames of strings without a header."""
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise DataError.single(
            "the workbook is password-protected or in the old .xls format",
            file=label,
            hint="remove the password, or open it in Excel and save it as .xlsx",
        )
    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=str, engine="openpyxl")
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
    return {name: grid.fillna("") for name, grid in sheets.items()}


def _table_from_grid(grid: pd.DataFrame, where: str) -> RawTable | list[str]:
    """Locate the header row and keep the recognised columns.

    Returns the table, or the first row's cells when no row carries the required columns.
    """
    grid = grid.apply(lambda col: col.str.strip())
    grid = grid.loc[(grid != "").any(axis=1)]
    for position in range(min(HEADER_SEARCH_ROWS, len(grid))):
        headers = [normalise_header(h) for h in grid.iloc[position]]
        columns = [header_to_column().get(h) for h in headers]
        if all(c in columns for c in REQUIRED_COLUMNS):
            return _recognised_columns(grid, position, columns, where)
    return list(grid.iloc[0]) if len(grid) else []


def _recognised_columns(grid: pd.DataFrame, position: int, columns: list, where: str) -> RawTable:
    """Rename the recognised columns of the rows below the header; reject doubled columns."""
    seen: dict[str, int] = {}
    for index, column in enumerate(columns):
        if column is None:
            continue
        if column in seen:
            headers = grid.iloc[position]
            raise DataError.single(
                f"two columns mean '{column}': '{headers.iloc[seen[column]]}' and '{headers.iloc[index]}'",
                file=where,
                row=int(grid.index[position]) + 1,
                hint="keep one of them, or rename the other",
            )
        seen[column] = index
    body = grid.iloc[position + 1 :, list(seen.values())]
    body.columns = list(seen)
    frame = body.reset_index(names="raw_row")
    frame["raw_row"] = frame["raw_row"].astype("int64") + 1
    frame.insert(0, "raw_file", where)
    return RawTable(frame)


def parse_decimal(values: pd.Series) -> pd.Series:
    """Parse numbers written with a decimal point or an Indonesian decimal comma (``89,62``).

    A trailing ``%`` is allowed (2015-2016 results were percentages). Text that is not a number
    becomes NaN, so the caller can report it with its row.
    """
    text = values.astype(str).str.strip().str.rstrip("%").str.strip()
    comma = text.str.fullmatch(r"[+-]?\d+,\d+")
    text = text.where(~comma, text.str.replace(",", ".", regex=False))
    plain = text.str.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)")
    return pd.to_numeric(text.where(plain), errors="coerce")
