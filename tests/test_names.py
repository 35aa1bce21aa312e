"""Pemda and OPD names: the spellings of DOMAIN.md, prefixes, ambiguity, unknown names."""

from __future__ import annotations

import pandas as pd
import pytest

from kepatuhan.errors import DataError, Problem
from kepatuhan.reference.gazetteer import load_gazetteer
from kepatuhan.reference.names import load_opd_names, name_key, split_prefix


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Provinsi Jambi", "Provinsi Jambi"),
        ("Pemprov Jambi", "Provinsi Jambi"),
        ("Pemerintah Provinsi Jambi", "Provinsi Jambi"),
        ("Kabupaten Batanghari", "Kabupaten Batanghari"),
        ("Batang Hari", "Kabupaten Batanghari"),
        ("Kab. Batang Hari", "Kabupaten Batanghari"),
        ("KAB BATANGHARI", "Kabupaten Batanghari"),
        ("Tanjung Jabung Barat", "Kabupaten Tanjung Jabung Barat"),
        ("Tanjab Barat", "Kabupaten Tanjung Jabung Barat"),
        ("Kab. Tanjung Jabung Barat", "Kabupaten Tanjung Jabung Barat"),
        ("Kota Sungai Penuh", "Kota Sungai Penuh"),
        ("Sungai Penuh", "Kota Sungai Penuh"),
        ("Kota Sungaipenuh", "Kota Sungai Penuh"),
        ("Pemkab Muaro Jambi", "Kabupaten Muaro Jambi"),
        ("  kota   jambi ", "Kota Jambi"),
        ("Pemerintah Kota Jambi", "Kota Jambi"),
        ("Kabupaten Tebo", "Kabupaten Tebo"),
    ],
)
def test_domain_spellings_resolve(gazetteer, spelling, canonical):
    assert gazetteer.resolve(spelling) == canonical


def test_jambi_alone_is_ambiguous(gazetteer):
    found = gazetteer.resolve("Jambi", province="Jambi")
    assert isinstance(found, Problem)
    assert "ambiguous" in found.message and "Kota Jambi" in found.message and "Provinsi Jambi" in found.message


def test_wrong_prefix_is_not_matched(gazetteer):
    assert isinstance(gazetteer.resolve("Kota Kerinci"), Problem)


def test_unknown_pemda_suggests_closest_and_the_alias_file(gazetteer):
    found = gazetteer.resolve("Kab. Kerinchi")
    assert isinstance(found, Problem)
    assert "Kabupaten Kerinci" in found.message
    assert "gazetteer.csv" in found.hint


def test_prefix_split():
    assert split_prefix("Pemerintah Kabupaten Tebo") == ("kabupaten", "tebo")
    assert split_prefix("Kabupaten Kotabaru") == ("kabupaten", "kotabaru")
    assert split_prefix("Kota") == (None, "kota")
    assert name_key("DPM-PTSP") == "dpmptsp"


def test_gazetteer_rejects_an_alias_used_twice(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("pemda,type,province,kode,aliases\nKota A,kota,X,1,Sama\nKota B,kota,X,2,Sama\n", encoding="utf-8")
    with pytest.raises(DataError, match="names two pemda"):
        load_gazetteer(path, extras=None)


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("Dukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
        ("DPM-PTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        ("DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
        ("dinkes", "Dinas Kesehatan"),
        ("Disdik", "Dinas Pendidikan"),
        ("Dindik", "Dinas Pendidikan"),
    ],
)
def test_opd_aliases(spelling, canonical):
    names, unknown = load_opd_names().canonical(pd.Series([spelling]))
    assert names.tolist() == [canonical]
    assert not unknown.any()


def test_unknown_opd_is_kept_tidied_and_flagged_empty_is_not():
    names, unknown = load_opd_names().canonical(pd.Series(["  Bagian   Umum Setda ", ""]))
    assert names.tolist() == ["Bagian Umum Setda", ""]
    assert unknown.tolist() == [True, False]


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("PKM II Kuala Tungkal", "Puskesmas II Kuala Tungkal"),
        ("UPTD Puskesmas Abepura", "Puskesmas Abepura"),
        ("  Puskesmas   Sungai Tutung ", "Puskesmas Sungai Tutung"),
    ],
)
def test_units_named_after_their_place_are_known_by_their_prefix(spelling, canonical):
    names, unknown = load_opd_names().canonical(pd.Series([spelling]))
    assert names.tolist() == [canonical] and not unknown.any()


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Pemko Padang", "Kota Padang"),
        ("Pemko Tebing Tinggi", "Kota Tebing Tinggi"),
        ("Medan Pemko", "Kota Medan"),
        ("Kota Medan, Pemko", "Kota Medan"),
        ("Padang (Pemko)", "Kota Padang"),
        ("(Pemkab) Asahan", "Kabupaten Asahan"),
        ("Asahan Pemkab", "Kabupaten Asahan"),
        ("Pemda Kab. Tebo", "Kabupaten Tebo"),
        ("Pemerintah Daerah Kabupaten Tebo", "Kabupaten Tebo"),
        ("Kotamadya Medan", "Kota Medan"),
        ("Kodya Binjai", "Kota Binjai"),
        ("Pemprop Sumut", "Provinsi Sumatera Utara"),
        ("Sumut (Pemprov)", "Provinsi Sumatera Utara"),
        ("Pemerintah Propinsi Sumatera Utara", "Provinsi Sumatera Utara"),
        ("Padang Sidimpuan", "Kota Padangsidimpuan"),
        ("Tanjungpinang", "Kota Tanjung Pinang"),
        ("Tebingtinggi", "Kota Tebing Tinggi"),
        ("Lima Puluh Kota", "Kabupaten Lima Puluh Kota"),
        ("Kabupaten Lima Puluh Kota", "Kabupaten Lima Puluh Kota"),
    ],
)
def test_the_words_around_a_name_are_read_wherever_they_stand(gazetteer, spelling, canonical):
    """A rule, not a list: the government's words before or after the name, in brackets or not (issue 35)."""
    assert gazetteer.resolve(spelling) == canonical


@pytest.mark.parametrize("spelling", ["Pemko Kabupaten Asahan", "Kota Asahan"])
def test_words_that_say_another_type_are_not_read_past(gazetteer, spelling):
    assert isinstance(gazetteer.resolve(spelling), Problem)


@pytest.mark.parametrize(
    ("spelling", "province", "canonical"),
    [
        ("Padang Sidempuan", "Sumatera Utara", "Kota Padangsidimpuan"),
        ("Kota Padangsidempuan", "Sumut", "Kota Padangsidimpuan"),
    ],
)
def test_a_name_spelled_with_other_vowels_is_its_provinces_one_pemda_so_spelled(
    gazetteer, spelling, province, canonical
):
    assert gazetteer.resolve(spelling, province) == canonical
    kind, note = gazetteer.reading_note(spelling, province)
    assert kind == "variant_spelling" and canonical in note


def test_other_vowels_are_not_read_without_a_province_or_in_a_short_name(gazetteer):
    assert isinstance(gazetteer.resolve("Padang Sidempuan"), Problem)  # a province says where to look
    assert isinstance(gazetteer.resolve("Kota Medon", "Sumatera Utara"), Problem)  # too short to read by consonants
