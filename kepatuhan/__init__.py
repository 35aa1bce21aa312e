"""kepatuhan: Ombudsman RI compliance scores, from published files to yearly briefs.

For exploring: ``import kepatuhan as kp; scores = kp.load_scores(); kp.history(scores, "Kab. Kerinci")``
(see :mod:`kepatuhan.api`: ``load_scores, history, trend_chart, compare, watch_list, explore``).

Modules, one per concern:

- reading the data: ``config`` (paths), ``errors``, ``sources`` (input files and hashes), ``reading``
  (CSV/Excel), ``names`` (gazetteer, OPD aliases), ``wilayah`` (building the national gazetteer),
  ``methods`` (methods, bands, zones, opinion labels), ``ingest`` (the tidy ``scores`` table),
  ``inventory`` (what the data holds), ``illustrative`` (example OPD scores);
- analysis: ``declines`` (comparisons, flags, watch list), ``standing`` (ranks), ``distribution`` (zones);
- what readers see: ``wording`` (every text, per language), ``html`` (fragments), ``charts``, ``maps``,
  ``headline`` (opening sentences), ``tables``, ``brief``, ``workbook``, ``export`` (HTML and PDF);
- exploring: ``api`` (``kp.history`` and friends), ``explorer`` (dropdowns in JupyterLab);
- the pipeline, declared as data: ``catalog`` (datasets), ``steps`` (what reads and writes what),
  ``planner`` (tasks, fingerprints), ``resolve`` (options into briefs), ``executors`` and ``jobs``
  (where notebooks run), ``kernels`` (warm kernels), ``staging`` (lock, carry-over, publishing),
  ``manifest``, ``runs`` (the run history), ``signals``, ``processes``, ``watchdog``, ``run``, ``cli``.
"""

from kepatuhan.settings import VERSION as __version__

#: The exploring API (``import kepatuhan as kp; kp.load_scores()``) and the module of each name, loaded on
#: first use so that ``import kepatuhan`` stays light for the pipeline's command line.
API = {"load_scores": "api", "history": "api", "trend_chart": "api", "compare": "api", "watch_list": "api",
       "explore": "explorer"}  # fmt: skip
__all__ = ["__version__", *API]


def __getattr__(name: str):
    if name in API:
        import importlib

        return getattr(importlib.import_module(f"kepatuhan.{API[name]}"), name)
    raise AttributeError(f"module 'kepatuhan' has no attribute {name!r}")
