"""What the explorer shows: one province, some of its pemda, one unit and one year, settled from what was asked.

A person may ask for anything: a typo, a pemda of another province, a province or year the data does not
hold. The explorer never fails on it: it settles on the nearest sensible view (the pemda's own province,
the latest year, the pemda with the longest series) and says in a sentence what it did instead.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from kepatuhan.api.lookup import Finder, Unanswerable


@dataclass(frozen=True)
class Choice:
    """A province (canonical), some of its pemda, a unit (``""``: the pemda totals) and a year."""

    province: str = ""
    pemda: tuple[str, ...] = ()
    opd: str = ""
    year: int = 0


def longest_series(scores: pd.DataFrame, province: str) -> str:
    """The pemda of ``province`` with the most years of results (then the latest, the most scores, by name):
    the view worth opening on."""
    rows = scores[(scores["province"] == province) & (scores["opd"] == "")]
    if rows.empty:
        rows = scores[scores["province"] == province]
    ranked = rows.groupby("pemda").agg(years=("year", "nunique"), last=("year", "max"), scored=("score", "count"))
    ranked = ranked.reset_index().sort_values(
        ["years", "last", "scored", "pemda"], ascending=[False, False, False, True]
    )
    return str(ranked["pemda"].iloc[0])


def default_province(finder: Finder) -> str:
    """The province holding the pemda with the longest series in the data."""
    totals = finder.totals
    counts = totals.groupby(["province", "pemda"])["year"].nunique().reset_index()
    counts = counts.sort_values(["year", "province"], ascending=[False, True])
    return str(counts["province"].iloc[0])


def first_choice(
    finder: Finder, province: str, pemda: str | list[str], opd: str, year: int
) -> tuple[Choice, list[str]]:
    """The explorer's first view from what was asked, and a sentence for each thing it could not show as asked."""
    notices: list[str] = []

    def found(look_up, *arguments) -> str:
        try:
            return look_up(*arguments)
        except Unanswerable as problem:
            notices.append(problem.message)
            return ""

    wanted = found(finder.province, province)
    names = [pemda] if isinstance(pemda, str) else list(pemda)
    chosen = [p for p in (found(pemda_asked, finder, name, wanted) for name in names if str(name).strip()) if p]
    home = finder.gazetteer.info(chosen[0])["province"] if chosen else wanted or province_meant(finder, names)
    for name in chosen:
        where = finder.gazetteer.info(name)["province"]
        if wanted and where != wanted:
            notices.append(
                finder.say("ask.pemda_elsewhere", pemda=f"{name} ({where})", province=wanted)
                + " "
                + finder.say("explore.shown_in_its_province", province=where)
            )
    choice = settle(
        finder,
        Choice(
            home or default_province(finder),
            tuple(p for p in chosen if finder.gazetteer.info(p)["province"] == (home or "")),
            "",
            0,
        ),
    )
    if year:
        choice = replace(choice, year=found(finder.year, year, choice.province) or choice.year)
    if opd and choice.pemda:
        choice = replace(choice, opd=found(finder.opd, choice.pemda[0], opd))
    return choice, notices


def pemda_asked(finder: Finder, name: str, province: str) -> str:
    """The pemda a name means when the data holds it (in any province: the explorer then shows that one);
    when it does not, the answer says first that it is not a pemda of ``province``, if it is not."""
    try:
        return finder.pemda(name)
    except Unanswerable as problem:
        if province:
            finder.pemda(name, province)  # "Kabupaten Bogor (Jawa Barat) bukan pemda Provinsi Jambi", if so
        raise problem from None


def province_meant(finder: Finder, names: list[str]) -> str:
    """The province with data of the pemda a name means when it means one (Mukomuko, without data: Bengkulu)."""
    for name in names:
        meant = (
            {finder.gazetteer.info(p)["province"] for p in finder.gazetteer.candidates(name)}
            if str(name).strip()
            else set()
        )
        if len(meant) == 1 and (province := meant.pop()) in finder.provinces:
            return province
    return ""


def settle(finder: Finder, choice: Choice) -> Choice:
    """``choice`` made whole: its pemda those of its province with data (else the longest series), its year one
    with data there (else the latest), its unit one of its pemda's (else the totals)."""
    present = finder.pemda_of(choice.province)
    pemda = tuple(p for p in choice.pemda if p in present) or (longest_series(finder.scores, choice.province),)
    years = finder.years_of(choice.province)
    year = choice.year if choice.year in years else years[-1]
    units = units_of(finder.scores, pemda)
    return Choice(choice.province, pemda, choice.opd if choice.opd in units else "", year)


def units_of(scores: pd.DataFrame, pemda: tuple[str, ...]) -> list[str]:
    """The OPDs with a score of any of ``pemda``, by name."""
    return sorted(set(scores.loc[scores["pemda"].isin(pemda) & (scores["opd"] != ""), "opd"]))
