"""The pipeline: run the notebooks in order through papermill and publish the yearly brief.

The steps are declared as data (:data:`STEPS`): which notebook, which run parameters it takes.
A run works in a private staging folder and swaps its outputs in only when everything succeeded,
so a failed or interrupted run leaves the previous good brief in place. Bad input data stops the
run before any notebook starts (exit 2); any other failure exits 1 and keeps the failing notebook,
executed up to the error, under ``reports/<year>/failed/``.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from kepatuhan import config
from kepatuhan.errors import DataError
from kepatuhan.ingest import ingest
from kepatuhan.names import load_gazetteer
from kepatuhan.text import check_lang

log = logging.getLogger("kepatuhan")

EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_BUSY = 0, 1, 2, 3


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline and the run parameters it takes."""

    name: str
    notebook: str
    parameters: tuple[str, ...]


ANALYSIS = ("processed_dir", "year", "province", "lang", "min_drop", "compare_across_methods")
STEPS: tuple[Step, ...] = (
    Step("ingest", "01_ingest.ipynb", ("raw_dir", "processed_dir")),
    Step("declines", "02_declines.ipynb", (*ANALYSIS, "out_dir")),
    Step("charts", "03_zone_charts.ipynb", (*ANALYSIS, "out_dir")),
    Step("brief", "brief.ipynb", ANALYSIS),
)
BRIEF_NOTEBOOK = "brief.ipynb"
#: Direct dependencies whose versions go into the manifest.
RECORDED_PACKAGES = (
    "kepatuhan", "pandas", "numpy", "pyarrow", "openpyxl", "matplotlib", "seaborn", "papermill",
    "nbconvert", "nbformat", "nbclient", "ipykernel", "jupyter_client",
)  # fmt: skip


class StepFailed(Exception):
    """A notebook failed; the message names the notebook and cell, ``output`` is the partial notebook."""

    def __init__(self, message: str, output: Path):
        super().__init__(message)
        self.output = Path(output)


class Interrupted(KeyboardInterrupt):
    """The run got SIGTERM; the exit code is 128 + the signal number, as a shell reports it."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(f"signal {signum}")
        self.signum = int(signum)


class Busy(Exception):
    """Another run holds the reports folder."""


@dataclass
class RunOptions:
    """What ``python pipeline.py run`` was asked to do."""

    year: int | None = None
    lang: str = "id"
    min_drop: float = 0.01
    compare_across_methods: bool = False
    province: str | None = None
    pemda: list[str] = field(default_factory=list)
    all_pemda: bool = False
    raw_dir: Path = config.RAW_DIR
    processed_dir: Path = config.PROCESSED_DIR
    reports_dir: Path = config.REPORTS_DIR
    notebooks_dir: Path = config.NOTEBOOKS_DIR
    cell_timeout: int = 600
    wait: float = 0.0
    progress: bool = True


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def slugify(name: str) -> str:
    """A file-name-safe slug: ``"Kota Sungai Penuh"`` -> ``"kota-sungai-penuh"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "pemda"


@contextlib.contextmanager
def run_lock(reports_dir: Path, wait: float = 0.0):
    """Hold an exclusive lock on the reports folder for the whole run.

    The lock is an OS file lock (``flock``): the kernel releases it when its process dies, so a
    killed run never leaves a lock that blocks the next one. ``wait`` seconds are spent retrying.
    """
    reports_dir.mkdir(parents=True, exist_ok=True)
    path = reports_dir / ".lock"
    handle = open(path, "a+")  # noqa: SIM115 - held open for the whole run, closed in finally
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise Busy(f"another run is using {reports_dir} (process {holder}); try again later or pass --wait") from None
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()


