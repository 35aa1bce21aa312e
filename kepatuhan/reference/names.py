"""Names as they are written: the keys they are compared by, and the canonical names of OPDs.

Published spellings vary ("Kab. Batang Hari", "Batanghari", "Pemerintah Kabupaten Batanghari",
"Kabupaten Timor Tengah Utara (TTU)", "Kabupaten kaur"). Names are compared by a key that ignores
case, punctuation and spaces, after dropping a trailing abbreviation in brackets; a type word at the
start (``Kab.``, ``Pemkot``, ``Pemerintah Provinsi``, ``Pemerintah``...) is split off and, when given,
must agree (the pemda themselves are resolved by :mod:`kepatuhan.reference.gazetteer`). OPD names are
open-ended: unknown ones are kept as written (whitespace tidied) and reported.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kepatuhan import settings

if TYPE_CHECKING:  # the gazetteer reads its files with this module and no pandas (a run with nothing to do)
    import pandas as pd

#: Leading words that name the type of government, as tokens, longest first within each type.
#: ``None``: words that name a government without saying its type (``Pemerintah Kepulauan Aru``).
PREFIXES: dict[str | None, list[tuple[str, ...]]] = {
    "provinsi": [("pemerintah", "provinsi"), ("pemprov",), ("provinsi",), ("prov",), ("propinsi",)],
    "kabupaten": [
        ("pemerintah", "kabupaten", "administrasi"),
        ("pemerintah", "kabupaten"),
        ("kabupaten", "administrasi"),
        ("pemkab",),
        ("kabupaten",),
        ("kab",),
    ],
    "kota": [
        ("pemerintah", "kota", "administrasi"),
        ("pemerintah", "kota"),
        ("kota", "administrasi"),
        ("pemkot",),
        ("kota",),
    ],
    None: [("pemerintah", "daerah"), ("pemerintah",), ("pemda",)],
}
ALIAS_SEPARATOR = "|"
TYPES = ("provinsi", "kabupaten", "kota")
BRACKETED = re.compile(r"\s*\([^()]*\)\s*$")


def tokens(name: object) -> list[str]:
    """Lower-case ASCII words of a name, punctuation dropped (``"Kab. Batang-Hari"`` -> kab, batang, hari)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", text)


#: Words many pemda names share: a name written with these alone names no pemda by itself.
COMMON_WORDS = frozenset(
    {
        "kepulauan",
        "pulau",
        "utara",
        "selatan",
        "barat",
        "timur",
        "tengah",
        "raya",
        "baru",
        "laut",
        "hulu",
        "hilir",
        "darat",
        "daya",
        "kota",
        "kabupaten",
        "provinsi",
    }
)


def name_words(name: object) -> list[str]:
    """The words of a name without its type word (``Kabupaten Kepulauan Selayar`` -> kepulauan, selayar)."""
    words = tokens(name)
    for options in PREFIXES.values():
        for prefix in options:
            if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
                return words[len(prefix) :]
    for options in SUFFIXES.values():
        for suffix in options:
            if tuple(words[-len(suffix) :]) == suffix and len(words) > len(suffix):
                return words[: -len(suffix)]
    return words


def name_key(name: object) -> str:
    """The matching key of a name: its words joined without spaces (Batang Hari == Batanghari)."""
    return "".join(tokens(name))


#: Trailing words of an English name that say its type (``Gorontalo Regency Government``).
SUFFIXES: dict[str, list[tuple[str, ...]]] = {
    "provinsi": [("provincial", "government"), ("province", "government"), ("province",)],
    "kabupaten": [("regency", "government"), ("regency",)],
    "kota": [("city", "government"), ("municipal", "government"), ("city",), ("municipality",)],
}


#: Words for a government's type that only ever stand before or after a name, besides :data:`PREFIXES`:
#: ``Pemko`` (pemerintah kota, as Sumatra writes it), the old ``Kotamadya``/``Kodya``, ``Pemprop``.
MORE_TYPE_WORDS: dict[str, list[tuple[str, ...]]] = {
    "provinsi": [("pemerintah", "propinsi"), ("pemprop",)],
    "kabupaten": [("pemerintah", "kab"), ("pem", "kab")],
    "kota": [("pemerintah", "kotamadya"), ("pemko",), ("kotamadya",), ("kodya",), ("pem", "kot")],
}


def _type_phrases(tables: tuple[dict, ...]) -> list[tuple[tuple[str, ...], str | None]]:
    """Every phrase of ``tables`` that says a government's type, with its type, longest first."""
    found = [(phrase, kind) for table in tables for kind, phrases in table.items() for phrase in phrases]
    return sorted(found, key=lambda item: -len(item[0]))


#: Phrases read before a name; after it, only those that name a government (``Medan Pemko``) or are English:
#: a bare ``Kota`` ends a name (Kabupaten Lima Puluh Kota).
LEADING_PHRASES = _type_phrases((PREFIXES, MORE_TYPE_WORDS))
TRAILING_PHRASES = [
    (phrase, kind)
    for phrase, kind in _type_phrases((PREFIXES, MORE_TYPE_WORDS, SUFFIXES))
    if phrase[0].startswith("pem") or any(phrase in p for p in SUFFIXES.values())
]


