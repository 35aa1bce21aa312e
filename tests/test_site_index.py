"""The index's table of pemda, worked out once for both languages (:func:`kepatuhan.brief.index_page.pemda_facts`)."""

from __future__ import annotations

import pandas as pd

from kepatuhan.brief.index_page import Brief, band_spans, pemda_facts, pemda_rows
from kepatuhan.reference.methods import load_methods


def scores(*rows) -> pd.DataFrame:
    """Score rows (year, pemda, opd, score, zone) of one province, in the processed table's columns."""
    frame = pd.DataFrame(rows, columns=["year", "pemda", "opd", "score", "zone"])
    method = load_methods().method_for_years(frame["year"])
    return frame.assign(province="Jambi", grade="", method=method)


def test_each_pemda_shows_its_latest_total_its_change_and_a_sparkline_or_says_none_was_published():
    table = scores(
        (2022, "Kabupaten Bungo", "", 70.0, "kuning"),
        (2023, "Kabupaten Bungo", "", 90.5, "hijau"),
        (2024, "Kabupaten Bungo", "Dinas Kesehatan", 60.0, "kuning"),  # only an OPD in 2024: the 2023 total shows
        (2024, "Kota Jambi", "Dinas Pendidikan", 80.0, "hijau"),  # OPDs only: no total, no sparkline
    )
    facts = pemda_facts(table, load_methods())
    bungo, kota = facts
    assert (bungo["last"]["year"], bungo["last"]["score"], bungo["before"]["score"], bungo["total"]) == (
        2023,
        90.5,
        70.0,
        True,
    )
    assert bungo["spark"].count("<circle") == 2 and "<polyline" in bungo["spark"]
    assert (kota["last"]["pemda"], kota["total"], kota["spark"]) == ("Kota Jambi", False, "")
    brief = Brief(2023, "Jambi", html={"id": "2023/provinsi/jambi/brief.html"})
    rows = pemda_rows([brief], facts, "id")
    assert [(r["pemda"], r["shown"], r["change"], r["link"]) for r in rows] == [
        ("Kabupaten Bungo", "90,50", "+20,50", "2023/provinsi/jambi/brief.html"),
        ("Kota Jambi", "", "", ""),
    ]


def test_the_sparkline_bands_follow_each_years_method_and_leave_uncovered_years_blank():
    spans = band_spans(load_methods(), range(2019, 2023))
    assert spans[2020] == []  # no assessment in 2020
    assert [low for _, low, _ in spans[2019]] == [0.0, 51.0, 81.0] and spans[2019][-1][2] == 100.0
    assert len(spans[2022]) == len(
        {zone for zone in load_methods().bands.query("method == 'opini_pengawasan'")["zone"]}
    )


def test_a_province_brief_of_another_year_is_linked_beside_the_latest():
    """A province brief published by request for an earlier year (Jambi 2023 beside 2024) is on disk: the
    index links it, in the province's row, so the published set has an entry point to every brief."""
    from kepatuhan.brief.index_page import render

    latest = Brief(
        2024, "Jambi", html={"id": "2024/provinsi/jambi/brief.html"}, pdf={"id": "2024/provinsi/jambi/brief.pdf"}
    )
    earlier = Brief(
        2023, "Jambi", html={"id": "2023/provinsi/jambi/brief.html", "en": "2023/provinsi/jambi/brief.en.html"}
    )
    only = Brief(2024, "Bengkulu", html={"id": "2024/provinsi/bengkulu/brief.html"})
    page = render([earlier, latest, only], [], "en", "index.html")
    provinces = page[
        page.index('<table id="provinces">') : page.index("</table>", page.index('<table id="provinces">'))
    ]
    assert "<th>Other years</th>" in provinces
    jambi = provinces[provinces.index("<td>Jambi</td>") :].split("</tr>")[0]
    assert "<td>2024</td>" in jambi and '<a href="2023/provinsi/jambi/brief.en.html">2023</a>' in jambi
    assert provinces.count("<tr><td>Jambi</td>") == 1
    bengkulu = provinces[provinces.index("<td>Bengkulu</td>") :].split("</tr>")[0]
    assert bengkulu.endswith("<td></td>")


def test_a_pemda_is_found_by_its_short_names_and_its_provinces():
    """Searching "kepri", "sumut" or "Tanjungpinang" found 0 rows (issue 35): each row carries the names a
    reader types, its province's short names and each name without its spaces."""
    from kepatuhan.reference.gazetteer import load_gazetteer

    table = scores(
        (2023, "Kota Tanjung Pinang", "", 80.0, "hijau"), (2023, "Kabupaten Tanjung Jabung Barat", "", 70.0, "kuning")
    )
    table["province"] = ["Kepulauan Riau", "Jambi"]
    tanjab, pinang = pemda_facts(table, load_methods(), load_gazetteer())  # by name
    assert {"kepri", "tanjungpinang", "kota tanjung pinang"} <= set(pinang["names"].split(" | "))
    assert "tanjabbar" in tanjab["names"] and "kepri" not in tanjab["names"]


def test_a_change_across_methods_sorts_after_the_numbers_and_its_sparkline_breaks_there():
    """Lampung Selatan's sparkline joined 2023 and 2025 across the method change; "beda metode" rows sorted
    among the numbers (issue 35)."""
    table = scores(
        (2023, "Kabupaten Bungo", "", 80.0, "hijau"),
        (2024, "Kabupaten Bungo", "", 85.0, "hijau"),
        (2025, "Kabupaten Bungo", "", 70.0, "kuning"),
    )
    table.loc[2, "method"] = "penilaian_maladministrasi"
    bungo = pemda_facts(table, load_methods())[0]
    assert bungo["spark"].count("<polyline") == 1 and bungo["spark"].count("<circle") == 3
    row = pemda_rows([], [bungo], "id")[0]
    assert row["delta"] == "" and row["change"] == "beda metode"


def test_a_grade_or_zone_the_release_did_not_print_is_marked_in_the_index():
    table = scores((2024, "Kabupaten Bungo", "", 80.0, "hijau"), (2024, "Kota Jambi", "", 85.0, "hijau"))
    table = table.assign(grade=["B", "B"], published_grade=["", "B"], published_zone=["", "hijau"])
    bungo, kota = pemda_rows([], pemda_facts(table, load_methods()), "id")
    assert (bungo["grade"], bungo["zone"]) == ("B*", "hijau*") and (kota["grade"], kota["zone"]) == ("B", "hijau")
