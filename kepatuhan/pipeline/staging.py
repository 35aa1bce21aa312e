"""Staging: the lock, recovery after a kill, carry-over, publishing and keeping failed notebooks.

This is the only code that knows the names of the lock, staging and trash folders. A run takes the
reports folder's lock, cleans what a killed run left, and works in ``reports/.staging-<pid>/``,
which mirrors the published layout: ``processed/`` for the tidy tables, and one folder per brief
(``2024/provinsi/sumatera-barat``...). Outputs of up-to-date tasks are carried over as hard links (cheap);
nothing else is. Publishing swaps each brief folder in with two renames, and writes the processed
tables as one unit (every file complete on disk before the first is renamed into place), so a
failed or interrupted run leaves the previous outputs as they were.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from pathlib import Path

from filelock import FileLock, Timeout

from kepatuhan import catalog
from kepatuhan.errors import EnvironmentProblem
from kepatuhan.writing import atomic_paths, sha256, write_text

log = logging.getLogger("kepatuhan")

LOCK = ".lock"
LOCK_HOLDER = ".lock-holder"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"
#: The staged folder (and unit key) of the processed tables.
PROCESSED = "processed"
MANIFEST = catalog.relative("manifest")
STAMP = catalog.relative("ingest_stamp")


class Busy(Exception):
    """Another run holds the reports folder."""


def read_json(path: Path) -> dict:
    """A JSON object's content, or ``{}`` when the file is missing, unreadable or not a JSON object."""
    try:
        found = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def inside(folder: Path, name: object) -> Path | None:
    """``folder / name`` when ``name`` is a relative path that stays inside ``folder`` (a manifest is a file
    anyone can edit: ``../../sentinel.txt`` must never lead a run or ``status`` out of the reports folder)."""
    if not isinstance(name, str) or not name or name.startswith(("/", "\\")) or ":" in name:
        return None
    parts = Path(name).parts
    return None if ".." in parts else Path(folder) / name


def write_json(data: dict, path: Path) -> Path:
    """Write strict JSON (no NaN), atomically."""
    return write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n", path)


def manifest_problem(manifest: dict, brief: bool = False) -> str:
    """What makes a manifest (``brief``: of a brief folder, with its year and scope) or an ingest stamp read
    from disk unusable, in words; "" when it is as the pipeline writes it."""
    tasks = manifest.get("tasks")
    if not isinstance(tasks, dict) or not tasks:
        return "it lists no tasks"
    for task, record in tasks.items():
        if not isinstance(record, dict) or not isinstance(record.get("fingerprint"), str):
            return f"task {task} has no fingerprint"
        outputs, sizes = record.get("outputs"), record.get("bytes", {})
        if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
            return f"the outputs of task {task} are not file names with their hashes"
        if not isinstance(sizes, dict) or not all(isinstance(v, int) for v in sizes.values()):
            return f"the sizes of the outputs of task {task} are not numbers"
    scope = manifest.get("scope")
    if brief and (
        not isinstance(manifest.get("year"), int)
        or not isinstance(scope, dict)
        or not isinstance(scope.get("province"), str)
        or not isinstance(scope.get("folder"), str)
    ):
        return "its year or scope is missing or not of the right kind"
    return ""


@contextlib.contextmanager
def locked(reports_dir: Path, wait: float = 0.0):
    """Hold the reports folder's lock for the block; :class:`Busy` if another run keeps it ``wait`` seconds.

    The lock is an OS file lock (filelock: ``flock`` on Linux, ``msvcrt`` on Windows), released when
    its process dies, so a killed run never blocks the next one.
    """
    folder = Path(reports_dir)
    with EnvironmentProblem.about(folder, "create the reports folder"):
        folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(folder / LOCK))
    try:
        lock.acquire(timeout=max(wait, 0), poll_interval=0.25)
    except Timeout:
        holder = (folder / LOCK_HOLDER).read_text(encoding="utf-8").strip() if (folder / LOCK_HOLDER).exists() else "?"
        raise Busy(
            f"another run is using {folder} (process {holder}); try again later or pass --wait SECONDS"
        ) from None
    try:
        with contextlib.suppress(OSError):
            (folder / LOCK_HOLDER).write_text(str(os.getpid()), encoding="utf-8")
        yield
    finally:
        lock.release()