def split_prefix(name: object) -> tuple[str | None, str]:
    """Split the words for a government's type off a name, wherever they stand, before or after it and in any
    order: ``"Pemkab Tebo"``, ``"Tebo (Pemkab)"``, ``"Pemda Kab. Tebo"`` and ``"Gorontalo Regency"`` give
    ``("kabupaten", core)``. Words that say two different types are left as they are (no type is guessed)."""
    words, kind = tokens(name), None
    while len(words) > 1:
        lead = next(((p, k) for p, k in LEADING_PHRASES if len(words) > len(p) and tuple(words[: len(p)]) == p), None)
        trail = (
            None
            if lead
            else next(
                ((p, k) for p, k in TRAILING_PHRASES if len(words) > len(p) and tuple(words[-len(p) :]) == p), None
            )
        )
        if not (lead or trail):
            break
        phrase, said = lead or trail
        if said and kind and said != kind:
            return None, "".join(tokens(name))
        kind = said or kind
        words = words[len(phrase) :] if lead else words[: -len(phrase)]
    return kind, "".join(words)


def only_province_words(name: object) -> bool:
    """Whether a name is nothing but words for a provincial government (``Pemerintah Provinsi``, ``Pemprov``)."""
    words = tuple(tokens(name))
    return bool(words) and (words in PREFIXES["provinsi"] or words in SUFFIXES["provinsi"])


def vowels_folded(key: str) -> str:
    """A name key with the vowels Indonesian spellings of one place alternate folded together (e/i, o/u)."""
    return key.translate(str.maketrans("eo", "iu"))


def tidy(name: object) -> str:
    """Collapse runs of whitespace and trim."""
    return " ".join(str(name).split())


def without_brackets(name: str) -> str:
    """A name without a trailing abbreviation in brackets: ``"Kabupaten Timor Tengah Utara (TTU)"``."""
    return BRACKETED.sub("", tidy(name)) or tidy(name)


@dataclass
class OpdNames:
    """Canonical OPD names, their aliases, and name prefixes of units named after a place (Puskesmas)."""

    table: pd.DataFrame
    prefixes: list[tuple[list[str], str]] = field(default_factory=list)
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for row in self.table.itertuples():
            for spelling in [row.opd, *row.alias_list]:
                self._index[name_key(spelling)] = row.opd
        self.prefixes = sorted(self.prefixes, key=lambda p: -len(p[0]))

    def lookup(self, name: str) -> str | None:
        """The canonical name of a known OPD spelling, or a unit named after a place with a known prefix
        (``"PKM II Kuala Tungkal"`` -> ``"Puskesmas II Kuala Tungkal"``); None when unknown."""
        found = self._index.get(name_key(name))
        if found:
            return found
        words = tidy(name).split(" ")
        for prefix, canonical in self.prefixes:
            if [w.lower().rstrip(".") for w in words[: len(prefix)]] == prefix and len(words) > len(prefix):
                return " ".join([canonical, *words[len(prefix) :]])
        return None

    def canonical(self, names: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Canonical names for a column of OPD names, and a mask of the names not in the list.

        Empty names stay empty (the row is a pemda total) and are not "unknown".
        """
        import pandas as pd  # heavy

        unique = pd.Series(names.unique())
        mapped = unique.map(self.lookup)
        lookup = dict(zip(unique, mapped.where(mapped.notna(), unique.map(tidy))))
        known = dict(zip(unique, mapped.notna() | (unique.map(tidy) == "")))
        return names.map(lookup), ~names.map(known).astype(bool)


@settings.reloaded_when_changed
def load_opd_names(path: Path = settings.OPD_ALIASES_FILE, prefixes: Path = settings.OPD_PREFIXES_FILE) -> OpdNames:
    """Read the OPD alias list and the prefixes of units named after their place."""
    rules = settings.read_config_table(prefixes, ["prefix", "canonical"]) if Path(prefixes).exists() else None
    found = (
        []
        if rules is None
        else [([w.lower().rstrip(".") for w in p.split()], c) for p, c in zip(rules["prefix"], rules["canonical"])]
    )
    return OpdNames(read_names_file(path, ["opd", "aliases"]), found)


def read_names_file(path: Path, required: list[str]) -> pd.DataFrame:
    """Read a names configuration file as a table (:func:`read_name_rows`; the index is each line less 2)."""
    import pandas as pd  # heavy

    header, rows = read_name_rows(path, required)
    return pd.DataFrame([row for _, row in rows], columns=[*header, "alias_list"], index=[n - 2 for n, _ in rows])


def read_name_rows(path: Path, required: list[str]) -> tuple[list[str], list[tuple[int, dict]]]:
    """Read a names configuration file without pandas: its header, and each row with its line number, cells
    tidied, its ``aliases`` split into ``alias_list``."""
    header, rows = settings.read_config_rows(path, required)
    for _, row in rows:
        row.update({column: tidy(value) for column, value in row.items()}, alias_list=alias_list(tidy(row["aliases"])))
    return header, rows


def alias_list(aliases: str) -> list[str]:
    """The aliases of a ``|``-separated cell, in order, blanks left out."""
    return [s.strip() for s in aliases.split(ALIAS_SEPARATOR) if s.strip()]
