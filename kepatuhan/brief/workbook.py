"""The brief's workbook, ``ringkasan_<year>.xlsx``: every table of a brief, for an analyst to filter and reuse.

One sheet each for the scores, the comparisons, the watch list, the zone distributions (pemda and
OPD) and the sources. Each sheet has a note row (what it holds; the illustrative and provisional
notes), a frozen header row in the reader's language, fitted column widths, two-decimal number
formats and an autofilter. Text that a spreadsheet would run as a formula keeps a leading
apostrophe. The same tables give the same bytes: the document's and the archive's timestamps are
fixed. Written with XlsxWriter (openpyxl reads the raw files); its column widths are stored as Excel
stores a width of n characters (n + 5/7), so columns show the fitted width.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd

from kepatuhan import catalog, schema
from kepatuhan.brief.wording import LANGS, catalogue, words
from kepatuhan.writing import FORMULA_STARTS, write_bytes

#: The date written into the workbook's properties and archive, so that runs give the same bytes.
FIXED_TIME = datetime(2000, 1, 1)
DECIMALS = {"score", "prev_score", "delta"}
PERCENT = {"share"}
#: XlsxWriter's options: text stays text (never a formula, a link or a number), NaN is never written.
WRITER_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "nan_inf_to_errors": False,
}
#: A workbook of more cells than this is written row by row (XlsxWriter's ``constant_memory``, which needs its
#: temporary files): the national workbook's 800,000 cells took 120 MB as a table of cells, and take 7 MB so.
#: Its text is then stored in each cell rather than once in a shared table: the same cells, read by any
#: spreadsheet, in a file 14% larger that takes 30% longer to write; smaller workbooks keep the shared table.
ROW_BY_ROW_CELLS = 200_000
#: Columns that hold a method's code: the workbook shows the method's name instead.
METHOD_COLUMNS = ("method", "prev_method")


def sheets(data) -> dict[str, pd.DataFrame]:
    """The tables of a brief (:class:`~kepatuhan.brief.data.BriefData`), by sheet key, with their schemas' columns.

    The watch list starts with its rank and has the reason in the reader's language only; methods are
    named, not coded; the sources sheet has one row per source and year.
    """
    other = [f"reason_{lang}" for lang in LANGS if lang != data.lang]
    watch = data.watch[["rank", *(c for c in schema.columns("watch_list") if c != "rank" and c not in other)]]
    sources = (
        data.scores.loc[data.scores["source"] != "", ["source", "year"]]
        .assign(source=lambda rows: rows["source"].map(schema.sources_of))
        .explode("source")
        .drop_duplicates()
        .sort_values(["source", "year"])
    )
    tables = {
        "scores": data.scores[schema.columns("scores")],
        "comparisons": data.comparisons,
        "watch_list": watch.rename(columns={f"reason_{data.lang}": "reason"}),
        "pemda_zones": data.pemda_zones,
        "opd_zones": data.opd_zones,
        "sources": sources,
        "corrections": data.corrections.assign(
            column=[words(f"column.{c}", data.lang) for c in data.corrections["column"]]
        ),
    }
    return {key: named_methods(frame, data) for key, frame in tables.items()}


def named_methods(frame: pd.DataFrame, data) -> pd.DataFrame:
    """The table with each method code replaced by the method's name in the reader's language (looked up
    once per code: per row, the national scores sheet spent 30 s on it)."""
    frame = frame.copy()
    for column in (c for c in METHOD_COLUMNS if c in frame):
        names = {code: data.methods.name(code, data.lang) if code else "" for code in frame[column].unique()}
        frame[column] = frame[column].map(names)
    return frame


def notes(data) -> str:
    """The note row: what the workbook holds, and the illustrative and provisional notes when they apply."""
    parts = [words("workbook.title", data.lang, year=data.year, scope=data.scope)]
    if data.scores["illustrative"].any():
        parts.append(words("workbook.illustrative", data.lang))
    for method in sorted(set(data.scores["method"])):
        if data.methods.provisional(method):
            parts.append(words("workbook.provisional", data.lang, method=data.methods.name(method, data.lang)))
    return " ".join(parts)


def write(data) -> Path | None:
    """Write the workbook into the brief's folder (nothing when the brief is run alone)."""
    if not data.out_dir:
        return None
    target = catalog.path("workbook", data.out_dir, year=data.year, lang=data.lang)
    return write_bytes(build(data), target)


