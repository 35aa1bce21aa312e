"""Silent misreads found by a hostile-input sweep, each now read as the analyst sees it or stopped with a
clear error (part of the reliability suite: ``pytest -m faults``)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kepatuhan import settings
from kepatuhan.errors import DataError
from kepatuhan.reading.ingest import ingest

pytestmark = pytest.mark.faults
FIXTURES = Path(__file__).parent / "fixtures"


def workbook(path: Path, rows: list[list], formats: dict[str, str] | None = None) -> Path:
    """An .xlsx (or .xlsm) with ``rows``; ``formats`` maps a cell ("E2") to its number format."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def problems(folder: Path) -> str:
    with pytest.raises(DataError) as info:
        ingest(folder)
    return str(info.value)


HEADER = ["tahun", "pemda", "opd", "nilai"]


@pytest.mark.parametrize("number_format", ["0.00%", "0%", "0.0%"])
def test_a_percentage_cell_is_read_as_shown(tmp_path, number_format):
    workbook(tmp_path / "a.xlsx", [HEADER, [2024, "Kab. Tebo", "", 0.8962]], {"D2": number_format})
    assert ingest(tmp_path).scores["score"].tolist() == [89.62]


def test_fractions_without_a_format_stop_with_a_clear_error(tmp_path):
    (tmp_path / "a.csv").write_text("tahun,pemda,nilai\n2024,Kab. Tebo,0.8962\n2024,Kab. Bungo,0.8404\n")
    text = problems(tmp_path)
    assert "look like fractions" in text and "89.62" in text


@pytest.mark.parametrize("error", ["#N/A", "#DIV/0!", "#VALUE!"])
def test_an_error_cell_is_an_error_naming_its_text(tmp_path, error):
    workbook(tmp_path / "a.xlsx", [HEADER, [2024, "Kab. Tebo", "", 88.85], [2024, "Kab. Tebo", error, 41.5]])
    text = problems(tmp_path)
    assert "spreadsheet error" in text and f"'{error}'" in text and "row 3" in text


@pytest.mark.parametrize("placeholder", ["NA", "N/A", "None", "null", "-", "—"])
def test_a_placeholder_in_the_opd_column_never_becomes_the_pemda_total(tmp_path, placeholder):
    workbook(tmp_path / "a.xlsx", [HEADER, [2024, "Kab. Tebo", "", 88.85], [2024, "Kab. Tebo", placeholder, 41.5]])
    text = problems(tmp_path)
    assert "placeholder" in text and "config/corrections.csv" in text


def test_the_line_a_placeholder_error_gives_reads_the_row_as_the_pemda_total(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    workbook(raw / "a.xlsx", [HEADER, [2024, "Kab. Tebo", "-", 41.5], [2024, "Kab. Tebo", "Dinas Kesehatan", 70.1]])
    text = problems(raw)
    line = text.split("add the line  ")[1].split("  to config/corrections.csv")[0]
    fixes = tmp_path / "corrections.csv"
    fixes.write_text("year,pemda,opd,column,value,reason,source\n" + line + "\n")
    scores = ingest(raw, corrections=fixes).scores.set_index("opd")
    assert scores.loc["", "score"] == 41.5 and scores.loc["", "corrected"] == "opd"
    assert (raw / "a.xlsx").exists() and len(scores) == 2


def test_a_dash_in_a_csv_opd_cell_is_not_a_unit_named_dash(tmp_path):
    (tmp_path / "a.csv").write_text("tahun;pemda;opd;nilai\n2024;Kab. Tebo;-;84,56\n")
    assert "placeholder" in problems(tmp_path)


@pytest.mark.parametrize("name", ["nilai_2024.xls", "nilai_2024.ods"])
def test_old_excel_and_opendocument_files_are_read(tmp_path, name):
    shutil.copy(FIXTURES / name, tmp_path / name)
    assert ingest(tmp_path).scores["score"].tolist() == [84.04, 84.56]


def test_an_xlsm_workbook_is_read(tmp_path):
    workbook(tmp_path / "a.xlsm", [HEADER, [2024, "Kab. Tebo", "", 84.56]])
    assert ingest(tmp_path).scores["pemda"].tolist() == ["Kabupaten Tebo"]


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("export.txt", "utf-8"), ("export.tsv", "utf-8"), ("unicode.txt", "utf-16"), ("unicode.csv", "utf-16")],
)
def test_tab_separated_text_exports_are_read(tmp_path, name, encoding):
    (tmp_path / name).write_bytes("Tahun\tPemda\tNilai\n2024\tKab. Tebo\t84,56\n".encode(encoding))
    assert ingest(tmp_path).scores["score"].tolist() == [84.56]


