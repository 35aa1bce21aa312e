"""What a table or a brief is about: its rows (one province, some pemda, OPD rows or pemda totals, a year)
and its year. Every analysis and every brief selects its rows and chooses its year here, the same way.
"""

from __future__ import annotations

import pandas as pd


def select(
    scores: pd.DataFrame,
    year: int | None = None,
    province: str | None = None,
    pemda: str | list[str] | None = None,
    opd_rows: bool | None = None,
) -> pd.DataFrame:
    """The rows of one year, one province, some pemda (canonical names) and OPD rows or totals; None keeps all."""
    mask = pd.Series(True, index=scores.index)
    if year is not None:
        mask &= scores["year"] == year
    if province:
        mask &= scores["province"] == province
    if pemda:
        mask &= scores["pemda"].isin([pemda] if isinstance(pemda, str) else list(pemda))
    if opd_rows is not None:
        mask &= (scores["opd"] != "") == opd_rows
    return scores.loc[mask]


def year_of(scores: pd.DataFrame, year: int = 0, province: str = "") -> int:
    """The year of a brief or table: ``year`` when given, else the latest year with data in ``province``
    (all provinces when empty); 0 when there is no data at all."""
    if year:
        return int(year)
    years = select(scores, province=province or None)["year"]
    return int(years.max()) if len(years) else 0


def up_to(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    """The rows up to ``year``: nothing in a brief is later than its year."""
    return scores[scores["year"] <= year]
