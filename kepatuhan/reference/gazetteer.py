"""The national gazetteer: every pemda with its type, province, Kemendagri code and the ways its name is written.

A published name is resolved to one canonical pemda (``Kab. Batang Hari`` -> ``Kabupaten Batang Hari``)
with the help of the row's province and year. Many names are shared at national scale (``Magelang``,
``Bogor``, ``Bengkulu``...): the row's province decides where it can, otherwise it is an error listing
the candidates. A name that fits none is an error naming the closest known names in that province:
new pemda are never invented. The table is ``config/gazetteer.csv`` (built by ``make gazetteer``) with
the hand-kept aliases of ``config/gazetteer_extra.csv``, and the other names people write out of the box
(``data/reference/nama_pemda_lain.csv``): short forms (``Pangkep``, ``TTS``), each unambiguous within its
province, and former names (``Maluku Tenggara Barat``, renamed ``Kepulauan Tanimbar`` in 2019), read as
the pemda they became (the ingest notes it).
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kepatuhan import settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.reference.names import (
    COMMON_WORDS,
    TYPES,
    name_key,
    name_words,
    only_province_words,
    read_name_rows,
    split_prefix,
    tidy,
    vowels_folded,
    without_brackets,
)

if TYPE_CHECKING:
    import pandas as pd

#: The two kinds of other names (each a dict of ``pemda, name, kind, year, source``).
SHORT, FORMER = "singkatan", "nama_lama"


@dataclass
class Gazetteer:
    """The known pemda with their type, province, code, aliases and former province.

    Read and indexed without pandas (a run with nothing to do resolves ``--province`` with it); the
    same rows as a table are :attr:`table`."""

    records: list[dict]
    source: Path = settings.GAZETTEER_FILE
    extras_source: Path = settings.GAZETTEER_EXTRA_FILE
    _full: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _core: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _rows: dict[str, dict] = field(default_factory=dict, repr=False)
    _provinces: dict[str, str] = field(default_factory=dict, repr=False)
    others: list[dict] = field(default_factory=list, repr=False)
    _short: dict[str, set[str]] = field(default_factory=dict, repr=False)
    _former: dict[str, tuple[str, str, str]] = field(default_factory=dict, repr=False)
    _created: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index_official()
        self._index_others()

    @functools.cached_property
    def table(self) -> pd.DataFrame:
        """Every pemda as a table: ``pemda, type, province, kode, aliases, alias_list``, the former province's
        columns and any other column of the file."""
        import pandas as pd  # heavy

        return pd.DataFrame(self.records)

    def with_others(self, others: list[dict]) -> Gazetteer:
        """This gazetteer with the short forms and former names ``others`` indexed too (the official
        names are not indexed again: that is most of loading the gazetteer)."""
        self.others = others
        self._index_others()
        return self

    def _index_others(self) -> None:
        """Index the short forms, and the former names (full and without their type word)."""
        self._short.clear()
        self._former.clear()
        for row in self.others:
            if row["kind"] == SHORT:
                self._short.setdefault(name_key(row["name"]), set()).add(row["pemda"])
            else:
                kind, core = split_prefix(row["name"])
                for key in (name_key(row["name"]), f"{kind}:{core}", f"None:{core}"):  # also without its type word
                    self._former[key] = (row["pemda"], row["name"], row["year"])

    def _index_official(self) -> None:
        """Index every official name and alias (full and without its type word), and the provinces."""
        for row in self.records:
            self._rows[row["pemda"]] = row
            for spelling in [row["pemda"], *row["alias_list"]]:
                self._full.setdefault(name_key(spelling), set()).add(row["pemda"])
                self._core.setdefault(split_prefix(spelling)[1], set()).add(row["pemda"])
            if row["type"] == "provinsi":
                for spelling in [row["province"], row["pemda"], *row["alias_list"]]:
                    self._provinces[split_prefix(spelling)[1]] = row["province"]
        for row in self._rows.values():
            self._provinces.setdefault(split_prefix(row["province"])[1], row["province"])
            if str(row.get("former_until", "")).isdigit():  # a province split off another: it exists after that year
                self._created[row["province"]] = int(row["former_until"])

    @property
    def provinces(self) -> list[str]:
        """Every province, by name."""
        return sorted(set(self._provinces.values()))

    def spellings(self, pemda: str) -> list[str]:
        """Every way of writing ``pemda`` this gazetteer knows (official, aliases, short forms), and those of its
        province's government (``Sumut``, ``Kepri``): what a reader may type to find it."""
        row = self._rows.get(pemda)
        if row is None:
            return []
        government = self._government(row["province"])
        names = [pemda, *row["alias_list"], *(n for g in government for n in [g, *self._rows[g]["alias_list"]])]
        names += [other["name"] for other in self.others if other["pemda"] in {pemda, *government}]
        return list(dict.fromkeys(names))

    def info(self, pemda: str) -> dict:
        """Type, province, code and former province of a canonical pemda name."""
        return self._rows[pemda]

    def candidates(self, name: str) -> set[str]:
        """Every pemda a spelling can mean, before the province is taken into account: an official name
        or alias, a name without its type word or a short form, else a former name."""
        text = without_brackets(name)
        found = self._full.get(name_key(text)) or self._full.get(name_key(name))
        if found:
            return set(found)
        kind, core = split_prefix(text)
        named = self._core.get(core, set()) | self._short.get(core, set()) | self._short.get(name_key(text), set())
        found = {p for p in named if kind is None or self._rows[p]["type"] == kind}
        return found or {self._former[key][0] for key in (name_key(text), f"{kind}:{core}") if key in self._former}

    def former(self, name: str) -> str:
        """How a name that is a former name was read (empty for any other name)."""
        text = without_brackets(name)
        kind, core = split_prefix(text)
        key = next((k for k in (name_key(text), f"{kind}:{core}") if k in self._former), None)
        if key is None or self._full.get(name_key(text)) or self._core.get(core) or self._short.get(core):
            return ""
        pemda, old, year = self._former[key]
        return f"written with its former name {old} (renamed {year}); read as {pemda}"

    def pemda_in(self, province: str, year: int) -> list[str]:
        """The pemda of a province in a year (a kabupaten counts under its former province up to its split)."""
        return sorted(p for p in self._rows if self.in_province(p, province, year) and self._existed(p, province, year))

    def _existed(self, pemda: str, province: str, year: int) -> bool:
        """A province created by a split (Papua Selatan...) has no government, and no pemda, before it."""
        return year > self._created.get(province, 0) if self._rows[pemda]["province"] == province else True

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
                return Problem(
                    f"unknown province '{province}' in the province column; {wanted.message}", hint=wanted.hint
                )
            inside = {p for p in candidates if self.in_province(p, wanted, year)}
            if candidates and not inside:
                return self._contradiction(name, wanted, candidates)
            candidates = (
                inside
                or (self._government(wanted) if only_province_words(name) else set())
                or self.partly_named(name, wanted, year)
                or self.spelled_alike(name, wanted, year)
            )
        if len(candidates) == 1:
            return next(iter(candidates))
        if candidates:
            options = ", ".join(sorted(candidates))
            return Problem(
                f"ambiguous pemda name; it could be one of: {options}",
                value=name,
                hint=f"if the release means one of them, add the line  <full name>,{tidy(name)}  to {settings.display(self.extras_source)}, with the full name one of {options} (the file is kept as published)",
            )
        return self._unknown(name, self.resolve_province(province) if province else "")

    def partly_named(self, name: str, province: str, year: int | None = None) -> set[str]:
        """The one pemda of ``province`` whose name holds every word of ``name`` (type words aside), when the words
        include one that is not a common part of names (``Selayar`` is Kabupaten Kepulauan Selayar; ``Utara``
        names nothing); empty when none or several do."""
        kind, _ = split_prefix(name)
        written = set(name_words(without_brackets(name)))
        if not written - COMMON_WORDS:
            return set()
        found = {
            p
            for p in self.pemda_in(province, year or 9999)
            if (kind is None or self._rows[p]["type"] == kind) and written <= set(name_words(p))
        }
        return found if len(found) == 1 else set()

    def spelled_alike(self, name: str, province: str, year: int | None = None) -> set[str]:
        """The one pemda of ``province`` whose name differs from ``name`` only by the vowels Indonesian spelling
        lets vary (e/i and o/u: ``Padang Sidempuan`` is Kota Padangsidimpuan); empty when none or several do."""
        kind, core = split_prefix(without_brackets(name))
        if len(core) < 6:  # a short name is too close to others to read by its consonants
            return set()
        found = {
            p
            for p in self.pemda_in(province, year or 9999)
            if (kind is None or self._rows[p]["type"] == kind)
            and any(vowels_folded(split_prefix(s)[1]) == vowels_folded(core) for s in [p, *self._rows[p]["alias_list"]])
        }
        return found if len(found) == 1 else set()

    def reading_note(self, name: str, province: str = "", year: int | None = None) -> tuple[str, str]:
        """How a name that is not one of a pemda's known spellings was read, as (kind, note) for the quality report:
        a former name, or part of a name; ("", "") for any other name."""
        former = self.former(name)
        if former:
            return "former_name", former
        if province and not self.candidates(name):
            wanted = self.resolve_province(province)
            found = self.partly_named(name, wanted, year) if isinstance(wanted, str) else set()
            if found:
                pemda = next(iter(found))
                return "partial_name", (
                    f"written with part of its name; read as {pemda}, the only pemda of {wanted} "
                    f"whose name has these words"
                )
            alike = self.spelled_alike(name, wanted, year) if isinstance(wanted, str) else set()
            if alike:
                return "variant_spelling", (
                    f"spelled with other vowels; read as {next(iter(alike))}, the only pemda "
                    f"of {wanted} whose name is spelled so"
                )
        return "", ""

    def _government(self, province: str) -> set[str]:
        """The provincial government of ``province`` (for a row that names only ``Pemerintah Provinsi``)."""
        return {p for p, row in self._rows.items() if row["type"] == "provinsi" and row["province"] == province}

    def _contradiction(self, name: str, province: str, candidates: set[str]) -> Problem:
        where = "; ".join(f"{p} is in {self._rows[p]['province']}" for p in sorted(candidates))
        return Problem(
            f"the province column says {province}, but {where}",
            value=name,
            hint="if the release has the wrong province, say which holds in config/corrections.csv (column province; the file is kept as published)",
        )

    def _unknown(self, name: str, province: str | Problem) -> Problem:
        inside = province if isinstance(province, str) and province else ""
        near = self.closest(name, inside)
        where = f" in {inside}" if inside else ""
        first = near[0].split(" (")[0] if near else "Kabupaten X"
        return Problem(
            f"unknown pemda name; closest known{where}: {', '.join(near) or 'none'}",
            value=name,
            hint=(
                f"if it is a way of writing {first}, add the line  {first},{tidy(name)}  to "
                f"{settings.display(self.extras_source)} (the file is kept as published); a pemda that is "
                f"not in {settings.display(self.source)} does not exist in the Kemendagri codes"
            ),
        )

    def asked(self, name: str) -> str | Problem:
        """The canonical pemda for a name a person typed (an option, a notebook parameter), or a Problem whose fix
        asks "did you mean": a typo is mended where it was typed. A release's own spelling is what an alias line
        in the configuration is for (:meth:`resolve` says so)."""
        found = self.resolve(name)
        if not isinstance(found, Problem):
            return found
        several = sorted(self.candidates(name))
        if several:
            return replace(found, hint=f"write the full name, one of: {', '.join(several)}")
        near = [n.split(" (")[0] for n in self.closest(name)]
        hint = f"did you mean {near[0]}?" if near else f"no pemda is named like it in {settings.display(self.source)}"
        return replace(found, hint=hint)

    def asked_province(self, name: str) -> str | Problem:
        """The canonical province for a name a person typed, or a Problem whose fix asks "did you mean"."""
        found = self.resolve_province(name)
        if not isinstance(found, Problem):
            return found
        near = self.closest_provinces(name, n=1)
        hint = f"did you mean {near[0]}? a short form such as Sumbar works too" if near else found.hint
        return replace(found, hint=hint)

    def resolve_province(self, name: str) -> str | Problem:
        """The canonical province for any known spelling (``"prov. sumbar"``), or a :class:`Problem`."""
        found = self._provinces.get(split_prefix(without_brackets(name))[1])
        if found:
            return found
        names = self.closest_provinces(name)
        return Problem(
            f"unknown province; closest known: {', '.join(names) or 'none'}",
            value=name,
            hint=f"write a province as in {settings.display(self.source)} (for example {names[0] if names else 'Sumatera Barat'}) or a short form such as Sumbar",
        )

    def closest_provinces(self, name: str, n: int = 3) -> list[str]:
        """Up to ``n`` provinces whose names look most like ``name``, in the gazetteer's order."""
        near = difflib.get_close_matches(tidy(name).lower(), [p.lower() for p in self.provinces], n=n, cutoff=0.4)
        return [p for p in self.provinces if p.lower() in near]

    def closest(self, name: str, province: str = "", n: int = 3) -> list[str]:
        """The canonical names whose spellings look most like ``name`` (in ``province`` when given); a former
        name is given with the pemda it became (``Kabupaten Kepulauan Tanimbar (Maluku Tenggara Barat until 2019)``)."""
        rows = [r for r in self._rows.values() if not province or r["province"] == province]
        spellings = {s.lower(): r["pemda"] for r in rows for s in [r["pemda"], *r["alias_list"]]}
        spellings.update(
            {
                old.lower(): f"{pemda} ({old} until {year})"
                for pemda, old, year in self._former.values()
                if not province or self._rows[pemda]["province"] == province
            }
        )
        near = difflib.get_close_matches(tidy(name).lower(), list(spellings), n=12, cutoff=0.4)
        return list(dict.fromkeys(spellings[s] for s in near))[:n]


