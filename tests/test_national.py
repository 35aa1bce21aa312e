"""Every province out of the box: a file nobody here has seen, province checks, briefs for any province."""

from __future__ import annotations

import pytest
from conftest import pipeline, records

from kepatuhan.errors import DataError
from kepatuhan.reading.ingest import ingest

JATENG = """tahun;provinsi;pemda;nilai;kategori
2024;Jawa Tengah;Pemerintah Provinsi Jateng;90,12;A
2024;Jawa Tengah;Kab. Magelang;84,50;B
2024;Jawa Tengah;Kota Magelang;91,02;A
2024;Jateng;Pemkot Semarang;88,00;A
2024;Jawa Tengah;Kabupaten Semarang;79,10;B
2024;Jawa Tengah;Banyumas;76,55;C
2024;Jawa Tengah;KABUPATEN CILACAP;70,00;C
2024;Jawa Tengah;Pemkab Wonosobo;65,40;C
"""


def test_a_file_of_a_province_nobody_here_has_seen_ingests_without_a_gazetteer_edit(raw):
    scores = ingest(raw({"jateng_2024.csv": JATENG})).scores.set_index("pemda")
    assert set(scores.index) == {
        "Provinsi Jawa Tengah",
        "Kabupaten Magelang",
        "Kota Magelang",
        "Kota Semarang",
        "Kabupaten Semarang",
        "Kabupaten Banyumas",
        "Kabupaten Cilacap",
        "Kabupaten Wonosobo",
    }
    assert (scores["province"] == "Jawa Tengah").all()
    assert scores.loc["Kota Magelang", "pemda_type"] == "kota" and scores.loc["Kabupaten Wonosobo", "grade"] == "C"


def test_a_bare_shared_name_without_a_type_word_is_an_error_naming_both(raw):
    folder = raw({"a.csv": "tahun;provinsi;pemda;nilai\n2024;Jawa Tengah;Magelang;84,50\n"})
    with pytest.raises(DataError) as info:
        ingest(folder)
    assert "one of: Kabupaten Magelang, Kota Magelang" in str(info.value) and "row 2" in str(info.value)
    assert "bisa salah satu dari: Kabupaten Magelang, Kota Magelang" in info.value.render("id")  # no English "or"


def test_a_province_that_contradicts_the_pemda_is_an_error(raw):
    folder = raw({"a.csv": "tahun,provinsi,pemda,nilai\n2024,Sumatera Barat,Kabupaten Tebo,89.62\n"})
    with pytest.raises(DataError) as info:
        ingest(folder)
    text = str(info.value)
    assert (
        "file a.csv, row 2, column 'pemda'" in text
        and "the province column says Sumatera Barat" in text
        and "in Jambi" in text
    )


def test_a_papua_kabupaten_under_its_old_province_before_the_split(raw):
    folder = raw(
        {"a.csv": "tahun,provinsi,pemda,nilai\n2021,Papua,Kabupaten Merauke,70\n2024,Papua Selatan,Merauke,80\n"}
    )
    scores = ingest(folder).scores
    assert scores["pemda"].tolist() == ["Kabupaten Merauke", "Kabupaten Merauke"]
    with pytest.raises(DataError, match="the province column says Papua"):
        ingest(raw({"b.csv": "tahun,provinsi,pemda,nilai\n2024,Papua,Kabupaten Merauke,80\n"}))


@pytest.mark.e2e
def test_any_spelling_of_a_province_gives_the_same_brief_with_its_map(tmp_path):
    """``Sumbar`` and ``Sumatera Barat`` are one brief: after a run with one spelling, a run with the other in
    the same folders has nothing to do (the same tasks, with the same fingerprints) and changes no byte."""
    folders = ["--reports", str(tmp_path / "r"), "--processed", str(tmp_path / "p"), "--no-pdf"]
    brief = tmp_path / "r" / "2024" / "provinsi" / "sumatera-barat"
    done = pipeline("run", "--year", "2024", "--province", "Sumbar", *folders)
    assert done.returncode == 0, done.stderr
    page = (brief / "brief.html").read_bytes()
    assert (brief / "figures" / "map.png").exists() and not (tmp_path / "r" / "2024" / "nasional").exists()
    assert "Zona kepatuhan kabupaten/kota, Provinsi Sumatera Barat 2024" in page.decode("utf-8")
    again = pipeline("run", "--year", "2024", "--province", "Sumatera Barat", *folders)
    assert again.returncode == 0, again.stderr
    assert records(tmp_path / "r")[-1]["outcome"] == "nothing_to_do"
    assert (brief / "brief.html").read_bytes() == page


@pytest.mark.e2e
def test_a_run_without_a_province_briefs_every_province_at_its_latest_year_and_the_country(tmp_path):
    done = pipeline(
        "run",
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
        "--pemda",
        "Pulau Morotai",
        "--no-pdf",
    )
    assert done.returncode == 0, done.stderr
    briefs = sorted(p.parent.relative_to(tmp_path / "r").as_posix() for p in (tmp_path / "r").rglob("brief.html"))
    latest = {
        "2023": ["kalimantan-utara"],
        "2024": [
            "bengkulu",
            "jambi",
            "nusa-tenggara-barat",
            "nusa-tenggara-timur",
            "papua",
            "sulawesi-selatan",
            "sumatera-barat",
        ],
        "2025": [
            "bali",
            "daerah-istimewa-yogyakarta",
            "gorontalo",
            "jawa-barat",
            "jawa-tengah",
            "jawa-timur",
            "kalimantan-barat",
            "maluku",
            "maluku-utara",
            "sulawesi-tengah",
        ],
    }
    assert briefs == sorted(["2025/nasional", *(f"{year}/provinsi/{p}" for year, ps in latest.items() for p in ps)])
    national = (tmp_path / "r" / "2025" / "nasional" / "brief.html").read_text(encoding="utf-8")
    assert "28 dari 552 pemda" in national
    morotai = (
        tmp_path / "r" / "2025" / "provinsi" / "maluku-utara" / "pemda" / "kabupaten-pulau-morotai.html"
    ).read_text(encoding="utf-8")
    assert "53,38" in morotai and "sementara" in morotai
