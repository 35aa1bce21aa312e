"""The pipeline: run the notebooks in order through papermill and publish the yearly brief.

The steps are declared as data (:data:`STEPS`): which notebook, which run parameters it takes,
which outputs it writes. A run works in a private staging folder and swaps its outputs in only when
everything succeeded, so a failed or interrupted run leaves the previous good brief in place. Bad
input data stops the run before any notebook starts (exit 2); any other failure exits 1 and keeps
the failing notebook, executed up to the error, under ``reports/<year>/failed/``.

Runs are incremental: each step and each pemda brief has a fingerprint of everything it reads
(raw file hashes or the processed tables, its notebook, its parameters, the configuration and the
package versions). A step whose fingerprint matches the last successful run is not executed again;
its outputs are carried over. ``--force`` runs everything.
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
import time
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from kepatuhan import config
from kepatuhan.errors import DataError

log = logging.getLogger("kepatuhan")

EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_BUSY = 0, 1, 2, 3


@dataclass(frozen=True)
class Step:
    """One notebook of the pipeline, the run parameters it takes and the outputs it writes."""

    name: str
    notebook: str
    parameters: tuple[str, ...]
    outputs: tuple[str, ...] = ()


ANALYSIS = ("processed_dir", "year", "province", "lang", "min_drop", "compare_across_methods")
STEPS: tuple[Step, ...] = (
    Step("ingest", "01_ingest.ipynb", ("raw_dir", "processed_dir")),
    Step("declines", "02_declines.ipynb", (*ANALYSIS, "out_dir"), ("flags.csv", "flags.xlsx", "comparisons.csv")),
    Step("charts", "03_zone_charts.ipynb", (*ANALYSIS, "out_dir"),
         ("zone_distribution.csv", "pemda_zone_distribution.csv", "figures")),  # fmt: skip
    Step("brief", "brief.ipynb", ANALYSIS, ("brief.ipynb", "brief.html")),
)
BRIEF_NOTEBOOK = "brief.ipynb"
#: Parameters that only say where files are: they do not enter fingerprints.
FOLDER_PARAMETERS = frozenset({"raw_dir", "processed_dir", "out_dir"})
PROCESSED_FILES = ("scores.parquet", "scores.csv", "quality.csv")
STAMP = "ingest-stamp.json"
#: Direct dependencies whose versions go into the manifest and into every fingerprint.
RECORDED_PACKAGES = (
    "kepatuhan", "pandas", "numpy", "pyarrow", "openpyxl", "matplotlib", "seaborn", "papermill",
    "nbconvert", "nbformat", "nbclient", "ipykernel", "jupyter_client",
)  # fmt: skip


class Interrupted(KeyboardInterrupt):
    """The run got SIGTERM; the exit code is 128 + the signal number, as a shell reports it."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(f"signal {signum}")
        self.signum = int(signum)


class Busy(Exception):
    """Another run holds the reports folder."""


class RunFailed(Exception):
    """A notebook or brief failed; ``output`` is its partial notebook (if any)."""

    def __init__(self, message: str, output: Path | None = None):
        super().__init__(message)
        self.output = output


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
    jobs: int = 1
    executor: str = "local"
    scheduler: str | None = None
    force: bool = False


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(*parts: object) -> str:
    """A short hash of JSON-able parts (sorted keys), naming what a step read."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


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
    handle = open(reports_dir / ".lock", "a+")  # noqa: SIM115 - held open for the whole run, closed in finally
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


def read_json(path: Path) -> dict:
    """A JSON file's content, or ``{}`` when it is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


