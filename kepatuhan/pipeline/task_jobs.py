"""The job that runs one task: its notebook, its parameters with the folders it reads and writes, the files
an executor ships to a remote worker and collects back, and where its HTML and PDF go. The run decides
what runs and when (:mod:`.run`); an executor runs the job anywhere (:mod:`.runtime.executors`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from kepatuhan import catalog, settings
from kepatuhan.brief.wording import words
from kepatuhan.pipeline.options import RunOptions
from kepatuhan.pipeline.planner import Task
from kepatuhan.pipeline.resolve import Resolved, examples_dir
from kepatuhan.pipeline.staging import PROCESSED, Staging
from kepatuhan.pipeline.steps import FOLDER_PARAMETERS, Step, outputs

if TYPE_CHECKING:  # the executors load papermill and nbformat: only a run with work to do needs them
    from kepatuhan.pipeline.runtime.jobs import Job


def unit_of(task: Task) -> str:
    """The folder a task's outputs belong to: the processed tables, or its brief's folder."""
    return task.scope.key if task.scope else PROCESSED


def fields_of(task: Task) -> dict:
    """What fills a task's dataset paths: its year, its pemda's slug, its language."""
    return {"year": task.scope.year if task.scope else 0, "slug": task.slug, "lang": task.lang}


def folder_of(root: str, task: Task, staging: Staging, options: RunOptions) -> Path | str:
    """The folder of a catalog root for one task (staged folders for what the run writes)."""
    folders = {
        "raw": Path(options.raw_dir),
        "examples": examples_dir(options) or "",
        "config": settings.ROOT,
        "processed": staging.staged(PROCESSED),
        "scope": staging.staged(unit_of(task)),
    }
    return folders[root]


def reads_raw(step: Step) -> bool:
    """Whether the step reads the raw files (the ingest): the one that can take the tables the run read."""
    return "raw" in step.reads


def hand_over(to_run: list[Task], staging: Staging, resolved: Resolved) -> bool:
    """Save the tables this run read while planning where the step that reads the raw files writes them, when
    that step is to run: it loads them (its notebook's ``read_by_run``) instead of reading every file again."""
    if resolved.tables is None or not any(reads_raw(task.step) for task in to_run):
        return False
    catalog.save_all(resolved.tables, staging.staged(PROCESSED))
    return True


def job_for(task: Task, staging: Staging, options: RunOptions, read_by_run: bool = False) -> Job:
    """The job that runs one task: its notebook, parameters with folders, and where its outputs go; the step
    that reads the raw files takes the tables the run read instead when ``read_by_run`` (:func:`hand_over`)."""
    from kepatuhan.pipeline.runtime.jobs import Job  # heavy

    step = task.step
    roots = {catalog.dataset(name).root for name in (*step.reads, *step.writes)}
    folders = {FOLDER_PARAMETERS[r]: str(folder_of(r, task, staging, options)) for r in roots if r in FOLDER_PARAMETERS}
    handed = {"read_by_run": True} if read_by_run and reads_raw(step) else {}
    lang = task.lang or options.lang
    unit, fields = staging.staged(unit_of(task)), fields_of(task)
    title = (
        words(step.title, lang, year=fields["year"], scope=scope_name(task, lang), pemda=task.pemda)
        if step.title
        else ""
    )
    ship = [
        str(folder_of(catalog.dataset(r).root, task, staging, options) / catalog.relative(r, **fields))
        for r in step.reads
        if r != "config" and folder_of(catalog.dataset(r).root, task, staging, options)
    ]
    ship += [str(catalog.path(name, unit, **fields)) for name in step.writes] if handed else []  # what it loads
    ship += [
        str(settings.ROOT / "config"),
        str(settings.ROOT / "data" / "geo"),
        str(settings.OTHER_NAMES_FILE),  # the other names of pemda (short forms, former names) the readers know
        str(Path(options.notebooks_dir) / step.notebook),
    ]
    collect = [str(catalog.path(name, unit, **fields)) for name in outputs(step)]
    collect += [
        str(catalog.csv_copy(catalog.path(n, unit, **fields))) for n in step.writes if catalog.dataset(n).csv_copy
    ]
    html = str(catalog.path(step.html, unit, **fields)) if step.html else ""
    pdf = str(catalog.path(step.pdf, unit, **fields)) if step.pdf and options.pdf else ""
    keep = kept(step, options)
    return Job(
        task_id=task.id,
        notebook=str(Path(options.notebooks_dir) / step.notebook),
        parameters={**task.parameters, **folders, **handed},
        executed=str(catalog.path(step.notebook_output, unit, **fields)),
        keep_notebook=keep,
        html=html,
        pdf=pdf,
        title=title,
        lang=lang,
        timeout=options.cell_timeout,
        cwd=str(options.notebooks_dir),
        ship=tuple(ship),
        collect=tuple(collect),
        root=str(settings.ROOT),
        in_process=in_worker(step, options),
    )


def kept(step: Step, options: RunOptions) -> bool:
    """Whether the step's executed notebook is kept (it then runs on a kernel, the record of what ran)."""
    return step.keep_notebook or options.keep_notebooks


def in_worker(step: Step, options: RunOptions) -> bool:
    """Whether the step's notebook runs in the worker's own process: a step that allows it, unless kept."""
    return step.in_process and not kept(step, options)


def scope_name(task: Task, lang: str) -> str:
    """How a brief's scope is named in titles: the province, or the national overview."""
    if task.scope is None:
        return ""
    return (
        words("html.province", lang, province=task.scope.province)
        if task.scope.province
        else words("html.national", lang)
    )
