"""Canonical names for pemda (from the national gazetteer) and OPD (from the alias list).

Published spellings vary ("Kab. Batang Hari", "Batanghari", "Pemerintah Kabupaten Batanghari",
"Kabupaten Timor Tengah Utara (TTU)", "Kabupaten kaur"). Names are compared by a key that ignores
case, punctuation and spaces, after dropping a trailing abbreviation in brackets; a type word at the
start (``Kab.``, ``Pemkot``, ``Pemerintah Provinsi``, ``Pemerintah``...) is split off and, when given,
must agree. Many names are shared at national scale (``Magelang``, ``Bogor``, ``Bengkulu``...): the row's
province decides where it can, otherwise it is an error listing the candidates. A pemda name that fits
none is an error naming the closest known names in that province: new pemda are never invented. OPD
names are open-ended: unknown ones are kept as written (whitespace tidied) and reported.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kepatuhan import settings
from kepatuhan.errors import DataError, Problem

#: Leading words that name the type of government, as tokens, longest first within each type.
#: ``None``: words that name a government without saying its type (``Pemerintah Kepulauan Aru``).
PREFIXES: dict[str | None, list[tuple[str, ...]]] = {
    "provinsi": [("pemerintah", "provinsi"), ("pemprov",), ("provinsi",), ("prov",), ("propinsi",)],
    "kabupaten": [("pemerintah", "kabupaten", "administrasi"), ("pemerintah", "kabupaten"), ("kabupaten", "administrasi"),
                  ("pemkab",), ("kabupaten",), ("kab",)],
    "kota": [("pemerintah", "kota", "administrasi"), ("pemerintah", "kota"), ("kota", "administrasi"), ("pemkot",), ("kota",)],
    None: [("pemerintah", "daerah"), ("pemerintah",), ("pemda",)],
}  # fmt: skip
ALIAS_SEPARATOR = "|"
TYPES = ("provinsi", "kabupaten", "kota")
BRACKETED = re.compile(r"\s*\([^()]*\)\s*$")


def tokens(name: object) -> list[str]:
    """Lower-case ASCII words of a name, punctuation dropped (``"Kab. Batang-Hari"`` -> kab, batang, hari)."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", text)


def name_key(name: object) -> str:
    """The matching key of a name: its words joined without spaces (Batang Hari == Batanghari)."""
    return "".join(tokens(name))


def split_prefix(name: object) -> tuple[str | None, str]:
    """Split a type prefix off a name: ``"Pemkab Tebo"`` -> ``("kabupaten", "tebo")``."""
    words = tokens(name)
    for kind, options in PREFIXES.items():
        for prefix in options:
            if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
                return kind, "".join(words[len(prefix) :])
    return None, "".join(words)


def tidy(name: object) -> str:
    """Collapse runs of whitespace and trim."""
    return " ".join(str(name).split())


def without_brackets(name: str) -> str:
    """A name without a trailing abbreviation in brackets: ``"Kabupaten Timor Tengah Utara (TTU)"``."""
    return BRACKETED.sub("", tidy(name)) or tidy(name)


@dataclass
class Gazetteer:
    """The known pemda with their type, province, code, aliases and former province."""

    table: pd.DataFrame
    source: Path = settings.GAZETTEER_FILE
    extras_source: Path = settings.GAZETTEER_EXTRA_FILE
    _full: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _core: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _rows: dict[str, dict] = field(default_factory=dict, repr=False)
    _provinces: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for row in self.table.to_dict("records"):
            self._rows[row["pemda"]] = row
            for spelling in [row["pemda"], *row["alias_list"]]:
                self._full.setdefault(name_key(spelling), set()).add(row["pemda"])
                self._core.setdefault(split_prefix(spelling)[1], set()).add(row["pemda"])
            if row["type"] == "provinsi":
                for spelling in [row["province"], row["pemda"], *row["alias_list"]]:
                    self._provinces[split_prefix(spelling)[1]] = row["province"]
        for row in self._rows.values():
            self._provinces.setdefault(split_prefix(row["province"])[1], row["province"])

    @property
    def provinces(self) -> list[str]:
        """Every province, by name."""
        return sorted(set(self._provinces.values()))

    def info(self, pemda: str) -> dict:
        """Type, province, code and former province of a canonical pemda name."""
        return self._rows[pemda]

    def members(self, province: str) -> list[str]:
        """The pemda of a province (canonical names)."""
        return sorted(p for p, row in self._rows.items() if row["province"] == province)

    def candidates(self, name: str) -> set[str]:
        """Every pemda a spelling can mean, before the province is taken into account."""
        text = without_brackets(name)
        found = self._full.get(name_key(text)) or self._full.get(name_key(name))
        if found:
            return set(found)
        kind, core = split_prefix(text)
        return {p for p in self._core.get(core, set()) if kind is None or self._rows[p]["type"] == kind}

    def in_province(self, pemda: str, province: str, year: int | None = None) -> bool:
        """Whether ``pemda`` belongs to ``province`` (its former province counts up to its last year)."""
        row = self._rows[pemda]
        if row["province"] == province:
            return True
        until = str(row.get("former_until", "") or "")
        return row.get("former_province") == province and (year is None or (until.isdigit() and year <= int(until)))

    def resolve(self, name: str, province: str = "", year: int | None = None) -> str | Problem:
        """The canonical pemda for a published name (with the row's province and year when known), or a Problem."""
        candidates = self.candidates(name)
        if province:
            wanted = self.resolve_province(province)
            if isinstance(wanted, Problem):
                return Problem(f"unknown province '{province}' in the province column; {wanted.message}", hint=wanted.hint)
            inside = {p for p in candidates if self.in_province(p, wanted, year)}
            if candidates and not inside:
                return self._contradiction(name, wanted, candidates)
            candidates = inside
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            options = " or ".join(sorted(candidates))
            return Problem(f"ambiguous pemda name: it could be {options}", value=name,
                           hint=f"write the full name with its type word ({options}), or fill the province column")  # fmt: skip
        return self._unknown(name, self.resolve_province(province) if province else "")

    def _contradiction(self, name: str, province: str, candidates: set[str]) -> Problem:
        where = "; ".join(f"{p} is in {self._rows[p]['province']}" for p in sorted(candidates))
        return Problem(f"the province column says {province}, but {where}", value=name,
                       hint="correct the province column or the pemda name (the file itself is kept as it is)")  # fmt: skip

    def _unknown(self, name: str, province: str | Problem) -> Problem:
        inside = province if isinstance(province, str) and province else ""
        near = self.closest(name, inside)
        where = f" in {inside}" if inside else ""
        return Problem(f"unknown pemda name; closest known{where}: {', '.join(near) or 'none'}", value=name,
                       hint=(f"fix the spelling, or if it is a spelling of a known pemda add it to {self.extras_source} "
                             f"(columns pemda,aliases; separate aliases with '{ALIAS_SEPARATOR}'); a pemda that is not in "
                             f"{self.source} does not exist in the Kemendagri codes"))  # fmt: skip

    def resolve_province(self, name: str) -> str | Problem:
        """The canonical province for any known spelling (``"prov. sumbar"``), or a :class:`Problem`."""
        found = self._provinces.get(split_prefix(without_brackets(name))[1])
        if found:
            return found
        near = difflib.get_close_matches(tidy(name).lower(), [p.lower() for p in self.provinces], n=3, cutoff=0.4)
        names = [p for p in self.provinces if p.lower() in near]
        return Problem(f"unknown province; closest known: {', '.join(names) or 'none'}", value=name,
                       hint=f"write a province as in {self.source} (for example {names[0] if names else 'Sumatera Barat'}) or a short form such as Sumbar")  # fmt: skip

    def closest(self, name: str, province: str = "", n: int = 3) -> list[str]:
        """The canonical names whose spellings look most like ``name`` (in ``province`` when given)."""
        rows = [r for r in self._rows.values() if not province or r["province"] == province]
        spellings = {s.lower(): r["pemda"] for r in rows for s in [r["pemda"], *r["alias_list"]]}
        near = difflib.get_close_matches(tidy(name).lower(), list(spellings), n=12, cutoff=0.4)
        return list(dict.fromkeys(spellings[s] for s in near))[:n]


