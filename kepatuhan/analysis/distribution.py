"""How zones (and grades) are spread: OPDs within each pemda, and pemda within each province.

Tidy tables (one row per group and category, zeros included) ready for seaborn.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan import schema
from kepatuhan.analysis.scope import select
from kepatuhan.reference.methods import Methods, load_methods


def _categories(methods: Methods, method: str, by: str) -> list[str]:
    """The zones or grades a method uses, best first."""
    if by == "zone":
        return methods.zones_of(method)
    if by == "grade":
        return methods.grades_of(method)
    raise ValueError(f"by must be 'zone' or 'grade', not {by!r}")


def _distribution(rows: pd.DataFrame, group: list[str], by: str, methods: Methods, table: str) -> pd.DataFrame:
    """Counts and shares of ``by`` within each group and year, every category of the year's method shown.

    Only the groups in the data are listed (never every province crossed with every pemda), each with
    every category of its year's method, zeros included; the columns are the schema's of ``table``.
    """
    columns = [by if c == "zone" else c for c in schema.columns(table)]
    parts = []
    for (year, method), part in rows.groupby(["year", "method"], sort=True):
        categories = _categories(methods, method, by)
        if not categories:
            continue
        groups = part.groupby(group, sort=True)["illustrative"].any().reset_index()
        grid = groups.merge(pd.DataFrame({by: pd.Categorical(categories, categories=categories)}), how="cross")
        counts = part.groupby([*group, by], sort=False).size().rename("count")
        tidy = grid.join(counts, on=[*group, by]).fillna({"count": 0}).astype({"count": "int64", by: str})
        tidy["share"] = (tidy["count"] / tidy.groupby(group)["count"].transform("sum")).fillna(0.0).round(4)
        parts.append(tidy.assign(year=year, method=method))
    if not parts:
        return schema.empty(table).rename(columns={"zone": by})
    return pd.concat(parts, ignore_index=True)[columns]


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
    rows = select(scores, year=year, province=province, opd_rows=True)
    return _distribution(rows, ["province", "pemda"], by, methods or load_methods(), "zone_distribution")


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
    rows = select(scores, year=year, province=province, opd_rows=False)
    return _distribution(rows, ["province"], by, methods or load_methods(), "pemda_zone_distribution")
