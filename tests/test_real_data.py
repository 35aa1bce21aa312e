"""The shipped Jambi data: published figures a person can check against the sources."""

from __future__ import annotations

import pytest

from kepatuhan import settings
from kepatuhan.reading.ingest import ingest


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
        ("Kota Jambi", 2024, 93.68, "A", "hijau"),
        ("Provinsi Jambi", 2024, 85.62, "B", "hijau"),
        ("Kabupaten Solok Selatan", 2024, 87.06, "B", "hijau"),
        ("Provinsi Sumatera Barat", 2024, 91.65, "A", "hijau"),
        ("Kabupaten Kaur", 2024, 96.14, "A", "hijau"),
        ("Kabupaten Timor Tengah Utara", 2024, 91.82, "A", "hijau"),
        ("Kabupaten Pulau Morotai", 2025, 53.38, "D", "merah"),
        ("Provinsi Maluku Utara", 2025, 65.98, "C", "kuning"),
    ],
)
def test_published_figures(real_totals, pemda, year, score, grade, zone):
    row = total(real_totals, pemda, year)
    assert (row["score"], row["grade"], row["zone"]) == (score, grade, zone)


def test_coverage_per_year_and_province(real_totals):
    counts = real_totals.groupby("year").size().to_dict()
    assert counts == {2015: 2, 2017: 2, 2018: 2, 2019: 6, 2021: 12, 2022: 12, 2023: 12, 2024: 54, 2025: 5}
    provinces = real_totals[real_totals["year"] == 2024].groupby("province").size().to_dict()
    assert provinces == {"Bengkulu": 10, "Jambi": 12, "Nusa Tenggara Timur": 12, "Sumatera Barat": 20}


def test_sumatera_barat_2024_eighteen_of_nineteen_kabupaten_kota_got_a(real_totals):
    """The release: 18 of the 19 kabupaten/kota got A, Solok Selatan B, all green."""
    rows = real_totals[(real_totals["year"] == 2024) & (real_totals["province"] == "Sumatera Barat")]
    local = rows[rows["pemda_type"] != "provinsi"]
    assert len(local) == 19 and (local["grade"] == "A").sum() == 18
    assert local.loc[local["grade"] == "B", "pemda"].tolist() == ["Kabupaten Solok Selatan"]
    assert (rows["zone"] == "hijau").all()


def test_bengkulu_2024_kaur_highest_province_lowest(real_totals):
    rows = real_totals[(real_totals["year"] == 2024) & (real_totals["province"] == "Bengkulu")].sort_values("score")
    assert rows["pemda"].iloc[-1] == "Kabupaten Kaur" and rows["pemda"].iloc[0] == "Provinsi Bengkulu"


def test_maluku_utara_2025_labels_read_as_published(shipped_scores):
    rows = shipped_scores[shipped_scores["year"] == 2025].set_index("pemda")
    morotai, province = rows.loc["Kabupaten Pulau Morotai"], rows.loc["Provinsi Maluku Utara"]
    assert (morotai["published_grade"], bool(morotai["tanpa_maladministrasi"]), morotai["service_quality"]) == ("D", False, "Kurang")
    assert (province["published_grade"], bool(province["tanpa_maladministrasi"]), province["service_quality"]) == ("C", True, "Cukup")
    assert rows.loc["Kota Tidore Kepulauan", "tanpa_maladministrasi"] and (rows["method"] == "penilaian_maladministrasi").all()
    assert (rows["zone"] != "hitam").all()


def test_the_only_published_grades_that_disagree_are_the_two_of_tanjung_jabung_barat_2022():
    quality = ingest(settings.RAW_DIR).quality
    mismatches = quality[quality["kind"].isin(["grade_mismatch", "zone_mismatch"])]
    assert mismatches["raw_file"].unique().tolist() == ["ombudsman_more/tanjung_jabung_barat_2022_opd.csv"]
    assert sorted(zip(mismatches["value"], mismatches["expected"])) == [("A", "B"), ("A", "B")]
    assert sorted(mismatches["raw_row"]) == [4, 5]  # PKM II Kuala Tungkal 87.25 and PKM Sungai Saren 79.15


def test_real_opd_scores_of_tanjung_jabung_barat_2022(shipped_scores, demo_scores):
    rows = shipped_scores[(shipped_scores["pemda"] == "Kabupaten Tanjung Jabung Barat") & (shipped_scores["year"] == 2022)]
    opd = rows[rows["opd"] != ""]
    assert len(opd) == 6 and not opd["illustrative"].any()
    assert "Puskesmas II Kuala Tungkal" in set(opd["opd"])
    with_examples = demo_scores[(demo_scores["pemda"] == "Kabupaten Tanjung Jabung Barat") & (demo_scores["year"] == 2022)]
    assert not with_examples["illustrative"].any()  # real OPD rows win: no invented ones beside them


def test_shipped_raw_data_is_real_and_examples_come_only_when_asked(shipped_scores):
    assert not shipped_scores["illustrative"].any()
    assert not (settings.RAW_DIR / "ilustrasi").exists()


def test_illustrative_rows_are_marked_and_totals_untouched(demo_scores, real_totals):
    shipped_scores = demo_scores
    illustrative = shipped_scores[shipped_scores["illustrative"]]
    assert len(illustrative) > 0 and (illustrative["opd"] != "").all()
    assert illustrative["source"].str.startswith("ILUSTRASI").all()
    assert set(illustrative["year"]) == {2021, 2022, 2023}
    assert illustrative["pemda"].nunique() == 12
    assert (shipped_scores.loc[shipped_scores["opd"] == "", "illustrative"] == False).all()  # noqa: E712


def test_illustrative_generator_is_deterministic_and_uses_the_lokus(real_totals):
    from kepatuhan.reading.illustrative import LOKUS_PROVINSI, illustrative_opd_scores

    first = illustrative_opd_scores(real_totals)
    assert first.equals(illustrative_opd_scores(real_totals))
    province_2023 = first[(first["pemda"] == "Provinsi Jambi") & (first["tahun"] == 2023)]
    assert tuple(province_2023["opd"]) == LOKUS_PROVINSI
    assert len(first[(first["pemda"] == "Kabupaten Tebo") & (first["tahun"] == 2023)]) == 7
    shipped = (settings.EXAMPLES_DIR / "ilustrasi" / "ilustrasi_opd_jambi_2021_2023.csv").read_text(encoding="utf-8")
    assert shipped.splitlines()[1].startswith("2021,Jambi,Kabupaten Batanghari,DPMPTSP,")