@settings.reloaded_when_changed
def load_gazetteer(path: Path = settings.GAZETTEER_FILE, extras: Path | None = settings.GAZETTEER_EXTRA_FILE) -> Gazetteer:
    """Read the gazetteer and the hand-kept aliases; check types and that no spelling names two pemda."""
    table = _read_names_file(path, ["pemda", "type", "province", "kode", "aliases"])
    for column in ("former_province", "former_until"):
        table[column] = table.get(column, "")
    problems = [Problem("type must be provinsi, kabupaten or kota", file=path, row=int(i) + 2, column="type", value=table.at[i, "type"])
                for i in table.index[~table["type"].isin(TYPES)]]  # fmt: skip
    if extras is not None and Path(extras).exists():
        table, found = _merge_extras(table, Path(extras))
        problems += found
    gazetteer = Gazetteer(table, source=path, extras_source=Path(extras) if extras else path)
    problems += [
        Problem(f"spelling key '{key}' names two pemda: {', '.join(sorted(p))}", file=extras or path,
                hint="remove the alias from one of them")  # fmt: skip
        for key, p in gazetteer._full.items()
        if len(p) > 1
    ]
    if problems:
        raise DataError(problems)
    return gazetteer


def _merge_extras(table: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """Add the aliases of the hand-kept file to the gazetteer's (the build merges them too)."""
    extras = _read_names_file(path, ["pemda", "aliases"])
    known = set(table["pemda"])
    problems = [Problem("no such pemda in the gazetteer", file=path, row=int(i) + 2, column="pemda", value=p,
                        hint="write the canonical name, as in config/gazetteer.csv")  # fmt: skip
                for i, p in zip(extras.index, extras["pemda"]) if p not in known]
    added = extras[extras["pemda"].isin(known)].groupby("pemda")["alias_list"].sum()
    table["alias_list"] = [list(dict.fromkeys(own + added.get(p, []))) for p, own in zip(table["pemda"], table["alias_list"])]
    return table, problems


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
        unique = pd.Series(names.unique())
        mapped = unique.map(self.lookup)
        lookup = dict(zip(unique, mapped.where(mapped.notna(), unique.map(tidy))))
        known = dict(zip(unique, mapped.notna() | (unique.map(tidy) == "")))
        return names.map(lookup), ~names.map(known).astype(bool)


@settings.reloaded_when_changed
def load_opd_names(path: Path = settings.OPD_ALIASES_FILE, prefixes: Path = settings.OPD_PREFIXES_FILE) -> OpdNames:
    """Read the OPD alias list and the prefixes of units named after their place."""
    rules = settings.read_config_table(prefixes, ["prefix", "canonical"]) if Path(prefixes).exists() else None
    found = [] if rules is None else [([w.lower().rstrip(".") for w in p.split()], c) for p, c in zip(rules["prefix"], rules["canonical"])]
    return OpdNames(_read_names_file(path, ["opd", "aliases"]), found)


def _read_names_file(path: Path, required: list[str]) -> pd.DataFrame:
    """Read a names configuration file, with its ``aliases`` split into ``alias_list``."""
    table = settings.read_config_table(path, required).apply(lambda col: col.map(tidy))
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
