"""The declines step (the one call of ``02_declines.ipynb``): the tables a brief shows beside the scores.

For one brief's scope (a province or the whole country, one year): each unit against its previous
assessment, the watch list with its reasons in every language the briefs speak, the standing, and how the
zones of the pemda and of their OPDs are spread. They are saved in the brief's folder, where the brief's
notebook reads them (:func:`kepatuhan.brief.data.load_inputs`), which makes them with :func:`scope_tables`
when they are not there (an analyst exploring).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from kepatuhan import catalog
from kepatuhan.analysis import declines
from kepatuhan.analysis.distribution import opd_distribution, pemda_distribution
from kepatuhan.analysis.parameters import DEFAULTS
from kepatuhan.analysis.scope import select, up_to, year_of
from kepatuhan.brief.reasons import with_reasons
from kepatuhan.reading.ingest import load_scores
from kepatuhan.reference.gazetteer import canonical_province

#: The tables this step writes, in the brief's folder.
WRITES = ("comparisons", "watch_list", "standing", "zone_distribution", "pemda_zone_distribution")


def scope_tables(
    scores: pd.DataFrame,
    year: int = DEFAULTS.year,
    province: str = DEFAULTS.province,
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = DEFAULTS.compare_across_methods,
) -> dict[str, pd.DataFrame]:
    """The step's tables for ``province`` (any spelling; every province when empty) up to ``year`` (0: latest)."""
    province = canonical_province(province)
    tables = declines.scope_tables(scores, year, province, min_drop, compare_across_methods)
    rows = up_to(select(scores, province=province or None), year_of(scores, year, province))
    return {
        **tables,
        "watch_list": with_reasons(tables["watch_list"]),
        "zone_distribution": opd_distribution(rows),
        "pemda_zone_distribution": pemda_distribution(rows),
    }


def declines_step(
    processed_dir: str | Path = "",
    out_dir: str | Path = "",
    year: int = DEFAULTS.year,
    province: str = DEFAULTS.province,
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = DEFAULTS.compare_across_methods,
) -> dict[str, pd.DataFrame]:
    """Make the step's tables from the scores of ``processed_dir`` and save them in ``out_dir`` (the brief's
    folder; nothing is saved when it is empty)."""
    tables = scope_tables(load_scores(processed_dir=processed_dir), year, province, min_drop, compare_across_methods)
    catalog.save_all(tables, out_dir)
    return tables
