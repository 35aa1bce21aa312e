"""Who got worse: each unit's score against its previous assessment, flags and the watch list.

A unit is an OPD within its pemda, or a pemda's own total (``opd == ""``). Its previous assessment
is the latest earlier year in which that unit was assessed (there was no 2020 assessment, and not
every pemda is assessed every year), so the gap is reported. Years under different methods are not
like for like: such rows are ``comparable = False`` and get no decline flags unless asked.
All operations are vectorised (groupby/shift), so national data stays fast.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kepatuhan.brief.wording import number, words, zone_name
from kepatuhan.reference.methods import Methods, load_methods

UNIT = ["province", "pemda", "opd"]
#: Flags that put a unit on the watch list.
DECLINE_FLAGS = ("turun", "turun_kategori", "turun_zona", "turun_beruntun")
ALL_FLAGS = ("turun", "turun_kategori", "turun_zona", "turun_beruntun", "naik_zona", "baru", "beda_metode")
DECLINE_COLUMNS = [
    "year", "province", "pemda", "opd", "prev_year", "gap", "prev_score", "score", "delta",
    "prev_grade", "grade", "prev_zone", "zone", "method", "prev_method", "comparable", "tanda", "illustrative",
]  # fmt: skip
FLAG_SEPARATOR = ";"


def compare_with_previous(
    scores: pd.DataFrame,
    year: int | None = None,
    min_drop: float = 0.01,
    compare_across_methods: bool = False,
    province: str | None = None,
    pemda: str | list[str] | None = None,
    methods: Methods | None = None,
) -> pd.DataFrame:
    """One row per unit assessed in ``year`` (every year if None), compared with its previous assessment.

    ``tanda`` (the flags) holds, separated by ``;``: ``turun`` (score fell by at least ``min_drop``),
    ``turun_kategori`` (grade fell), ``turun_zona`` (zone fell), ``turun_beruntun`` (fell in this and
    the previous comparable comparison), ``naik_zona`` (zone rose), ``baru`` (first assessment) and
    ``beda_metode`` (compared across a method change, only with ``compare_across_methods``).
    """
    methods = methods or load_methods()
    units = _select(scores, province=province, pemda=pemda)
    units = units.sort_values([*UNIT, "year"], kind="stable").reset_index(drop=True)
    previous = units.groupby(UNIT, sort=False)[["year", "score", "grade", "zone", "method"]].shift(1)
    table = units[["year", *UNIT, "score", "grade", "zone", "method", "illustrative"]].copy()
    for column in previous.columns:
        table[f"prev_{column}"] = previous[column]
    table["prev_year"] = table["prev_year"].astype("Int64")
    table["gap"] = (table["year"] - table["prev_year"]).astype("Int64")
    table["delta"] = (table["score"] - table["prev_score"]).round(2)
    table["comparable"] = (table["method"] == table["prev_method"]).astype(bool)
    flags = _flag_columns(table, methods, min_drop, compare_across_methods)
    table["tanda"] = _join_flags(flags)
    if year is not None:
        table = table[table["year"] == year]
    for column in ["prev_grade", "prev_zone", "prev_method"]:
        table[column] = table[column].fillna("")
    return table[DECLINE_COLUMNS].reset_index(drop=True)


def _select(scores: pd.DataFrame, province: str | None, pemda: str | list[str] | None) -> pd.DataFrame:
    """Rows of one province and/or some pemda (canonical names); all rows when both are None."""
    mask = pd.Series(True, index=scores.index)
    if province:
        mask &= scores["province"] == province
    if pemda:
        mask &= scores["pemda"].isin([pemda] if isinstance(pemda, str) else list(pemda))
    return scores.loc[mask]


def _flag_columns(table: pd.DataFrame, methods: Methods, min_drop: float, across: bool) -> pd.DataFrame:
    """One boolean column per flag."""
    has_prev = table["prev_year"].notna()
    counts = has_prev & (table["comparable"] | across)
    grade_now = table["grade"].map(methods.grade_rank)
    grade_then = table["prev_grade"].map(methods.grade_rank)
    zone_now = table["zone"].map(methods.zone_rank)
    zone_then = table["prev_zone"].map(methods.zone_rank)
    flags = pd.DataFrame(index=table.index)
    flags["turun"] = counts & (table["delta"] <= -min_drop)
    flags["turun_kategori"] = counts & (grade_now < grade_then).fillna(False)
    flags["turun_zona"] = counts & (zone_now < zone_then).fillna(False)
    earlier_fall = flags.groupby([table[c] for c in UNIT], sort=False)["turun"].shift(1, fill_value=False)
    flags["turun_beruntun"] = flags["turun"] & earlier_fall.astype(bool)
    flags["naik_zona"] = counts & (zone_now > zone_then).fillna(False)
    flags["baru"] = ~has_prev
    flags["beda_metode"] = has_prev & ~table["comparable"] & across
    return flags[list(ALL_FLAGS)]


def _join_flags(flags: pd.DataFrame) -> pd.Series:
    """``turun;turun_zona``-style strings from boolean flag columns, in a fixed order."""
    parts = np.where(flags.to_numpy(), np.array([f + FLAG_SEPARATOR for f in flags.columns], dtype=object), "")
    joined = pd.Series(parts.sum(axis=1) if len(flags) else [], index=flags.index, dtype=object)
    return joined.str.rstrip(FLAG_SEPARATOR)


def has_flag(tanda: pd.Series, flag: str) -> pd.Series:
    """Whether each ``tanda`` string holds ``flag``."""
    return tanda.str.contains(rf"(?:^|{FLAG_SEPARATOR}){flag}(?:{FLAG_SEPARATOR}|$)", regex=True)


def watch_list(comparisons: pd.DataFrame) -> pd.DataFrame:
    """The units with a decline flag, worst first, with the reason in Indonesian and English.

    Worst first means: zone falls, then grade falls, then the largest drops.
    """
    flagged = comparisons[
        np.logical_or.reduce([has_flag(comparisons["tanda"], f) for f in DECLINE_FLAGS])
        if len(comparisons)
        else []
    ].copy()
    flagged["_zone"] = has_flag(flagged["tanda"], "turun_zona")
    flagged["_grade"] = has_flag(flagged["tanda"], "turun_kategori")
    flagged = flagged.sort_values(
        ["_zone", "_grade", "delta", "pemda", "opd"], ascending=[False, False, True, True, True], kind="stable"
    ).drop(columns=["_zone", "_grade"])
    flagged.insert(0, "rank", range(1, len(flagged) + 1))
    flagged["reason_id"] = [decline_reason(row, "id") for row in flagged.itertuples()]
    flagged["reason_en"] = [decline_reason(row, "en") for row in flagged.itertuples()]
    return flagged.reset_index(drop=True)


def decline_reason(row, lang: str = "id") -> str:
    """Why a unit is on the watch list, in words. ``row`` has the comparison columns as attributes."""
    flags = str(row.tanda).split(FLAG_SEPARATOR)
    parts = []
    if "turun" in flags or row.delta < 0:
        parts.append(words("reason.fell", lang, delta=number(-row.delta, lang), prev_score=number(row.prev_score, lang),
                           score=number(row.score, lang), prev_year=row.prev_year, year=row.year))  # fmt: skip
    if "turun_zona" in flags:
        parts.append(words("reason.zone_fell", lang, prev=zone_name(row.prev_zone, lang), now=zone_name(row.zone, lang)))
    if "turun_kategori" in flags:
        parts.append(words("reason.grade_fell", lang, prev=row.prev_grade, now=row.grade))
    if "turun_beruntun" in flags:
        parts.append(words("reason.consecutive", lang))
    if "beda_metode" in flags:
        parts.append(words("reason.across_methods", lang))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def scope_tables(scores: pd.DataFrame, year: int = 0, province: str = "", min_drop: float = 0.01,
                 compare_across_methods: bool = False, methods: Methods | None = None) -> dict[str, pd.DataFrame]:
    """The declines step's tables for one brief, from the data up to ``year`` (0: the latest).

    ``comparisons`` and ``watch_list`` cover the brief's province (any spelling; all provinces when
    empty); ``standing`` ranks every pemda of the data, so that a rank among pemda of the same type
    counts all of them. The brief notebooks read these tables back (run alone, they call this).
    """
    from kepatuhan.reference.names import canonical_province

    methods = methods or load_methods()
    province = canonical_province(province)
    mine = scores[scores["province"] == province] if province else scores
    year = int(year or mine["year"].max())
    upto = scores[scores["year"] <= year]
    comparisons = compare_with_previous(upto, year=year, min_drop=min_drop, compare_across_methods=compare_across_methods,
                                        province=province or None, methods=methods)  # fmt: skip
    from kepatuhan.analysis.standing import standing

    return {"comparisons": comparisons, "watch_list": watch_list(comparisons), "standing": standing(upto, year)}
