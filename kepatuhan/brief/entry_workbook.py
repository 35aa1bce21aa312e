"""A workbook to type a release into: every pemda of a province for a year, ready to fill and to ingest as is.

``python pipeline.py template --province Maluku --year 2025`` writes it. The ``Pemda`` sheet lists every
pemda of the province that year (official names and Kemendagri codes, from the gazetteer) with empty
cells for the score, grade, zone, opinion label, service word, source and note; the ``OPD`` sheet takes
one row per OPD. Grade, zone, label and service word are chosen from drop-down lists (data validation)
of that year's method, kept on a hidden ``Daftar`` sheet (hidden sheets are not read as data). The
headers are the first variants of ``config/columns.csv``, so a filled template put in ``data/raw/``
ingests as it is; a pemda left empty is a quality note, never an error.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from kepatuhan import schema
from kepatuhan.brief.wording import words
from kepatuhan.brief.workbook import FIXED_TIME
from kepatuhan.reading.readers import column_headers
from kepatuhan.reference.gazetteer import Gazetteer
from kepatuhan.reference.methods import Methods
from kepatuhan.reference.opinions import SERVICE_WORDS
from kepatuhan.writing import write_bytes

#: The columns of each sheet, as the scores table declares its inputs (the unit's own columns first).
PEMDA_COLUMNS = [
    c for c in schema.columns("scores", source=(schema.REQUIRED, schema.OPTIONAL)) if c not in ("opd", "illustrative")
]
OPD_COLUMNS = [
    c for c in schema.columns("scores", source=(schema.REQUIRED, schema.OPTIONAL)) if c not in ("kode", "illustrative")
]
#: The columns chosen from a list, and the list each takes.
CHOICES = {
    "published_grade": "grades",
    "published_zone": "zones",
    "published_label": "labels",
    "service_quality": "service",
    "pemda": "pemda",
}
ROWS_PER_OPD_SHEET = 200


def choices(province: str, year: int, gazetteer: Gazetteer, methods: Methods) -> dict[str, list[str]]:
    """The drop-down lists of a year's method: grades, zones, opinion labels (with the suffix), service words, pemda."""
    method = methods.method_for_years(pd.Series([year])).iloc[0]
    bands = methods.bands_of(method)
    suffix = methods.info(method).get("opinion_suffix", "")
    labels = list(bands["label"]) + (
        [f"{label} {suffix}" for label in bands["label"]] + [f"Opini {suffix}"] if suffix else []
    )
    return {
        "grades": [g for g in bands["grade"] if g],
        "zones": methods.zones_of(method),
        "labels": labels,
        "service": [w.title() for w in SERVICE_WORDS if w != "sangat kurang"],
        "pemda": gazetteer.pemda_in(province, year),
    }


def build(province: str, year: int, gazetteer: Gazetteer, methods: Methods, lang: str = "id") -> bytes:
    """The template as XLSX bytes."""
    from openpyxl import Workbook  # heavy

    lists = choices(province, year, gazetteer, methods)
    book = Workbook()
    book.remove(book.active)
    ranges = _lists_sheet(book, lists)
    pemda_rows = [
        {"year": year, "province": province, "kode": gazetteer.info(p)["kode"], "pemda": p} for p in lists["pemda"]
    ]
    _sheet(
        book, "Pemda", PEMDA_COLUMNS, pemda_rows, ranges, words("template.pemda", lang, year=year, province=province)
    )
    _sheet(
        book,
        "OPD",
        OPD_COLUMNS,
        [],
        ranges,
        words("template.opd", lang, year=year, province=province),
        ROWS_PER_OPD_SHEET,
    )
    book.move_sheet("Daftar", offset=2)
    book.properties.created = book.properties.modified = FIXED_TIME
    return fixed_timestamps(save(book))


def _lists_sheet(book, lists: dict[str, list[str]]) -> dict[str, str]:
    """A hidden sheet with one list per column; the range of each list, for data validation."""
    from openpyxl.utils import get_column_letter  # heavy

    sheet = book.create_sheet("Daftar")
    ranges = {}
    for position, (name, values) in enumerate(lists.items(), 1):
        letter = get_column_letter(position)
        sheet.cell(row=1, column=position, value=name)
        for row, value in enumerate(values, 2):
            sheet.cell(row=row, column=position, value=value)
        ranges[name] = f"Daftar!${letter}$2:${letter}${max(len(values), 1) + 1}"
    sheet.sheet_state = "hidden"
    return ranges


def _sheet(
    book, title: str, columns: list[str], rows: list[dict], ranges: dict[str, str], note: str, blank: int = 0
) -> None:
    """One sheet: a note row, the header (first variant of each column), the rows, the drop-down lists."""
    from openpyxl.styles import Font  # heavy
    from openpyxl.utils import get_column_letter  # heavy
    from openpyxl.worksheet.datavalidation import DataValidation  # heavy

    sheet = book.create_sheet(title)
    sheet.append([note])
    sheet.append([column_headers()[c][0] for c in columns])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(c, None) for c in columns])
    last = max(len(rows), blank) + 2
    for position, column in enumerate(columns, 1):
        letter = get_column_letter(position)
        sheet.column_dimensions[letter].width = (
            40 if column in ("pemda", "opd", "published_label", "source", "note") else 14
        )
        if column in CHOICES and not (column == "pemda" and rows):
            check = DataValidation(type="list", formula1=f"={ranges[CHOICES[column]]}", allow_blank=True)
            check.add(f"{letter}3:{letter}{last}")
            sheet.add_data_validation(check)
    sheet.freeze_panes = "A3"


def write(path: Path, province: str, year: int, gazetteer: Gazetteer, methods: Methods, lang: str = "id") -> Path:
    """Write the template to ``path`` (atomically)."""
    return write_bytes(build(province, year, gazetteer, methods, lang), path)


def save(book) -> bytes:
    """XLSX bytes of a workbook, keeping its ``modified`` time (``Workbook.save`` stamps the current time)."""
    from openpyxl.writer.excel import ExcelWriter  # heavy

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()


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
