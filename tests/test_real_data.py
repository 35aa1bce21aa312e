"""The shipped Jambi data: published figures a person can check against the sources."""

from __future__ import annotations

import pytest

from kepatuhan import config
from kepatuhan.ingest import ingest


def total(real_totals, pemda, year):
    rows = real_totals[(real_totals["pemda"] == pemda) & (real_totals["year"] == year)]
    assert len(rows) == 1, (pemda, year)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("pemda", "year", "score", "grade", "zone"),
    [
        ("Kabupaten Merangin", 2022, 73.88, "C", "kuning"),
        ("Provinsi Jambi", 2023, 88.41, "A", "hijau"),
        ("Provinsi Jambi", 2022, 89.62, "A", "hijau"),
        ("Kabupaten Kerinci", 2023, 75.03, "C", "kuning"),
        ("Kota Sungai Penuh", 2023, 73.85, "C", "kuning"),
        ("Kabupaten Sarolangun", 2023, 79.27, "B", "hijau"),
        ("Kabupaten Tanjung Jabung Barat", 2022, 79.8, "B", "hijau"),
        ("Kabupaten Batanghari", 2018, 93.71, "", "hijau"),
        ("Kabupaten Kerinci", 2019, 80.13, "", "kuning"),
        ("Provinsi Jambi", 2015, 28.12, "", "merah"),
    ],
)
def test_published_figures(real_totals, pemda, year, score, grade, zone):
    row = total(real_totals, pemda, year)
    assert (row["score"], row["grade"], row["zone"]) == (score, grade, zone)


def test_coverage_per_year(real_totals):
    counts = real_totals.groupby("year").size().to_dict()
    assert counts == {2015: 2, 2017: 2, 2018: 2, 2019: 6, 2021: 12, 2022: 12, 2023: 12}


def test_every_published_grade_and_zone_agrees_with_the_bands():
    quality = ingest(config.RAW_DIR).quality
    assert not quality["kind"].isin(["grade_mismatch", "zone_mismatch"]).any()


def test_shipped_raw_data_is_real_and_examples_come_only_when_asked(shipped_scores):
    assert not shipped_scores["illustrative"].any()
    assert not (config.RAW_DIR / "ilustrasi").exists()


def test_illustrative_rows_are_marked_and_totals_untouched(demo_scores, real_totals):
    shipped_scores = demo_scores
    illustrative = shipped_scores[shipped_scores["illustrative"]]
    assert len(illustrative) > 0 and (illustrative["opd"] != "").all()
    assert illustrative["source"].str.startswith("ILUSTRASI").all()
    assert set(illustrative["year"]) == {2021, 2022, 2023}
    assert illustrative["pemda"].nunique() == 12
    assert (shipped_scores.loc[shipped_scores["opd"] == "", "illustrative"] == False).all()  # noqa: E712


def test_illustrative_generator_is_deterministic_and_uses_the_lokus(real_totals):
    from kepatuhan.illustrative import LOKUS_PROVINSI, illustrative_opd_scores

    first = illustrative_opd_scores(real_totals)
    assert first.equals(illustrative_opd_scores(real_totals))
    province_2023 = first[(first["pemda"] == "Provinsi Jambi") & (first["tahun"] == 2023)]
    assert tuple(province_2023["opd"]) == LOKUS_PROVINSI
    assert len(first[(first["pemda"] == "Kabupaten Tebo") & (first["tahun"] == 2023)]) == 7
    shipped = (config.EXAMPLES_DIR / "ilustrasi" / "ilustrasi_opd_jambi_2021_2023.csv").read_text(encoding="utf-8")
    assert shipped.splitlines()[1].startswith("2021,Jambi,Kabupaten Batanghari,DPMPTSP,")
