"""kepatuhan: Ombudsman RI compliance scores, from published files to yearly briefs.

Exploring in JupyterLab (no magic needed; charts show as pictures, tables come in Indonesian or English)::

    import kepatuhan as kp
    scores = kp.load_scores()
    kp.explore(scores)                           # controls, tabs (trend, table, map, OPDs, watch list), hover
    kp.history(scores, "Kab. Kerinci")           # one unit over the years
    kp.trend_chart(scores, "Kerinci")            # its trend chart
    kp.opd_chart(scores, "Tanjab Barat")         # its OPDs year by year
    kp.compare(scores, year=2024, province="Sumbar")
    kp.watch_list(scores, year=2023, province="Jambi")

A name or year the data cannot answer raises :class:`Unanswerable` with a sentence ("did you mean ...?").

The package, one folder per layer (each imports only the layers below it; ``lint-imports`` checks):

- ``explorer`` (the interactive explorer) and ``api`` (the functions above, forgiving names, tables in words);
- ``pipeline``: the scheduled run declared as data (``steps``, ``planner``, ``run``, ``status``, ``runtime``);
- ``brief``: what readers see (wording, charts, maps, headline, tables, workbook, HTML and PDF, the index);
- ``analysis`` (declines, standing, distributions) and ``reading`` (raw files into the tidy table);
- ``reference``: the gazetteer of 552 pemda, OPD names, methods and bands;
- ``catalog`` (every dataset and its file), ``schema`` (every table's columns), ``settings``, ``errors``.
"""

import importlib

from kepatuhan.settings import VERSION as __version__

#: The exploring API (``import kepatuhan as kp``) and the module of each name, loaded on first use so that
#: ``import kepatuhan`` stays light for the pipeline's command line. Listed first by ``dir(kp)``.
API = {
    "load_scores": "api",
    "explore": "explorer",
    "history": "api",
    "trend_chart": "api",
    "opd_chart": "api",
    "compare": "api",
    "watch_list": "api",
    "Unanswerable": "api",
    "UnknownName": "api",
    "AmbiguousName": "api",
    "NotInData": "api",
    "EmptyResult": "api",
}
__all__ = [*API, "__version__"]


def __getattr__(name: str):
    if name in API:
        return getattr(importlib.import_module(f"kepatuhan.{API[name]}"), name)
    raise AttributeError(f"module 'kepatuhan' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The exploring API: what ``dir(kp)`` and tab completion after ``kp.`` offer (``dir`` sorts it, so the
    package's modules are left out rather than listed among the functions; they import as usual)."""
    return [*API, "__version__"]
