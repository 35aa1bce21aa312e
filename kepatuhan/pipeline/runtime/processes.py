"""The processes a run starts (worker processes, kernels) and ending them: now, or after a killed run.

A run that stops normally or on a signal ends every process it started. A run killed with
``kill -9`` cannot; its workers and kernels then end themselves (:mod:`kepatuhan.pipeline.runtime.watchdog`), and as
a second line of defence each run lists its processes in ``reports/.processes-<pid>.json`` so that
the next run ends any that are still alive (matched by process id *and* start time, so a reused
process id is never hit).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from pathlib import Path

import psutil

log = logging.getLogger("kepatuhan")
RECORD_GLOB = ".processes-*.json"


def end_processes(pids: list[int], grace: float = 3.0) -> int:
    """Terminate the given processes, then kill those still alive after ``grace`` seconds."""
    found = []
    for pid in pids:
        with contextlib.suppress(psutil.Error):
            found.append(psutil.Process(pid))
    return _end(found, grace)


def _end(processes: list[psutil.Process], grace: float) -> int:
    for process in processes:
        with contextlib.suppress(psutil.Error):
            process.terminate()
    for process in _still_running(processes, grace):
        with contextlib.suppress(psutil.Error):
            process.kill()
    return len(processes)


def _still_running(processes: list[psutil.Process], grace: float) -> list[psutil.Process]:
    """Those of ``processes`` still running after up to ``grace`` seconds, found without reaping any.

    ``psutil.wait_procs`` reaps a child that ended. A pool worker reaped here is lost to its pool:
    ``ProcessPoolExecutor.shutdown`` then polls it forever (``waitpid`` fails, so it looks alive) and
    a stopped run hangs. An ended child is left as a zombie for its owner to reap.
    """
    deadline = time.monotonic() + grace
    while True:
        alive = [process for process in processes if _running(process)]
        if not alive or time.monotonic() >= deadline:
            return alive
        time.sleep(0.05)


def _running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def end_descendants(grace: float = 3.0) -> int:
    """End every process this one started (and theirs): workers, kernels, helpers.

    Python's own multiprocessing resource tracker is left to end with this process: killed first, it
    is relaunched when the pool lets go of its semaphores, and the new one prints a traceback about
    names it never registered (``KeyError: '/mp-...'``) on every stop.
    """
    with contextlib.suppress(psutil.Error):
        return _end([p for p in psutil.Process().children(recursive=True) if not _resource_tracker(p)], grace)
    return 0


def _resource_tracker(process: psutil.Process) -> bool:
    with contextlib.suppress(psutil.Error):
        return any("resource_tracker" in part for part in process.cmdline())
    return False


def record(reports_dir: Path) -> Path:
    """Write the list of this run's descendant processes beside the reports (for :func:`reap`)."""
    path = Path(reports_dir) / f".processes-{os.getpid()}.json"
    entries = []
    with contextlib.suppress(psutil.Error):
        for child in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.Error):
                entries.append({"pid": child.pid, "started": child.create_time()})
    with contextlib.suppress(OSError):
        path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def forget(reports_dir: Path) -> None:
    """Remove this run's process list (it ended its processes itself)."""
    with contextlib.suppress(OSError):
        (Path(reports_dir) / f".processes-{os.getpid()}.json").unlink()


def reap(reports_dir: Path) -> int:
    """End the processes left alive by earlier runs that were killed; return how many were ended."""
    ended = 0
    for path in Path(reports_dir).glob(RECORD_GLOB):
        owner = int(path.stem.split("-")[-1]) if path.stem.split("-")[-1].isdigit() else 0
        if owner == os.getpid() or (owner and psutil.pid_exists(owner)):
            continue
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = []
        alive = [p for p in (_same_process(e) for e in entries) if p is not None]
        if alive:
            log.warning("ending %d process(es) left by run %d, which was killed", len(alive), owner)
            ended += _end(alive, 3.0)
        with contextlib.suppress(OSError):
            path.unlink()
    return ended


def _same_process(entry: dict) -> psutil.Process | None:
    """The process of a recorded entry if it is still the same one (same id and start time)."""
    with contextlib.suppress(psutil.Error, KeyError, TypeError):
        process = psutil.Process(int(entry["pid"]))
        if abs(process.create_time() - float(entry["started"])) < 0.01:
            return process
    return None
