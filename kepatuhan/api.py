"""The exploring API: what an analyst types in JupyterLab.

    import kepatuhan as kp
    scores = kp.load_scores()                      # the tidy table (ingested from data/raw when needed)
    kp.history(scores, "Kab. Kerinci")             # one unit's scores over the years
    kp.trend_chart(scores, "Kerinci")              # its trend, with its OPDs
    kp.compare(scores, year=2024, province="Sumbar")
    kp.watch_list(scores, year=2024, province="Sumbar")
    kp.explore(scores)                             # dropdowns: province, pemda, OPD

Names take any spelling the gazetteer knows; years default to the latest with data.
"""

from __future__ import annotations

import logging

import pandas as pd

from kepatuhan import settings

log = logging.getLogger("kepatuhan")


def load_scores(processed_dir: str = "", raw_dir: str = "") -> pd.DataFrame:
    """The tidy scores: one row per (year, pemda, OPD), ``opd`` empty for the pemda's own total.

    Reads ``data/processed`` (or ``processed_dir``); when it has no table yet (a fresh clone), reads
    and checks the raw files instead (``data/raw`` or ``raw_dir``), so exploring never needs a run first.

    >>> scores = kp.load_scores()
    >>> scores[scores["year"] == 2024].groupby("province").size()
    """
    from kepatuhan import catalog
    from kepatuhan.reading import ingest
    if catalog.path("scores", processed_dir or settings.PROCESSED_DIR).exists():
        return ingest.load_scores(processed_dir)
    log.info("no processed table yet: reading the raw files of %s", raw_dir or settings.RAW_DIR)
    return ingest.ingest(raw_dir).scores


def history(scores: pd.DataFrame, pemda: str, opd: str = "") -> pd.DataFrame:
    """One unit's scores over the years (its pemda total, or one OPD), with the change from its previous assessment.

    >>> kp.history(scores, "Kab. Kerinci")[["year", "score", "grade", "zone", "delta", "comparable"]]
    """
    from kepatuhan.analysis.declines import compare_with_previous
    from kepatuhan.reference.names import canonical_pemda

    name = canonical_pemda(pemda)
    rows = compare_with_previous(scores, pemda=name)
    return rows[rows["opd"] == opd].reset_index(drop=True)


def trend_chart(scores: pd.DataFrame, pemda: str, lang: str = "id"):
    """The chart of one pemda's scores over the years (its total and each OPD), bands shaded.

    >>> kp.trend_chart(scores, "Pemkab Kerinci")
    """
    from kepatuhan.brief import charts
    from kepatuhan.reference.names import canonical_pemda

    return charts.trend_chart(scores, pemda=canonical_pemda(pemda), lang=lang)


def compare(scores: pd.DataFrame, year: int = 0, province: str = "", pemda: str = "", min_drop: float = 0.01,
            compare_across_methods: bool = False) -> pd.DataFrame:  # fmt: skip
    """Every unit of ``year`` against its previous assessment, with its flags (``tanda``).

    >>> kp.compare(scores, year=2024, province="Sumbar")
    """
    from kepatuhan.analysis.declines import compare_with_previous
    from kepatuhan.reference.names import canonical_pemda, canonical_province

    province, pemda = canonical_province(province), canonical_pemda(pemda)
    mine = scores[scores["province"] == province] if province else scores
    return compare_with_previous(scores, year=int(year or mine["year"].max()), min_drop=min_drop, province=province or None,
                                 pemda=pemda or None, compare_across_methods=compare_across_methods)  # fmt: skip


def watch_list(scores: pd.DataFrame, year: int = 0, province: str = "", pemda: str = "", min_drop: float = 0.01) -> pd.DataFrame:
    """The units that fell in ``year``, worst first, with the reason in Indonesian and English.

    >>> kp.watch_list(scores, year=2023, province="Jambi")[["rank", "pemda", "opd", "delta", "reason_id"]]
    """
    from kepatuhan.analysis.declines import watch_list as watched

    return watched(compare(scores, year, province, pemda, min_drop))


def explore(scores: pd.DataFrame, province: str = "", pemda: str = "", opd: str = "", lang: str = "id"):
    """Dropdowns to pick a province, a pemda and an OPD; the trend, comparison and watch list follow.

    >>> kp.explore(scores, province="Jambi")
    """
    from kepatuhan.explorer import Explorer

    return Explorer(scores, province=province, pemda=pemda, opd=opd, lang=lang)
