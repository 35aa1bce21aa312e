"""The mark a run leaves in its logs folder while it is under way, so that a next run can record it if it is killed.

``pipeline.py run`` writes it from its first lines, before the modules of the run load, and the run's record
writes it again once it knows its options; the record removes it when the run is recorded. A mark whose
process is gone (``kill -9``, a power loss) is a run the next run records as ``killed``. Only the
interpreter's own start, before ``pipeline.py`` runs a line, leaves nothing behind.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from datetime import datetime
from pathlib import Path

import psutil

from kepatuhan import catalog, settings
from kepatuhan.pipeline.options import outputs_in_raw
from kepatuhan.writing import write_text

#: The name of the mark (followed by the process id of its run).
RUNNING_PREFIX = ".running-"


def now() -> str:
    """The local time with its time zone, to the second (ISO 8601)."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def path(reports: Path, pid: int | None = None) -> Path:
    """The mark of run ``pid`` (this process by default) in the logs of the reports folder ``reports``."""
    return catalog.path("logs", reports) / f"{RUNNING_PREFIX}{pid or os.getpid()}"


def write(reports: Path, started: str) -> Path | None:
    """Leave this process's mark in ``reports`` (None when the folder cannot take it: the run says why later)."""
    mark = path(reports)
    with contextlib.suppress(OSError):
        mark.parent.mkdir(parents=True, exist_ok=True)
        write_text(json.dumps({"started": started, "created": created(os.getpid())}), mark)  # never half-written
        return mark
    return None


def early(argv: list[str]) -> Path | None:
    """The mark of a ``run`` written before its modules load (None for other commands), in the reports
    folder its arguments name; never inside the raw folder, which the run refuses to write in."""
    if not argv or argv[0] != "run":
        return None
    found = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    found.add_argument("--reports", type=Path, default=settings.REPORTS_DIR)
    found.add_argument("--raw", type=Path, default=settings.RAW_DIR)
    with contextlib.suppress(SystemExit):  # a malformed line: the run's own parser says what is wrong
        known, _ = found.parse_known_args(argv[1:])
        if not outputs_in_raw(known.raw, {"--reports": known.reports}):  # the run's own check, said by the run
            return write(known.reports.absolute(), now())
    return None


def remove(mark: Path | None) -> None:
    """Remove a mark this process left (a run that ended without its record: help, a bad option)."""
    if mark is not None:
        with contextlib.suppress(OSError):
            mark.unlink(missing_ok=True)


def created(pid: int) -> float | None:
    """When process ``pid`` started (None when there is no such process, or only its exit status is left: a
    zombie): a mark names a run under way only while its process id is held by the process that wrote it."""
    try:
        process = psutil.Process(pid)
        return None if process.status() == psutil.STATUS_ZOMBIE else process.create_time()
    except psutil.Error:
        return None


def under_way(pid: int, mark: dict) -> bool:
    """Whether the run that left ``mark`` still runs: its process is there and is the one that wrote the mark
    (a mark still being written, empty, is given the benefit of the doubt)."""
    started = created(pid)
    return started is not None and (not mark or started == mark.get("created"))