@settings.reloaded_when_changed
def load_gazetteer(
    path: Path = settings.GAZETTEER_FILE,
    extras: Path | None = settings.GAZETTEER_EXTRA_FILE,
    others: Path | None = settings.OTHER_NAMES_FILE,
) -> Gazetteer:
    """Read the gazetteer, the hand-kept aliases and the other names; check types, that no spelling names two
    pemda, and that a short form names one pemda in each province."""
    _, numbered = read_name_rows(path, ["pemda", "type", "province", "kode", "aliases"])
    for _, row in numbered:
        row.setdefault("former_province", "")
        row.setdefault("former_until", "")
    problems = [
        Problem("type must be provinsi, kabupaten or kota", file=path, row=number, column="type", value=row["type"])
        for number, row in numbered
        if row["type"] not in TYPES
    ]
    records = [row for _, row in numbered]
    if extras is not None and Path(extras).exists():
        problems += _merge_extras(records, Path(extras))
    gazetteer = Gazetteer(records, source=path, extras_source=Path(extras) if extras else path)
    problems += [
        Problem(
            f"spelling key '{key}' names two pemda: {', '.join(sorted(p))}",
            file=extras or path,
            hint="remove the alias from one of them",
        )
        for key, p in gazetteer._full.items()
        if len(p) > 1
    ]
    if others is not None and Path(others).exists():
        names, found = read_other_names(Path(others), gazetteer)
        problems += found
        gazetteer = gazetteer.with_others(names)
    if problems:
        raise DataError(problems)
    return gazetteer