class Run:
    """One execution of the pipeline for one year."""

    def __init__(self, options: RunOptions):
        self.options = options
        self.steps: list[dict] = []
        self.started = datetime.now(UTC)
        self.warm = None

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
        except RunFailed as exc:
            log.error("%s", exc)
            return EXIT_FAILED
        except KeyboardInterrupt as exc:
            log.error("interrupted: the previous outputs are untouched; temporary files were removed")
            return 128 + getattr(exc, "signum", signal.SIGINT)
        finally:
            if self.warm is not None:
                self.warm.shutdown()

    # ---- planning: what must run ---------------------------------------------------------------

    def _inputs(self) -> dict:
        """Hashes of everything the run reads apart from the processed tables."""
        from kepatuhan.reading import find_raw_files

        o = self.options
        configs = sorted(config.CONFIG_DIR.glob("*.csv")) + [config.GEOJSON_FILE]
        notebooks = [Path(o.notebooks_dir) / s.notebook for s in STEPS]
        return {
            "raw": file_entries(find_raw_files(Path(o.raw_dir)), Path(o.raw_dir)),
            "config": file_entries(configs, config.ROOT),
            "notebooks": file_entries(notebooks, config.ROOT),
        }

    @staticmethod
    def _notebook_hash(inputs: dict, notebook: str) -> str:
        """The SHA-256 of one pipeline notebook, from the run's input hashes."""
        return next(e["sha256"] for e in inputs["notebooks"] if e["path"].endswith(notebook))

    @staticmethod
    def _settings(step: Step, params: dict) -> dict:
        """The parameters of a step that change its result (folders are where, not what)."""
        return {k: params[k] for k in step.parameters if k not in FOLDER_PARAMETERS}

    def _ingest_fingerprint(self, inputs: dict, versions: dict) -> str:
        notebook = self._notebook_hash(inputs, STEPS[0].notebook)
        return fingerprint("ingest", inputs["raw"], inputs["config"], notebook, versions)

    def _processed_ok(self, stamp: dict, ingest_fp: str) -> bool:
        """Whether ``data/processed`` holds exactly what the last ingest of these inputs wrote."""
        processed = Path(self.options.processed_dir)
        if self.options.force or stamp.get("fingerprint") != ingest_fp:
            return False
        try:
            return all(sha256(processed / name) == stamp["files"][name] for name in PROCESSED_FILES)
        except (OSError, KeyError):
            return False

    def _step_fingerprint(self, step: Step, params: dict, processed_hash: str, inputs: dict, versions: dict) -> str:
        notebook = self._notebook_hash(inputs, step.notebook)
        return fingerprint(step.name, self._settings(step, params), processed_hash, notebook, inputs["config"], versions)

    # ---- the run ---------------------------------------------------------------------------------

    def _run(self) -> int:
        from kepatuhan.text import check_lang

        o = self.options
        check_lang(o.lang)
        t0 = time.perf_counter()
        versions = package_versions()
        inputs = self._inputs()
        processed = Path(o.processed_dir)
        ingest_fp = self._ingest_fingerprint(inputs, versions)
        stamp = read_json(processed / STAMP)
        processed_ok = self._processed_ok(stamp, ingest_fp)
        if not processed_ok:
            from kepatuhan.ingest import ingest

            scores = ingest(Path(o.raw_dir)).scores  # validates everything before any notebook starts
            years = sorted(int(y) for y in set(scores["year"]))
        else:
            scores, years = None, stamp["years"]
        self._record("validate", None, time.perf_counter() - t0)
        year = o.year or max(years)
        if year not in years:
            raise DataError.single(f"no scores for year {year}; years in the data: {years}",
                                   file=o.raw_dir, hint="choose another --year or add that year's file")  # fmt: skip
        reports = Path(o.reports_dir)
        destination = reports / str(year)
        # The ingest notebook runs when the processed tables are stale, or when this reports folder
        # lacks its executed copy (the tables may have been made for another folder or by `ingest`).
        run_ingest_step = not processed_ok or not (destination / "notebooks" / STEPS[0].notebook).exists()
        previous = read_json(destination / "manifest.json") if not o.force else {}
        old_prints = previous.get("fingerprints", {})
        staging = reports / f".staging-{year}-{os.getpid()}"
        staging.mkdir(parents=True)
        handler = logging.FileHandler(staging / "run.log", encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        try:
            self._carry_over(destination, staging)
            provinces = sorted(set(scores["province"])) if scores is not None else stamp.get("provinces", [])
            province = o.province or (provinces[0] if len(provinces) == 1 else None)
            if province is None:
                raise DataError.single(f"the data covers several provinces ({', '.join(provinces)})",
                                       hint="choose one with --province")  # fmt: skip
            params = {
                "raw_dir": str(Path(o.raw_dir).resolve()), "processed_dir": str((staging / "processed").resolve()),
                "year": year, "province": province, "lang": o.lang, "min_drop": float(o.min_drop),
                "compare_across_methods": bool(o.compare_across_methods), "out_dir": str(staging.resolve()),
            }  # fmt: skip
            self.params = params
            log.info("run for %s, province %s, language %s (log: %s)", year, province, o.lang, destination / "run.log")
            ran, fresh = [], {}
            if run_ingest_step:
                self._step(STEPS[0], 1, params, staging)
                ran.append("ingest")
            else:
                (staging / "processed").mkdir()
                for name in PROCESSED_FILES:
                    shutil.copy2(processed / name, staging / "processed" / name)
                log.info("[1/%d] %-9s up to date", len(STEPS), "ingest")
            processed_hash = fingerprint({n: sha256(staging / "processed" / n) for n in PROCESSED_FILES})
            fresh["ingest"] = ingest_fp
            for number, step in enumerate(STEPS[1:], 2):
                fresh[step.name] = self._step_fingerprint(step, params, processed_hash, inputs, versions)
                present = all((staging / out).exists() for out in step.outputs)
                if fresh[step.name] == old_prints.get(step.name) and present:
                    log.info("[%d/%d] %-9s up to date", number, len(STEPS), step.name)
                    continue
                self._step(step, number, params, staging)
                ran.append(step.name)
                if step.notebook == BRIEF_NOTEBOOK:
                    self._html(staging / "notebooks" / BRIEF_NOTEBOOK, staging / "brief.html", year)
                    (staging / "brief.ipynb").unlink(missing_ok=True)
                    shutil.copy2(staging / "notebooks" / BRIEF_NOTEBOOK, staging / "brief.ipynb")
            briefs = self._pemda_briefs(params, staging, inputs, versions, old_prints, fresh)
            ran += briefs
            if not ran:
                log.info("nothing changed since %s: all %d steps and %d pemda briefs are up to date, nothing re-executed",
                         previous.get("finished", "the last run"), len(STEPS), len(self._pemda_names))  # fmt: skip
                return EXIT_OK
            self._write_stamp(staging, ingest_fp, scores, stamp)
            self._write_manifest(staging, year, inputs, versions, fresh, ran)
            log.removeHandler(handler)
            handler.close()
            self._publish(staging, destination)
            log.info("done in %.1f s (ran: %s): %s", time.perf_counter() - t0, ", ".join(self._short(ran)),
                     destination / "brief.html")  # fmt: skip
            return EXIT_OK
        except RunFailed as exc:
            kept = self._keep_failed(staging, destination, exc.output)
            raise RunFailed(f"{exc}\n  the notebook, executed up to the error, is kept at {kept}\n"
                            f"  the previous brief is untouched") from None  # fmt: skip
        finally:
            log.removeHandler(handler)
            handler.close()
            shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _short(ran: list[str]) -> list[str]:
        briefs = [r for r in ran if r.startswith("pemda:")]
        return [r for r in ran if not r.startswith("pemda:")] + ([f"{len(briefs)} pemda briefs"] if briefs else [])

    def _carry_over(self, destination: Path, staging: Path) -> None:
        """Start from the last good outputs (hard links, so it is cheap); re-run steps replace theirs.

        Every write into the staging folder replaces a file (new inode) or unlinks it first, so the
        published copies behind the links are never written through.
        """
        if not destination.exists():
            return
        for path in destination.rglob("*"):
            relative = path.relative_to(destination)
            if relative.parts[0] in {"failed", "manifest.json", "run.log"} or not path.is_file():
                continue
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copy2(path, target)

    def _warm(self):
        """The warm kernel of this process, started on first use."""
        from kepatuhan.kernels import WarmKernel

        if self.warm is None:
            self.warm = WarmKernel(cwd=self.options.notebooks_dir, timeout=self.options.cell_timeout)
        return self.warm

    def _record(self, name: str, notebook: str | None, seconds: float) -> None:
        self.steps.append({"name": name, "notebook": notebook, "seconds": round(seconds, 3)})

    def _step(self, step: Step, number: int, params: dict, staging: Path) -> None:
        """Execute one notebook with the parameters it declares."""
        from kepatuhan.kernels import StepFailed, execute

        t0 = time.perf_counter()
        (staging / "notebooks").mkdir(exist_ok=True)
        output = staging / "notebooks" / step.notebook
        output.unlink(missing_ok=True)  # it may be a hard link to the published copy: never write through it
        try:
            execute(Path(self.options.notebooks_dir) / step.notebook, output, {k: params[k] for k in step.parameters},
                    self.options.cell_timeout, Path(self.options.notebooks_dir), warm=self._warm())  # fmt: skip
        except StepFailed as exc:
            raise RunFailed(str(exc), exc.output) from None
        seconds = time.perf_counter() - t0
        self._record(step.name, step.notebook, seconds)
        log.info("[%d/%d] %-9s %5.1f s", number, len(STEPS), step.name, seconds)

    def _html(self, notebook: Path, destination: Path, year: int) -> None:
        from kepatuhan.brief import export_html

        t0 = time.perf_counter()
        export_html(notebook, destination, title_text=f"Ringkasan kepatuhan {year}")
        self._record("html", None, time.perf_counter() - t0)

    # ---- pemda briefs ------------------------------------------------------------------------------

    def _pemda_list(self, scores, year: int) -> list[str]:
        """Canonical names of the pemda that get their own brief."""
        from kepatuhan.names import load_gazetteer

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
        return list(dict.fromkeys(names))

    def _pemda_briefs(self, params, staging, inputs, versions, old_prints, fresh) -> list[str]:
        """One brief per asked pemda under ``pemda/<slug>.html``; only those whose data changed run."""
        self._pemda_names = []
        if not (self.options.pemda or self.options.all_pemda):
            return []
        import pandas as pd

        scores = pd.read_parquet(staging / "processed" / "scores.parquet")
        names = self._pemda_list(scores, params["year"])
        self._pemda_names = names
        brief = next(s for s in STEPS if s.notebook == BRIEF_NOTEBOOK)
        notebook_hash = self._notebook_hash(inputs, BRIEF_NOTEBOOK)
        used = self._settings(brief, params)
        tasks = []
        for name in names:
            rows = scores[scores["pemda"] == name].to_csv(index=False).encode()
            key = f"pemda:{name}"
            fresh[key] = fingerprint(key, used, hashlib.sha256(rows).hexdigest(), notebook_hash, inputs["config"], versions)
            slug = slugify(name)
            if fresh[key] == old_prints.get(key) and (staging / "pemda" / f"{slug}.html").exists():
                continue
            parameters = {**{k: params[k] for k in brief.parameters}, "pemda": name}
            tasks.append((name, slug, parameters, f"Ringkasan kepatuhan {params['year']}: {name}"))
        if tasks:  # the fan-out imports nbformat and its schema checks (about a second): only when needed
            from kepatuhan.fanout import BriefTask

            tasks = [BriefTask(*task) for task in tasks]
            self._render(tasks, staging)
        else:
            log.info("pemda briefs: all %d up to date", len(names))
        return [f"pemda:{task.pemda}" for task in tasks]

    def _render(self, tasks, staging: Path) -> None:
        """Render the briefs with the chosen executor; fail the run if any failed."""
        from kepatuhan.fanout import render_dask, render_local

        o = self.options
        folder = staging / "pemda"
        folder.mkdir(exist_ok=True)
        notebook = Path(o.notebooks_dir) / BRIEF_NOTEBOOK
        t0 = time.perf_counter()
        if o.executor == "dask":
            results = render_dask(tasks, notebook, folder, o.scheduler, o.cell_timeout, staging / "processed", o.progress)
        else:
            warm = self._warm() if o.jobs <= 1 else None
            results = render_local(tasks, notebook, folder, o.jobs, o.cell_timeout, Path(o.notebooks_dir), warm, o.progress)
        seconds = time.perf_counter() - t0
        failed = [r for r in results if r.error]
        self._record("pemda_briefs", BRIEF_NOTEBOOK, seconds)
        log.info("pemda briefs: %d done, %d failed, %.1f s (%.2f s per brief, %s, %d job(s))", len(results) - len(failed),
                 len(failed), seconds, seconds / max(len(results), 1), o.executor, o.jobs)  # fmt: skip
        if failed:
            for result in failed:
                (folder / f"{result.task.slug}.ipynb").write_text(result.partial, encoding="utf-8")
            first = failed[0]
            raise RunFailed(f"{len(failed)} pemda brief(s) failed; first: {first.task.pemda}: {first.error}",
                            folder / f"{first.task.slug}.ipynb")  # fmt: skip

    # ---- results -----------------------------------------------------------------------------------

    def _write_stamp(self, staging: Path, ingest_fp: str, scores, stamp: dict) -> None:
        """Remember which inputs produced the processed tables, so the next run can skip the ingest."""
        if scores is not None:
            stamp = {
                "fingerprint": ingest_fp,
                "years": sorted(int(y) for y in set(scores["year"])),
                "provinces": sorted(set(scores["province"])),
            }
        stamp["files"] = {name: sha256(staging / "processed" / name) for name in PROCESSED_FILES}
        (staging / "processed" / STAMP).write_text(json.dumps(stamp, indent=2) + "\n", encoding="utf-8")

    def _write_manifest(self, staging: Path, year: int, inputs: dict, versions: dict, fresh: dict, ran: list[str]) -> None:
        """``manifest.json``: inputs and their hashes, parameters, versions, commit, times, steps."""
        o = self.options
        outputs = [p for p in staging.rglob("*") if p.is_file() and p.name != "manifest.json" and "processed" not in p.parts]
        finished = datetime.now(UTC)
        hidden = {"raw_dir", "processed_dir", "reports_dir", "notebooks_dir", "scheduler"}
        manifest = {
            "year": year,
            "started": self.started.isoformat(timespec="seconds"),
            "finished": finished.isoformat(timespec="seconds"),
            "seconds": round((finished - self.started).total_seconds(), 3),
            "parameters": {**{k: v for k, v in asdict(o).items() if k not in hidden}, "year": year,
                           "province": self.params["province"], "pemda": self._pemda_names},  # fmt: skip
            "inputs": inputs,
            "steps": self.steps,
            "ran": ran,
            "up_to_date": [k for k in fresh if k not in ran],
            "fingerprints": fresh,
            "outputs": file_entries(outputs, staging),
            "git": git_state(),
            "python": platform.python_version(),
            "packages": versions,
            "kernel": self.warm.name if self.warm else None,
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

    def _keep_failed(self, staging: Path, destination: Path, failing: Path | None) -> Path:
        """Keep the failed run's executed notebooks and log under ``<destination>/failed/``."""
        failed = destination / "failed"
        shutil.rmtree(failed, ignore_errors=True)
        failed.mkdir(parents=True)
        for path in list((staging / "notebooks").glob("*.ipynb")) + list((staging / "pemda").glob("*.ipynb")):
            shutil.copy2(path, failed / path.name)
        if (staging / "run.log").exists():
            shutil.copy2(staging / "run.log", failed / "run.log")
        return failed / failing.name if failing else failed


def run_ingest(raw_dir: Path, processed_dir: Path) -> int:
    """``python pipeline.py ingest``: validate and write the processed tables; return the exit code."""
    from kepatuhan.ingest import ingest, write_processed

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
