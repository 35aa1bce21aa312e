"""One task as something an executor can run anywhere: its notebook, parameters and output paths.

A :class:`Job` is plain data (it crosses process and machine boundaries); :func:`run_job` executes
its notebook on a warm kernel, exports the HTML when the step asks for it, keeps or drops the
executed notebook, and reports the time taken, or the failure and where the partial notebook is.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from kepatuhan.kernels import StepFailed, WarmKernel, execute


@dataclass(frozen=True)
class Job:
    """What running one task takes. Paths are absolute; ``html`` and ``pdf`` are empty when not made.

    ``ship`` (files or folders it reads), ``collect`` (files or folders it writes) and ``root`` (the
    project folder, for the configuration) matter only where the job runs on another machine.
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


@dataclass
class JobResult:
    """How a job went: seconds taken, or the failure and the partial notebook's path."""

    task_id: str
    seconds: float
    error: str = ""
    partial: str = ""
    profile: dict = field(default_factory=dict)


def run_job(job: Job, warm: WarmKernel | None) -> JobResult:
    """Execute the job's notebook (on ``warm``), export its HTML and PDF, keep or drop the executed notebook."""
    from kepatuhan.export import export_html, export_pdf

    started = time.perf_counter()
    executed = Path(job.executed)
    executed.parent.mkdir(parents=True, exist_ok=True)
    executed.unlink(missing_ok=True)  # it may be a hard link to a published copy: never write through it
    try:
        execute(Path(job.notebook), executed, job.parameters, job.timeout, Path(job.cwd), warm=warm)
    except StepFailed as exc:
        return JobResult(job.task_id, time.perf_counter() - started, str(exc), str(executed) if executed.exists() else "")
    notebook_seconds = time.perf_counter() - started
    if job.html:
        export_html(executed, Path(job.html), job.title, job.lang)
    if job.pdf:
        export_pdf(Path(job.html), Path(job.pdf))
    if not job.keep_notebook:
        executed.unlink()
    seconds = time.perf_counter() - started
    return JobResult(job.task_id, seconds, profile={"notebook": notebook_seconds, "export": seconds - notebook_seconds})
