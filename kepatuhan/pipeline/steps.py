"""The pipeline declared as data: each step's notebook, parameters, reads, writes, scope and own function.

A step runs once per run (``run``), once per year for the national overview only (``national``),
once per brief (``scope``: the national overview or one province, for one year), or once per pemda
brief (``pemda``). It reads and writes named datasets of the :mod:`~kepatuhan.catalog`; the planner
orders steps by what they read, and fingerprints follow those reads. A step that makes tables names
the function that makes them (``produce``): its notebook calls it through :func:`run_step`, and a
notebook run alone in JupyterLab gets a table no step has written yet from that same function
(:func:`load_inputs`), never from a second, hand-written copy.

To add a step: declare it here, write its notebook (one ``parameters`` cell, then calls into the
package), and name its outputs in the catalog. Nothing else knows about steps by name.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kepatuhan import catalog, settings

if TYPE_CHECKING:  # the step functions load pandas when they run; planning a run never needs it
    import pandas as pd

log = logging.getLogger("kepatuhan")

#: Run parameters that change what an analysis step's tables hold (its words are the brief's).
ANALYSIS = ("year", "province", "min_drop", "compare_across_methods")
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
    datasets made from the executed notebook after it ran (``title`` names the page). ``produce``
    makes the step's tables: ``produce(inputs, **parameters) -> {dataset: frame}``. A step whose output
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
    produce: Callable[..., dict[str, pd.DataFrame]] | None = None
    per_language: bool = False
    in_process: bool = False


def ingest_tables(inputs: dict, raw_dir: str = "", examples_dir: str = "", **_) -> dict[str, pd.DataFrame]:
    """The ingest step: every raw file (and the examples, when asked) into the tidy scores and the quality report."""
    from kepatuhan.reading.ingest import ingest

    result = ingest(raw_dir, examples_dir=examples_dir or None)
    return {"scores": result.scores, "quality": result.quality}


def declines_tables(
    inputs: dict, year: int = 0, province: str = "", min_drop: float = 0.01, compare_across_methods: bool = False, **_
) -> dict[str, pd.DataFrame]:
    """The declines step: each unit against its previous assessment, the watch list with reasons (in every
    language), the standing, and how the zones of the pemda and of their OPDs are spread."""
    from kepatuhan.analysis.declines import scope_tables
    from kepatuhan.analysis.distribution import opd_distribution, pemda_distribution
    from kepatuhan.analysis.scope import select, up_to, year_of
    from kepatuhan.brief.reasons import with_reasons
    from kepatuhan.reference.gazetteer import canonical_province

    scores, province = inputs["scores"], canonical_province(province)
    tables = scope_tables(scores, year, province, min_drop, compare_across_methods)
    rows = up_to(select(scores, province=province or None), year_of(scores, year, province))
    return {
        **tables,
        "watch_list": with_reasons(tables["watch_list"]),
        "zone_distribution": opd_distribution(rows),
        "pemda_zone_distribution": pemda_distribution(rows),
    }


STEPS: tuple[Step, ...] = (
    Step(
        "ingest",
        "01_ingest.ipynb",
        "run",
        (),
        reads=("raw", "examples", "config"),
        writes=("scores", "quality"),
        notebook_output="ingest_notebook",
        produce=ingest_tables,
    ),
    Step(
        "declines",
        "02_declines.ipynb",
        "scope",
        ANALYSIS,
        reads=("scores", "config"),
        writes=("comparisons", "watch_list", "standing", "zone_distribution", "pemda_zone_distribution"),
        notebook_output="declines_notebook",
        produce=declines_tables,
    ),
    Step(
        "brief",
        "brief.ipynb",
        "scope",
        (*ANALYSIS, "lang", "pemda_briefs"),
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


def folders(raw_dir: str = "", examples_dir: str = "", processed_dir: str = "", out_dir: str = "") -> dict[str, str]:
    """The folder of each catalog root for a notebook's folder parameters: empty ones mean this project's
    own (``data/raw``, ``data/processed``), no examples, and no brief folder (nothing is saved)."""
    return {
        "raw": str(raw_dir or settings.RAW_DIR),
        "examples": str(examples_dir),
        "processed": str(processed_dir or settings.PROCESSED_DIR),
        "scope": str(out_dir),
    }


def load_inputs(
    name: str, *, raw_dir: str = "", examples_dir: str = "", processed_dir: str = "", out_dir: str = "", **parameters
) -> dict[str, pd.DataFrame]:
    """The tables step ``name`` reads: from where earlier steps wrote them, or made by those steps' own functions."""
    where, made = folders(raw_dir, examples_dir, processed_dir, out_dir), {}
    return {table: _table(table, where, parameters, made) for table in step(name).reads if catalog.dataset(table).table}


def load_table(
    name: str,
    *,
    raw_dir: str = "",
    examples_dir: str = "",
    processed_dir: str = "",
    out_dir: str = "",
    check: bool = True,
    **parameters,
) -> pd.DataFrame:
    """One table: from where the step that writes it wrote it (checked again unless ``check`` is false: the
    step checked it before writing), or made by that step's own function."""
    return _table(name, folders(raw_dir, examples_dir, processed_dir, out_dir), parameters, {}, check)


def _table(name: str, where: dict[str, str], parameters: dict, made: dict[str, dict], check: bool = True):
    """One table: read from its folder when a step wrote it there, else made by the step that writes it."""
    folder = where[catalog.dataset(name).root]
    if folder and catalog.path(name, folder).exists():
        return catalog.load(name, folder, check=check)
    producer = writer(name)
    if producer.name not in made:
        log.info(
            "no %s in %s yet: the %s step's own function makes it", name, folder or "the brief folder", producer.name
        )
        inputs = {t: _table(t, where, parameters, made) for t in producer.reads if catalog.dataset(t).table}
        made[producer.name] = producer.produce(inputs, **_folder_parameters(where), **parameters)
    return made[producer.name][name]


def _folder_parameters(where: dict[str, str]) -> dict[str, str]:
    return {FOLDER_PARAMETERS[root]: folder for root, folder in where.items()}


def run_step(
    name: str, *, raw_dir: str = "", examples_dir: str = "", processed_dir: str = "", out_dir: str = "", **parameters
) -> dict[str, pd.DataFrame]:
    """Run step ``name``'s own function on what it reads and save what it writes (nothing to an empty ``out_dir``)."""
    where = folders(raw_dir, examples_dir, processed_dir, out_dir)
    current = step(name)
    inputs = load_inputs(
        name, raw_dir=raw_dir, examples_dir=examples_dir, processed_dir=processed_dir, out_dir=out_dir, **parameters
    )
    tables = current.produce(inputs, **_folder_parameters(where), **parameters)
    roots = {catalog.dataset(table).root for table in tables}
    for root in roots:
        catalog.save_all({t: f for t, f in tables.items() if catalog.dataset(t).root == root}, where[root])
    return tables
