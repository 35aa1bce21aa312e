"""The pipeline declared as data: each step's notebook, parameters, reads, writes, scope and own function.

A step runs once per run (``run``), once per year for the national overview only (``national``),
once per brief (``scope``: the national overview or one province, for one year), or once per pemda
brief (``pemda``). It reads and writes named datasets of the :mod:`~kepatuhan.catalog`; the planner
orders steps by what they read, and fingerprints follow those reads. A step that makes tables names
nothing else: its notebook calls the function of its stage that makes and saves them
(:func:`kepatuhan.reading.ingest.ingest_step`, :func:`kepatuhan.brief.declines_step.declines_step`), and
the briefs read them with :func:`kepatuhan.brief.data.load_inputs`, which makes a table no step has
written yet (a notebook run alone in JupyterLab) with that same function. Notebooks never import this
package: the pipeline calls down into the stages, never the other way.

To add a step: declare it here, write its notebook (one ``parameters`` cell, then calls into the
package), and name its outputs in the catalog. Nothing else knows about steps by name.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from kepatuhan import catalog
from kepatuhan.analysis.parameters import Analysis

#: Run parameters that change what an analysis step's tables hold (its words are the brief's).
ANALYSIS = tuple(f.name for f in fields(Analysis))
#: The tables a brief reads: the scores and everything the declines step writes.
BRIEF_READS = (
    "scores",
    "comparisons",
    "watch_list",
    "standing",
    "zone_distribution",
    "pemda_zone_distribution",
    "config",
)
#: The notebook parameter that receives each root folder a step reads or writes.
FOLDER_PARAMETERS = {"raw": "raw_dir", "examples": "examples_dir", "processed": "processed_dir", "scope": "out_dir"}


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline.

    ``parameters`` are the run parameters it takes (folders are added from the roots of what it
    reads and writes); ``notebook_output`` is the dataset its executed notebook becomes, and
    ``keep_notebook`` whether that is kept when the step succeeds; ``html`` and ``pdf`` are the
    datasets made from the executed notebook after it ran (``title`` names the page). A step whose output
    is in words runs once ``per_language`` asked for or published in its folder (``lang`` is its parameter).
    A step ``in_process`` has its cells run in the worker's own process when its notebook is not kept
    (the notebook stays its recipe; a kernel runs it when that path cannot give the same result).
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
    per_language: bool = False
    in_process: bool = False


STEPS: tuple[Step, ...] = (
    Step(
        "ingest",
        "01_ingest.ipynb",
        "run",
        (),
        reads=("raw", "examples", "config"),
        writes=("scores", "quality"),
        notebook_output="ingest_notebook",
    ),
    Step(
        "declines",
        "02_declines.ipynb",
        "scope",
        ANALYSIS,
        reads=("scores", "config"),
        writes=("comparisons", "watch_list", "standing", "zone_distribution", "pemda_zone_distribution"),
        notebook_output="declines_notebook",
    ),
    Step(
        "brief",
        "brief.ipynb",
        "scope",
        (*ANALYSIS, "lang", "pemda_briefs", "svg"),
        reads=BRIEF_READS,
        writes=("figures", "workbook"),
        notebook_output="brief_notebook",
        html="brief",
        pdf="brief_pdf",
        title="html.brief_title",
        per_language=True,
    ),
    Step(
        "pemda_brief",
        "brief_pemda.ipynb",
        "pemda",
        (*ANALYSIS, "lang", "pemda"),
        reads=BRIEF_READS,
        writes=(),
        notebook_output="pemda_notebook",
        html="pemda_brief",
        pdf="pemda_brief_pdf",
        title="html.pemda_title",
        keep_notebook=False,
        per_language=True,
        in_process=True,
    ),
)


def passed(step: Step) -> set[str]:
    """The notebook parameters a task of ``step`` is given: its run parameters and the folders of what it reads
    and writes (the other parameters keep the defaults of the notebook's ``parameters`` cell)."""
    roots = {catalog.dataset(name).root for name in (*step.reads, *step.writes)}
    return set(step.parameters) | {FOLDER_PARAMETERS[r] for r in roots if r in FOLDER_PARAMETERS}


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
