"""The direct-call baseline of a brief: its notebook's code run in this process, without a kernel.

The same cells, the same parameters, the same package calls, exported by the same HTML exporter and
printed to PDF by WeasyPrint: what a brief costs with nothing around its code. Used by
``bench_briefs.py`` (benchmark 4) to print, per pemda brief, the pipeline's time against this one,
after checking that both briefs show the same text, tables and images. Not used by the pipeline.

Each cell runs through the pipeline's own :func:`~kepatuhan.pipeline.runtime.inprocess.run_cell`
(the one place that turns a cell into notebook outputs); what the pipeline adds around it (papermill's
parameter cell, putting the process's state back, the job, the worker) is what the ratio measures.
"""

from __future__ import annotations

import time
from pathlib import Path


def render(job: dict, html: Path, pdf: Path) -> float:
    """Render ``job``'s brief by running its notebook's cells here; seconds taken (HTML and PDF included).

    A job that makes no brief (the ingest, the declines) only runs its cells: ``html`` and ``pdf`` are unused.
    """
    import nbformat

    from kepatuhan.brief.export import export_html, export_pdf
    from kepatuhan.pipeline.runtime.inprocess import restore, run_cell, shell

    started = time.perf_counter()
    node = nbformat.read(job["notebook"], as_version=4)
    namespace = shell().user_ns
    namespace["get_ipython"] = shell
    for index, cell in enumerate(node.cells):
        if cell.cell_type == "code":
            cell.outputs = run_cell(cell.source, namespace, job["timeout"], f"cell {index}")
        if "parameters" in cell.metadata.get("tags", []):  # its defaults, then the job's values, as papermill does
            namespace.update(job["parameters"])
    if job["html"]:
        export_html(node, html, job["title"], job["lang"])
        export_pdf(html, pdf)
    seconds = time.perf_counter() - started
    restore()  # the shell as the pipeline's in-process path expects it (untimed: the baseline has no such work)
    return seconds
