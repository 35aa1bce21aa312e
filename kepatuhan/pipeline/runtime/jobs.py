"""One task as something an executor can run anywhere: its notebook, parameters and output paths.

A :class:`Job` is plain data (it crosses process and machine boundaries); :func:`run_job` executes
its notebook (in this process when the job allows it and the result is exact, else on a warm kernel),
exports the HTML when the step asks for it, keeps or drops the executed notebook, and reports the time
taken, or the failure and where the partial notebook is.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kepatuhan.brief.export import export_html, export_pdf
from kepatuhan.pipeline.runtime.inprocess import NotInProcess, execute_in_process
from kepatuhan.pipeline.runtime.kernels import StepFailed, WarmKernel, execute, source_notebook, write_notebook


@dataclass(frozen=True, kw_only=True)
class Job:
    """What running one task takes. Paths are absolute; ``html`` and ``pdf`` are empty when not made.

    ``ship`` (files or folders it reads), ``collect`` (files or folders it writes) and ``root`` (the
    project folder, for the configuration) matter only where the job runs on another machine.
    ``in_process``: its cells may run in the worker's own process (see :mod:`.inprocess`); the kernel
    runs it when they cannot, and for every failure.
    """

    task_id: str
    notebook: str
    parameters: dict
    executed: str
    keep_notebook: bool
    html: str
    pdf: str
    title: str
    lang: str
    timeout: int
    cwd: str
    ship: tuple[str, ...] = ()
    collect: tuple[str, ...] = ()
    root: str = ""
    in_process: bool = False


@dataclass
class JobResult:
    """How a job went: seconds taken, or the failure and the partial notebook's path."""

    task_id: str
    seconds: float
    error: str = ""
    partial: str = ""
    profile: dict = field(default_factory=dict)


class KernelUnavailable(Exception):
    """The kernel a job needed did not start (the message says why); the job fails with it."""


def run_job(job: Job, warm: WarmKernel | Callable[[], WarmKernel] | None) -> JobResult:
    """Execute the job's notebook (on ``warm``), export its HTML and PDF, keep the executed notebook if asked.

    ``warm`` may be a function that gives the kernel: it is called only when the notebook needs one
    (not for a brief rendered in this process), so a worker whose kernel did not start still renders
    those briefs.

    The result's ``profile`` says where the time went (see :func:`profile`).
    """
    started = time.perf_counter()
    executed = Path(job.executed)
    executed.parent.mkdir(parents=True, exist_ok=True)
    executed.unlink(missing_ok=True)  # it may be a hard link to a published copy: never write through it
    try:
        node = executed_notebook(job, executed, warm)
    except StepFailed as exc:
        return JobResult(
            job.task_id, time.perf_counter() - started, str(exc), str(executed) if executed.exists() else ""
        )
    marks = {"notebook": time.perf_counter()}
    if job.html:
        export_html(node, Path(job.html), job.title, job.lang)
        marks["html"] = time.perf_counter()
    if job.pdf:
        export_pdf(Path(job.html), Path(job.pdf))
        marks["pdf"] = time.perf_counter()
    if job.keep_notebook:
        write_notebook(node, executed)
        marks["write"] = time.perf_counter()
    return JobResult(job.task_id, time.perf_counter() - started, profile=profile(node, started, marks))


def executed_notebook(job: Job, executed: Path, warm: WarmKernel | Callable[[], WarmKernel] | None):
    """The job's notebook executed: in this process when the job allows it and the result is exact (its
    ``metadata.kepatuhan.in_process`` then says so), else on ``warm`` (or a fresh kernel)."""
    why = ""
    if job.in_process:
        try:
            node = execute_in_process(
                Path(job.notebook), job.parameters, job.timeout, Path(job.cwd), source_notebook(Path(job.notebook))
            )
            node.metadata["kepatuhan"] = {"in_process": True}
            return node
        except NotInProcess as reason:  # the kernel runs it: same result, and a failure is recorded as usual
            why = str(reason)
    kernel = warm() if callable(warm) else warm
    node = execute(Path(job.notebook), executed, job.parameters, job.timeout, Path(job.cwd), warm=kernel, keep=False)
    if why:
        node.metadata["kepatuhan"] = {"in_process": False, "kernel_because": why}
    return node


def profile(node, started: float, marks: dict[str, float]) -> dict:
    """Where a job's time went, in seconds: the notebook, then each mark (``html``, ``pdf``, ``write``).

    ``cells`` lists each code cell's :func:`telling_line` and time; ``papermill`` is the notebook's time
    outside its cells (parameters, kernel reset, papermill's own work, or the in-process path's, when
    ``in_process`` is true).
    """
    timing = "in_process_seconds" if node.metadata.get("kepatuhan", {}).get("in_process") else "papermill"
    cells = [
        (
            telling_line(c.source),
            (c.metadata.get(timing, {}).get("duration") if timing == "papermill" else c.metadata.get(timing)) or 0.0,
        )
        for c in node.cells
        if c.cell_type == "code"
    ]
    found, last = {}, started
    for name, at in marks.items():
        found[name], last = round(at - last, 4), at
    found["papermill"] = round(found["notebook"] - sum(seconds for _, seconds in cells), 4)
    because = node.metadata.get("kepatuhan", {}).get("kernel_because", "")
    return {
        **found,
        "in_process": timing != "papermill",
        "kernel_because": because,
        "cells": [(line, round(s, 4)) for line, s in cells],
    }


def telling_line(source: str) -> str:
    """The line that says what a cell does: its first call into the package, else its first line."""
    lines = [line.strip() for line in source.splitlines() if line.strip()]
    calls = [line for line in lines if re.match(r"(\w+\s*=\s*)?(sections|charts|maps|workbook|steps|kp|brief)\.", line)]
    return (calls or lines or [""])[0][:100]