def read_other_names(path: Path, gazetteer: Gazetteer) -> tuple[list[dict], list[Problem]]:
    """The short forms and former names of ``path`` (``pemda, nama, jenis, tahun, sumber``), checked: the pemda
    exists, the kind is known, and a short form names one pemda in its province (official names included)."""
    _, rows = settings.read_config_rows(path, ["pemda", "nama", "jenis", "tahun", "sumber"])
    names = [
        (
            number,
            {
                "pemda": row["pemda"],
                "name": row["nama"],
                "kind": row["jenis"],
                "year": row["tahun"],
                "source": row["sumber"],
            },
        )
        for number, row in rows
    ]
    problems = [
        Problem("no such pemda in the gazetteer", file=path, row=number, column="pemda", value=row["pemda"])
        for number, row in names
        if row["pemda"] not in gazetteer._rows
    ]
    problems += [
        Problem(f"the kind must be {SHORT} or {FORMER}", file=path, row=number, column="jenis", value=row["kind"])
        for number, row in names
        if row["kind"] not in (SHORT, FORMER)
    ]
    known = [(number, row) for number, row in names if row["pemda"] in gazetteer._rows]
    problems += _short_forms_shared(path, [(n, row) for n, row in known if row["kind"] == SHORT], gazetteer)
    return [row for _, row in known], problems


