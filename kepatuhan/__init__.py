"""kepatuhan: Ombudsman RI compliance scores, from published files to yearly briefs.

Modules, one per concern:

- reading the data: ``config`` (paths), ``errors``, ``reading`` (CSV/Excel), ``names`` (gazetteer, OPD
  aliases), ``methods`` (methods, bands, zones), ``ingest`` (the tidy ``scores`` table);
- analysis: ``declines`` (comparisons, flags, watch list), ``standing`` (ranks), ``distribution`` (zones);
- what readers see: ``wording`` (every text, per language), ``html`` (fragments), ``charts``, ``geo``
  (maps), ``brief``, ``workbook``, ``export`` (HTML without code);
- the pipeline, declared as data: ``catalog`` (datasets), ``steps`` (what reads and writes what),
  ``planner`` (tasks, fingerprints), ``resolve`` (options into briefs), ``executors`` and ``jobs``
  (where notebooks run), ``kernels`` (warm kernels), ``staging`` (lock, carry-over, publishing),
  ``manifest``, ``history`` (run records), ``signals``, ``processes``, ``watchdog``, ``run``, ``cli``.
"""

__version__ = "0.2.0"
