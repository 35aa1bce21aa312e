"""Words in one place: both languages have every text, and every text the code asks for exists."""

from __future__ import annotations

import re

import pytest

from kepatuhan import settings
from kepatuhan.brief.wording import LANGS, catalogue, number, words, zone_name
from kepatuhan.reference.methods import load_methods

SOURCES = [*settings.ROOT.joinpath("kepatuhan").rglob("*.py"), *settings.NOTEBOOKS_DIR.glob("*.ipynb")]


def test_both_languages_have_the_same_texts_and_placeholders():
    indonesian, english = catalogue("id"), catalogue("en")
    assert set(indonesian) == set(english)
    for key in indonesian:
        assert set(re.findall(r"\{(\w+)\}", indonesian[key])) == set(re.findall(r"\{(\w+)\}", english[key])), key


def test_every_text_the_code_asks_for_exists():
    asked = {key for path in SOURCES for key in re.findall(r"words\(\s*\\?[\"']([a-z_]+\.[a-z_]+)\\?[\"']", path.read_text(encoding="utf-8"))}
    assert asked, "the scan found nothing"
    assert not asked - set(catalogue("id"))


def test_every_zone_has_a_name_in_each_language():
    for zone in load_methods().zones["zone"]:
        for lang in LANGS:
            assert f"zone.{zone}" in catalogue(lang), (zone, lang)  # zone_name would fall back to the code itself
            assert zone_name(zone, lang) == catalogue(lang)[f"zone.{zone}"]


def test_numbers_follow_the_readers_convention():
    assert number(88.41, "id") == "88,41" and number(88.41, "en") == "88.41"
    assert words("brief.title", "en", year=2024, scope="Jambi province") == "Public-service compliance brief 2024: Jambi province"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="id, en"):
        catalogue("fr")
