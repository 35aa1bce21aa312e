"""The explorer (``kp.explore``), headless: each control changes what each tab shows, in one language, and a
name or year it cannot show is answered with a sentence, never an error. ``tests/test_lab.py`` drives the same
explorer in a real JupyterLab."""

from __future__ import annotations

import base64
import re

import pytest

import kepatuhan as kp


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return kp.load_scores(str(tmp_path_factory.mktemp("empty")))


def legend(explorer) -> list[str]:
    return [trace.get("name") for trace in explorer.shown["trend"]["figure"]["data"]]


def csv_of(explorer, tab: str) -> str:
    found = re.search(r'href="data:text/csv;charset=utf-8;base64,([^"]+)"', explorer.downloads[tab].value)
    return base64.b64decode(found.group(1)).decode("utf-8-sig")


def test_it_opens_on_the_longest_series_of_the_richest_province(scores):
    explorer = kp.explore(scores)
    choice = explorer.choice
    totals = scores[(scores["province"] == choice.province) & (scores["opd"] == "")]
    longest = totals.groupby("pemda")["year"].nunique().max()
    assert choice.province == "Jambi" and totals[totals["pemda"] == choice.pemda[0]]["year"].nunique() == longest
    assert choice.year == 2024 and explorer.shown["notices"] == []
    assert legend(explorer)[0] == choice.pemda[0]


def test_a_pemda_without_data_opens_its_province_and_says_so(scores):
    explorer = kp.explore(scores, pemda="Mukomuko")
    assert explorer.choice.province == "Bengkulu" and explorer.choice.pemda[0] != "Kabupaten Mukomuko"
    assert explorer.shown["notices"][0].startswith("Data tidak memuat hasil penilaian Kabupaten Mukomuko (Bengkulu).")
    assert "Data tidak memuat hasil penilaian Kabupaten Mukomuko" in explorer.notice.value


def test_a_province_without_data_is_said_so_and_a_province_with_data_shown(scores):
    without = scores[scores["province"] != "Maluku"]
    explorer = kp.explore(without, province="Maluku")
    held = sorted(set(without["province"]))
    assert explorer.choice.province == "Jambi"
    assert explorer.shown["notices"] == [
        "Data tidak memuat hasil penilaian pemda mana pun di Provinsi Maluku. Provinsi dalam "
        f"data: {', '.join(held[:-1])} dan {held[-1]}."
    ]


def test_a_pemda_of_another_province_is_never_silently_replaced(scores):
    bogor = kp.explore(scores, province="Jambi", pemda="Kabupaten Bogor")
    assert bogor.shown["notices"] == ["Kabupaten Bogor (Jawa Barat) bukan pemda Provinsi Jambi."]
    assert bogor.choice.province == "Jambi"
    jambi = kp.explore(scores, province="Sumbar", pemda="Kota Jambi")
    assert jambi.choice.province == "Jambi" and jambi.choice.pemda == ("Kota Jambi",)
    assert jambi.shown["notices"] == [
        "Kota Jambi (Jambi) bukan pemda Provinsi Sumatera Barat. Ditampilkan di provinsinya, Jambi."
    ]
    assert "Kabupaten Agam" not in legend(jambi)


def test_the_watch_list_and_the_table_follow_the_year(scores):
    explorer = kp.explore(scores, province="Jambi", pemda="Kerinci")
    explorer.year.value = 2023
    watch = explorer.shown["watch"]["rows"]
    kerinci = watch[watch["Pemda"] == "Kabupaten Kerinci"].iloc[0]
    assert kerinci["Perubahan"] == -12.28 and "zona turun" in kerinci["Tanda"]
    assert kerinci["Alasan"].endswith("zona turun dari hijau ke kuning; kategori turun dari B ke C")  # whole, never cut
    assert explorer.shown["table"]["heading"] == "Semua pemda Provinsi Jambi, 2023"
    assert explorer.shown["table"]["rows"].set_index("Pemda").loc["Kabupaten Kerinci", "Nilai"] == 75.03
    assert "2023" in explorer.shown["map"]["figure"]["layout"]["title"]["text"]


