"""How zones (and grades) are spread: OPDs within each pemda, and pemda within each province.

Tidy tables (one row per group and category, zeros included) ready for seaborn.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan.reference.methods import Methods, load_methods


def _categories(methods: Methods, method: str, by: str) -> list[str]:
    """The zones or grades a method uses, best first."""
    if by == "zone":
        return methods.zones_of(method)
    if by == "grade":
        return methods.grades_of(method)
    raise ValueError(f"by must be 'zone' or 'grade', not {by!r}")


def _distribution(rows: pd.DataFrame, group: list[str], by: str, methods: Methods) -> pd.DataFrame:
    """Counts and shares of ``by`` within each group and year, every category of the year's method shown."""
    columns = ["year", *group, "method", by, "count", "share", "illustrative"]
    parts = []
    for (year, method), part in rows.groupby(["year", "method"], sort=True):
        categories = _categories(methods, method, by)
        if not categories:
            continue
        values = pd.Categorical(part[by], categories=categories)
        counts = pd.crosstab([part[g] for g in group], values, dropna=False).reindex(columns=categories, fill_value=0)
        tidy = counts.stack().rename("count").reset_index().rename(columns={"col_0": by})
        tidy.columns = [*group, by, "count"]
        totals = tidy.groupby(group)["count"].transform("sum")
        tidy["share"] = (tidy["count"] / totals).fillna(0.0).round(4)
        illustrative = part.groupby(group)["illustrative"].any()
        tidy["illustrative"] = tidy.set_index(group).index.map(illustrative).astype(bool)
        tidy.insert(0, "year", year)
        tidy.insert(len(group) + 1, "method", method)
        parts.append(tidy)
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]


def _select(scores: pd.DataFrame, opd_rows: bool, year: int | None, province: str | None) -> pd.DataFrame:
    """OPD rows (or pemda totals) of one year and province; all years/provinces when None."""
    rows = scores[(scores["opd"] != "") == opd_rows]
    if year is not None:
        rows = rows[rows["year"] == year]
    if province:
        rows = rows[rows["province"] == province]
    return rows


def opd_distribution(
    scores: pd.DataFrame,
    year: int | None = None,
    by: str = "zone",
    province: str | None = None,
    methods: Methods | None = None,
) -> pd.DataFrame:
    """Per pemda and year, how many of its OPDs fall in each zone (or grade), with shares.

    Only OPD rows count; pemda totals are left out. Columns: ``year, province, pemda, method,
    <by>, count, share, illustrative``.
    """
    rows = _select(scores, opd_rows=True, year=year, province=province)
    return _distribution(rows, ["province", "pemda"], by, methods or load_methods())


def pemda_distribution(
    scores: pd.DataFrame,
    year: int | None = None,
    by: str = "zone",
    province: str | None = None,
    methods: Methods | None = None,
) -> pd.DataFrame:
    """Per province and year, how many pemda fall in each zone (or grade), from the published totals.

    Columns: ``year, province, method, <by>, count, share, illustrative``.
    """
    rows = _select(scores, opd_rows=False, year=year, province=province)
    return _distribution(rows, ["province"], by, methods or load_methods())
