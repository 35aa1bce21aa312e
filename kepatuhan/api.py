"""The exploring API: what an analyst types in JupyterLab.

    import kepatuhan as kp
    scores = kp.load_scores()                      # the tidy table (ingested from data/raw when needed)
    kp.history(scores, "Kab. Kerinci")             # one unit's scores over the years
    kp.trend_chart(scores, "Kerinci")              # its trend, with its OPDs
    kp.compare(scores, year=2024, province="Sumbar")
    kp.watch_list(scores, year=2024, province="Sumbar")
    kp.explore(scores)                             # dropdowns: province, pemda, OPD (kepatuhan.explorer)

Names take any spelling the gazetteer knows; years default to the latest with data.
"""

from __future__ import annotations

import warnings

import pandas as pd


def load_scores(processed_dir: str = "", raw_dir: str = "") -> pd.DataFrame:
    """The tidy scores: one row per (year, pemda, OPD), ``opd`` empty for the pemda's own total.

    Reads ``data/processed`` (or ``processed_dir``); when it has no table yet (a fresh clone), the
    ingest step's own function reads and checks the raw files instead (``data/raw`` or ``raw_dir``),
    so exploring never needs a run first.

    >>> scores = kp.load_scores()
    >>> scores[scores["year"] == 2024].groupby("province").size()
    """
    from kepatuhan.pipeline.steps import load_table

    return load_table("scores", raw_dir=raw_dir, processed_dir=processed_dir)


def history(scores: pd.DataFrame, pemda: str, opd: str = "") -> pd.DataFrame:
    """One unit's scores over the years (its pemda total, or one OPD), with the change from its previous assessment.

    >>> kp.history(scores, "Kab. Kerinci")[["year", "score", "grade", "zone", "delta", "comparable"]]
    """
    from kepatuhan.analysis.declines import compare_with_previous
    from kepatuhan.reference.gazetteer import canonical_pemda

    name = canonical_pemda(pemda)
    rows = compare_with_previous(scores, pemda=name)
    if not (rows["opd"] == opd).any():
        units = ", ".join(sorted(set(rows["opd"]) - {""})) or "none"
        what = "no pemda total" if not opd else f"no unit {opd!r}"
        warnings.warn(
            f"{name} has {what} in the data; its units with scores: {units} (pass opd=... for one)", stacklevel=2
        )
    return rows[rows["opd"] == opd].reset_index(drop=True)


def trend_chart(scores: pd.DataFrame, pemda: str, lang: str = "id"):
    """The chart of one pemda's scores over the years (its total and each OPD), bands shaded.

    >>> kp.trend_chart(scores, "Pemkab Kerinci")
    """
    from kepatuhan.brief import charts
    from kepatuhan.reference.gazetteer import canonical_pemda

    return charts.trend_chart(scores, pemda=canonical_pemda(pemda), lang=lang)


def compare(scores: pd.DataFrame, year: int = 0, province: str = "", pemda: str = "", min_drop: float = 0.01,
            compare_across_methods: bool = False) -> pd.DataFrame:  # fmt: skip
    """Every unit of ``year`` against its previous assessment, with its flags (``tanda``).

    >>> kp.compare(scores, year=2024, province="Sumbar")
    """
    from kepatuhan.analysis.declines import compare_with_previous
    from kepatuhan.analysis.scope import year_of
    from kepatuhan.reference.gazetteer import canonical_pemda, canonical_province

    province, pemda = canonical_province(province), canonical_pemda(pemda)
    return compare_with_previous(scores, year=year_of(scores, year, province), min_drop=min_drop, province=province or None,
                                 pemda=pemda or None, compare_across_methods=compare_across_methods)  # fmt: skip


def watch_list(
    scores: pd.DataFrame, year: int = 0, province: str = "", pemda: str = "", min_drop: float = 0.01
) -> pd.DataFrame:
    """The units that fell in ``year``, worst first, with the reason in Indonesian and English.

    >>> kp.watch_list(scores, year=2023, province="Jambi")[["rank", "pemda", "opd", "delta", "reason_id"]]
    """
    from kepatuhan.analysis.declines import watch_list as watched
    from kepatuhan.brief.reasons import with_reasons

    return with_reasons(watched(compare(scores, year, province, pemda, min_drop)))