def test_every_control_changes_every_view(scores):
    explorer = kp.explore(scores, province="Jambi")
    explorer.province.value = "Bengkulu"
    assert (
        explorer.choice.province == "Bengkulu"
        and explorer.shown["map"]["heading"] == "Peta zona Provinsi Bengkulu, 2024"
    )
    explorer.pemda.value = ("Kota Bengkulu", "Provinsi Bengkulu")  # two pemda, overlaid
    assert legend(explorer) == ["Kota Bengkulu", "Provinsi Bengkulu"]
    assert explorer.shown["trend"]["heading"] == "Tren nilai: Kota Bengkulu, Provinsi Bengkulu"
    explorer.province.value = "Jambi"
    explorer.pemda.value = ("Kabupaten Tanjung Jabung Barat",)
    assert "Dinas Sosial" in [value for _, value in explorer.opd.options]
    explorer.opd.value = "Dinas Sosial"  # the chart follows the unit, not only the table
    assert "Dinas Sosial, Kabupaten Tanjung Jabung Barat" in legend(explorer)
    assert set(explorer.shown["trend"]["rows"]["OPD"]) == {"(nilai pemda)", "Dinas Sosial"}
    heatmap = explorer.shown["opd"]["figure"]["data"][0]
    assert "Dinas Sosial" in heatmap["y"] and heatmap["y"][0] == "(nilai pemda)"


def test_an_empty_view_has_a_heading_and_a_sentence(scores):
    explorer = kp.explore(scores, province="Sumbar")
    assert explorer.shown["opd"]["figure"] is None
    assert explorer.shown["opd"]["sentence"] == f"Data tidak memuat nilai OPD {explorer.choice.pemda[0]}."
    assert explorer.shown["watch"]["rows"].empty and explorer.shown["watch"]["sentence"].startswith(
        "Tidak ada unit yang turun"
    )
    assert explorer.tables["watch"].layout.display == "none"


def test_one_language_per_view(scores):
    english = kp.explore(scores, province="Jambi", pemda="Kerinci", year=2023, lang="en")
    text = " ".join(
        [
            english.tab.titles[0],
            english.province.description,
            english.shown["table"]["sentence"],
            *english.shown["table"]["rows"].columns,
            *english.shown["watch"]["rows"].columns,
            english.shown["watch"]["rows"].to_string(),
        ]
    )
    assert "Previous score" in text and "zone fell" in text and "yellow" in text
    assert not re.search(r"\b(hijau|kuning|opini_pengawasan|prev_year|comparable|tanda|Nilai)\b", text), text
    indonesian = kp.explore(scores, province="Jambi", pemda="Kerinci", year=2023)
    headers = [*indonesian.shown["table"]["rows"].columns, *indonesian.shown["trend"]["rows"].columns]
    assert not {"prev_year", "gap", "comparable", "score", "zone"} & set(headers)


def test_names_are_never_cut_and_hover_shows_the_result(scores):
    explorer = kp.explore(scores, province="Jambi", pemda="Tanjab Barat")
    assert "Kabupaten Tanjung Jabung Barat" in explorer.pemda.options
    first = explorer.shown["trend"]["figure"]["data"][0]
    assert first["customdata"][-1][:3] == ["Kabupaten Tanjung Jabung Barat", "2024", "91,46"]
    assert "Nilai: %{customdata[2]}" in first["hovertemplate"] and "Sumber" in first["hovertemplate"]
    areas = [t for t in explorer.shown["map"]["figure"]["data"] if t.get("fill") == "toself"]
    assert any("<b>Kabupaten Kerinci</b><br>Tahun: 2024<br>Nilai: 86,85" in t["text"] for t in areas)


def test_each_view_downloads_its_rows_as_a_spreadsheet_opens_them(scores):
    explorer = kp.explore(scores, province="Jambi", year=2023)
    table = csv_of(explorer, "table")
    assert table.splitlines()[0].startswith("Pemda;Nilai;Kategori;Zona") and "Kabupaten Kerinci;75,03;C;kuning" in table
    english = kp.explore(scores, province="Jambi", year=2023, lang="en")
    assert "Kabupaten Kerinci,75.03,C,yellow" in csv_of(english, "table")
    assert 'download="tabel-jambi-2023.csv"' in explorer.downloads["table"].value
    assert "ikon kamera" in explorer.downloads["trend"].value  # the chart's PNG: its own toolbar


def test_the_chart_of_a_tab_is_a_plotly_figure_to_save(scores):
    explorer = kp.explore(scores, province="Jambi")
    figure = explorer.figure("trend")
    assert figure is not None and figure.layout.yaxis.range == (0, 100)
    assert explorer.figure("nothing") is None