def test_a_broken_link_is_an_error_not_a_missing_year(tmp_path):
    (tmp_path / "ok.csv").write_text("tahun,pemda,nilai\n2024,Kab. Tebo,84.56\n")
    os.symlink(tmp_path / "gone.csv", tmp_path / "nilai_2025.csv")
    assert "link to a file that does not exist" in problems(tmp_path)


def test_a_file_of_another_format_is_skipped_and_reported(tmp_path):
    (tmp_path / "ok.csv").write_text("tahun,pemda,nilai\n2024,Kab. Tebo,84.56\n")
    (tmp_path / "hasil.docx").write_bytes(b"PK\x03\x04 not scores")
    quality = ingest(tmp_path).quality
    assert quality["raw_file"].tolist() == ["hasil.docx"] and "not a score file format" in quality["message"].iloc[0]


@pytest.mark.parametrize(
    "text",
    [
        "tahun,pemda,nilai,catatan\n2024,Kabupaten Tebo,89,62\n",
        "tahun,pemda,nilai\n2024,Kabupaten Tebo,89,62\n",
        "tahun,pemda,nilai,opd\n2024,Kabupaten Tebo,89,62\n",
    ],
    ids=["into-a-note", "past-the-header", "into-the-opd"],
)
def test_a_decimal_comma_that_split_the_score_stops_the_run(tmp_path, text):
    (tmp_path / "a.csv").write_text(text)
    message = problems(tmp_path)
    assert "decimal comma probably split the score" in message and "89,62" in message


def test_a_province_that_contradicts_the_pemda_stops_the_run(tmp_path):
    (tmp_path / "a.csv").write_text("tahun,provinsi,pemda,nilai\n2024,Sumatera Barat,Kabupaten Tebo,89.62\n")
    assert "the province column says Sumatera Barat" in problems(tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        "Hasil penilaian kepatuhan 2024\ntahun,pemda,nilai\n2024,Kab. Tebo,84.56\n",
        "sep=;\ntahun;pemda;nilai\n2024;Kab. Tebo;84,56\n",
        "sep=;\nHasil 2024\n\ntahun;pemda;nilai\n2024;Kab. Tebo;84,56\n",
    ],
    ids=["title-row", "excel-sep-line", "both"],
)
def test_title_rows_and_an_excel_sep_line_are_skipped(tmp_path, text):
    (tmp_path / "a.csv").write_text(text)
    result = ingest(tmp_path)
    assert result.scores["score"].tolist() == [84.56]
    lines = text.splitlines()
    assert result.scores["raw_row"].iloc[0] == lines.index(next(line for line in lines if line.startswith("2024"))) + 1


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Nama OPD", "opd"),
        ("Kabupaten/Kota", "pemda"),
        ("Nilai Akhir", "score"),
        ("Unit Layanan", "opd"),
        ("Nama Pemda", "pemda"),
    ],
)
def test_usual_headers_are_recognised(tmp_path, header, column):
    names = {"opd": "OPD", "pemda": "Pemda", "score": "Nilai"}
    names[column] = header
    (tmp_path / "a.csv").write_text(
        f"Tahun;{names['pemda']};{names['opd']};{names['score']}\n2024;Kab. Tebo;Dinkes;84,56\n2024;Kab. Tebo;;80\n"
    )
    scores = ingest(tmp_path).scores
    assert set(scores["opd"]) == {"Dinas Kesehatan", ""} and set(scores["score"]) == {84.56, 80.0}


def test_an_unknown_opd_like_header_stops_the_run_instead_of_making_every_row_a_total(tmp_path):
    (tmp_path / "a.csv").write_text(
        "Tahun;Pemda;Perangkat Daerah Teknis;Nilai\n2024;Kab. Tebo;Dinkes;84,56\n2024;Kab. Tebo;Disdik;80\n"
    )
    message = problems(tmp_path)
    assert "looks like the OPD column" in message and "config/columns.csv" in message


def test_an_unknown_header_is_reported_not_silently_dropped(tmp_path):
    (tmp_path / "a.csv").write_text("Tahun;Pemda;Nilai;Peringkat\n2024;Kab. Tebo;84,56;3\n")
    quality = ingest(tmp_path).quality
    assert any("column 'Peringkat' ignored" in m for m in quality["message"])


def test_the_shipped_files_still_read_exactly_as_before():
    scores = ingest(settings.RAW_DIR).scores
    assert len(scores) == 293 and scores["score"].dropna().between(20, 100).all()
    assert pd.Series(scores["raw_row"] >= 2).all()


