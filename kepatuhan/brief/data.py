"""What one brief shows, worked out once from the tables its step reads (:class:`BriefData`).

A brief (the national overview, a province, or one pemda) is of one year: nothing it shows is later.
:func:`load_inputs` gives the tables a brief reads (``scores`` and what the declines step wrote:
``comparisons``, ``watch_list``, ``standing``, the zone distributions), and :func:`prepare` keeps the rows
of the brief's province or pemda up to its year.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from kepatuhan import catalog
from kepatuhan.analysis.parameters import DEFAULTS
from kepatuhan.analysis.scope import select, up_to, year_of
from kepatuhan.brief.declines_step import WRITES, scope_tables
from kepatuhan.brief.wording import check_lang, words
from kepatuhan.reading.corrections import behind
from kepatuhan.reading.ingest import load_scores
from kepatuhan.reference.gazetteer import Gazetteer, canonical_pemda, canonical_province, load_gazetteer
from kepatuhan.reference.methods import Methods, load_methods
from kepatuhan.reference.names import load_opd_names

log = logging.getLogger("kepatuhan")


@dataclass
class BriefData:
    """Everything a brief shows, computed once: rows up to the brief's year, of its province or pemda."""

    scores: pd.DataFrame
    year: int
    lang: str
    province: str
    pemda: str
    comparisons: pd.DataFrame
    watch: pd.DataFrame
    standing: pd.DataFrame
    opd_zones: pd.DataFrame
    pemda_zones: pd.DataFrame
    methods: Methods
    out_dir: str = ""
    #: How many pemda exist in the brief's province (or the country) that year: what "memuat 2 dari 12" counts against.
    all_pemda: int = 0
    #: The lines of ``config/corrections.csv`` behind the rows shown.
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Whether the figures saved in ``out_dir`` are also saved as SVG (PNG always).
    svg: bool = False

    @property
    def shown(self) -> pd.DataFrame:
        """The rows of the brief's year."""
        return self.scores[self.scores["year"] == self.year]

    @property
    def totals(self) -> pd.DataFrame:
        """The pemda totals of the brief's year."""
        return self.shown[self.shown["opd"] == ""]

    @property
    def scope(self) -> str:
        """The brief's subject in words: the pemda, the province, or the national overview."""
        if self.pemda:
            return self.pemda
        return (
            words("html.province", self.lang, province=self.province)
            if self.province
            else words("html.national", self.lang)
        )


def load_inputs(
    processed_dir: str | Path = "",
    out_dir: str | Path = "",
    year: int = DEFAULTS.year,
    province: str = DEFAULTS.province,
    min_drop: float = DEFAULTS.min_drop,
    compare_across_methods: bool = DEFAULTS.compare_across_methods,
    raw_dir: str | Path = "",
) -> dict[str, pd.DataFrame]:
    """The tables a brief reads: the scores (:func:`~kepatuhan.reading.ingest.load_scores`) and what the
    declines step saved in the brief's folder ``out_dir``; when it saved nothing there (an analyst exploring,
    ``out_dir`` empty), the same tables made now by that step's own function, never by a second copy."""
    scores = load_scores(raw_dir, processed_dir)
    saved = {name: catalog.load(name, out_dir) for name in WRITES if out_dir and catalog.path(name, out_dir).exists()}
    made = {}
    if len(saved) < len(WRITES):
        log.info("no tables of the declines step in %s yet: its own function makes them", out_dir or "the brief folder")
        made = scope_tables(scores, year, province, min_drop, compare_across_methods)
    return {"scores": scores, **made, **saved}


def prepare(
    tables: dict[str, pd.DataFrame],
    year: int = DEFAULTS.year,
    province: str = DEFAULTS.province,
    lang: str = "id",
    pemda: str = "",
    out_dir: str = "",
    svg: bool = False,
) -> BriefData:
    """What one brief shows, from the tables its step reads.

    ``province`` and ``pemda`` take any known spelling (a pemda sets its province); ``year`` 0 means
    the latest year with data in the province; ``out_dir`` is the brief's folder (empty: nothing is saved),
    where its figures are saved as PNG, and also as SVG when ``svg`` is true.
    """
    check_lang(lang)
    methods, gazetteer = load_methods(), load_gazetteer()
    province, pemda = canonical(province, pemda, gazetteer)
    year = year_of(tables["scores"], year, province)
    rows = up_to(select(tables["scores"], province=province or None, pemda=pemda or None), year)
    found = {
        name: tables[name]
        if name in ("standing", "pemda_zone_distribution") or not pemda
        else select(tables[name], pemda=pemda)
        for name in WRITES
    }
    existing = (
        gazetteer.pemda_in(province, year)
        if province
        else [p for name in gazetteer.provinces for p in gazetteer.pemda_in(name, year)]
    )
    return BriefData(
        rows,
        year,
        lang,
        province,
        pemda,
        found["comparisons"],
        found["watch_list"],
        found["standing"],
        found["zone_distribution"],
        found["pemda_zone_distribution"],
        methods,
        out_dir,
        len(existing),
        behind(rows, gazetteer, load_opd_names()),
        svg,
    )


def canonical(province: str, pemda: str, gazetteer: Gazetteer) -> tuple[str, str]:
    """Canonical province and pemda names from any known spelling (a pemda also sets the province)."""
    pemda = canonical_pemda(pemda, gazetteer)
    return (gazetteer.info(pemda)["province"] if pemda else canonical_province(province, gazetteer)), pemda


def first_pemda(scores: pd.DataFrame, year: int = 0, province: str = "") -> str:
    """The first pemda (by name) with data in ``year`` (0: the latest) in ``province`` (any spelling; empty: any)."""
    province = canonical_province(province)
    rows = select(scores, province=province or None)
    return str(sorted(select(rows, year=year_of(rows, year))["pemda"])[0])
