"""Read raw score files (CSV, text exports and Excel workbooks) as they are really published.

The cells come from :mod:`kepatuhan.reading.grids` as text, as the analyst sees them, so each value can be
checked with its file, row and column named. Columns are recognised by their header, any case or
spacing, from the header variants in ``config/columns.csv`` (an analyst adds a new variant there,
never to the published file). Nothing is silently dropped or reinterpreted:

- a header that is not recognised is reported in the data-quality table; one that looks like the OPD
  column stops the run (ignored, it would turn every row into a pemda total);
- only a truly empty OPD cell means the pemda's own total: a placeholder (``-``, ``NA``, ``null``...)
  or a spreadsheet error (``#N/A``, ``#DIV/0!``) in a column that matters stops the run;
- in a comma-separated file, a whole-number score followed by a digits-only cell where text belongs
  (``89`` then ``62``) is a decimal comma that split the value, and stops the run.

Nothing here changes a raw file.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kepatuhan import schema, settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.reading.grids import CALAMINE_SUFFIXES, OPENPYXL_SUFFIXES, TEXT_SUFFIXES, grids
from kepatuhan.reference.names import tidy
from kepatuhan.writing import csv_line

#: Columns every score file must have, as the scores table declares them.
REQUIRED_COLUMNS = tuple(schema.columns("scores", source=schema.REQUIRED))
#: Columns of which a score file needs at least one: a published result (score, grade, zone, label...).
RESULT_COLUMNS = tuple(schema.columns("scores", result=True))
#: How many leading rows may hold a title above the header row.
HEADER_SEARCH_ROWS = 10
READABLE_SUFFIXES = TEXT_SUFFIXES + OPENPYXL_SUFFIXES + CALAMINE_SUFFIXES
#: What a spreadsheet shows for a formula that failed.
ERROR_CELLS = frozenset(
    {"#N/A", "#N/A!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}
)
#: Cells that stand for "nothing" without being empty.
PLACEHOLDERS = frozenset({"-", "--", "–", "—", "na", "n/a", "n.a.", "none", "null", "nil", "nan", "tidak ada"})
#: Columns where an error cell or a placeholder changes what a row means.
STRICT_COLUMNS = tuple(schema.columns("scores", strict=True))
#: Words of a header that may name the OPD column (ignored, it would make every row a pemda total).
OPD_WORDS = frozenset(
    {"opd", "unit", "dinas", "perangkat", "layanan", "pelayanan", "lokus", "satker", "badan", "agency"}
)
#: Columns that hold words, never a number: a short run of digits there, after a whole-number score,
#: is the decimals of a score split by the file's comma.
TEXT_ONLY = tuple(schema.columns("scores", words=True))


@dataclass
class RawTable:
    """The recognised columns of one file (or one sheet), all as text.

    ``frame`` has the canonical column names found, plus ``raw_file`` and ``raw_row`` (the row
    number a person sees in a spreadsheet: the header is row 1 when it is the first line).
    ``notes`` are things worth reporting that are not errors (encoding, skipped sheets, ignored columns).
    ``headers``: each canonical column's header as the file writes it (``score``: ``Nilai Akhir``), for messages.
    """

    frame: pd.DataFrame
    notes: list[Problem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


#: What to do about a raw file the system refuses to open.
HINT_UNREADABLE = "close the file if it is open in Excel, and give your user permission to read it"


@functools.cache
def column_headers(path: Path = settings.COLUMNS_FILE) -> dict[str, tuple[str, ...]]:
    """Canonical column -> its accepted headers (normalised), from ``config/columns.csv``."""
    table = settings.read_config_table(path, ["column", "headers"])
    return {
        column: tuple(dict.fromkeys(normalise_header(h) for h in headers.split("|") if h.strip()))
        for column, headers in zip(table["column"], table["headers"])
    }


def header_to_column() -> dict[str, str]:
    """Normalised header -> canonical column."""
    return {header: column for column, headers in column_headers().items() for header in headers}


#: Characters a header can carry that no one sees: byte-order mark, zero-width spaces and joiners, soft hyphen.
INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad]")


def normalise_header(header: object) -> str:
    """The header as a person reads it: lower case, invisible characters dropped (a header ``\u200bnilai`` is
    ``nilai``), ``_``, ``-``, ``.``, ``/`` and runs of spaces (a no-break space too) folded to one space."""
    text = INVISIBLE.sub("", str(header)).strip().lower()
    return re.sub(r"[\s_\-./]+", " ", text).strip()


def read_raw_file(path: Path, label: str | None = None) -> list[RawTable]:
    """Read one raw file into one table per sheet that carries the required columns.

    ``label`` is how the file is named in messages and in ``raw_file`` (default: the path).
    Raises :class:`DataError` for an empty, unreadable or column-less file, or a cell that would be misread.
    """
    path = Path(path)
    label = label or str(path)
    if path.is_symlink() and not path.exists():
        raise DataError.single(
            "the file is a link to a file that does not exist", file=label, hint="copy the real file here"
        )
    try:
        found, notes = grids(path, label, lambda cell: normalise_header(cell) in header_to_column())
    except OSError as exc:  # no permission, or locked by Excel on Windows: the file, not the outputs
        raise DataError.single(
            f"the file cannot be read: {exc.strerror or exc}", file=label, hint=HINT_UNREADABLE
        ) from None
    tables, missing, header_only = [], [], []
    for sheet, grid in found.items():
        where = label if sheet is None else f"{label} [{sheet}]"
        table = _table_from_grid(grid, where)
        if isinstance(table, RawTable) and len(table.frame):
            tables.append(table)
        elif isinstance(table, RawTable):
            header_only.append(where)
        elif grid.size:
            missing.append((where, table))
    if not tables:
        raise DataError(_nothing_read(label, missing, header_only))
    tables[0].notes[:0] = notes
    tables[0].notes += [Problem("sheet skipped: it has no year/pemda/score columns", file=w) for w, _ in missing]
    tables[0].notes += [Problem("sheet skipped: header row but no data rows", file=w) for w in header_only]
    return tables


def _nothing_read(label: str, missing: list, header_only: list) -> list[Problem]:
    """Why no table could be read from a file."""
    if missing:
        return [_missing_columns_problem(where, headers) for where, headers in missing]
    if header_only:
        return [
            Problem(
                "the file has a header row but no data rows",
                file=label,
                hint="export the scores again, or remove the file",
            )
        ]
    return [Problem("the file is empty", file=label, hint="export the scores again")]


def _missing_columns_problem(where: str, headers: list[str]) -> Problem:
    recognised = {header_to_column().get(normalise_header(h)) for h in headers}
    absent = [f"{c} ({', '.join(column_headers()[c][:4])})" for c in REQUIRED_COLUMNS if c not in recognised]
    if not recognised & set(RESULT_COLUMNS):
        absent.append(f"a result ({' or '.join(column_headers()[c][0] for c in RESULT_COLUMNS)})")
    return Problem(
        f"missing required column(s): {'; '.join(absent)}",
        file=where,
        row=1,
        value=", ".join(str(h) for h in headers[:12]),
        hint="if the file names it another way, add that header to its line of config/columns.csv (the file itself is kept as published)",
    )


def _table_from_grid(grid: pd.DataFrame, where: str) -> RawTable | list[str]:
    """Locate the header row and keep the recognised columns.

    Returns the table, or the first row's cells when no row carries the required columns.
    """
    grid = grid.apply(lambda col: col.str.strip())
    for position in range(min(HEADER_SEARCH_ROWS, len(grid))):
        headers = [normalise_header(h) for h in grid.iloc[position]]
        columns = [header_to_column().get(h) for h in headers]
        if all(c in columns for c in REQUIRED_COLUMNS) and any(c in columns for c in RESULT_COLUMNS):
            split = _split_decimals(grid, position, columns, where) if grid.attrs.get("delimiter") == "," else []
            if split:  # before the columns without a header: a split score makes one
                raise DataError(split)
            grid = _name_unnamed(grid, position, where)
            columns = [header_to_column().get(normalise_header(h)) for h in grid.iloc[position]]
            table = _recognised_columns(grid, position, columns, where)
            table.notes += _ignored_headers(grid.iloc[position], columns, where, int(grid.index[position]) + 1)
            _check_cells(table, where)
            return table
    return list(grid.iloc[0]) if len(grid) else []


def _name_unnamed(grid: pd.DataFrame, position: int, where: str) -> pd.DataFrame:
    """The grid with each column that has values but no header named as ``config/unnamed_columns.csv`` says;
    a :class:`DataError` names (by letter) every such column it does not name: its values would be lost, or
    worse, an OPD column without a header would make every OPD's score its pemda's total."""
    from openpyxl.utils import get_column_letter  # heavy

    headers, body = grid.iloc[position], grid.iloc[position + 1 :]
    blank = [i for i, h in enumerate(headers) if not str(h).strip() and body.iloc[:, i].ne("").any()]
    if not blank:
        return grid
    named = unnamed_columns().get(where, {})
    grid, problems = grid.copy(), []
    for index in blank:
        letter = get_column_letter(index + 1)
        if named.get(letter, "").startswith("+"):
            _continue_column(grid, position, index, named[letter][1:])
            continue
        if letter in named:
            grid.iat[position, index] = named[letter]
            continue
        if index >= _header_width(grid, position):
            problems += _unquoted(grid, position, index, where)
            continue
        sample = [v for v in body.iloc[:, index] if v][:3]
        problems.append(
            Problem(
                f"column {letter} has values but no header (a blank or merged header cell)",
                file=where,
                row=int(grid.index[position]) + 1,
                column=letter,
                value=", ".join(sample),
                hint=f"say what it is in {settings.display(settings.UNNAMED_COLUMNS_FILE)}, for example with the line  "
                f"{where},{letter},opd  (the header of a known column; the file is kept as published)",
            )
        )
    if problems:
        raise DataError(problems)
    return grid


def _header_width(grid: pd.DataFrame, position: int) -> int:
    """How many values the header line of a text file holds (a workbook's sheet: all its columns)."""
    widths = grid.attrs.get("widths")
    return widths[position] if widths and position < len(widths) else len(grid.columns)


def _unquoted(grid: pd.DataFrame, position: int, index: int, where: str) -> list[Problem]:
    """Each line of a text file with more values than its header (from column ``index`` on): a separator inside a
    value that was not quoted. Named by its line; the fix offered joins the extra text to the last column, and
    only when that column holds words (a note, a source), where joining cannot change a result."""
    from openpyxl.utils import get_column_letter  # heavy

    headers, delimiter = grid.iloc[position], grid.attrs["delimiter"]
    width = _header_width(grid, position)
    last = tidy(headers.iloc[width - 1])
    words_only = header_to_column().get(normalise_header(last)) in schema.columns("scores", words=True, result=False)
    letter = get_column_letter(index + 1)
    hint = (
        f"if the text after the last '{delimiter}' belongs to the column '{last}', say so in "
        f"{settings.display(settings.UNNAMED_COLUMNS_FILE)} with the line  {where},{letter},+{last}  "
        "(the file is kept as published)"
        if words_only
        else "the file is kept as published: type the release's values into a new file (python pipeline.py "
        "template) and keep this one out of data/raw/"
    )
    extra = grid.iloc[position + 1 :]
    lines = extra.index[extra.iloc[:, index].ne("")]
    return [
        Problem(
            f"the line has {len(_as_written(grid.loc[line]))} values where the header has {width}: a "
            f"'{delimiter}' inside a value was not quoted",
            file=where,
            row=int(line) + 1,
            value=_line_as_written(grid.loc[line], delimiter),
            hint=hint,
        )
        for line in lines
    ]


def _as_written(cells: pd.Series) -> list[str]:
    """A row's cells up to its last one that is not empty."""
    values = [str(v) for v in cells]
    while values and not values[-1]:
        values.pop()
    return values


def _line_as_written(cells: pd.Series, delimiter: str) -> str:
    """A row as a CSV line, the way the file writes it (a value holding the separator in quotes)."""
    return csv_line(_as_written(cells), delimiter)


def _continue_column(grid: pd.DataFrame, position: int, index: int, header: str) -> None:
    """Join the values of column ``index`` to the column headed ``header`` (``+catatan`` in
    ``config/unnamed_columns.csv``): the text after a separator that was not quoted, put back where it was."""
    headers = [normalise_header(h) for h in grid.iloc[position]]
    target = headers.index(normalise_header(header)) if normalise_header(header) in headers else None
    if target is None:
        raise DataError.single(
            f"no column headed '{header}' to join column {index + 1} to",
            file=settings.display(settings.UNNAMED_COLUMNS_FILE),
            hint="write the header as the file writes it, after the +",
        )
    delimiter = grid.attrs.get("delimiter", ",")
    for row in range(position + 1, len(grid)):
        extra = grid.iat[row, index]
        if extra:
            grid.iat[row, target] = f"{grid.iat[row, target]}{delimiter}{extra}"
            grid.iat[row, index] = ""


def unnamed_columns(path: Path | None = None) -> dict[str, dict[str, str]]:
    """``config/unnamed_columns.csv``: for a file (as messages name it) and a column letter, the header it means."""
    path = Path(path or settings.UNNAMED_COLUMNS_FILE)
    if not path.exists():
        return {}
    found: dict[str, dict[str, str]] = {}
    for row in settings.read_config_table(path, ["file", "column", "header"]).itertuples(index=False):
        found.setdefault(row.file, {})[row.column.upper()] = row.header
    return found


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
                hint=f"the file is kept as published: if one of them is not the {column}, remove its header from the '{column}' line of config/columns.csv",
            )
        seen[column] = index
    body = grid.iloc[position + 1 :, list(seen.values())]
    body.columns = list(seen)
    frame = body.reset_index(names="raw_row")
    frame.attrs = {}  # how the grid was read (its delimiter, each row's width) stays with the grid, not the rows
    frame["raw_row"] = frame["raw_row"].astype("int64") + 1
    frame.insert(0, "raw_file", where)
    written = {column: tidy(grid.iloc[position, index]) for column, index in seen.items()}
    return RawTable(frame, headers={column: header for column, header in written.items() if header})