@pytest.mark.parametrize("header", ["SKPD", "Nama SKPD", "UPT", "Kantor", "Objek Penilaian", "Penyelenggara"])
def test_the_usual_indonesian_headers_of_the_opd_column_are_read_as_the_opd(raw, header):
    """Dinas Kesehatan's 85,10 must stay Dinas Kesehatan's, never become Kabupaten Tebo's own total."""
    folder = raw(
        {
            "tebo.csv": f'tahun,pemda,{header},nilai\n2023,Kabupaten Tebo,Dinas Kesehatan,"85,10"\n'
            "2023,Kabupaten Tebo,,88.85\n"
        }
    )
    scores = ingest(folder).scores.set_index("opd")
    assert scores.loc["Dinas Kesehatan", "score"] == 85.10 and scores.loc["", "score"] == 88.85


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200d", "\u00ad", "\u00a0"])
def test_a_header_with_invisible_characters_is_read_as_the_visible_header(raw, invisible):
    folder = raw({"a.csv": f'tahun,pemda,{invisible}nilai{invisible}\n2023,Kabupaten Tebo,"88,85"\n'})
    assert ingest(folder).scores["score"].tolist() == [88.85]


def test_a_dotted_thousands_figure_in_a_decimal_comma_file_stops_with_its_value(raw):
    folder = raw({"a.csv": "tahun;pemda;nilai\n2023;Kabupaten Tebo;8.510\n2023;Kabupaten Bungo;84,22\n"})
    text = problems(folder)
    assert "row 2, column 'nilai'" in text and "thousands separator" in text and "'8.510'" in text


def test_three_decimals_after_a_point_in_a_file_of_decimal_points_are_decimals(raw):
    plain = raw({"b.csv": "tahun,pemda,nilai\n2023,Kabupaten Tebo,88.850\n"})
    assert ingest(plain).scores["score"].tolist() == [88.85]


@pytest.mark.parametrize("written", ["Total", "TOTAL", "Jumlah", "Nilai Total", "Rata-rata", "Nilai Pemda"])
def test_a_total_in_the_opd_column_is_the_pemdas_total_never_an_opd(raw, written):
    folder = raw(
        {
            "a.csv": f"tahun,pemda,opd,nilai\n2023,Kabupaten Tebo,Dinas Kesehatan,85.10\n2023,Kabupaten Tebo,{written},88.85\n"
        }
    )
    result = ingest(folder)
    assert result.scores.set_index("opd").loc["", "score"] == 88.85 and written not in set(result.scores["opd"])
    assert result.quality.loc[result.quality["kind"] == "opd_total", "value"].tolist() == [written]


@pytest.mark.parametrize("grade", ["A+", "A-", "B+", "A*", "C -", "b+", "AA", "Opini A+", "A- (Sangat Baik)"])
def test_a_grade_outside_the_methods_grades_is_an_error_naming_the_accepted_ones(tmp_path, grade):
    (tmp_path / "a.csv").write_text(f"tahun,pemda,opini\n2024,Kota Jambi,A\n2024,Kabupaten Tebo,{grade}\n")
    text = problems(tmp_path)
    assert "row 3" in text and repr(grade) in text and "accepted: A/B/C/D/E" in text


@pytest.mark.parametrize(
    ("cell", "grade"),
    [("Predikat A", "A"), ("A (Sangat Baik)", "A"), ("Opini A", "A"), ("a", "A"), ("Kategori B", "B")],
)
def test_a_grade_written_with_its_words_is_still_that_grade(tmp_path, cell, grade):
    """A word before the letter or the service word in brackets adds to the letter; it does not change it."""
    (tmp_path / "a.csv").write_text(f"tahun,pemda,opini\n2024,Kabupaten Tebo,{cell}\n")
    assert ingest(tmp_path).scores["grade"].tolist() == [grade]


