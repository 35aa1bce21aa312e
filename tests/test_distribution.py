"""Zone distribution: zeros included, shares, grades; the 2022/2023 Jambi counts."""

from __future__ import annotations

from conftest import scores_frame

from kepatuhan.analysis.distribution import opd_distribution, pemda_distribution


def test_opd_distribution_counts_shares_and_zeros():
    frame = scores_frame(
        [(2023, "A", "", 80.0), (2023, "A", "X", 90.0), (2023, "A", "Y", 60.0), (2023, "B", "Z", 95.0)]
    )
    table = opd_distribution(frame).set_index(["pemda", "zone"])
    assert table.loc[("A", "hijau"), "count"] == 1 and table.loc[("A", "kuning"), "count"] == 1
    assert table.loc[("A", "merah"), "count"] == 0
    assert table.loc[("A", "hijau"), "share"] == 0.5
    assert table.loc[("B", "kuning"), "count"] == 0 and table.loc[("B", "hijau"), "share"] == 1.0
    assert table["count"].sum() == 3  # the pemda total is not an OPD


def test_grades_only_for_methods_with_grades():
    frame = scores_frame([(2021, "A", "X", 80.0), (2023, "A", "X", 80.0)])
    table = opd_distribution(frame, by="grade")
    assert set(table["year"]) == {2023}
    assert table["grade"].tolist() == ["A", "B", "C", "D", "E"]


def test_jambi_pemda_zones(real_totals):
    table = pemda_distribution(real_totals, province="Jambi").set_index(["year", "zone"])["count"]
    assert (table[(2022, "hijau")], table[(2022, "kuning")], table[(2022, "merah")]) == (11, 1, 0)
    assert (table[(2023, "hijau")], table[(2023, "kuning")], table[(2023, "merah")]) == (10, 2, 0)


def test_opd_zones_list_only_the_pemda_of_each_province():
    """Two provinces: each pemda is listed under its own province only (no province x pemda cross)."""
    frame = scores_frame([(2023, "A", "X", 80.0), (2023, "B", "Y", 60.0), (2024, "A", "X", 90.0)])
    frame.loc[frame["pemda"] == "B", "province"] = "Bali"
    table = opd_distribution(frame)
    pairs = set(map(tuple, table[["province", "pemda"]].drop_duplicates().to_numpy()))
    assert pairs == {("Jambi", "A"), ("Bali", "B")}
    assert len(table) == 3 * 3  # (2023, A), (2023, B), (2024, A), three zones each