def _ignored_headers(headers: pd.Series, columns: list, where: str, row: int) -> list[Problem]:
    """Report each header that was not recognised; stop when one looks like the OPD column and none is known."""
    known = list(header_to_column())
    notes = []
    for header, column in zip(headers, columns):
        if column is not None or not str(header).strip():
            continue
        near = (
            difflib.get_close_matches(normalise_header(header), known, n=1, cutoff=0.75)
            if len(str(header)) <= 80
            else []
        )
        words = set(normalise_header(header).split())
        if "opd" not in columns and (words & OPD_WORDS or (near and header_to_column()[near[0]] == "opd")):
            raise DataError.single(
                f"the column '{header}' looks like the OPD column but is not a known header: read as is, "
                "every row would be taken as a pemda's own total",
                file=where,
                row=row,
                column=str(header),
                hint="add the header to the 'opd' row of config/columns.csv (the file itself is kept as published)",
            )
        like = (
            f"; it looks like '{near[0]}' ({header_to_column()[near[0]]}): add it to config/columns.csv if it is"
            if near
            else ""
        )
        notes.append(
            Problem(f"column '{header}' ignored: not a known header{like}", file=where, row=row, column=str(header))
        )
    return notes


def _check_cells(table: RawTable, where: str) -> None:
    """Stop on cells that would be misread: spreadsheet errors (split decimal commas and placeholders are checked apart)."""
    problems, frame = [], table.frame
    for column in (c for c in STRICT_COLUMNS if c in frame):
        values = frame[column]
        candidates = values[values.str.startswith("#", na=False).astype(bool)]  # every error cell starts so
        errors = candidates[candidates.str.upper().isin(ERROR_CELLS)]
        for row, value in zip(frame.loc[errors.index, "raw_row"], errors):
            problems.append(
                Problem(
                    "the cell shows a spreadsheet error, not a value",
                    file=where,
                    row=int(row),
                    column=table.headers.get(column, column),
                    value=value,
                    hint="fix the formula in the spreadsheet it came from and export again",
                )
            )
    if problems:
        raise DataError(problems)


