"""What a person asks for, found in the data: names, provinces, years and units, forgiving of how they are typed.

An analyst types ``"Kerinici"``, ``"Jambi"`` or ``year=2020``. The answer is the canonical name or year, or
a sentence in the analyst's language that says what the data holds instead: "did you mean Kabupaten
Kerinci?", "Kota Jambi atau Provinsi Jambi?", "data memuat hasil Jambi pada 2015, 2017, ...". It is never a
pandas error and never advice to change a configuration file (that is the pipeline's answer to a
published file, not to a person's typo). The exceptions show only their sentence in IPython.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

import pandas as pd

from kepatuhan.brief.wording import check_lang, words
from kepatuhan.errors import Problem
from kepatuhan.reference.gazetteer import Gazetteer, load_gazetteer
from kepatuhan.reference.names import load_opd_names, split_prefix, tidy, without_brackets

#: How alike (0-1, difflib's ratio of the names without their type words) a name must be to be suggested.
LIKENESS = 0.7


class Unanswerable(LookupError):
    """A question the data cannot answer as asked; ``choices`` are what it can answer instead."""

    def __init__(self, message: str, choices: list[str] | tuple[str, ...] = ()):
        super().__init__(message)
        self.message, self.choices = message, list(choices)

    def _render_traceback_(self) -> list[str]:
        """IPython shows this instead of a traceback: the sentence is the whole answer."""
        return [f"{type(self).__name__}: {self.message}"]


class UnknownName(Unanswerable):
    """No pemda, province or unit is called so (a typo): ``choices`` are the closest names."""


class AmbiguousName(Unanswerable):
    """A name that means several pemda (``Jambi``): ``choices`` are the pemda it can mean."""


class NotInData(Unanswerable):
    """A real pemda, province, unit or year for which the data holds no result: ``choices`` are what it holds."""


def listing(names: list[str] | tuple[str, ...], lang: str, joiner: str = "ask.and") -> str:
    """``A, B dan C`` / ``A, B or C``: a list as a sentence writes it."""
    names = [str(n) for n in names]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {words(joiner, lang)} {names[-1]}"


@dataclass
class Finder:
    """Finds what a person asks for in ``scores``, answering in ``lang`` (``id`` or ``en``)."""

    scores: pd.DataFrame
    lang: str = "id"
    gazetteer: Gazetteer = field(default_factory=load_gazetteer)

    def __post_init__(self) -> None:
        check_lang(self.lang)
        self.totals = self.scores[["province", "pemda", "year"]].drop_duplicates()

    def say(self, key: str, **values) -> str:
        return words(key, self.lang, **values)

    @property
    def provinces(self) -> list[str]:
        """The provinces with data, by name."""
        return sorted(set(self.totals["province"]))

    def pemda_of(self, province: str) -> list[str]:
        """The pemda of a province with data, by name."""
        return sorted(set(self.totals.loc[self.totals["province"] == province, "pemda"]))

    def years_of(self, province: str = "", pemda: str = "") -> list[int]:
        """The years with data (of a province or a pemda when given), oldest first."""
        rows = self.totals
        if province:
            rows = rows[rows["province"] == province]
        if pemda:
            rows = rows[rows["pemda"] == pemda]
        return sorted(int(y) for y in set(rows["year"]))

    def province(self, name: str) -> str:
        """The canonical province for any spelling (``"sumbar"``) when the data holds it ("" stays "")."""
        if not str(name).strip():
            return ""
        found = self.gazetteer.resolve_province(name)
        if isinstance(found, Problem):
            near = closest(name, self.gazetteer.provinces, self.provinces)
            raise UnknownName(self.unknown("ask.unknown_province", name, near), near or self.provinces)
        if found not in self.provinces:
            raise NotInData(
                f"{self.say('ask.province_no_data', province=found)} "
                f"{self.say('ask.provinces_in_data', names=listing(self.provinces, self.lang))}",
                self.provinces,
            )
        return found

    def pemda(self, name: str, province: str = "") -> str:
        """The canonical pemda for any spelling, in ``province`` (canonical) when given, when the data holds it."""
        if not str(name).strip():
            return ""
        candidates = sorted(self.gazetteer.candidates(name))
        if not candidates:
            near = self.near_pemda(name, province)
            raise UnknownName(self.unknown("ask.unknown_pemda", name, near), near)
        inside = [p for p in candidates if not province or self.gazetteer.in_province(p, province)]
        if not inside:
            where = listing([f"{p} ({self.gazetteer.info(p)['province']})" for p in candidates], self.lang, "ask.or")
            raise NotInData(self.say("ask.pemda_elsewhere", pemda=where, province=province), self.pemda_of(province))
        if len(inside) > 1:
            marked = [p for p in inside if p in self.with_data] or inside
            raise AmbiguousName(
                self.say("ask.ambiguous", name=tidy(name), names=listing(inside, self.lang, "ask.or")), marked
            )
        return self.with_results(inside[0])

    def near_pemda(self, name: str, province: str = "", n: int = 3) -> list[str]:
        """The pemda whose names look like ``name`` once type words are set aside (``Kerinici`` -> Kabupaten
        Kerinci, not every name that shares a few letters), those with data first."""
        wanted = split_prefix(without_brackets(name))[1]
        found = {}
        for near in self.gazetteer.closest(name, province, n=8):
            pemda = near.split(" (")[0]
            likeness = difflib.SequenceMatcher(None, wanted, split_prefix(pemda)[1]).ratio()
            if likeness >= LIKENESS:
                found[pemda] = max(likeness, found.get(pemda, 0))
        return sorted(found, key=lambda p: (p not in self.with_data, -found[p]))[:n]

    @property
    def with_data(self) -> set[str]:
        """Every pemda with a result in the data."""
        return set(self.totals["pemda"])

    def with_results(self, pemda: str) -> str:
        """``pemda`` itself when the data holds a result for it; else :class:`NotInData` naming what its province has."""
        if pemda in self.with_data:
            return pemda
        province = self.gazetteer.info(pemda)["province"]
        others = self.pemda_of(province)
        held = (
            self.say("ask.pemda_in_data", province=province, names=listing(others, self.lang))
            if others
            else self.say("ask.province_no_data", province=province)
        )
        raise NotInData(f"{self.say('ask.pemda_no_data', pemda=pemda, province=province)} {held}", others)

    def year(self, year: int = 0, province: str = "", pemda: str = "") -> int:
        """``year`` when the data holds results of the province or pemda (every pemda when neither) then; 0: the latest."""
        years = self.years_of(province, pemda)
        if not year:
            return years[-1] if years else 0
        if int(year) not in years:
            scope = pemda or (
                self.say("ask.scope_province", province=province) if province else self.say("ask.scope_all")
            )
            raise NotInData(
                f"{self.say('ask.year_no_data', scope=scope, year=int(year))} "
                f"{self.say('ask.years_in_data', years=listing(years, self.lang))}",
                years,
            )
        return int(year)

    def opd(self, pemda: str, name: str) -> str:
        """The canonical name of one of ``pemda``'s units (an OPD) with a score in the data ("" stays "")."""
        if not str(name).strip():
            return ""
        units = sorted(set(self.scores.loc[(self.scores["pemda"] == pemda) & (self.scores["opd"] != ""), "opd"]))
        if not units:
            raise NotInData(self.say("ask.no_opd_data", pemda=pemda))
        wanted = load_opd_names().lookup(name) or tidy(name)
        same = [u for u in units if u.casefold() == wanted.casefold()]
        if same:
            return same[0]
        near = closest(name, units, units)
        message = self.unknown("ask.unknown_opd", name, near, pemda=pemda)
        raise UnknownName(
            f"{message} {self.say('ask.units_in_data', pemda=pemda, names=listing(units, self.lang))}", near or units
        )

    def unknown(self, key: str, name: str, near: list[str], **values) -> str:
        """ "No pemda is called 'X'. Did you mean A or B?" (or how to write the name when nothing is close)."""
        first = self.say(key, name=tidy(name), **values)
        return f"{first} {self.say('ask.did_you_mean', names=listing(near, self.lang, 'ask.or'))}" if near else first


def closest(name: str, names: list[str], preferred: list[str] | set[str], n: int = 3) -> list[str]:
    """The names most like ``name`` (case and spacing aside), those in ``preferred`` first."""
    lowered = {candidate.lower(): candidate for candidate in names}
    near = [lowered[m] for m in difflib.get_close_matches(tidy(name).lower(), list(lowered), n=n + 3, cutoff=0.6)]
    return sorted(near, key=lambda m: (m not in preferred, near.index(m)))[:n]
