"""Readers: delimiters, decimal commas, BOM, XLSX sheets, header rows, broken files."""

from __future__ import annotations

import pandas as pd
import pytest

from kepatuhan.errors import DataError
from kepatuhan.reading.files import find_raw_files, scan_raw
from kepatuhan.reading.readers import normalise_header, parse_decimal, read_raw_file


def frame_of(path):
    return read_raw_file(path)[0].frame


def test_semicolon_csv_with_decimal_commas(tmp_path):
    path = tmp_path / "excel_id.csv"
    path.write_text("Tahun;Pemda;Nilai Kepatuhan\n2022;Provinsi Jambi;89,62\n", encoding="utf-8")
    frame = frame_of(path)
    assert list(frame.columns) == ["raw_file", "raw_row", "year", "pemda", "score"]
    assert parse_decimal(frame["score"]).tolist() == [89.62]
    assert frame["raw_row"].tolist() == [2]


def test_tab_separated_with_bom_and_english_headers(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffYear\tRegency\tAgency\tScore\n2023\tKerinci\tDinkes\t75.03\n".encode())
    frame = frame_of(path)
    assert frame[["year", "pemda", "opd", "score"]].iloc[0].tolist() == ["2023", "Kerinci", "Dinkes", "75.03"]


def test_windows_1252_is_read_with_a_note(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("tahun,pemda,nilai,catatan\n2023,Kerinci,75.03,caf\xe9 \x93kutip\x94\n".encode("latin-1"))
    table = read_raw_file(path)[0]
    assert table.frame["note"].iloc[0] == "caf\u00e9 \u201ckutip\u201d"
    assert "Windows-1252" in table.notes[0].message


def test_header_below_a_title_row(tmp_path):
    path = tmp_path / "title.csv"
    path.write_text("Hasil penilaian 2023,,\ntahun,pemda,skor\n2023,Tebo,88.85\n", encoding="utf-8")
    frame = frame_of(path)
    assert frame["raw_row"].tolist() == [3]
    assert frame["score"].tolist() == ["88.85"]


def test_xlsx_reads_every_sheet_with_the_columns(tmp_path):
    path = tmp_path / "book.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"Tahun": [2022], "Pemda": ["Tebo"], "Nilai": [92.5]}).to_excel(
            writer, sheet_name="2022", index=False
        )
        pd.DataFrame({"Catatan": ["bukan data"]}).to_excel(writer, sheet_name="Catatan", index=False)
        pd.DataFrame({"TAHUN": [2023], "PEMDA": ["Tebo"], "NILAI": [88.85]}).to_excel(
            writer, sheet_name="2023", index=False
        )
        pd.DataFrame({"tahun": [], "pemda": [], "nilai": []}).to_excel(writer, sheet_name="Kosong", index=False)
    tables = read_raw_file(path, label="book.xlsx")
    assert [t.frame["raw_file"].iloc[0] for t in tables] == ["book.xlsx [2022]", "book.xlsx [2023]"]
    assert [t.frame["score"].iloc[0] for t in tables] == ["92.5", "88.85"]
    assert any("Catatan" in str(n.file) for n in tables[0].notes)
    assert any("Kosong" in str(n.file) and "no data rows" in n.message for n in tables[0].notes)


def test_headers_are_normalised():
    assert normalise_header("\ufeff  Nilai_Kepatuhan ") == "nilai kepatuhan"
    assert normalise_header("Unit-Layanan") == "unit layanan"


def test_parse_decimal_accepts_point_comma_and_percent():
    values = pd.Series(["89.62", "89,62", " 44 ", "28.12%", "abc", "", "1,2,3", "89.6.2"])
    parsed = parse_decimal(values)
    assert parsed.iloc[:4].tolist() == [89.62, 89.62, 44.0, 28.12]
    assert parsed.iloc[4:].isna().all()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.csv", b"", "empty"),
        ("bad.csv", b"   \n\n", "empty"),
        ("bad.csv", b"\x00\x01\x02binary\x00", "binary"),
        ("bad.csv", b"PK\x03\x04rest", "rename it to .xlsx"),
        (
            "bad.csv",
            b"tahun,nama,angka\n2023,x,1\n",
            "missing required column(s): pemda (pemda, pemerintah daerah, nama pemda, instansi); a result",
        ),
        ("bad.csv", b"tahun,pemda,nilai,skor\n2023,Tebo,1,2\n", "two columns mean 'score'"),
        ("bad.csv", b'tahun,pemda,nilai\n2023,"Tebo,88\n', "cannot be parsed"),
        ("bad.csv", b"tahun,pemda,nilai\n", "header row but no data rows"),
        ("bad.csv", b"tahun;pemda;nilai\n;;\n", "header row but no data rows"),
        ("bad.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "password-protected"),
        ("bad.xlsx", b"PK\x03\x04truncated", "cannot be opened"),
        ("bad.xlsx", b"just text", "cannot be opened"),
    ],
)
def test_bad_files_give_clear_errors_naming_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DataError) as info:
        read_raw_file(path)
    assert expected in str(info.value)
    assert name in str(info.value)


def test_truncated_real_xlsx(tmp_path):
    path = tmp_path / "whole.xlsx"
    pd.DataFrame({"tahun": [2023] * 50, "pemda": ["Tebo"] * 50, "nilai": [88.85] * 50}).to_excel(path, index=False)
    data = path.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="cannot be"):
        read_raw_file(cut)


def test_find_raw_files_skips_hidden_and_lock_files_and_says_so(tmp_path):
    for name in ["b.csv", "a/c.xlsx", "README.md", ".hidden.csv", "~$open.xlsx", "SOURCE.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in find_raw_files(tmp_path)] == [
        "README.md",
        "SOURCE.txt",
        "a/c.xlsx",
        "b.csv",
    ]
    assert scan_raw(tmp_path).skipped == [
        (".hidden.csv", "hidden file"),
        ("~$open.xlsx", "Excel lock file (a workbook open in Excel)"),
    ]
    assert not find_raw_files(tmp_path / "missing")
