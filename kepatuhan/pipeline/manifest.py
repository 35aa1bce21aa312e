"""Manifests: what went into each published brief folder and what came out, and the ingest stamp.

Each brief folder gets ``manifest.json``: its year and scope, the run's parameters, the input files
with their hashes, every task with its fingerprint, status (``ran`` or ``up_to_date``), seconds and
output files (with hashes), what was removed as stale, the software versions and the git commit.
The planner reads the task fingerprints back on the next run. The processed tables get the same
for the ingest, plus the inventory of the data, in ``ingest-stamp.json``.
"""

from __future__ import annotations

import platform
from dataclasses import asdict
from pathlib import Path

from kepatuhan import catalog
from kepatuhan.pipeline import sources
from kepatuhan.pipeline.planner import Scope, Task
from kepatuhan.pipeline.steps import outputs
from kepatuhan.writing import sha256

#: Options that only say where files are or how the run is executed: not what a brief shows.
WHERE_AND_HOW = {"raw_dir", "processed_dir", "reports_dir", "notebooks_dir", "scheduler", "wait", "progress"}


def task_files(task: Task, folder: Path) -> list[Path]:
    """The files a task left in ``folder`` (its unit's staged folder): its outputs, with the CSV copies of its tables."""
    fields = {"year": task.scope.year if task.scope else 0, "slug": task.slug, "lang": task.lang}
    files = []
    for name in outputs(task.step):
        path = catalog.path(name, folder, **fields)
        copy = [catalog.csv_copy(path)] if catalog.dataset(name).csv_copy and catalog.csv_copy(path).is_file() else []
        files += (
            [path, *copy]
            if path.is_file()
            else sorted(p for p in path.rglob("*") if p.is_file())
            if path.is_dir()
            else []
        )
    return files


def task_record(task: Task, folder: Path, status: str, seconds: float | None) -> dict:
    """What the manifest says about one task: its outputs with their hashes and sizes (how a later run finds a
    damaged one without hashing every file; ``status`` checks the hashes)."""
    files = task_files(task, folder)
    record = {
        "step": task.step.name,
        "fingerprint": task.fingerprint,
        "status": status,
        "outputs": {p.relative_to(folder).as_posix(): sha256(p) for p in files},
        "bytes": {p.relative_to(folder).as_posix(): p.stat().st_size for p in files},
    }
    if task.pemda:
        record["pemda"] = task.pemda
    if task.lang:
        record["lang"] = task.lang
    if seconds is not None:
        record["seconds"] = round(seconds, 3)
    return record


def unit_manifest(scope: Scope, records: dict[str, dict], removed: list[str], run: dict) -> dict:
    """The manifest of one brief folder; ``run`` holds the run-wide facts (see :func:`run_facts`)."""
    return {
        "year": scope.year,
        "scope": {
            "kind": "provinsi" if scope.province else "nasional",
            "province": scope.province,
            "folder": scope.key,
        },
        **run,
        "ran": [t for t, r in records.items() if r["status"] == "ran"],
        "up_to_date": [t for t, r in records.items() if r["status"] == "up_to_date"],
        "removed": removed,
        "tasks": records,
    }


def run_facts(options, resolved, started: str, finished: str, kernel: str = "") -> dict:
    """The facts every manifest of a run shares: times, parameters, inputs, software."""
    parameters = {k: v for k, v in asdict(options).items() if k not in WHERE_AND_HOW}
    return {
        "started": started,
        "finished": finished,
        "parameters": parameters,
        "inputs": resolved.inputs,
        "git": sources.git_state(),
        "python": platform.python_version(),
        "packages": resolved.versions,
        "kernel": kernel,
    }


def stamp(task_records: dict[str, dict], inventory_json: dict, run: dict) -> dict:
    """The ingest stamp: which inputs made the processed tables, what they hold, and their hashes."""
    return {
        **{k: run[k] for k in ("started", "finished", "inputs", "packages")},
        "inventory": inventory_json,
        "tasks": task_records,
    }
