"""What runs inside a pool's worker process: its start, its kernel, its in-process shell, and each job.

A worker is started by :mod:`.workers` (standard library only, so that it ends with the run from its
first moment) and then imports this module, whose imports take a second; the executors submit
:func:`run` to it. Its own module, so that the workers and the executors do not import each other.
"""

from __future__ import annotations

import atexit
import os
from dataclasses import replace
from pathlib import Path

from kepatuhan.brief.export import _exporter, _font_config
from kepatuhan.pipeline.runtime.inprocess import warm_up
from kepatuhan.pipeline.runtime.jobs import Job, JobResult, KernelUnavailable, run_job
from kepatuhan.pipeline.runtime.kernels import WarmKernel

#: This worker's kernel (None until started).
_worker_kernel: WarmKernel | None = None
#: Why this worker's kernel did not start (its jobs then fail with it, instead of breaking the whole pool).
_worker_problem = ""
#: The cell timeout and folder this worker's kernel is started with (set by :func:`start`).
_worker_settings: tuple[int, str] = (0, "")
#: Whether this worker's in-process shell is made: False not yet, True made, None it could not be made.
_worker_warm: bool | None = False


def start(timeout: int, cwd: str, kernel: bool = True) -> None:
    """Pool initializer (through :func:`.workers.start_worker`, which has made it end with the run): start this worker's
    kernel now when it is a kernel worker (``kernel``), else on the first job that needs one. A kernel
    worker makes the in-process shell and the exporters on its first pemda brief (:func:`_warm_in_process`),
    so that the first jobs (the ingest, the declines) wait for a kernel only; a worker without a kernel,
    which takes nothing but pemda briefs, makes them now, while the kernel worker runs the notebooks the
    briefs need (2 s of a one-province run's 12 s, benchmarks/RESULTS.md).

    A kernel that does not start is kept as :data:`_worker_problem` and reported by each job that needs
    it (:func:`_kernel`): an initializer that raises breaks the pool, and the run could only say
    "BrokenProcessPool".
    """
    global _worker_settings
    _worker_settings = (timeout, cwd)
    try:
        if kernel:
            _start_kernel()
        else:
            _warm_in_process()
    except (KeyboardInterrupt, SystemExit):  # the run is stopping: end quietly (a traceback here helps no one)
        os._exit(1)


def _start_kernel() -> None:
    """Start this worker's kernel (once); what went wrong is kept in :data:`_worker_problem`."""
    global _worker_kernel, _worker_problem
    timeout, cwd = _worker_settings
    try:
        _worker_kernel = WarmKernel(cwd=Path(cwd), timeout=timeout)
        atexit.register(_worker_kernel.shutdown)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        _worker_problem = f"the worker's notebook kernel did not start: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"


def _kernel() -> WarmKernel:
    """This worker's kernel, for a job that needs one (started now in a worker that has none yet);
    :class:`KernelUnavailable` when it did not start (a brief rendered in this process never asks, so
    it succeeds without a kernel)."""
    if _worker_kernel is None and not _worker_problem:
        _start_kernel()
    if _worker_problem:
        raise KernelUnavailable(_worker_problem)
    return _worker_kernel


def _warm_in_process() -> bool:
    """Make the in-process shell and load the exporters, once, before this worker's first in-process brief;
    False when they cannot be made (this worker's kernel then renders its pemda briefs)."""
    global _worker_warm
    if _worker_warm is False:
        try:
            warm_exporters()
            warm_up()
            _worker_warm = True
        except Exception:
            _worker_warm = None
    return bool(_worker_warm)


def warm_exporters() -> None:
    """Compile the HTML exporter's templates, import WeasyPrint and load its fonts now, not during the
    first brief."""
    _exporter()
    _font_config()


def run(job: Job) -> JobResult:
    """Run one job in this worker: in its own process when the job may and the shell is made, else on its
    kernel; a kernel that did not start is the job's failure, not the pool's."""
    if job.in_process and not _warm_in_process():
        job = replace(job, in_process=False)
    try:
        return run_job(job, _kernel)
    except KernelUnavailable as problem:  # the job needed the kernel, which did not start
        return JobResult(job.task_id, 0.0, str(problem))
