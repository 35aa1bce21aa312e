"""The brief's workbook sheets, written with XlsxWriter and read back with openpyxl as an analyst's tool would."""

from __future__ import annotations

import io

import pandas as pd
import xlsxwriter
from openpyxl import load_workbook

from kepatuhan.brief import workbook


def written(frame: pd.DataFrame, lang: str = "id", options: dict = workbook.WRITER_OPTIONS):
    """``frame`` as one sheet of a workbook, read back (the sheet)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, options)
    formats = {
        "header": book.add_format({"bold": True}),
        "0.00": book.add_format({"num_format": "0.00"}),
        "0.0%": book.add_format({"num_format": "0.0%"}),
    }
    workbook.add_sheet(book.add_worksheet("Nilai"), frame, "catatan", lang, formats)
    book.close()
    return load_workbook(io.BytesIO(buffer.getvalue()))["Nilai"]


def test_values_keep_their_type_text_never_becomes_a_formula_and_empty_stays_empty():
    frame = pd.DataFrame(
        {
            "pemda": ['=HYPERLINK("x")', "Kab.\x01 Tebo", "", "http://a.id", "007"],
            "score": [88.5, float("nan"), 70.0, 1.0, 2.0],
            "year": [2024, 2024, 2023, 2022, 2021],
            "illustrative": [True, False, True, False, True],
            "share": [0.5, 0.25, 1.0, 0.0, 0.1],
        }
    )
    sheet = written(frame)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert rows == [
        ['\'=HYPERLINK("x")', 88.5, 2024, "ya", 0.5],
        ["Kab. Tebo", None, 2024, "tidak", 0.25],
        [None, 70.0, 2023, "ya", 1.0],
        ["http://a.id", 1.0, 2022, "tidak", 0.0],
        ["007", 2.0, 2021, "ya", 0.1],
    ]
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert (sheet["B3"].number_format, sheet["E3"].number_format, sheet["C3"].number_format) == (
        "0.00",
        "0.0%",
        "General",
    )


def test_the_sheet_has_its_note_a_bold_header_in_the_readers_language_a_frozen_header_and_a_filter():
    sheet = written(pd.DataFrame({"year": [2024], "pemda": ["Kota Jambi"]}), "en")
    assert sheet["A1"].value == "catatan"
    assert [c.value for c in sheet[2]] == ["Year", "Pemda"] and all(c.font.b for c in sheet[2])
    assert (sheet.freeze_panes, sheet.auto_filter.ref) == ("A3", "A2:B3")
    assert round(sheet.column_dimensions["B"].width) == len("Kota Jambi") + 3  # n characters are stored as n + 5/7


def test_an_empty_table_is_a_header_with_its_filter():
    sheet = written(pd.DataFrame({"year": pd.Series([], dtype=int), "pemda": pd.Series([], dtype=object)}))
    assert sheet.max_row == 2 and sheet.auto_filter.ref == "A2:B2"


def test_a_value_that_is_not_a_finite_number_is_written_as_text_not_lost_or_an_error():
    sheet = written(pd.DataFrame({"delta": [float("inf"), 1.5], "note": [pd.Timestamp("2024-01-02"), "x"]}))
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=3)] == [
        ["inf", "2024-01-02 00:00:00"],
        [1.5, "x"],
    ]


def test_a_large_workbook_is_written_row_by_row_with_the_same_cells_formats_widths_and_filter():
    """Above ``ROW_BY_ROW_CELLS`` the text is stored in each cell instead of a shared table (the national
    workbook: 7 MB instead of 120 MB while written); what a spreadsheet reads must not change."""
    assert workbook.writer_options(workbook.ROW_BY_ROW_CELLS) is workbook.WRITER_OPTIONS
    row_by_row = workbook.writer_options(workbook.ROW_BY_ROW_CELLS + 1)
    assert row_by_row["constant_memory"] and not row_by_row["in_memory"]
    frame = pd.DataFrame(
        {
            "pemda": ["=1+1", "Kab.\x01 Tebo", "", "Kota Jambi & <Muaro>", "007"],
            "score": [88.5, float("nan"), 70.0, 1.0, 2.0],
            "year": [2024, 2024, 2023, 2022, 2021],
            "illustrative": [True, False, True, False, True],
            "share": [0.5, 0.25, 1.0, 0.0, 0.1],
        }
    )
    shared, inline = written(frame), written(frame, options=row_by_row)

    def seen(sheet):
        cells = [
            (c.coordinate, c.value, c.data_type, c.number_format, c.font.b) for row in sheet.iter_rows() for c in row
        ]
        widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
        return cells, widths, sheet.freeze_panes, sheet.auto_filter.ref

    assert seen(inline) == seen(shared)
    assert inline["A4"].value == "Kab. Tebo" and inline["A6"].value == "Kota Jambi & <Muaro>"
