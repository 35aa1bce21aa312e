"""Ingest: every validation rule, merges, disagreements, output format and determinism."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import HEADER

from kepatuhan import catalog, schema
from kepatuhan.errors import DataError
from kepatuhan.reading.ingest import ingest


def problems_of(folder) -> str:
    with pytest.raises(DataError) as info:
        ingest(folder)
    return str(info.value)


def test_tidy_output_with_canonical_names_and_computed_bands(raw):
    folder = raw(
        {"a.csv": HEADER + "2022,Jambi,Kab. Merangin,,73.88,C,kuning,src,\n2022,Jambi,Merangin,Dinkes,80,,,src,\n"}
    )
    scores = ingest(folder).scores
    assert list(scores.columns) == schema.columns("scores")
    total, opd = scores.iloc[0], scores.iloc[1]
    assert (total["pemda"], total["pemda_type"], total["opd"], total["grade"], total["zone"]) == (
        "Kabupaten Merangin",
        "kabupaten",
        "",
        "C",
        "kuning",
    )
    assert (opd["opd"], opd["grade"], opd["method"]) == ("Dinas Kesehatan", "B", "opini_pengawasan")


def test_province_comes_from_the_gazetteer_when_missing(raw):
    folder = raw({"a.csv": "tahun;pemda;nilai\n2023;Tebo;88,85\n"})
    row = ingest(folder).scores.iloc[0]
    assert (row["province"], row["pemda"], row["score"]) == ("Jambi", "Kabupaten Tebo", 88.85)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2023,Jambi,Tebo,,101,,,,", "score is outside 0-100"),
        ("2023,Jambi,Tebo,,-1,,,,", "score is outside 0-100"),
        ("2023,Jambi,Tebo,,tinggi,,,,", "score is not a number"),
        ("dua ribu,Jambi,Tebo,,80,,,,", "the year is not a year"),
        ("2023.5,Jambi,Tebo,,80,,,,", "the year is not a year"),
        ("2020,Jambi,Tebo,,80,,,,", "no assessment method covers this year"),
        ("2010,Jambi,Tebo,,80,,,,", "no assessment method covers this year"),
        ("2023,Jambi,Kabupaten Tebbo Raya,,80,,,,", "unknown pemda name"),
        ("2023,Jambi,Jambi,,80,,,,", "ambiguous pemda name"),
    ],
)
def test_each_bad_value_names_file_row_column_and_value(raw, line, expected):
    message = problems_of(raw({"scores_2023.csv": HEADER + "2023,Jambi,Bungo,,84.22,,,,\n" + line + "\n"}))
    assert expected in message
    assert "file scores_2023.csv, row 3" in message
    assert "fix:" in message


def test_all_problems_are_reported_at_once(raw):
    message = problems_of(raw({"a.csv": HEADER + "2023,Jambi,Tebo,,101,,,,\n2020,Jambi,Tebo,,80,,,,\n"}))
    assert "2 problem(s)" in message


def test_every_unreadable_file_is_reported_at_once(raw):
    message = problems_of(
        raw({"a.csv": "", "b.csv": "tahun,pemda\n2023,Tebo\n", "c.csv": HEADER + "2023,Jambi,Tebo,,80,,,,\n"})
    )
    assert "2 problem(s)" in message and "a.csv" in message and "b.csv" in message


def test_missing_required_column(raw):
    message = problems_of(raw({"a.csv": "tahun,pemda\n2023,Tebo\n"}))
    assert "missing required column(s): a result (nilai or kategori or zona or opini or kualitas pelayanan)" in message


def test_rows_without_year_pemda_or_score(raw):
    assert "no row has a year, a pemda or a result" in problems_of(raw({"a.csv": HEADER + ",,,,,,,sumber saja,\n"}))


def test_no_files(tmp_path):
    assert "no score files found" in problems_of(tmp_path)
    (tmp_path / "README.md").write_text("x")
    assert "no score file could be read" in problems_of(tmp_path)


def test_conflicting_duplicates_across_files_are_an_error(raw):
    folder = raw(
        {"a.csv": HEADER + "2019,Jambi,Kerinci,,80.13,,,,\n", "b.csv": HEADER + "2019,Jambi,Kab. Kerinci,,80.03,,,,\n"}
    )
    message = problems_of(folder)
    assert (
        "different values in this column" in message
        and "a.csv row 2: 80.13" in message
        and "b.csv row 2: 80.03" in message
    )


def test_conflicting_duplicates_via_opd_alias(raw):
    folder = raw({"a.csv": HEADER + "2023,Jambi,Tebo,Dinkes,80,,,,\n2023,Jambi,Tebo,Dinas Kesehatan,81,,,,\n"})
    assert "different values in this column" in problems_of(folder)


def test_a_conflict_is_told_with_the_files_header_and_values_as_written(raw):
    """Kota Metro: "kolom 'score'" and 80.85, where the files say nilai and 80,85 (issue 35)."""
    folder = raw(
        {"a.csv": 'tahun,pemda,nilai\n2023,Kota Metro,"80,85"\n', "b.csv": "tahun;pemda;nilai\n2023;Kota Metro;81,05\n"}
    )
    message = problems_of(folder)
    assert "column 'nilai'" in message and "a.csv row 2: 80,85; b.csv row 2: 81,05" in message
    assert '2023,Kota Metro,,score,"80,85",' in message and "80.85" not in message


def test_identical_duplicates_are_merged_and_reported(raw):
    folder = raw(
        {"a.csv": HEADER + "2023,Jambi,Tebo,,88.85,,,,\n", "b.csv": "tahun;pemda;nilai\n2023;Kab. Tebo;88,85\n"}
    )
    result = ingest(folder)
    assert len(result.scores) == 1
    merged = result.quality[result.quality["kind"] == "merged_duplicate"]
    assert merged[["raw_file", "raw_row"]].values.tolist() == [["b.csv", 2]]
    assert "a.csv row 2" in merged["message"].iloc[0]


def test_published_grade_and_zone_disagreements_are_kept_and_reported(raw):
    folder = raw({"a.csv": HEADER + "2022,Jambi,Tebo,,92.5,B,Green,,\n2021,Jambi,Kerinci,,80.5,,hijau,,\n"})
    result = ingest(folder)
    tebo = result.scores.set_index("pemda").loc["Kabupaten Tebo"]
    assert (tebo["grade"], tebo["published_grade"], tebo["published_zone"]) == ("A", "B", "hijau")
    q = result.quality.set_index("kind")
    assert q.loc["grade_mismatch", "value"] == "B" and q.loc["grade_mismatch", "expected"] == "A"
    assert q.loc["zone_mismatch", "value"] == "hijau" and q.loc["zone_mismatch", "expected"] == "kuning"
    assert q.loc["zone_mismatch", "raw_row"] == 3


def test_unknown_opd_is_reported_once(raw):
    folder = raw(
        {"a.csv": HEADER + "2023,Jambi,Tebo,Bagian Umum Setda,80,,,,\n2022,Jambi,Tebo,Bagian Umum Setda,81,,,,\n"}
    )
    q = ingest(folder).quality
    assert q["kind"].tolist() == ["unknown_opd"] and q["value"].tolist() == ["Bagian Umum Setda"]


def test_output_is_byte_identical_and_atomic(raw, tmp_path):
    folder = raw({"a.csv": HEADER + "2023,Jambi,Tebo,,88.85,,,,\n2022,Jambi,Tebo,,92.5,A,hijau,,\n"})
    first, second = tmp_path / "p1", tmp_path / "p2"
    for target in (first, second):
        result = ingest(folder)
        catalog.save_all({"scores": result.scores, "quality": result.quality}, target)
    for name in ["scores.parquet", "scores.csv", "quality.csv"]:
        assert (first / name).read_bytes() == (second / name).read_bytes()
    assert not [p for p in first.iterdir() if p.name.startswith(".")]
    back = pd.read_parquet(first / "scores.parquet")
    assert back["year"].tolist() == [2022, 2023]


def test_formula_cells_are_neutralised_in_csv_not_in_parquet(raw, tmp_path):
    folder = raw({"a.csv": HEADER + '2023,Jambi,Tebo,,88.85,,,"=HYPERLINK(""http://x"")",@note\n'})
    catalog.save("scores", ingest(folder).scores, tmp_path / "p")
    text = (tmp_path / "p" / "scores.csv").read_text()
    assert "'=HYPERLINK" in text and "'@note" in text
    assert pd.read_parquet(tmp_path / "p" / "scores.parquet")["source"].iloc[0].startswith("=HYPERLINK")


def test_how_a_file_was_read_never_travels_with_its_scores(raw, tmp_path):
    """A one-file release: the reader's grid knew its delimiter and the width of each row (pandas ``attrs``).
    That stayed with the scores, was written into every Parquet table after them, and pandas copied it at each
    step: a one-file country's run spent most of its time copying it (its index 19 s instead of 1). The scores
    hold their data only, a table's file too, and a table written before with it is read without it."""
    import pyarrow.parquet as pq

    rows = "".join(f"2023;Kabupaten Tebo;Dinas {i};8{i % 10},5\n" for i in range(40))
    scores = ingest(raw({"satu.csv": "tahun;pemda;opd;nilai\n" + rows})).scores
    assert scores.attrs == {}
    carried = scores.copy()
    carried.attrs = {"widths": [4] * 41}
    catalog.save_all({"scores": carried}, tmp_path)
    assert b"PANDAS_ATTRS" not in b"".join(pq.read_schema(catalog.path("scores", tmp_path)).metadata)
    carried.to_parquet(catalog.path("scores", tmp_path), index=False)  # as a table published before was written
    assert catalog.load("scores", tmp_path).attrs == {} and catalog.load("scores", tmp_path, check=False).attrs == {}
