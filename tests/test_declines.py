"""Declines: flags on tiny frames, then the 2023-vs-2022 facts of the shipped Jambi data."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import scores_frame

from kepatuhan.analysis.declines import compare_with_previous, has_flag, watch_list
from kepatuhan.brief.reasons import with_reasons


def flags_of(table, pemda, opd=""):
    row = table[(table["pemda"] == pemda) & (table["opd"] == opd)]
    assert len(row) == 1
    return set(filter(None, row["tanda"].iloc[0].split(";")))


def test_previous_assessment_skips_gaps_and_reports_them():
    table = compare_with_previous(scores_frame([(2017, "A", "", 85.0), (2019, "A", "", 82.0)]), year=2019)
    row = table.iloc[0]
    assert (row["prev_year"], row["gap"], row["delta"]) == (2017, 2, -3.0)
    assert flags_of(table, "A") == {"turun"}


def test_first_assessment_is_baru():
    table = compare_with_previous(scores_frame([(2022, "A", "", 85.0), (2023, "B", "", 80.0)]), year=2023)
    assert flags_of(table, "B") == {"baru"}
    assert pd.isna(table.set_index("pemda").loc["B", "prev_year"])


def test_tie_gets_no_flag():
    table = compare_with_previous(scores_frame([(2022, "A", "", 85.0), (2023, "A", "", 85.0)]), year=2023)
    assert flags_of(table, "A") == set()


def test_min_drop_threshold():
    frame = scores_frame([(2022, "A", "", 85.0), (2023, "A", "", 84.5)])
    assert flags_of(compare_with_previous(frame, year=2023), "A") == {"turun"}
    assert flags_of(compare_with_previous(frame, year=2023, min_drop=1.0), "A") == set()


def test_grade_and_zone_falls_and_zone_rise():
    frame = scores_frame([(2022, "A", "", 90.0), (2023, "A", "", 70.0), (2022, "B", "", 70.0), (2023, "B", "", 80.0)])
    table = compare_with_previous(frame, year=2023)
    assert flags_of(table, "A") == {"turun", "turun_kategori", "turun_zona"}
    assert flags_of(table, "B") == {"naik_zona"}


def test_consecutive_falls():
    frame = scores_frame([(2022, "A", "", 90.0), (2023, "A", "", 89.0), (2024, "A", "", 88.0)])
    assert flags_of(compare_with_previous(frame, year=2023), "A") == {"turun"}
    assert flags_of(compare_with_previous(frame, year=2024), "A") == {"turun", "turun_beruntun"}


def test_a_fall_across_a_method_change_does_not_start_a_streak():
    frame = scores_frame([(2021, "A", "", 95.0), (2022, "A", "", 90.0), (2023, "A", "", 89.0)])
    assert flags_of(compare_with_previous(frame, year=2023), "A") == {"turun"}


def test_method_change_is_not_comparable_unless_asked():
    """Kota Palu 2021 -> 2022 had an empty ``tanda`` though the README promises ``beda_metode`` (issue 35)."""
    frame = scores_frame([(2021, "A", "", 95.0), (2022, "A", "", 70.0)])
    plain = compare_with_previous(frame, year=2022)
    assert not plain["comparable"].iloc[0] and flags_of(plain, "A") == {"beda_metode"}
    across = compare_with_previous(frame, year=2022, compare_across_methods=True)
    assert flags_of(across, "A") == {"turun", "turun_zona", "beda_metode"}


def test_opd_units_are_separate_from_the_pemda_total():
    frame = scores_frame(
        [(2022, "A", "", 80.0), (2023, "A", "", 81.0), (2022, "A", "Dinkes", 90.0), (2023, "A", "Dinkes", 70.0)]
    )
    table = compare_with_previous(frame, year=2023)
    assert flags_of(table, "A") == set()
    assert flags_of(table, "A", "Dinkes") == {"turun", "turun_kategori", "turun_zona"}


def test_watch_list_order_and_reasons():
    frame = scores_frame(
        [
            (2022, "Drop", "", 87.0),
            (2023, "Drop", "", 80.0),  # -7, no grade/zone change
            (2022, "Grade", "", 89.0),
            (2023, "Grade", "", 87.0),  # A -> B
            (2022, "Zone", "", 79.0),
            (2023, "Zone", "", 77.0),  # B/hijau -> C/kuning
            (2022, "Up", "", 70.0),
            (2023, "Up", "", 80.0),
        ]
    )
    watch = with_reasons(watch_list(compare_with_previous(frame, year=2023)))
    assert watch["pemda"].tolist() == ["Zone", "Grade", "Drop"]
    assert watch["rank"].tolist() == [1, 2, 3]
    assert watch["reason_id"].iloc[0] == (
        "Nilai turun 2,00 poin (79,00 \u2192 77,00, 2022 \u2192 2023); zona turun dari hijau ke kuning; kategori turun dari B ke C"
    )
    assert watch["reason_en"].iloc[0].startswith("Score fell 2.00 points")
    assert "zone fell from green to yellow" in watch["reason_en"].iloc[0]


def test_filters_by_province_and_pemda():
    frame = scores_frame([(2022, "A", "", 80.0), (2023, "A", "", 70.0), (2022, "B", "", 80.0), (2023, "B", "", 70.0)])
    assert compare_with_previous(frame, pemda="A")["pemda"].unique().tolist() == ["A"]
    assert compare_with_previous(frame, province="Elsewhere").empty


# ---- the shipped Jambi data ------------------------------------------------------------------


@pytest.fixture(scope="module")
def jambi_2023(real_totals):
    return compare_with_previous(real_totals, year=2023, province="Jambi")


FELL = [
    "Provinsi Jambi",
    "Kabupaten Tebo",
    "Kabupaten Batanghari",
    "Kota Jambi",
    "Kabupaten Tanjung Jabung Timur",
    "Kabupaten Kerinci",
    "Kota Sungai Penuh",
    "Kabupaten Sarolangun",
]
ROSE = ["Kabupaten Muaro Jambi", "Kabupaten Bungo", "Kabupaten Tanjung Jabung Barat", "Kabupaten Merangin"]


def test_jambi_2023_who_fell_and_who_rose(jambi_2023):
    fell = jambi_2023[has_flag(jambi_2023["tanda"], "turun")]
    assert sorted(fell["pemda"]) == sorted(FELL)
    assert sorted(jambi_2023.loc[jambi_2023["delta"] > 0, "pemda"]) == sorted(ROSE)
    assert jambi_2023["comparable"].all() and (jambi_2023["prev_year"] == 2022).all()


def test_jambi_2023_zone_and_grade_changes(jambi_2023):
    assert sorted(jambi_2023.loc[has_flag(jambi_2023["tanda"], "turun_zona"), "pemda"]) == [
        "Kabupaten Kerinci",
        "Kota Sungai Penuh",
    ]
    grade_fell = jambi_2023[has_flag(jambi_2023["tanda"], "turun_kategori")]
    assert {"Kabupaten Batanghari", "Kota Jambi"} <= set(grade_fell["pemda"])
    for pemda in ["Kabupaten Batanghari", "Kota Jambi"]:
        assert tuple(grade_fell.set_index("pemda").loc[pemda, ["prev_grade", "grade"]]) == ("A", "B")
    assert jambi_2023.loc[has_flag(jambi_2023["tanda"], "naik_zona"), "pemda"].tolist() == ["Kabupaten Merangin"]


def test_jambi_province_fell_1_21_but_kept_grade_a(jambi_2023):
    row = jambi_2023.set_index("pemda").loc["Provinsi Jambi"]
    assert row["delta"] == -1.21
    assert (row["prev_grade"], row["grade"]) == ("A", "A")
    assert flags_of(jambi_2023, "Provinsi Jambi") == {"turun"}


def test_jambi_2022_is_a_method_change(real_totals):
    table = compare_with_previous(real_totals, year=2022, province="Jambi")
    assert len(table) == 12 and not table["comparable"].any()
    assert (table["tanda"] == "beda_metode").all()
    assert set(table["prev_method"]) == {"kepatuhan_standar"}
