"""The national gazetteer, built from the Kemendagri codes with aliases made by rule, not typed.

``scripts/build_gazetteer.py`` runs :func:`build` on ``data/reference/kode_wilayah_2025.csv`` (all 552
pemda) and writes ``config/gazetteer.csv``. Each pemda gets:

- its canonical name (``Provinsi Bengkulu``, ``Kabupaten Kaur``, ``Kota Bengkulu``), type, province and code;
- aliases by rule: the usual prefixes (``Kab.``, ``Pemkab``, ``Pemerintah Kabupaten``, ``Pemkot``,
  ``Pemerintah Kota``, ``Prov.``, ``Pemprov``, ``Pemerintah Provinsi``), the name without its type word
  (``Kaur``, ``Pemerintah Kepulauan Aru``) and the initials of long names (``TTU``, ``OKU``) where
  that names one pemda only, and the usual province short forms (``Sumbar``, ``Kaltara``, ``NTT``);
- the hand-kept aliases of ``config/gazetteer_extra.csv`` (``Tanjab Barat``...), merged so that a
  rebuild never loses an analyst's alias;
- for kabupaten/kota of the provinces created in 2022 (``config/province_changes.csv``), the former
  province and the last year it applies.

Spelling variants of spacing, case and punctuation (``Batang Hari``/``Batanghari``, ``Sungaipenuh``,
``kab kaur``) and a trailing abbreviation in brackets (``(TTU)``) need no alias: names are compared
by a key that ignores them (:mod:`kepatuhan.reference.names`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kepatuhan import settings
from kepatuhan.reference.names import name_key, tidy

#: Prefixed spellings generated for each type of pemda ("{}" is the name without its type word).
PREFIX_VARIANTS = {
    "provinsi": ("Prov. {}", "Pemprov {}", "Pemerintah Provinsi {}"),
    "kabupaten": ("Kab. {}", "Pemkab {}", "Pemerintah Kabupaten {}"),
    "kota": ("Pemkot {}", "Pemerintah Kota {}"),
}
#: Type words an official name starts with, longest first.
TYPE_WORDS = ("Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota ", "Provinsi ")
#: Province short forms: the island's first syllable(s) joined to the direction's (Sumbar, Jateng, Kaltara...).
ISLAND_STEMS = {"Sumatera": "Sum", "Jawa": "Ja", "Kalimantan": "Kal", "Sulawesi": "Sul", "Maluku": "Mal", "Papua": "Pa"}
DIRECTION_STEMS = {
    "Utara": ("ut", "tara"),
    "Barat": ("bar",),
    "Selatan": ("sel",),
    "Tengah": ("teng",),
    "Timur": ("tim",),
    "Tenggara": ("tra",),
}
GAZETTEER_COLUMNS = ["pemda", "type", "province", "kode", "aliases", "former_province", "former_until"]


def core(name: str) -> str:
    """An official name without its type word: ``"Kabupaten Kerinci"`` -> ``"Kerinci"``."""
    name = tidy(name)
    return next((name[len(word) :] for word in TYPE_WORDS if name.startswith(word)), name)


def canonical(nama: str, tingkat: str) -> str:
    """The canonical pemda name: ``Provinsi <name>`` for a province, the official name otherwise."""
    return f"Provinsi {tidy(nama)}" if tingkat == "provinsi" else tidy(nama)


def province_short_forms(province: str) -> list[str]:
    """Short forms made by rule: ``Sumatera Barat`` -> Sumbar; ``Kalimantan Utara`` -> Kalut, Kaltara;
    names of three or more words -> their initials (``Nusa Tenggara Timur`` -> NTT)."""
    words = province.split()
    forms = []
    if len(words) == 2 and words[0] in ISLAND_STEMS and words[1] in DIRECTION_STEMS:
        forms += [ISLAND_STEMS[words[0]] + stem for stem in DIRECTION_STEMS[words[1]]]
    if len(words) >= 3:
        forms.append("".join(w[0] for w in words).upper())
    return forms


def initials(name: str) -> str:
    """The initials of a name of three or more words (``Timor Tengah Utara`` -> TTU), else ""."""
    words = [w for w in name.split() if w[0].isalpha()]
    return "".join(w[0] for w in words).upper() if len(words) >= 3 else ""


def rule_aliases(codes: pd.DataFrame) -> dict[str, list[str]]:
    """Canonical name -> aliases made by rule; a bare name or initials only where they name one pemda."""
    names = {canonical(n, t): (core(n), t) for n, t in zip(codes["nama"], codes["tingkat"])}
    bare_count = pd.Series([name_key(c) for c, _ in names.values()]).value_counts()
    initial_count = pd.Series([initials(c) for c, _ in names.values() if initials(c)]).value_counts()
    taken = {name_key(n) for n in names}
    aliases = {}
    for name, (bare, kind) in names.items():
        found = [pattern.format(bare) for pattern in PREFIX_VARIANTS[kind]]
        if bare_count[name_key(bare)] == 1:
            found += [bare, f"Pemerintah {bare}"]
        if kind == "provinsi":
            found += [
                f"{prefix} {short}" for short in province_short_forms(bare) for prefix in ("", "Prov.", "Pemprov")
            ]
        mark = initials(bare)
        if mark and initial_count[mark] == 1 and name_key(mark) not in taken and kind != "provinsi":
            found.append(mark)
        aliases[name] = list(dict.fromkeys(tidy(a) for a in found if name_key(a) != name_key(name)))
    return aliases


def build(codes: pd.DataFrame, extras: pd.DataFrame, changes: pd.DataFrame) -> pd.DataFrame:
    """The gazetteer table: canonical name, type, province, code, aliases (rules + extras), former province.

    ``codes`` has ``kode, nama, tingkat, provinsi``; ``extras`` has ``pemda, aliases`` (``|``-separated);
    ``changes`` has ``province, former_province, until_year``.
    """
    by_rule = rule_aliases(codes)
    extra = {
        tidy(p): [tidy(a) for a in str(a).split("|") if a.strip()] for p, a in zip(extras["pemda"], extras["aliases"])
    }
    unknown = sorted(set(extra) - set(by_rule))
    if unknown:
        raise ValueError(f"gazetteer_extra.csv names pemda that are not in the codes: {unknown}")
    former = {
        tidy(p): (tidy(f), str(u))
        for p, f, u in zip(changes["province"], changes["former_province"], changes["until_year"])
    }
    rows = []
    for kode, nama, tingkat, province in zip(codes["kode"], codes["nama"], codes["tingkat"], codes["provinsi"]):
        name, province = canonical(nama, tingkat), tidy(province)
        aliases = list(dict.fromkeys(by_rule[name] + extra.get(name, [])))
        before = former.get(province, ("", "")) if tingkat != "provinsi" else ("", "")
        rows.append((name, tingkat, province, str(kode), "|".join(aliases), *before))
    return pd.DataFrame(rows, columns=GAZETTEER_COLUMNS)


def read_sources(
    codes: Path = settings.CODES_FILE,
    extras: Path = settings.GAZETTEER_EXTRA_FILE,
    changes: Path = settings.PROVINCE_CHANGES_FILE,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The three inputs of :func:`build`, read as text."""
    return (
        settings.read_config_table(codes, ["kode", "nama", "tingkat", "provinsi"]),
        settings.read_config_table(extras, ["pemda", "aliases"]),
        settings.read_config_table(changes, ["province", "former_province", "until_year"]),
    )
