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
    assert counts == {2015: 2, 2017: 2, 2018: 2, 2019: 6, 2021: 44, 2022: 51, 2023: 49, 2024: 72, 2025: 28}
    provinces = real_totals[real_totals["year"] == 2024].groupby("province").size().to_dict()
    assert provinces == {
        "Bengkulu": 10,
        "Daerah Istimewa Yogyakarta": 1,
        "Jambi": 12,
        "Maluku": 12,
        "Nusa Tenggara Barat": 1,
        "Nusa Tenggara Timur": 12,
        "Sulawesi Selatan": 4,
        "Sumatera Barat": 20,
    }


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
    assert (morotai["grade"], bool(morotai["tanpa_maladministrasi"]), morotai["service_quality"]) == (
        "D",
        False,
        "Kurang",
    )
    assert (province["grade"], bool(province["tanpa_maladministrasi"]), province["service_quality"]) == (
        "C",
        True,
        "Cukup",
    )
    assert morotai["published_grade"] == "" and morotai["published_label"]  # a label was printed, not a letter
    assert (
        rows.loc["Kota Tidore Kepulauan", "tanpa_maladministrasi"]
        and (rows["method"] == "penilaian_maladministrasi").all()
    )
    assert (rows["zone"] != "hitam").all()


def test_the_only_published_grades_that_disagree_are_those_the_releases_print_so():
    """Two of Tanjung Jabung Barat 2022 (PKM II Kuala Tungkal 87.25 and PKM Sungai Saren 79.15, graded A), and
    Kota Ambon's Dinas Sosial 2025 (75,16 "Kualitas Tinggi", which the file's source notes disagrees with the bands)."""
    quality = ingest(settings.RAW_DIR).quality
    mismatches = quality[quality["kind"].isin(["grade_mismatch", "zone_mismatch"])]
    found = sorted(zip(mismatches["raw_file"], mismatches["raw_row"], mismatches["value"], mismatches["expected"]))
    assert found == [
        ("ombudsman_more/maluku_2025.csv", 6, "Kualitas Tinggi", "C"),  # the label, as printed
        ("ombudsman_more/tanjung_jabung_barat_2022_opd.csv", 4, "A", "B"),
        ("ombudsman_more/tanjung_jabung_barat_2022_opd.csv", 5, "A", "B"),
    ]


def test_real_opd_scores_of_tanjung_jabung_barat_2022(shipped_scores, demo_scores):
    rows = shipped_scores[
        (shipped_scores["pemda"] == "Kabupaten Tanjung Jabung Barat") & (shipped_scores["year"] == 2022)
    ]
    opd = rows[rows["opd"] != ""]
    assert len(opd) == 6 and not opd["illustrative"].any()
    assert "Puskesmas II Kuala Tungkal" in set(opd["opd"])
    with_examples = demo_scores[
        (demo_scores["pemda"] == "Kabupaten Tanjung Jabung Barat") & (demo_scores["year"] == 2022)
    ]
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


def flagged(shipped_scores, province: str, year: int) -> dict[str, set[str]]:
    """Each flag of the pemda totals of a province's year, with the pemda that carry it."""
    from kepatuhan.analysis.declines import ALL_FLAGS, compare_with_previous, has_flag

    rows = compare_with_previous(shipped_scores[shipped_scores["year"] <= year], year=year, province=province)
    rows = rows[rows["opd"] == ""]
    return {
        flag: set(rows.loc[has_flag(rows["tanda"], flag), "pemda"])
        for flag in ALL_FLAGS
        if has_flag(rows["tanda"], flag).any()
    }


def test_ntb_2022_to_2023_as_computed_by_hand(shipped_scores):
    """data/raw/ombudsman_more/README.md: the flags a person computes from the published NTB figures."""
    flags = flagged(shipped_scores, "Nusa Tenggara Barat", 2023)
    assert flags["turun"] == {"Kabupaten Lombok Barat", "Kabupaten Lombok Tengah"}
    assert flags["turun_kategori"] == flags["turun_zona"] == {"Kabupaten Lombok Tengah"}
    assert flags["naik_zona"] == {
        "Kabupaten Bima",
        "Kabupaten Lombok Timur",
        "Kabupaten Sumbawa",
        "Kabupaten Sumbawa Barat",
        "Kota Mataram",
    }


def test_sulawesi_selatan_2022_to_2023_as_computed_by_hand(shipped_scores):
    flags = flagged(shipped_scores, "Sulawesi Selatan", 2023)
    assert (
        "turun_zona" not in flags and "turun" not in flags and "turun_kategori" not in flags
    )  # 2022 published no score
    assert flags["naik_zona"] == {
        f"Kabupaten {n}"
        for n in (
            "Bantaeng",
            "Barru",
            "Bone",
            "Bulukumba",
            "Jeneponto",
            "Luwu",
            "Luwu Timur",
            "Luwu Utara",
            "Sinjai",
            "Tana Toraja",
            "Toraja Utara",
        )
    } | {"Kota Parepare"}


def test_sulawesi_tengah_2021_to_2022_crosses_a_method_change(shipped_scores):
    from kepatuhan.analysis.declines import compare_with_previous

    palu = compare_with_previous(shipped_scores[shipped_scores["year"] <= 2022], year=2022, pemda="Kota Palu")
    row = palu[palu["opd"] == ""].iloc[0]
    assert (row["prev_score"], row["score"], row["prev_zone"], row["zone"]) == (79.72, 79.09, "kuning", "hijau")
    assert not row["comparable"] and not any(f in row["tanda"] for f in ("turun", "naik_zona"))


def test_a_name_written_with_part_of_it_is_read_within_its_province_and_noted(shipped_scores):
    """Sulawesi Selatan's release writes Selayar for Kabupaten Kepulauan Selayar, the only pemda of the province
    with that word; the quality report says how it was read."""
    from kepatuhan.reading.ingest import ingest

    selayar = shipped_scores[
        (shipped_scores["pemda"] == "Kabupaten Kepulauan Selayar") & (shipped_scores["year"] == 2023)
    ]
    assert len(selayar) == 1
    quality = ingest(settings.RAW_DIR).quality
    note = quality[quality["kind"] == "partial_name"]
    assert note["value"].tolist() == ["Selayar"] and "Kabupaten Kepulauan Selayar" in note["message"].iloc[0]
