"""Where each pemda stands: its rank in its province and among the assessed pemda of its type.

Ranks count only the pemda *with a published score in the data* for that year, and say how many there were: a rank is
never called national unless the data is. The province rank counts every pemda of the province
(kabupaten, kota and the provincial government, as the Ombudsman's provincial releases list them);
the type rank counts the pemda of the same type (provinsi, kabupaten or kota). Ties share the better
rank (1, 2, 2, 4).
"""

from __future__ import annotations

import pandas as pd

from kepatuhan import schema


def standing(scores: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """One row per pemda total and year (up to ``year`` when given), with its two ranks and group sizes."""
    totals = scores[(scores["opd"] == "") & scores["score"].notna()]  # a rank needs a published score
    if year:
        totals = totals[totals["year"] <= year]
    table = totals.sort_values(
        ["year", "province", "score", "pemda"], ascending=[True, True, False, True], kind="stable"
    )
    table = table.loc[:, [c for c in schema.columns("standing") if c in totals.columns]].copy()
    for suffix, group in (("province", ["year", "province"]), ("type", ["year", "pemda_type"])):
        grouped = table.groupby(group, sort=False)["score"]
        table[f"rank_{suffix}"] = grouped.rank(ascending=False, method="min").astype("int64")
        table[f"n_{suffix}"] = grouped.transform("size").astype("int64")
    return table[schema.columns("standing")].reset_index(drop=True)
