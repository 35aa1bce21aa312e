"""The brief's workbook, ``ringkasan_<year>.xlsx``: every table of a brief, for an analyst to filter and reuse.

One sheet each for the scores, the comparisons, the watch list, the zone distributions (pemda and
OPD) and the sources. Each sheet has a note row (what it holds; the illustrative and provisional
notes), a frozen header row in the reader's language, fitted column widths, two-decimal number
formats and an autofilter. Text that a spreadsheet would run as a formula keeps a leading
apostrophe. The same tables give the same bytes: the document's and the archive's timestamps are
fixed.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pandas as pd

from kepatuhan import catalog, schema
from kepatuhan.brief.wording import LANGS, words
from kepatuhan.outputs import FORMULA_STARTS, write_bytes

#: The date written into the workbook's properties and archive, so that runs give the same bytes.
FIXED_TIME = datetime(2000, 1, 1)
DECIMALS = {"score", "prev_score", "delta"}
PERCENT = {"share"}
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
        .drop_duplicates()
        .sort_values(["source", "year"])
    )
    tables = {"scores": data.scores[schema.columns("scores")], "comparisons": data.comparisons,
              "watch_list": watch.rename(columns={f"reason_{data.lang}": "reason"}), "pemda_zones": data.pemda_zones,
              "opd_zones": data.opd_zones, "sources": sources,
              "corrections": data.corrections.assign(column=[words(f"column.{c}", data.lang) for c in data.corrections["column"]])}  # fmt: skip
    return {key: named_methods(frame, data) for key, frame in tables.items()}


def named_methods(frame: pd.DataFrame, data) -> pd.DataFrame:
    """The table with each method code replaced by the method's name in the reader's language."""
    frame = frame.copy()
    for column in (c for c in METHOD_COLUMNS if c in frame):
        frame[column] = frame[column].map(lambda code: data.methods.name(code, data.lang) if code else "")
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
    return write_bytes(fixed_timestamps(build(data)), target)


def build(data) -> bytes:
    """The workbook as XLSX bytes."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    note = notes(data)
    for key, frame in sheets(data).items():
        add_sheet(book, words(f"workbook.{key}", data.lang), frame, note, data.lang)
    book.properties.created = book.properties.modified = FIXED_TIME
    book.properties.creator = "kepatuhan"
    return save(book)


def save(book) -> bytes:
    """XLSX bytes of a workbook, keeping its ``modified`` time (``Workbook.save`` stamps the current time)."""
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()


def add_sheet(book, title: str, frame: pd.DataFrame, note: str, lang: str) -> None:
    """One sheet: note row, frozen and filtered header row, values with formats, fitted widths."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title[:31])
    sheet.append([note])
    sheet.append([words(f"column.{c}", lang) if f"column.{c}" in _keys(lang) else c for c in frame.columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in cells(frame, lang):
        sheet.append(row)
    for cells_of_row in sheet.iter_rows(min_row=1):
        for cell in cells_of_row:
            if cell.data_type == "f":  # nothing written here is a formula, whatever the input
                cell.data_type = "s"
    sheet.freeze_panes = "A3"
    last = get_column_letter(max(len(frame.columns), 1))
    sheet.auto_filter.ref = f"A2:{last}{max(sheet.max_row, 2)}"
    for position, column in enumerate(frame.columns, 1):
        letter = get_column_letter(position)
        number_format = "0.00" if column in DECIMALS else "0.0%" if column in PERCENT else None
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=3, min_col=position, max_col=position):
                cell.number_format = number_format
        shown = [str(sheet.cell(row=2, column=position).value)] + frame[column].astype(str).head(500).tolist()
        sheet.column_dimensions[letter].width = min(max(len(text) for text in shown) + 2, 60)


def _keys(lang: str) -> set[str]:
    from kepatuhan.brief.wording import catalogue

    return set(catalogue(lang))


def cells(frame: pd.DataFrame, lang: str) -> list[list]:
    """The values of a table for a sheet: no NaN, yes/no in words, text without control characters and never a formula."""
    yes, no = words("column.yes", lang), words("column.no", lang)
    return [[cell_value(value, yes, no) for value in record] for record in frame.itertuples(index=False)]


def cell_value(value, yes: str, no: str):
    """One value as a spreadsheet cell should hold it. Text is cleaned of control characters *before* it is
    checked for a formula start, so ``"\\x01=1+1"`` gets its apostrophe as ``"=1+1"`` does."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

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


def fixed_timestamps(content: bytes) -> bytes:
    """The same XLSX with every archive member dated :data:`FIXED_TIME` (openpyxl stamps the time of writing)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, source.read(info.filename))
    return output.getvalue()