def build(data) -> bytes:
    """The workbook as XLSX bytes, written with XlsxWriter: about 3x faster than openpyxl and a fraction of
    its memory (the national workbook holds over a million cells: 60 s and 600 MB with openpyxl), row by
    row when it is large (:func:`writer_options`)."""
    import xlsxwriter  # heavy

    tables = sheets(data)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, writer_options(sum(frame.size for frame in tables.values())))
    book.set_properties({"author": "kepatuhan", "created": FIXED_TIME})
    formats = {
        "header": book.add_format({"bold": True}),
        "0.00": book.add_format({"num_format": "0.00"}),
        "0.0%": book.add_format({"num_format": "0.0%"}),
    }
    note = notes(data)
    for key, frame in tables.items():
        add_sheet(book.add_worksheet(words(f"workbook.{key}", data.lang)[:31]), frame, note, data.lang, formats)
    book.close()
    return buffer.getvalue()


def writer_options(cells: int) -> dict:
    """XlsxWriter's options for a workbook of this many cells: row by row above :data:`ROW_BY_ROW_CELLS`."""
    if cells > ROW_BY_ROW_CELLS:
        return {**WRITER_OPTIONS, "in_memory": False, "constant_memory": True}
    return WRITER_OPTIONS


def add_sheet(sheet, frame: pd.DataFrame, note: str, lang: str, formats: dict) -> None:
    """One sheet: note row, frozen and filtered header row, values with formats, fitted widths. Text is
    always written as text (``write_string``), so nothing here becomes a formula, whatever the input."""
    sheet.write_string(0, 0, note)
    header = [words(f"column.{c}", lang) if f"column.{c}" in _keys(lang) else c for c in frame.columns]
    for position, text in enumerate(header):
        sheet.write_string(1, position, str(text), formats["header"])
    styles = [formats.get(number_format(column)) for column in frame.columns]
    for row, values in enumerate(cells(frame, lang), 2):
        for position, value in enumerate(values):
            if isinstance(value, int | float) and math.isfinite(value):
                sheet.write_number(row, position, value, styles[position])
            elif value is not None and value != "":  # an empty text is an empty cell, as openpyxl wrote it
                sheet.write_string(row, position, str(value), styles[position])  # text, and anything else as text
    sheet.freeze_panes(2, 0)
    sheet.autofilter(1, 0, max(len(frame) + 1, 1), max(len(frame.columns), 1) - 1)
    for position, column in enumerate(frame.columns):
        shown = [header[position]] + frame[column].astype(str).head(500).tolist()
        sheet.set_column(position, position, min(max(len(text) for text in shown) + 2, 60))


def number_format(column: str) -> str | None:
    """The number format of a column's values: two decimals for scores and changes, percent for shares."""
    return "0.00" if column in DECIMALS else "0.0%" if column in PERCENT else None


def _keys(lang: str) -> set[str]:
    return set(catalogue(lang))


def cells(frame: pd.DataFrame, lang: str) -> Iterator[tuple]:
    """The rows of a table for a sheet: no NaN, yes/no in words, text without control characters and never a
    formula (:func:`cell_value`). Converted column by column, each distinct value once: names, zones and
    methods repeat on every row of a national table."""
    yes, no = words("column.yes", lang), words("column.no", lang)
    return zip(*(column_cells(frame.iloc[:, position], yes, no) for position in range(frame.shape[1])))


def column_cells(values: pd.Series, yes: str, no: str) -> list:
    """:func:`cell_value` of each value of a column, worked out once per distinct (type, value)."""
    done: dict = {}
    converted = []
    for value in values.tolist():
        key = (type(value), value)
        try:
            converted.append(done[key])
        except KeyError:
            converted.append(done.setdefault(key, cell_value(value, yes, no)))
        except TypeError:  # an unhashable value: converted on its own
            converted.append(cell_value(value, yes, no))
    return converted


def cell_value(value, yes: str, no: str):
    """One value as a spreadsheet cell should hold it. Text is cleaned of control characters *before* it is
    checked for a formula start, so ``"\\x01=1+1"`` gets its apostrophe as ``"=1+1"`` does."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # heavy

    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()  # numpy scalars: bool_, int64, float64
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return yes if value else no
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value