def _split_decimals(grid: pd.DataFrame, position: int, columns: list, where: str) -> list[Problem]:
    """Rows of a comma-separated file where an unquoted decimal comma split the score (``89,62`` -> 89 | 62)."""
    if "score" not in columns:
        return []
    at = columns.index("score")
    follows = columns[at + 1] if at + 1 < len(columns) else None
    width = max((i for i, h in enumerate(grid.iloc[position]) if str(h).strip()), default=0) + 1
    body = grid.iloc[position + 1 :]
    whole = body.iloc[:, at].str.fullmatch(r"\d{1,3}")
    after = body.iloc[:, at + 1] if at + 1 < body.shape[1] else pd.Series("", index=body.index)
    digits = after.str.fullmatch(r"\d{1,3}").fillna(False).astype(bool)
    extra = body.iloc[:, width:].ne("").any(axis=1) if body.shape[1] > width else pd.Series(False, index=body.index)
    split = (
        whole & digits & (((follows in TEXT_ONLY) | (follows is None)) | extra)
    )  # the decimals went into a note, or past the header
    return [
        Problem(
            "a decimal comma probably split the score: the file is comma-separated and the value is not quoted",
            file=where,
            row=int(i) + 1,
            column=tidy(grid.iloc[position, at]) or "score",
            value=f"{body.at[i, body.columns[at]]} | {after.get(i, '')}",
            hint=f"quote the score (\"{body.at[i, body.columns[at]]},{after.get(i, '')}\") or save the file with ';' as separator",
        )
        for i in body.index[split]
    ]


#: A number as :func:`parse_decimal` reads it: spaces around it, a decimal point or comma, ``%`` after it.
DECIMAL = r"^\s*([+-]?(?:\d+,\d+|\d+(?:\.\d*)?|\.\d+))\s*%*\s*$"


def parse_decimal(values: pd.Series) -> pd.Series:
    """Parse numbers written with a decimal point or an Indonesian decimal comma (``89,62``).

    A trailing ``%`` is allowed (2015-2016 results were percentages). Text that is not a number
    becomes NaN, so the caller can report it with its row.
    """
    number = values.astype(str).str.extract(DECIMAL, expand=False)  # one pass of one regular expression
    return pd.to_numeric(number.str.replace(",", ".", regex=False), errors="coerce")
