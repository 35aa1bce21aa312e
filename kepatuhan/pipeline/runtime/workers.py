"""Starting the pool's worker processes; this module imports the standard library only.

The run starts its first kernel worker before it reads its raw files (``HeadStart`` in
:mod:`kepatuhan.pipeline.run`). Importing the executors for that (papermill, nbclient, nbformat: about
0.9 s) would hold the reading back by as much, and a run stopped by bad data would pay it for nothing.
So the pool is started from here, and each worker imports what it runs (:mod:`.in_worker`) itself
(:func:`start_worker`), as it did before.
"""

from __future__ import annotations

import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from kepatuhan.pipeline.runtime.signals import children_start_uninterruptible, ignore_interrupts


def started_pool(size: int, kernel: bool, timeout: int, cwd: Path) -> ProcessPoolExecutor:
    """A pool of ``size`` workers (each starting a notebook kernel when ``kernel``), every one started now,
    so that they warm up while the first jobs run."""
    with children_start_uninterruptible():  # processes start on submit, in this thread
        pool = ProcessPoolExecutor(
            max_workers=size,
            mp_context=get_context("spawn"),
            initializer=start_worker,
            initargs=(timeout, str(cwd), kernel, os.getpid()),
        )
        for _ in range(size):
            pool.submit(worker_ready)
    return pool


def kernel_worker(timeout: int, cwd: Path) -> ProcessPoolExecutor:
    """One kernel worker, started now, before the run knows how many workers it needs: the ``pool``
    executor takes it as one of its own (its ``started``)."""
    return started_pool(1, True, timeout, cwd)


def start_worker(timeout: int, cwd: str, kernel: bool, run: int) -> None:
    """Pool initializer, run in the worker: first end with the run (``run``: its process id, passed in), then
    the worker's own start (:func:`.in_worker.start`), whose imports take a second."""
    from kepatuhan.pipeline.runtime.watchdog import watch_parent  # start

    ignore_interrupts()
    watch_parent(run, on_exit=end_own_kernel)
    from kepatuhan.pipeline.runtime import in_worker  # heavy: a second, so after the watch above

    in_worker.start(timeout, cwd, kernel)


def end_own_kernel() -> None:
    """Stop this worker's kernel, if it has started one (the run is gone)."""
    kernel = getattr(sys.modules.get("kepatuhan.pipeline.runtime.in_worker"), "_worker_kernel", None)
    if kernel is not None:
        kernel.shutdown()


def worker_ready() -> int:
    """A job that only makes the pool start a worker; its process id."""
    return os.getpid()
