"""The pipeline declared as data: each step's notebook, parameters, reads, writes and scope.

A step runs once per run (``run``), once per brief (``scope``: the national overview or one
province, for one year), or once per pemda brief (``pemda``). It reads and writes named datasets
of the :mod:`~kepatuhan.catalog`; the planner orders steps by what they read, and fingerprints
follow those reads. ``export`` names the HTML made from the executed notebook after it ran.

To add a step: declare it here, write its notebook (one ``parameters`` cell, then calls into the
package), and name its outputs in the catalog. Nothing else knows about steps by name.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Run parameters that change what an analysis step shows.
ANALYSIS = ("year", "province", "lang", "min_drop", "compare_across_methods")
#: The notebook parameter that receives each root folder a step reads or writes.
FOLDER_PARAMETERS = {"raw": "raw_dir", "examples": "examples_dir", "processed": "processed_dir", "scope": "out_dir"}


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline.

    ``parameters`` are the run parameters it takes (folders are added from the roots of what it
    reads and writes); ``notebook_output`` is the dataset its executed notebook becomes, and
    ``keep_notebook`` whether that is kept when the step succeeds; ``html`` and ``pdf`` are the
    datasets made from the executed notebook after it ran (``title`` names the page).
    """

    name: str
    notebook: str
    scope: str
    parameters: tuple[str, ...]
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    notebook_output: str
    html: str = ""
    pdf: str = ""
    title: str = ""
    keep_notebook: bool = True


STEPS: tuple[Step, ...] = (
    Step("ingest", "01_ingest.ipynb", "run", (), reads=("raw", "examples", "config"),
         writes=("scores", "quality"), notebook_output="ingest_notebook"),
    Step("declines", "02_declines.ipynb", "scope", ANALYSIS, reads=("scores", "config"),
         writes=("comparisons", "watch_list", "standing"), notebook_output="declines_notebook"),
    Step("brief", "brief.ipynb", "scope", ANALYSIS, reads=("scores", "comparisons", "watch_list", "standing", "config"),
         writes=("zone_distribution", "pemda_zone_distribution", "figures", "workbook"), notebook_output="brief_notebook",
         html="brief", pdf="brief_pdf", title="html.brief_title"),
    Step("pemda_brief", "brief_pemda.ipynb", "pemda", (*ANALYSIS, "pemda"),
         reads=("scores", "comparisons", "watch_list", "standing", "config"), writes=(), notebook_output="pemda_notebook",
         html="pemda_brief", pdf="pemda_brief_pdf", title="html.pemda_title", keep_notebook=False),
)  # fmt: skip


def step(name: str, steps: tuple[Step, ...] = STEPS) -> Step:
    """The step called ``name``."""
    return next(s for s in steps if s.name == name)


def writer(dataset: str, steps: tuple[Step, ...] = STEPS) -> Step | None:
    """The one step that writes ``dataset`` (None for sources such as raw files and configuration)."""
    owners = [s for s in steps if dataset in s.writes]
    return owners[0] if owners else None


def outputs(step: Step) -> tuple[str, ...]:
    """Every dataset a step's task leaves behind: what its notebook writes, its notebook, its HTML and PDF."""
    kept = (step.notebook_output,) if step.keep_notebook else ()
    return (*step.writes, *kept, *(name for name in (step.html, step.pdf) if name))
