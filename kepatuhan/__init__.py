"""kepatuhan: Ombudsman RI compliance scores, from published files to a yearly brief.

Modules, one per concern:
- ``config``: where every folder and configuration file lives.
- ``errors``: the one exception type for bad input data, with file/row/column/value.
- ``reading``: raw CSV/XLSX files into a frame of recognised columns.
- ``names``: pemda gazetteer and OPD aliases.
- ``methods``: assessment methods, score bands, grades and zones per year.
- ``ingest``: validation and the tidy ``scores`` table.
- ``outputs``: atomic, deterministic file writing and spreadsheet-safe exports.
- ``declines``: comparisons with the previous assessment, flags and the watch list.
- ``distribution``: zone and grade counts per pemda and province.
- ``charts``: figures; ``geo``: the province map.
- ``text``: wording in Bahasa Indonesia and English; ``brief``: the yearly brief.
- ``illustrative``: the seeded illustrative OPD-level scores.
- ``kernels``: papermill on warm kernels; ``fanout``: many pemda briefs (process pool or Dask).
- ``runner``: the pipeline (steps, staging, incremental fingerprints, manifest); ``cli``: its commands.
"""

__version__ = "0.1.0"
