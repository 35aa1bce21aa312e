"""Methods and bands: every boundary of DOMAIN.md's table, 2020, and configuration errors."""

from __future__ import annotations

import pandas as pd
import pytest

from kepatuhan.errors import DataError
from kepatuhan.reference.methods import load_methods
from kepatuhan.reference.opinions import read_result, read_zone


@pytest.mark.parametrize(
    ("year", "method"),
    [
        (2015, "kepatuhan_standar"),
        (2019, "kepatuhan_standar"),
        (2020, None),
        (2021, "kepatuhan_standar"),
        (2022, "opini_pengawasan"),
        (2024, "opini_pengawasan"),
        (2025, "penilaian_maladministrasi"),
        (2014, None),
    ],
)
def test_method_of_each_year(methods, year, method):
    found = methods.method_for_years(pd.Series([year])).iloc[0]
    assert (found if isinstance(found, str) else None) == method


@pytest.mark.parametrize(
    ("year", "score", "grade", "zone"),
    [
        (2021, 81.0, "", "hijau"),
        (2021, 80.99, "", "kuning"),
        (2021, 51.0, "", "kuning"),
        (2021, 50.99, "", "merah"),
        (2021, 0.0, "", "merah"),
        (2021, 100.0, "", "hijau"),
        (2022, 88.0, "A", "hijau"),
        (2022, 87.99, "B", "hijau"),
        (2022, 78.0, "B", "hijau"),
        (2022, 77.99, "C", "kuning"),
        (2022, 54.0, "C", "kuning"),
        (2022, 53.99, "D", "merah"),
        (2022, 32.0, "D", "merah"),
        (2022, 31.99, "E", "merah"),
        (2023, 79.27, "B", "hijau"),
        (2023, 79.8, "B", "hijau"),
        (2022, 73.88, "C", "kuning"),
        (2023, 75.03, "C", "kuning"),
        (2025, 31.99, "E", "merah"),
        (2025, 53.38, "D", "merah"),
        (2025, 65.98, "C", "kuning"),
    ],
)
def test_bands(methods, year, score, grade, zone):
    method = methods.method_for_years(pd.Series([year]))
    found = methods.classify(pd.Series([score]), method).iloc[0]
    assert (found["grade"], found["zone"]) == (grade, zone)


def test_ranks_order_grades_and_zones(methods):
    assert methods.grade_rank["A"] > methods.grade_rank["B"] > methods.grade_rank["E"]
    assert methods.zone_rank["hijau"] > methods.zone_rank["kuning"] > methods.zone_rank["merah"]
    assert methods.cut_points("opini_pengawasan") == [54.0, 78.0]
    assert methods.grades_of("opini_pengawasan") == ["A", "B", "C", "D", "E"]
    assert methods.grades_of("kepatuhan_standar") == []


def test_bad_band_file_names_the_cell(tmp_path):
    from kepatuhan import settings

    bands = tmp_path / "bands.csv"
    bands.write_text(settings.BANDS_FILE.read_text().replace(",88,", ",delapan,", 1), encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_methods(bands_file=bands)
    assert "bands.csv" in str(info.value) and "delapan" in str(info.value) and "min_score" in str(info.value)


def test_a_new_method_needs_bands(tmp_path):
    from kepatuhan import settings

    periods = tmp_path / "methods.csv"
    periods.write_text(settings.METHODS_FILE.read_text() + "baru,2030,,Baru,New,no,x\n", encoding="utf-8")
    with pytest.raises(DataError, match="'baru' has no bands"):
        load_methods(methods_file=periods)


@pytest.mark.parametrize(
    ("text", "method", "expected"),
    [
        ("Kualitas Sedang Tanpa Maladministrasi", "penilaian_maladministrasi", ("C", True)),
        ("Kualitas Rendah", "penilaian_maladministrasi", ("D", False)),
        ("kualitas tertinggi tanpa maladministrasi", "penilaian_maladministrasi", ("A", True)),
        ("Opini Kualitas Tinggi", "opini_pengawasan", ("B", None)),
        ("B", "opini_pengawasan", ("B", None)),
        ("A", "penilaian_maladministrasi", ("A", None)),
        ("", "penilaian_maladministrasi", ("", None)),
        ("Opini Tertinggi", "penilaian_maladministrasi", ("A", False)),
        ("Tertinggi", "penilaian_maladministrasi", ("A", False)),
        ("Opini Tanpa Maladministrasi", "penilaian_maladministrasi", ("", True)),
        ("OPINI KUALITAS TERTINGGI TANPA MALADMINISTRASI", "penilaian_maladministrasi", ("A", True)),
        ("Highest quality", "opini_pengawasan", ("A", None)),
    ],
)
def test_opinion_labels_read_as_published(methods, text, method, expected):
    result = read_result(text, method, methods)
    assert (result.grade, result.tanpa_maladministrasi) == expected and not result.problem


@pytest.mark.parametrize("text", ["Sangat Baik", "Baik", "Cukup", "Kurang"])
def test_service_words_alone_say_the_service_quality_not_a_grade(methods, text):
    result = read_result(text, "penilaian_maladministrasi", methods)
    assert (result.grade, result.service_quality, result.problem) == ("", text, "")


def test_a_label_and_a_service_word_in_one_cell(methods):
    result = read_result("Kualitas Sedang Tanpa Maladministrasi (Cukup)", "penilaian_maladministrasi", methods)
    assert (result.grade, result.zone, result.tanpa_maladministrasi, result.service_quality) == (
        "C",
        "kuning",
        True,
        "Cukup",
    )


@pytest.mark.parametrize("text", ["Luar biasa", "Kualitas Lumayan", "F"])
def test_anything_else_is_a_problem_naming_the_accepted_forms(methods, text):
    problem = read_result(text, "penilaian_maladministrasi", methods).problem
    assert "Kualitas Tertinggi" in problem and "Opini" in problem and "Tanpa Maladministrasi" in problem


def test_zones_in_any_form(methods):
    assert [read_zone(text, methods)[0] for text in ("hijau", "Zona Kuning", "RED", "zone green")] == [
        "hijau",
        "kuning",
        "merah",
        "hijau",
    ]
    assert read_zone("biru", methods)[1].startswith("not a zone")


def test_2025_is_provisional_and_has_no_black_zone(methods):
    assert methods.provisional("penilaian_maladministrasi") and not methods.provisional("opini_pengawasan")
    assert "hitam" not in methods.zones_of("penilaian_maladministrasi")
    assert "hitam" in set(methods.zones["zone"])  # kept in config/zones.csv, so a source can bring it back