@contextlib.contextmanager
def signals_as_exceptions():
    """Turn SIGTERM into ``KeyboardInterrupt`` so that clean-up code runs on ``kill`` as on Ctrl-C."""

    def interrupt(signum, frame):
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def recover(reports_dir: Path) -> None:
    """Clean what an earlier run killed with SIGKILL left: staging folders, a half-done swap."""
    for leftover in reports_dir.glob(".staging-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for old in reports_dir.glob(".old-*"):
        year = old.name.split("-")[1]
        if not (reports_dir / year).exists():
            old.rename(reports_dir / year)
            log.warning("restored %s from an interrupted swap", reports_dir / year)
        else:
            shutil.rmtree(old, ignore_errors=True)


def kernel_name() -> str:
    """The project's kernel if installed (``make setup`` does), else the current Python's."""
    from jupyter_client.kernelspec import KernelSpecManager

    return config.KERNEL_NAME if config.KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


def execute(notebook: Path, output: Path, parameters: dict, timeout: int, cwd: Path) -> None:
    """Execute a notebook with papermill; on failure raise :class:`StepFailed` naming the cell.

    papermill writes the partial notebook to ``output`` before raising, for every kind of failure.
    """
    import papermill as pm

    try:
        pm.execute_notebook(
            str(notebook), str(output), parameters=parameters, kernel_name=kernel_name(),
            execution_timeout=timeout, progress_bar=False, cwd=str(cwd), log_output=False,
        )  # fmt: skip
    except pm.PapermillExecutionError as exc:
        first = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise StepFailed(
            f"{notebook.name} failed in cell {exc.cell_index} ({first[:80]!r}): {exc.ename}: {exc.evalue}", output
        ) from None
    except Exception as exc:  # the kernel died, a cell timed out, the kernel is missing
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise StepFailed(
            f"{notebook.name} stopped in {last_started_cell(output)}: {type(exc).__name__}: {reason}", output
        ) from None


def last_started_cell(output: Path) -> str:
    """``cell N ('first line')`` of the last cell that started executing in a partial notebook.

    papermill stamps ``metadata.papermill.start_time`` on each cell as it starts, even when the
    kernel dies before the cell gets an execution count.
    """
    import nbformat

    try:
        cells = nbformat.read(str(output), as_version=4).cells
    except Exception:  # noqa: BLE001 - no partial notebook was written
        return "an unknown cell (no partial notebook)"
    started = [i for i, c in enumerate(cells) if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")]
    if not started:
        return "its first cell (the kernel did not start)"
    index = started[-1]
    first = cells[index].source.strip().splitlines()[0] if cells[index].source.strip() else ""
    return f"cell {index} ({first[:80]!r})"


def package_versions() -> dict[str, str]:
    """Versions of the recorded packages (missing ones are left out)."""
    versions = {}
    for name in RECORDED_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


def git_state(root: Path = config.ROOT) -> dict:
    """The project's git commit and whether the work tree had changes (None outside git)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}


def file_entries(paths: list[Path], base: Path) -> list[dict]:
    """Path (relative to ``base`` where possible), size and SHA-256 of each file."""
    entries = []
    for path in sorted(paths):
        try:
            shown = path.relative_to(base).as_posix()
        except ValueError:
            shown = str(path)
        entries.append({"path": shown, "bytes": path.stat().st_size, "sha256": sha256(path)})
    return entries


class Run:
    """One execution of the pipeline for one year."""

    def __init__(self, options: RunOptions):
        self.options = options
        self.steps: list[dict] = []
        self.started = datetime.now(UTC)

    def __call__(self) -> int:
        """Run everything; return the exit code."""
        o = self.options
        try:
            with signals_as_exceptions(), run_lock(Path(o.reports_dir), o.wait):
                recover(Path(o.reports_dir))
                return self._run()
        except Busy as exc:
            log.error("%s", exc)
            return EXIT_BUSY
        except DataError as exc:
            log.error("%s", exc)
            return EXIT_DATA
        except KeyboardInterrupt as exc:
            log.error("interrupted: the previous outputs are untouched; temporary files were removed")
            return 128 + getattr(exc, "signum", signal.SIGINT)

    def _run(self) -> int:
        o = self.options
        check_lang(o.lang)
        t0 = time.perf_counter()
        result = ingest(Path(o.raw_dir))  # validates everything before any notebook starts
        scores = result.scores
        self.files = result.files
        year = o.year or int(scores["year"].max())
        if year not in set(scores["year"]):
            raise DataError.single(f"no scores for year {year}; years in the data: {sorted(set(scores['year']))}",
                                   file=o.raw_dir, hint="choose another --year or add that year's file")  # fmt: skip
        province = o.province or self._only_province(scores)
        pemda = self._pemda_list(scores, year)
        self._record("validate", None, time.perf_counter() - t0)
        reports = Path(o.reports_dir)
        staging = reports / f".staging-{year}-{os.getpid()}"
        staging.mkdir(parents=True)
        handler = logging.FileHandler(staging / "run.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        params = {
            "raw_dir": str(Path(o.raw_dir).resolve()), "processed_dir": str((staging / "processed").resolve()),
            "year": year, "province": province, "lang": o.lang, "min_drop": float(o.min_drop),
            "compare_across_methods": bool(o.compare_across_methods), "out_dir": str(staging.resolve()),
        }  # fmt: skip
        self.params = params
        try:
            log.info("run for %s, province %s, language %s (log: %s)", year, province, o.lang, reports / str(year) / "run.log")
            for number, step in enumerate(STEPS, 1):
                self._step(step, number, params, staging)
            self._html(staging / "notebooks" / BRIEF_NOTEBOOK, staging / "brief.html", year)
            shutil.copy2(staging / "notebooks" / BRIEF_NOTEBOOK, staging / "brief.ipynb")
            if pemda:
                self._pemda_briefs(pemda, params, staging)
            self._write_manifest(staging, year, pemda)
            log.removeHandler(handler)
            handler.close()
            self._publish(staging, reports / str(year))
            log.info("done in %.1f s: %s", time.perf_counter() - t0, reports / str(year) / "brief.html")
            return EXIT_OK
        except StepFailed as exc:
            kept = self._keep_failed(staging, reports / str(year), exc.output)
            log.error("%s\n  the notebook, executed up to the error, is kept at %s\n  the previous brief is untouched",
                      exc, kept)  # fmt: skip
            return EXIT_FAILED
        finally:
            log.removeHandler(handler)
            handler.close()
            shutil.rmtree(staging, ignore_errors=True)

    def _only_province(self, scores) -> str:
        provinces = sorted(set(scores["province"]))
        if len(provinces) != 1:
            raise DataError.single(f"the data covers several provinces ({', '.join(provinces)})",
                                   hint="choose one with --province")  # fmt: skip
        return provinces[0]

    def _pemda_list(self, scores, year: int) -> list[str]:
        """Canonical names of the pemda that get their own brief."""
        o = self.options
        if o.all_pemda:
            return sorted(set(scores.loc[scores["year"] == year, "pemda"]))
        gazetteer = load_gazetteer()
        names = []
        for name in o.pemda:
            found = gazetteer.resolve(name)
            if not isinstance(found, str):
                raise DataError.single(found.message, column="--pemda", value=name, hint=found.hint)
            names.append(found)
        return names

    def _record(self, name: str, notebook: str | None, seconds: float) -> None:
        self.steps.append({"name": name, "notebook": notebook, "seconds": round(seconds, 3)})

    def _step(self, step: Step, number: int, params: dict, staging: Path) -> None:
        """Execute one notebook with the parameters it declares."""
        t0 = time.perf_counter()
        (staging / "notebooks").mkdir(exist_ok=True)
        output = staging / "notebooks" / step.notebook
        execute(self.options.notebooks_dir / step.notebook, output, {k: params[k] for k in step.parameters},
                self.options.cell_timeout, self.options.notebooks_dir)  # fmt: skip
        seconds = time.perf_counter() - t0
        self._record(step.name, step.notebook, seconds)
        log.info("[%d/%d] %-9s %5.1f s", number, len(STEPS), step.name, seconds)

    def _html(self, notebook: Path, destination: Path, year: int, pemda: str = "") -> None:
        from kepatuhan.brief import export_html

        t0 = time.perf_counter()
        title = f"Ringkasan kepatuhan {year}" + (f": {pemda}" if pemda else "")
        export_html(notebook, destination, title_text=title)
        if not pemda:
            self._record("html", None, time.perf_counter() - t0)

    def _pemda_briefs(self, pemda: list[str], params: dict, staging: Path) -> None:
        """One brief per pemda, under ``pemda/<slug>.html``, with a progress bar."""
        from tqdm import tqdm

        t0 = time.perf_counter()
        folder = staging / "pemda"
        folder.mkdir()
        brief = next(s for s in STEPS if s.notebook == BRIEF_NOTEBOOK)
        for name in tqdm(pemda, desc="pemda briefs", unit="brief", disable=not self.options.progress, file=sys.stderr):
            notebook = folder / f"{slugify(name)}.ipynb"
            execute(self.options.notebooks_dir / BRIEF_NOTEBOOK, notebook,
                    {**{k: params[k] for k in brief.parameters}, "pemda": name},
                    self.options.cell_timeout, self.options.notebooks_dir)  # fmt: skip
            self._html(notebook, folder / f"{slugify(name)}.html", params["year"], name)
            notebook.unlink()
        self._record("pemda_briefs", BRIEF_NOTEBOOK, time.perf_counter() - t0)
        log.info("pemda briefs: %d in %.1f s", len(pemda), time.perf_counter() - t0)

    def _write_manifest(self, staging: Path, year: int, pemda: list[str]) -> None:
        """``manifest.json``: inputs and their hashes, parameters, versions, commit, times, steps."""
        o = self.options
        root = config.ROOT
        configs = sorted(config.CONFIG_DIR.glob("*.csv")) + [config.GEOJSON_FILE]
        notebooks = [o.notebooks_dir / s.notebook for s in STEPS]
        outputs = [p for p in staging.rglob("*") if p.is_file() and p.name != "manifest.json"]
        finished = datetime.now(UTC)
        manifest = {
            "year": year,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "seconds": round((finished - self.started).total_seconds(), 3),
            "parameters": {**{k: v for k, v in asdict(o).items() if k not in {"raw_dir", "processed_dir",
                           "reports_dir", "notebooks_dir"}}, "year": year, "province": self.params["province"],
                           "pemda": pemda},  # fmt: skip
            "inputs": {
                "raw": file_entries(self.files, Path(o.raw_dir)),
                "config": file_entries(configs, root),
                "notebooks": file_entries(notebooks, root),
            },
            "steps": self.steps,
            "outputs": file_entries(outputs, staging),
            "git": git_state(),
            "python": platform.python_version(),
            "packages": package_versions(),
            "kernel": kernel_name(),
        }
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def _publish(self, staging: Path, destination: Path) -> None:
        """Move the processed data into place, then swap the report folder in one rename each."""
        processed = Path(self.options.processed_dir)
        processed.mkdir(parents=True, exist_ok=True)
        for path in sorted((staging / "processed").iterdir()):
            tmp = processed / f".{path.name}.{os.getpid()}.tmp"
            shutil.copy2(path, tmp)
            os.replace(tmp, processed / path.name)
        shutil.rmtree(staging / "processed")
        old = destination.parent / f".old-{destination.name}-{os.getpid()}"
        if destination.exists():
            destination.rename(old)
        staging.rename(destination)
        shutil.rmtree(old, ignore_errors=True)

    def _keep_failed(self, staging: Path, destination: Path, failing: Path) -> Path:
        """Keep the failed run's executed notebooks and log under ``<destination>/failed/``."""
        failed = destination / "failed"
        shutil.rmtree(failed, ignore_errors=True)
        failed.mkdir(parents=True)
        for path in list((staging / "notebooks").glob("*.ipynb")) + list((staging / "pemda").glob("*.ipynb")):
            shutil.copy2(path, failed / path.name)
        if (staging / "run.log").exists():
            shutil.copy2(staging / "run.log", failed / "run.log")
        return failed / failing.name


def run_ingest(raw_dir: Path, processed_dir: Path) -> int:
    """``python pipeline.py ingest``: validate and write the processed tables; return the exit code."""
    from kepatuhan.ingest import write_processed

    try:
        result = ingest(Path(raw_dir))
    except DataError as exc:
        log.error("%s", exc)
        return EXIT_DATA
    paths = write_processed(result, Path(processed_dir))
    log.info("%d rows from %d files -> %s", len(result.scores), len(result.files), ", ".join(str(p) for p in paths))
    if len(result.quality):
        log.info("%d data-quality notes in %s", len(result.quality), Path(processed_dir) / "quality.csv")
    return EXIT_OK
