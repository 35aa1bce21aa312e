"""Canonical names for pemda (from the gazetteer) and OPD (from the alias list).

Published spellings vary ("Kab. Batang Hari", "Batanghari", "Kabupaten Batanghari"). Names are
compared by a key that ignores case, punctuation and spaces; pemda names may also drop prefixes
such as ``Kab.``, ``Pemkab``, ``Kota`` or ``Pemprov`` when that leaves one candidate. A pemda name
that fits none, or several, is an error: new pemda are never invented. OPD names are open-ended:
unknown ones are kept as written (whitespace tidied) and reported.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kepatuhan import config
from kepatuhan.errors import DataError, Problem

#: Leading words that name the type of government, longest first, as tokens.
PREFIXES: dict[str, list[tuple[str, ...]]] = {
    "provinsi": [("pemerintah", "provinsi"), ("pemprov",), ("provinsi",), ("prov",), ("propinsi",)],
    "kabupaten": [("pemerintah", "kabupaten"), ("pemkab",), ("kabupaten",), ("kab",)],
    "kota": [("pemerintah", "kota"), ("pemkot",), ("kota",)],
}
ALIAS_SEPARATOR = "|"


def tokens(name: object) -> list[str]:
    """Lower-case ASCII words of a name, punctuation dropped (``"Kab. Batang-Hari"`` -> kab, batang, hari)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", text)


def name_key(name: object) -> str:
    """The matching key of a name: its words joined without spaces (Batang Hari == Batanghari)."""
    return "".join(tokens(name))


def split_prefix(name: object) -> tuple[str | None, str]:
    """Split a government-type prefix off a name: ``"Pemkab Tebo"`` -> ``("kabupaten", "tebo")``."""
    words = tokens(name)
    for kind, options in PREFIXES.items():
        for prefix in options:
            if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
                return kind, "".join(words[len(prefix) :])
    return None, "".join(words)


def tidy(name: object) -> str:
    """Collapse runs of whitespace and trim."""
    return " ".join(str(name).split())


@dataclass
class Gazetteer:
    """The known pemda with their type, province, code and aliases."""

    table: pd.DataFrame
    source: Path = config.GAZETTEER_FILE
    _full: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _core: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _provinces: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for row in self.table.itertuples():
            for spelling in [row.pemda, *row.alias_list]:
                self._full.setdefault(name_key(spelling), set()).add(row.pemda)
                self._core.setdefault(split_prefix(spelling)[1], set()).add(row.pemda)
            self._core.setdefault(split_prefix(row.pemda)[1], set()).add(row.pemda)
            if row.type == "provinsi":
                for spelling in [row.province, row.pemda, *row.alias_list]:
                    self._provinces[split_prefix(spelling)[1]] = row.province

    def resolve_province(self, name: str) -> str | Problem:
        """The canonical province for any known spelling (``"prov. jambi"``), or a :class:`Problem`."""
        found = self._provinces.get(split_prefix(name)[1])
        if found:
            return found
        near = difflib.get_close_matches(str(name).strip().lower(), sorted({p.lower() for p in self._provinces.values()}), n=3, cutoff=0.4)
        names = [p for p in sorted(set(self._provinces.values())) if p.lower() in near]
        return Problem(f"unknown province; closest known: {', '.join(names) or 'none'}", value=name,
                       hint=f"write a province name as in {self.source} (for example {', '.join(names[:1]) or 'Jambi'})")

    def info(self, pemda: str) -> dict:
        """Type, province and code of a canonical pemda name."""
        return self.table.set_index("pemda").loc[pemda].to_dict()

    def resolve(self, name: str, province: str = "") -> str | Problem:
        """The canonical pemda for a published name, or a :class:`Problem` saying why not."""
        candidates = self._full.get(name_key(name))
        kind, core = split_prefix(name)
        if not candidates:
            candidates = {
                p for p in self._core.get(core, set()) if kind is None or self._type(p) == kind
            }
        if province and len(candidates) > 1:
            candidates = {p for p in candidates if name_key(self._province(p)) == _province_key(province)} or candidates
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            options = " or ".join(sorted(candidates))
            return Problem(
                f"ambiguous pemda name: it could be {options}",
                value=name,
                hint=f"write the full name ({options})",
            )
        return Problem(
            f"unknown pemda name; closest known: {', '.join(self.closest(name)) or 'none'}",
            value=name,
            hint=(
                f"fix the spelling, or if it is a spelling of a known pemda add it to the 'aliases' column "
                f"of {self.source} (separate aliases with '{ALIAS_SEPARATOR}'); a new pemda needs its own row there"
            ),
        )

    def closest(self, name: str, n: int = 3) -> list[str]:
        """The canonical names whose spellings look most like ``name``."""
        spellings = {s: row.pemda for row in self.table.itertuples() for s in [row.pemda, *row.alias_list]}
        near = difflib.get_close_matches(str(name), list(spellings), n=10, cutoff=0.4)
        return list(dict.fromkeys(spellings[s] for s in near))[:n]

    def _type(self, pemda: str) -> str:
        return self.table.loc[self.table["pemda"] == pemda, "type"].iloc[0]

    def _province(self, pemda: str) -> str:
        return self.table.loc[self.table["pemda"] == pemda, "province"].iloc[0]