def writable(folder: Path) -> None:
    """Raise ``OSError`` unless a file can be written in ``folder``; leave no folder or file behind."""
    created = [f for f in [folder, *folder.parents] if not f.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        probe = folder / f".write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    finally:
        for made in created:  # deepest first
            with contextlib.suppress(OSError):
                made.rmdir()


class Staging:
    """This run's private folder beside the published reports, and everything done with it."""

    def __init__(self, reports_dir: Path, processed_dir: Path):
        self.reports = Path(reports_dir)
        self.processed = Path(processed_dir)
        self.root = self.reports / f"{STAGING_PREFIX}{os.getpid()}"
        #: What this run has published so far, as folders a person finds (a stopped run says what it did).
        self.done: list[str] = []

    # ---- where things are ---------------------------------------------------------------------

    def staged(self, key: str) -> Path:
        """The staged folder of a unit: ``processed`` or a brief's key (``2024/provinsi/sumatera-barat``)."""
        return self.root / key

    def published(self, key: str) -> Path:
        """Where a unit is published."""
        return self.processed if key == PROCESSED else self.reports / key

    # ---- before the run --------------------------------------------------------------------------

    def recover(self) -> list[int]:
        """Clean what a killed run left: staging folders, half-done swaps, temporary files.

        Returns the process ids of the runs whose leftovers were found (they were killed).
        """
        killed = []
        for leftover in self.reports.glob(f"{STAGING_PREFIX}*"):
            if leftover != self.root:
                shutil.rmtree(leftover, ignore_errors=True)
                killed += (
                    [int(leftover.name[len(STAGING_PREFIX) :])]
                    if leftover.name[len(STAGING_PREFIX) :].isdigit()
                    else []
                )
        for trash in self.reports.glob(f"{TRASH_PREFIX}*"):
            for manifest in sorted(trash.rglob(MANIFEST)):
                key = manifest.parent.relative_to(trash).as_posix()
                if not self.published(key).exists():
                    self.published(key).parent.mkdir(parents=True, exist_ok=True)
                    manifest.parent.rename(self.published(key))
                    log.warning("restored %s from an interrupted publish", self.published(key))
            shutil.rmtree(trash, ignore_errors=True)
        for temporary in self.processed.glob(".*.tmp") if self.processed.is_dir() else []:
            temporary.unlink(missing_ok=True)
        return killed

    def check_folders(self, keys: list[str]) -> None:
        """Fail early, with a clear message, when a folder to publish into is blocked by a file or cannot be written."""
        for folder, doing in ((self.processed, "write the processed tables"), (self.reports, "write the reports")):
            with EnvironmentProblem.about(folder, doing):
                writable(folder)
        for key in [PROCESSED, *keys]:
            target = self.published(key)
            for folder in [target, *target.parents]:
                if folder.exists() and not folder.is_dir():
                    raise EnvironmentProblem(folder, "is a file, not a folder", "move or rename it, then run again")
                if folder in (self.reports, self.reports.parent):
                    break

    def previous(self, keys: list[str]) -> dict[str, dict]:
        """Task records of the published units (``id -> {fingerprint, outputs, ...}``), only complete ones.

        A processed table whose bytes changed since it was written, or a missing output, makes its
        task's record disappear, so the planner runs the task again.
        """
        records = {}
        stamp = read_json(self.processed / STAMP)
        for key, manifest in [(PROCESSED, stamp), *((k, read_json(self.published(k) / MANIFEST)) for k in keys)]:
            if manifest_problem(manifest):
                continue  # a damaged manifest vouches for nothing: its tasks run again
            for task, record in manifest["tasks"].items():
                if self._intact(key, record["outputs"], record.get("bytes", {})):
                    records[task] = {**record, "unit": key}
        return records

    def _intact(self, key: str, outputs: dict[str, str], sizes: dict[str, int]) -> bool:
        """Whether every output of a task is where its manifest says, unchanged: the processed tables by their
        hash, a brief's files by their size (hashing a whole country's briefs would slow a run with nothing to do;
        ``status`` checks their hashes)."""
        folder = self.published(key)
        try:
            paths = {name: inside(folder, name) for name in outputs}
            if any(path is None or not path.is_file() for path in paths.values()):
                return False
            if key == PROCESSED:
                return all(sha256(paths[name]) == digest for name, digest in outputs.items())
            return all(paths[name].stat().st_size == size for name, size in sizes.items() if name in paths)
        except OSError:
            return False

    # ---- during the run ----------------------------------------------------------------------------

    def open(self) -> None:
        """Create the staging folder."""
        with EnvironmentProblem.about(self.root, "create the staging folder"):
            self.root.mkdir(parents=True)
            self.staged(PROCESSED).mkdir()

    def carry_over(self, key: str, names: list[str]) -> None:
        """Hard-link published files of a unit into its staged folder (copy where links fail).

        Every later write into the staging folder replaces a file or unlinks it first, so the
        published copies behind the links are never written through.
        """
        for name in names:
            source, target = inside(self.published(key), name), inside(self.staged(key), name)
            if source is None or target is None:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)

    def close(self) -> None:
        """Remove the staging folder (whatever happened)."""
        shutil.rmtree(self.root, ignore_errors=True)

    # ---- after the run -----------------------------------------------------------------------------

    def publish(self, keys: list[str], processed: bool) -> None:
        """Publish the processed tables (when they were made anew), then swap each brief folder in."""
        if processed:
            self._publish_processed()
            self.done.append(str(self.processed))
        trash = self.reports / f"{TRASH_PREFIX}{os.getpid()}"
        for key in keys:
            target = self.published(key)
            with EnvironmentProblem.about(target, "publish the brief"):
                if target.exists():
                    (trash / key).parent.mkdir(parents=True, exist_ok=True)
                    target.rename(trash / key)
                target.parent.mkdir(parents=True, exist_ok=True)
                self.staged(key).rename(target)
                self.done.append(str(target))
        shutil.rmtree(trash, ignore_errors=True)

    def _publish_processed(self) -> None:
        """Copy every staged processed file beside its destination first, then rename them all (stamp last)."""
        staged = sorted(self.staged(PROCESSED).iterdir(), key=lambda p: (p.name == STAMP, p.name))
        destinations = [self.processed / p.name for p in staged]
        with (
            EnvironmentProblem.about(self.processed, "write the processed tables"),
            atomic_paths(destinations) as temporaries,
        ):
            for source, temporary in zip(staged, temporaries):
                shutil.copyfile(source, temporary)

    def keep_failed(self, key: str, notebooks: list[Path]) -> Path:
        """Keep a failed run's notebooks under ``<brief>/failed/`` (``reports/failed/`` for the ingest)."""
        failed = catalog.path("failed", self.reports if key == PROCESSED else self.published(key))
        with EnvironmentProblem.about(failed, "keep the failed notebooks"):
            shutil.rmtree(failed, ignore_errors=True)
            failed.mkdir(parents=True)
            for notebook in notebooks:
                if Path(notebook).exists():
                    shutil.copy2(notebook, failed / Path(notebook).name)
        return failed
