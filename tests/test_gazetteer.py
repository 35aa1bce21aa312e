"""The national gazetteer: built by rule from the Kemendagri codes, and names resolved at national scale."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from kepatuhan import settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.reference.gazetteer import load_gazetteer
from kepatuhan.reference.wilayah import build, province_short_forms, read_sources


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def test_the_shipped_gazetteer_is_what_the_build_makes():
    """config/gazetteer.csv comes from scripts/build_gazetteer.py; nobody edits it by hand."""
    built = build(*read_sources())
    shipped = pd.read_csv(settings.GAZETTEER_FILE, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(shipped, built)


def test_all_552_pemda_with_codes_types_and_provinces(gazetteer):
    table = gazetteer.table
    assert len(table) == 552 and table["type"].value_counts().to_dict() == {
        "kabupaten": 416,
        "kota": 98,
        "provinsi": 38,
    }
    assert table["kode"].is_unique and table["pemda"].is_unique
    assert gazetteer.info("Kabupaten Tanjung Jabung Barat")["kode"] == "15.06"
    assert len(gazetteer.provinces) == 38


def test_a_rebuild_keeps_the_hand_kept_aliases():
    codes, extras, changes = read_sources()
    extras = pd.concat([extras, pd.DataFrame({"pemda": ["Kabupaten Kerinci"], "aliases": ["Sakti Alam Kerinci"]})])
    built = build(codes, extras, changes).set_index("pemda")
    assert "Sakti Alam Kerinci" in built.loc["Kabupaten Kerinci", "aliases"].split("|")
    assert "Tanjab Barat" in built.loc["Kabupaten Tanjung Jabung Barat", "aliases"].split("|")


@pytest.mark.parametrize(
    ("province", "forms"),
    [
        ("Sumatera Barat", {"Sumbar"}),
        ("Jawa Tengah", {"Jateng"}),
        ("Kalimantan Utara", {"Kaltara"}),
        ("Sulawesi Tenggara", {"Sultra"}),
        ("Maluku Utara", {"Malut"}),
        ("Nusa Tenggara Timur", {"NTT"}),
        ("Daerah Istimewa Yogyakarta", {"DIY"}),
        ("Jambi", set()),
    ],
)
def test_province_short_forms_by_rule(province, forms):
    assert forms <= set(province_short_forms(province)) and (forms or not province_short_forms(province))


@pytest.mark.parametrize(
    ("spelling", "province", "canonical"),
    [
        ("Kabupaten Timor Tengah Utara (TTU)", "", "Kabupaten Timor Tengah Utara"),
        ("TTU", "", "Kabupaten Timor Tengah Utara"),
        ("Pemerintah Kepulauan Aru", "", "Kabupaten Kepulauan Aru"),
        ("Kabupaten kaur", "", "Kabupaten Kaur"),
        ("Rejang Lebong", "", "Kabupaten Rejang Lebong"),
        ("Pemerintah Provinsi Sumbar", "", "Provinsi Sumatera Barat"),
        ("Pemprov Sumbar", "Sumatera Barat", "Provinsi Sumatera Barat"),
        ("Pemprov Bengkulu", "", "Provinsi Bengkulu"),
        ("Kota Bengkulu", "", "Kota Bengkulu"),
        ("Magelang", "", None),
        ("Kota Magelang", "", "Kota Magelang"),
        ("Kab. Magelang", "Jawa Tengah", "Kabupaten Magelang"),
        ("Banjar", "Kalimantan Selatan", "Kabupaten Banjar"),
        ("Banjar", "Jawa Barat", "Kota Banjar"),
        ("Pemerintah Kota Tidore Kepulauan", "Maluku Utara", "Kota Tidore Kepulauan"),
        ("Jakarta Utara", "DKI", "Kota Administrasi Jakarta Utara"),
        ("OKU", "", "Kabupaten Ogan Komering Ulu"),
        ("Kab. Batang Hari", "Jambi", "Kabupaten Batanghari"),
        ("Sungaipenuh", "", "Kota Sungai Penuh"),
        ("Tanjabtim", "", "Kabupaten Tanjung Jabung Timur"),
    ],
)
def test_spellings_resolve_nationally(gazetteer, spelling, province, canonical):
    found = gazetteer.resolve(spelling, province)
    if canonical is None:
        assert isinstance(found, Problem)
    else:
        assert found == canonical, getattr(found, "message", found)


@pytest.mark.parametrize(
    ("name", "province", "candidates"),
    [
        ("Bogor", "", ["Kabupaten Bogor", "Kota Bogor"]),
        ("Bogor", "Jawa Barat", ["Kabupaten Bogor", "Kota Bogor"]),
        ("Gorontalo", "Gorontalo", ["Kabupaten Gorontalo", "Kota Gorontalo", "Provinsi Gorontalo"]),
        ("Jambi", "", ["Kota Jambi", "Provinsi Jambi"]),
        ("Kupang", "NTT", ["Kabupaten Kupang", "Kota Kupang"]),
    ],
)
def test_a_bare_shared_name_is_an_error_listing_the_candidates(gazetteer, name, province, candidates):
    found = gazetteer.resolve(name, province)
    assert isinstance(found, Problem) and "ambiguous" in found.message
    assert all(c in found.message for c in candidates)


def test_the_province_column_must_agree(gazetteer):
    found = gazetteer.resolve("Kabupaten Tebo", "Sumatera Barat", 2024)
    assert isinstance(found, Problem) and "Kabupaten Tebo is in Jambi" in found.message


def test_a_kabupaten_of_a_new_province_is_accepted_under_its_former_one_before_the_split(gazetteer):
    assert gazetteer.resolve("Kabupaten Merauke", "Papua", 2021) == "Kabupaten Merauke"
    assert gazetteer.resolve("Kabupaten Merauke", "Papua Selatan", 2024) == "Kabupaten Merauke"
    assert gazetteer.resolve("Kota Sorong", "Papua Barat", 2020) == "Kota Sorong"
    assert isinstance(gazetteer.resolve("Kabupaten Merauke", "Papua", 2024), Problem)
    assert gazetteer.info("Kabupaten Merauke")["province"] == "Papua Selatan"


def test_an_unknown_name_gets_the_closest_names_in_its_province_and_the_file_to_edit(gazetteer):
    found = gazetteer.resolve("Kabupaten Pesisir Selatann", "Sumbar")
    assert isinstance(found, Problem)
    assert "closest known in Sumatera Barat: Kabupaten Pesisir Selatan" in found.message
    assert "gazetteer_extra.csv" in found.hint


@pytest.mark.parametrize("spelling", ["Sumbar", "sumatera barat", "Prov. Sumbar", "Pemprov Sumatera Barat", "SUMBAR"])
def test_provinces_resolve_from_any_spelling(gazetteer, spelling):
    assert gazetteer.resolve_province(spelling) == "Sumatera Barat"


def test_an_unknown_province_names_the_closest(gazetteer):
    found = gazetteer.resolve_province("Sumatera Barta")
    assert isinstance(found, Problem) and "Sumatera Barat" in found.message


def test_other_names_are_checked_naming_the_line_column_and_value(tmp_path):
    """``data/reference/nama_pemda_lain.csv`` rows: an unknown pemda, an unknown kind, a short form that is
    already another pemda's name in the province (``Kota Jambi`` for Kerinci) or that two pemda of one
    province share (``KSP``): each problem with its line, column and value."""
    others = tmp_path / "lain.csv"
    others.write_text(
        "pemda,nama,jenis,tahun,sumber\n"
        "Kabupaten Kerinci,Kota Jambi,singkatan,,s\nKabupaten Zzz,Z,singkatan,,s\nKabupaten Tebo,Tb,lain,,s\n"
        "Kabupaten Tebo,KSP,singkatan,,s\nKota Sungai Penuh,KSP,singkatan,,s\nKabupaten Bungo,KSP,singkatan,,s\n"
        "Kabupaten Bungo,Bg,nama_lama,2010,s\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        load_gazetteer(settings.GAZETTEER_FILE, extras=None, others=others)
    found = [(p.row, p.column, p.value, p.message.split(":")[0]) for p in info.value.problems]
    assert found == [
        (3, "pemda", "Kabupaten Zzz", "no such pemda in the gazetteer"),
        (4, "jenis", "lain", "the kind must be singkatan or nama_lama"),
        (2, "nama", "Kota Jambi", "the short form names more than one pemda of Jambi"),
        (5, "nama", "KSP", "the short form names more than one pemda of Jambi"),
        (6, "nama", "KSP", "the short form names more than one pemda of Jambi"),
        (7, "nama", "KSP", "the short form names more than one pemda of Jambi"),
    ]
    assert "Kabupaten Bungo, Kabupaten Tebo, Kota Sungai Penuh" in info.value.problems[-1].message


def test_the_gazetteer_is_read_without_pandas():
    """A run with nothing to do resolves ``--province`` with the gazetteer; importing pandas for it was most
    of such a run (0.5 s). ``table`` still gives the rows as a table, for those who want one."""
    code = (
        "import sys; from kepatuhan.reference.gazetteer import load_gazetteer; g = load_gazetteer(); "
        "assert g.resolve_province('Sumbar') == 'Sumatera Barat' and 'pandas' not in sys.modules; "
        "assert len(g.table) == 552 and 'pandas' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=settings.ROOT)


def test_a_name_a_person_typed_is_answered_with_did_you_mean_not_with_a_line_to_add(gazetteer):
    """A typo in ``--pemda``, ``--province`` or a notebook's parameter is mended where it was typed: the fix asks
    "did you mean", and names no configuration file (that advice is for a release's own spellings)."""
    assert gazetteer.asked("kab. kerinci") == "Kabupaten Kerinci"
    typo, several, province = (
        gazetteer.asked("Kab Kerinchi"),
        gazetteer.asked("Bandung"),
        gazetteer.asked_province("Jamby"),
    )
    assert typo.hint == "did you mean Kabupaten Kerinci?"
    assert several.hint == "write the full name, one of: Kabupaten Bandung, Kota Bandung"
    assert province.hint == "did you mean Jambi? a short form such as Sumbar works too"
    assert all(".csv" not in problem.hint for problem in (typo, several, province))
    assert "gazetteer_extra.csv" in gazetteer.resolve("Kab Kerinchi").hint  # a release's spelling: the line to add


def test_a_typed_name_is_answered_in_the_run_language(gazetteer):
    from types import SimpleNamespace

    from kepatuhan.pipeline.resolve import pemda_asked, provinces_asked

    with pytest.raises(DataError) as pemda:
        pemda_asked(SimpleNamespace(pemda=["Kab Kerinchi"]), gazetteer)
    text = pemda.value.problems[0].render("id")
    assert "opsi --pemda" in text and "perbaiki: apakah maksudnya Kabupaten Kerinci?" in text
    with pytest.raises(DataError) as province:
        provinces_asked(SimpleNamespace(province=["Jamby"]), None, gazetteer)
    assert "perbaiki: apakah maksudnya Jambi? singkatan seperti Sumbar juga bisa" in province.value.problems[0].render(
        "id"
    )