def refuse(monkeypatch, target: Path) -> None:
    """Make the system refuse to open ``target`` (as chmod 000, or a workbook Excel holds on Windows, does;
    the tests run as root on CI, where chmod refuses nothing)."""
    import builtins
    import io

    real = io.open

    def guarded(file, *args, **kwargs):
        if Path(str(file)) == target:
            raise PermissionError(13, "Permission denied", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", guarded)
    monkeypatch.setattr(builtins, "open", guarded)


@pytest.mark.parametrize("name", ["kerinci.csv", "kerinci.xlsx"])
def test_a_raw_file_that_cannot_be_opened_is_named_as_unreadable_not_as_an_output_problem(tmp_path, monkeypatch, name):
    (tmp_path / "a.csv").write_text("tahun,pemda,nilai\n2024,Kota Jambi,80\n")
    target = tmp_path / name
    if name.endswith(".csv"):
        target.write_text("tahun,pemda,nilai\n2024,Kabupaten Kerinci,80\n")
    else:
        workbook(target, [["tahun", "pemda", "nilai"], [2024, "Kabupaten Kerinci", 80]])
    refuse(monkeypatch, target)
    text = problems(tmp_path)
    assert f"file {name}: the file cannot be read: Permission denied" in text and "open in Excel" in text
    assert "write" not in text


def test_a_raw_folder_that_cannot_be_listed_stops_the_run_naming_it(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text("tahun,pemda,nilai\n2024,Kota Jambi,80\n")
    hidden = tmp_path / "2024" / "opd"
    hidden.mkdir(parents=True)
    (hidden / "b.csv").write_text("tahun,pemda,opd,nilai\n2024,Kota Jambi,Dinas Kesehatan,70\n")
    real = os.scandir

    def scandir(path="."):
        if Path(path) == hidden:
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    text = problems(tmp_path)
    assert "file 2024/opd/: the folder cannot be read: Permission denied" in text and "permission" in text


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_a_raw_folder_without_permission_stops_the_run(tmp_path):
    (tmp_path / "a.csv").write_text("tahun,pemda,nilai\n2024,Kota Jambi,80\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.csv").write_text("tahun,pemda,nilai\n2024,Kota Jambi,80\n")
    locked.chmod(0)
    try:
        assert "locked/: the folder cannot be read" in problems(tmp_path)
    finally:
        locked.chmod(0o755)


def test_a_cell_over_the_size_limit_is_named_by_its_size_and_line_not_as_a_quote_problem(tmp_path):
    long_note = "x" * (70 * 1024 * 1024)
    (tmp_path / "a.csv").write_text(
        f'tahun,pemda,nilai,catatan\n2024,Kota Jambi,80,ok\n2024,Kabupaten Tebo,81,"{long_note}"\n'
    )
    text = problems(tmp_path)
    assert "row 3: a cell is longer than 64 MiB" in text and "check the quotes" not in text


def test_an_unclosed_quote_names_the_line_where_the_reader_gave_up(tmp_path):
    (tmp_path / "a.csv").write_text('tahun,pemda,nilai\n2024,Kota Jambi,80\n2024,"Kabupaten Tebo,81\n')
    assert "row 3: the file cannot be parsed as CSV" in problems(tmp_path)


UNQUOTED = (
    "tahun,provinsi,pemda,opd,nilai,zona,kategori,sumber,catatan\n"
    '2023,Lampung,Kota Metro,,"80,85",hijau,,lampost.co,ok\n'
    '2023,Lampung,Kota Bandar Lampung,,"81,10",hijau,,lampost.co,nilai 80, 85 untuk Kota Metro\n'
)


def test_an_unquoted_comma_is_named_by_its_line_with_a_fix_that_misreads_nothing(tmp_path):
    """It was reported at row 1, column 'J', with the fix ``a.csv,J,opd``, which would have made
    "85 untuk Kota Metro" an OPD (issue 35)."""
    (tmp_path / "a.csv").write_text(UNQUOTED)
    text = problems(tmp_path)
    assert "row 3: the line has 10 values where the header has 9" in text and "row 1" not in text
    assert "a.csv,J,+catatan" in text and ",J,opd" not in text


def test_the_text_after_an_unquoted_comma_is_joined_back_to_its_column_when_configured(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text(UNQUOTED)
    config = tmp_path / "unnamed.csv"
    config.write_text("file,column,header\na.csv,J,+catatan\n")
    monkeypatch.setattr(settings, "UNNAMED_COLUMNS_FILE", config)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.move(tmp_path / "a.csv", raw / "a.csv")
    scores = ingest(raw).scores.set_index("pemda")
    assert (
        scores.at["Kota Bandar Lampung", "note"].startswith("nilai 80,")
        and scores.at["Kota Bandar Lampung", "score"] == 81.10
    )
    assert scores.at["Kota Metro", "note"] == "ok"


def test_an_unquoted_comma_before_a_result_column_offers_no_joining_fix(tmp_path):
    (tmp_path / "a.csv").write_text("tahun,pemda,nilai\n2023,Kota Metro, Lampung,80\n")
    text = problems(tmp_path)
    assert "row 2: the line has 4 values where the header has 3" in text and "+" not in text.split("fix:")[1]
