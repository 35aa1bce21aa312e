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
    asked = {
        key
        for path in SOURCES
        for key in re.findall(r"words\(\s*\\?[\"']([a-z_]+\.[a-z_]+)\\?[\"']", path.read_text(encoding="utf-8"))
    }
    assert asked, "the scan found nothing"
    assert not asked - set(catalogue("id"))


def test_every_zone_has_a_name_in_each_language():
    for zone in load_methods().zones["zone"]:
        for lang in LANGS:
            assert f"zone.{zone}" in catalogue(lang), (zone, lang)  # zone_name would fall back to the code itself
            assert zone_name(zone, lang) == catalogue(lang)[f"zone.{zone}"]


def test_numbers_follow_the_readers_convention():
    assert number(88.41, "id") == "88,41" and number(88.41, "en") == "88.41"
    assert (
        words("brief.title", "en", year=2024, scope="Jambi province")
        == "Public-service compliance brief 2024: Jambi province"
    )


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="id, en"):
        catalogue("fr")


#: What a sentence of a brief must never hold, in either language: a word twice in a row, two prepositions in
#: a row ("sama dengan dari hijau", issue 35), a space before punctuation, a placeholder left unfilled.
GRAMMAR = {
    "a word twice in a row": re.compile(r"\b(\w+) \1\b", re.I),
    "two prepositions in a row": re.compile(
        r"\b(dengan|dari|pada|ke|di|untuk|from|to|in|of|with) "
        r"(dengan|dari|pada|ke|di|untuk|from|to|in|of|with)\b",
        re.I,
    ),
    "a space before punctuation": re.compile(r" [,.;:)]"),
    "a placeholder left unfilled": re.compile(r"\{\w*\}"),
    "two full stops": re.compile(r"(?<!\.)\.\.(?!\.)"),
}
#: Sample values by placeholder: a number where the name says a count or a year, a name otherwise.
SAMPLES = {
    "year": "2024",
    "prev_year": "2023",
    "n": "3",
    "k": "2",
    "m": "5",
    "count": "12",
    "total": "15",
    "n_fell": "2",
    "n_rose": "1",
    "shown": "10",
    "rank": "4",
    "delta": "1,50",
    "score": "80,50",
}


def sample(name: str) -> str:
    """A value for the placeholder ``name``, of the kind its name says."""
    if name in SAMPLES:
        return SAMPLES[name]
    if re.match(r"^(n|k|m|rank|count|total)(_|$)|year", name):
        return "7"
    return {"kind": "kabupaten", "province": "Jambi", "scope": "Provinsi Jambi"}.get(
        name, "hijau" if "zone" in name else "Kerinci"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_every_sentence_a_brief_can_say_reads_well(lang):
    """Each text of the wording files, its placeholders filled, passes the team's own grammar check."""
    bad = []
    for key, text in catalogue(lang).items():
        if not isinstance(text, str):
            continue
        filled = re.sub(r"\{(\w+)\}", lambda m: sample(m.group(1)), text)
        bad += [f"{key}: {rule}: {filled!r}" for rule, pattern in GRAMMAR.items() if pattern.search(filled)]
    assert not bad, "\n".join(bad)


def test_each_branch_of_the_zone_change_sentence_reads_well():
    from kepatuhan.brief.headline import zone_change

    for lang in LANGS:
        for flags in ("naik_zona", "turun_zona", ""):
            sentence = zone_change({"tanda": flags, "prev_zone": "hijau", "prev_year": 2022}, lang)
            assert not [rule for rule, pattern in GRAMMAR.items() if pattern.search(sentence)], sentence
