"""Who got worse: each unit's score against its previous assessment, flags and the watch list.

A unit is an OPD within its pemda, or a pemda's own total (``opd == ""``). Its previous assessment
is the latest earlier year in which that unit was assessed (there was no 2020 assessment, and not
every pemda is assessed every year), so the gap is reported. Years under different methods are not
like for like: such rows are ``comparable = False`` and get no decline flags unless asked.
All operations are vectorised (groupby/shift), so national data stays fast. Frames in, frames out:
the reasons in words are the brief's (:mod:`kepatuhan.brief.reasons`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kepatuhan import schema
from kepatuhan.analysis.parameters import DEFAULTS
from kepatuhan.analysis.scope import select, up_to, year_of
from kepatuhan.analysis.standing import standing
from kepatuhan.reference.methods import Methods, load_methods

UNIT = ["province", "pemda", "opd"]
#: Flags that put a unit on the watch list.
DECLINE_FLAGS = ("turun", "turun_kategori", "turun_zona", "turun_beruntun")
ALL_FLAGS = ("turun", "turun_kategori", "turun_zona", "turun_beruntun", "naik_zona", "baru", "beda_metode")
FLAG_SEPARATOR = ";"


def compare_with_previous(
    scores: pd.DataFrame,
    year: int | None = None,
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = False,
    province: str | None = None,
    pemda: str | list[str] | None = None,
    methods: Methods | None = None,
) -> pd.DataFrame:
    """One row per unit assessed in ``year`` (every year if None), compared with its previous assessment.

    ``tanda`` (the flags) holds, separated by ``;``: ``turun`` (score fell by at least ``min_drop``),
    ``turun_kategori`` (grade fell), ``turun_zona`` (zone fell), ``turun_beruntun`` (fell in this and
    the previous comparable comparison), ``naik_zona`` (zone rose), ``baru`` (first assessment) and
    ``beda_metode`` (the previous assessment was under another method: not like for like; the decline flags
    are given too only with ``compare_across_methods``).
    """
    methods = methods or load_methods()
    units = select(scores, province=province, pemda=pemda)
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
    return table[schema.columns("comparisons")].reset_index(drop=True)


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
    flags["beda_metode"] = has_prev & ~table["comparable"]  # always said: the reader must see why nothing is flagged
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
    """The units with a decline flag, worst first, numbered by ``rank``.

    Worst first means: zone falls, then grade falls, then the largest drops.
    """
    flagged = comparisons[
        np.logical_or.reduce([has_flag(comparisons["tanda"], f).to_numpy(dtype=bool) for f in DECLINE_FLAGS])
    ].copy()
    flagged["_zone"] = has_flag(flagged["tanda"], "turun_zona")
    flagged["_grade"] = has_flag(flagged["tanda"], "turun_kategori")
    flagged = flagged.sort_values(
        ["_zone", "_grade", "delta", "pemda", "opd"], ascending=[False, False, True, True, True], kind="stable"
    ).drop(columns=["_zone", "_grade"])
    flagged["rank"] = range(1, len(flagged) + 1)
    return flagged.reset_index(drop=True)


def scope_tables(
    scores: pd.DataFrame,
    year: int = 0,
    province: str = "",
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = False,
    methods: Methods | None = None,
) -> dict[str, pd.DataFrame]:
    """The comparisons, ranked watch list and standing of one brief, from the data up to ``year`` (0: the latest).

    ``province`` is canonical (all provinces when empty). ``comparisons`` and ``watch_list`` cover the
    brief's province; ``standing`` ranks every pemda of the data, so that a rank among pemda of the same
    type counts all of them.
    """
    year = year_of(scores, year, province)
    upto = up_to(scores, year)
    comparisons = compare_with_previous(
        upto,
        year=year,
        min_drop=min_drop,
        compare_across_methods=compare_across_methods,
        province=province or None,
        methods=methods or load_methods(),
    )
    return {"comparisons": comparisons, "watch_list": watch_list(comparisons), "standing": standing(upto, year)}