def _short_forms_shared(path: Path, shorts: list[tuple[int, dict]], gazetteer: Gazetteer) -> list[Problem]:
    """A problem for each short form that names more than one pemda of its pemda's province: another short
    form written the same way, or an official name or alias (with or without its type word)."""
    written: dict[str, set[str]] = {}
    for _, row in shorts:
        written.setdefault(name_key(row["name"]), set()).add(row["pemda"])
    problems = []
    for number, row in shorts:
        province, key = gazetteer.info(row["pemda"])["province"], name_key(row["name"])
        named = gazetteer._full.get(key, set()) | gazetteer._core.get(key, set()) | written[key]
        same = {p for p in named if gazetteer.info(p)["province"] == province}
        if same - {row["pemda"]}:
            problems.append(
                Problem(
                    f"the short form names more than one pemda of {province}: {', '.join(sorted(same))}",
                    file=path,
                    row=number,
                    column="nama",
                    value=row["name"],
                    hint="leave it out: people who write it must write the full name",
                )
            )
    return problems


def _merge_extras(records: list[dict], path: Path) -> list[Problem]:
    """Add the aliases of the hand-kept file to the gazetteer's rows (the build merges them too); the problems
    of the file."""
    _, extras = read_name_rows(path, ["pemda", "aliases"])
    known = {row["pemda"] for row in records}
    problems = [
        Problem(
            "no such pemda in the gazetteer",
            file=path,
            row=number,
            column="pemda",
            value=row["pemda"],
            hint="write the canonical name, as in config/gazetteer.csv",
        )
        for number, row in extras
        if row["pemda"] not in known
    ]
    added: dict[str, list[str]] = {}
    for _, row in extras:
        if row["pemda"] in known:
            added.setdefault(row["pemda"], []).extend(row["alias_list"])
    for row in records:
        row["alias_list"] = list(dict.fromkeys(row["alias_list"] + added.get(row["pemda"], [])))
    return problems


def canonical_province(name: str, gazetteer: Gazetteer | None = None) -> str:
    """The canonical province for any known spelling ("" stays ""); :class:`DataError` asking "did you mean" when
    unknown (the name was typed, as a notebook's parameter)."""
    if not name:
        return ""
    found = (gazetteer or load_gazetteer()).asked_province(name)
    if isinstance(found, Problem):
        raise DataError([Problem(found.message, column="province", value=name, hint=found.hint)])
    return found


def canonical_pemda(name: str, gazetteer: Gazetteer | None = None) -> str:
    """The canonical pemda for any known spelling ("" stays ""); :class:`DataError` asking "did you mean" when
    unknown or ambiguous (the name was typed, as a notebook's parameter)."""
    if not name:
        return ""
    found = (gazetteer or load_gazetteer()).asked(name)
    if isinstance(found, Problem):
        raise DataError([Problem(found.message, column="pemda", value=name, hint=found.hint)])
    return found
