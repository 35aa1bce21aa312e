"""The exploring API: what an analyst types in JupyterLab.

    import kepatuhan as kp
    scores = kp.load_scores()                          # the tidy table (ingested from data/raw when needed)
    kp.history(scores, "Kab. Kerinci")                 # one unit's scores over the years
    kp.trend_chart(scores, "Kerinci")                  # its trend, bands shaded (a picture, no magic needed)
    kp.opd_chart(scores, "Tanjab Barat")               # its OPDs' scores, year by year
    kp.compare(scores, year=2024, province="Sumbar")   # every pemda against its previous assessment
    kp.watch_list(scores, year=2023, province="Jambi") # who fell, worst first, with the reason
    kp.explore(scores)                                 # the explorer: controls, tabs, hover, downloads

Names take any spelling the gazetteer knows; years default to the latest with data. Tables come in the
language asked for (``lang="id"``, the default, or ``"en"``): headers, zones, methods and flags alike. A
name or year the data cannot answer gets a sentence saying what it holds ("did you mean Kabupaten
Kerinci?", "Kota Jambi atau Provinsi Jambi?"), raised as :class:`Unanswerable`.
"""

from __future__ import annotations

import warnings

import pandas as pd

from kepatuhan.analysis.parameters import DEFAULTS
from kepatuhan.api.display import shown
from kepatuhan.api.lookup import AmbiguousName, Finder, NotInData, Unanswerable, UnknownName
from kepatuhan.brief.wording import words

__all__ = [
    "load_scores",
    "history",
    "trend_chart",
    "opd_chart",
    "compare",
    "watch_list",
    "Unanswerable",
    "UnknownName",
    "AmbiguousName",
    "NotInData",
    "EmptyResult",
]


class EmptyResult(UserWarning):
    """A question the data answers with no rows (nobody fell): the warning says why."""


def load_scores(processed_dir: str = "", raw_dir: str = "") -> pd.DataFrame:
    """The tidy scores: one row per (year, pemda, OPD), ``opd`` empty for the pemda's own total.

    Reads ``data/processed`` (or ``processed_dir``) as the pipeline wrote and checked it; when it has no
    table yet (a fresh clone), the ingest step's own function reads and checks the raw files instead
    (``data/raw`` or ``raw_dir``), so exploring never needs a run first.

    >>> scores = kp.load_scores()
    >>> scores[scores["year"] == 2024].groupby("province").size()
    """
    from kepatuhan.reading.ingest import load_scores as scores_of  # heavy

    return scores_of(raw_dir, processed_dir, check=False)


def history(scores: pd.DataFrame, pemda: str, opd: str = "", lang: str = "id") -> pd.DataFrame:
    """One unit's scores over the years (its pemda total, or one OPD), each against its previous assessment.

    >>> kp.history(scores, "Kab. Kerinci")
    >>> kp.history(scores, "Tanjab Barat", opd="Dinkes", lang="en")
    """
    from kepatuhan.analysis.declines import compare_with_previous  # heavy
    from kepatuhan.api.readable import readable  # heavy

    finder = Finder(scores, lang)
    name = finder.pemda(pemda)
    unit = finder.opd(name, opd)
    rows = compare_with_previous(scores, pemda=name)
    if not (rows["opd"] == unit).any():
        units = sorted(set(rows["opd"]) - {""})
        raise NotInData(finder.say("ask.no_total", pemda=name, names=", ".join(units)), units)
    return readable(rows[rows["opd"] == unit].reset_index(drop=True), lang)


def trend_chart(scores: pd.DataFrame, pemda: str, lang: str = "id", year: int = 0):
    """The chart of one pemda's scores over the years (its total and each OPD) up to ``year``, bands shaded.

    >>> kp.trend_chart(scores, "Pemkab Kerinci")
    """
    from kepatuhan.brief import charts  # heavy

    finder = Finder(scores, lang)
    name = finder.pemda(pemda)
    upto = scores[scores["year"] <= finder.year(year, pemda=name)]
    return shown(charts.trend_chart(upto, pemda=name, lang=lang))


def opd_chart(scores: pd.DataFrame, pemda: str, lang: str = "id", year: int = 0):
    """One pemda's OPD scores year by year, coloured by zone (the pemda brief's heatmap).

    >>> kp.opd_chart(scores, "Kabupaten Tanjung Jabung Barat")
    """
    from kepatuhan.brief import charts  # heavy

    finder = Finder(scores, lang)
    name = finder.pemda(pemda)
    upto = scores[scores["year"] <= finder.year(year, pemda=name)]
    figure = charts.heatmap_chart(upto, name, lang=lang)
    if figure is None:
        raise NotInData(finder.say("ask.no_opd_data", pemda=name))
    return shown(figure)


def comparisons(
    scores: pd.DataFrame,
    year: int = 0,
    province: str = "",
    pemda: str = "",
    lang: str = "id",
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = False,
) -> tuple[pd.DataFrame, dict]:
    """The comparisons of ``compare`` in codes (for the explorer and :func:`watch_list`), and what was asked,
    found: ``{"year", "province", "pemda"}`` in canonical names."""
    from kepatuhan.analysis.declines import compare_with_previous  # heavy

    finder = Finder(scores, lang)
    province = finder.province(province)
    pemda = finder.pemda(pemda, province)
    year = finder.year(year, province, pemda)
    rows = compare_with_previous(
        scores[scores["year"] <= year],
        year=year,
        min_drop=min_drop,
        province=province or None,
        pemda=pemda or None,
        compare_across_methods=compare_across_methods,
    )
    return rows, {"year": year, "province": province, "pemda": pemda}


def compare(
    scores: pd.DataFrame,
    year: int = 0,
    province: str = "",
    pemda: str = "",
    lang: str = "id",
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = False,
) -> pd.DataFrame:
    """Every unit of ``year`` (of a province, or one pemda) against its previous assessment, with its flags.

    >>> kp.compare(scores, year=2024, province="Sumbar")
    """
    from kepatuhan.api.readable import readable  # heavy

    rows, _ = comparisons(scores, year, province, pemda, lang, min_drop, compare_across_methods)
    return readable(rows, lang)


def watch_list(
    scores: pd.DataFrame,
    year: int = 0,
    province: str = "",
    pemda: str = "",
    lang: str = "id",
    min_drop: float = DEFAULTS.min_drop,
) -> pd.DataFrame:
    """The units that fell in ``year``, worst first, with the reason in words; a warning says so when none fell.

    >>> kp.watch_list(scores, year=2023, province="Jambi")
    """
    from kepatuhan.analysis.declines import watch_list as watched  # heavy
    from kepatuhan.api.readable import readable  # heavy
    from kepatuhan.brief.reasons import with_reasons  # heavy

    rows, asked = comparisons(scores, year, province, pemda, lang, min_drop)
    watch = with_reasons(watched(rows))
    if watch.empty:
        warnings.warn(nothing_fell(rows, asked, lang), EmptyResult, stacklevel=2)
    other = [c for c in watch.columns if c.startswith("reason_") and c != f"reason_{lang}"]
    return readable(watch[["rank", *(c for c in watch.columns if c not in ("rank", *other))]], lang)


def nothing_fell(rows: pd.DataFrame, asked: dict, lang: str) -> str:
    """Why a watch list is empty: how many units of the scope the data holds that year, none of which fell."""
    scope = asked["pemda"] or (
        words("ask.scope_province", lang, province=asked["province"])
        if asked["province"]
        else words("ask.scope_all", lang)
    )
    return words("ask.nothing_fell", lang, n=len(rows), scope=scope, year=asked["year"])