def _province_key(province: str) -> str:
    return split_prefix(province)[1]


def load_gazetteer(path: Path = config.GAZETTEER_FILE) -> Gazetteer:
    """Read the gazetteer and check that no spelling points at two pemda."""
    table = _read_names_file(path, ["pemda", "type", "province", "kode", "aliases"])
    bad_types = table.index[~table["type"].isin(["provinsi", "kabupaten", "kota"])]
    problems = [
        Problem("type must be provinsi, kabupaten or kota", file=path, row=int(i) + 2, column="type", value=table.at[i, "type"])
        for i in bad_types
    ]
    gazetteer = Gazetteer(table, source=path)
    problems += [
        Problem(f"spelling key '{key}' names two pemda: {', '.join(sorted(p))}", file=path, hint="remove one alias")
        for key, p in gazetteer._full.items()
        if len(p) > 1
    ]
    if problems:
        raise DataError(problems)
    return gazetteer


@dataclass
class OpdNames:
    """Canonical OPD names and their aliases."""

    table: pd.DataFrame
    _index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for row in self.table.itertuples():
            for spelling in [row.opd, *row.alias_list]:
                self._index[name_key(spelling)] = row.opd

    def canonical(self, names: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Canonical names for a column of OPD names, and a mask of the names not in the list.

        Empty names stay empty (the row is a pemda total) and are not "unknown".
        """
        unique = pd.Series(names.unique())
        mapped = unique.map(lambda n: self._index.get(name_key(n)))
        lookup = dict(zip(unique, mapped.where(mapped.notna(), unique.map(tidy))))
        known = dict(zip(unique, mapped.notna() | (unique.map(tidy) == "")))
        return names.map(lookup), ~names.map(known).astype(bool)


def load_opd_names(path: Path = config.OPD_ALIASES_FILE) -> OpdNames:
    """Read the OPD alias list."""
    return OpdNames(_read_names_file(path, ["opd", "aliases"]))


def _read_names_file(path: Path, required: list[str]) -> pd.DataFrame:
    """Read a names configuration file, with its ``aliases`` split into ``alias_list``."""
    table = config.read_config_table(path, required).apply(lambda col: col.map(tidy))
    table["alias_list"] = table["aliases"].map(
        lambda a: [s.strip() for s in a.split(ALIAS_SEPARATOR) if s.strip()]
    )
    return table


def canonical_province(name: str, gazetteer: Gazetteer | None = None) -> str:
    """The canonical province for any known spelling ("" stays ""); :class:`DataError` when unknown."""
    if not name:
        return ""
    found = (gazetteer or load_gazetteer()).resolve_province(name)
    if isinstance(found, Problem):
        raise DataError([Problem(found.message, column="province", value=name, hint=found.hint)])
    return found


def canonical_pemda(name: str, gazetteer: Gazetteer | None = None) -> str:
    """The canonical pemda for any known spelling ("" stays ""); :class:`DataError` when unknown or ambiguous."""
    if not name:
        return ""
    found = (gazetteer or load_gazetteer()).resolve(name)
    if isinstance(found, Problem):
        raise DataError([Problem(found.message, column="pemda", value=name, hint=found.hint)])
    return found
