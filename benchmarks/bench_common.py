"""What the brief benchmarks share: peak memory of a process tree, the plain loop's plan, output checks."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

#: This project's folder: the code a benchmark runs unless it is given another checkout.
ROOT = Path(__file__).resolve().parent.parent

#: Outputs compared between the two ways: briefs by what a reader sees, the rest byte for byte.
COMPARED = (".html", ".csv", ".parquet", ".xlsx")


#: How often :class:`PeakMemory` reads each process's memory. Reading PSS makes the kernel walk a process's
#: page tables (about 7 ms for a 300 MB worker): every 0.1 s, the five processes of a run cost a quarter of a
#: core, which made a one-province run 1.11x as long on this 2-core machine (farm-bench, 5 pairs). The
#: peaks last seconds (a kernel holding a workbook, workers near their level), so 0.5 s finds them.
SAMPLE_EVERY = 0.5


class PeakMemory:
    """Samples the memory of this process and all its descendants every :data:`SAMPLE_EVERY` seconds.

    ``peak`` is the largest sum of resident memory (RSS, which counts shared pages once per process);
    ``peak_pss`` the largest sum of proportional memory (PSS: shared pages split between the processes
    that share them, so the sum is what the run really holds), and ``largest`` the most one process
    held (PSS) with its command. PSS is read where the system gives it (Linux), else RSS is used.

    ``include_self``: count this process too: yes when the work runs in it (the plain loop), no when it
    only waits for a command it started (a pipeline run: this process then holds the benchmark's own
    imports and tables, about 165 MB, which are not the run's).
    """

    def __init__(self, include_self: bool = True):
        self.include_self = include_self

    def __enter__(self):
        self.peak, self.peak_pss, self.largest, self._stop = 0, 0, (0, ""), threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for proc in [*([me] if self.include_self else []), *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    full = proc.memory_full_info()
                    rss, pss = rss + full.rss, pss + getattr(full, "pss", full.rss)
                    if getattr(full, "pss", full.rss) > self.largest[0]:
                        self.largest = (getattr(full, "pss", full.rss), role(proc.cmdline()))
            self.peak, self.peak_pss = max(self.peak, rss), max(self.peak_pss, pss)
            time.sleep(SAMPLE_EVERY)

    def describe(self) -> str:
        """The peaks in one phrase: summed RSS, summed PSS, and the largest process."""
        mib = 2**20
        return (
            f"{self.peak / mib:,.0f} MB RSS summed, {self.peak_pss / mib:,.0f} MB PSS summed, largest process "
            f"{self.largest[0] / mib:,.0f} MB PSS ({self.largest[1]})"
        )

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def pipeline(
    raw: Path, out: Path, jobs: int, env: dict | None = None, *extra: str, root: Path = ROOT
) -> tuple[float, PeakMemory]:
    """``pipeline.py run --all-pemda`` (and ``extra`` options) from start to end in a fresh process: (seconds, peak).

    ``root``: the checkout whose code runs (another one for a before-and-after: its package comes first on the path).
    """
    command = [sys.executable, str(root / "pipeline.py"), "run", "--all-pemda", "--no-progress", "--jobs", str(jobs)]
    command += ["--raw", str(raw), "--reports", str(out / "reports"), "--processed", str(out / "processed"), *extra]
    if root != ROOT:
        env = {**(env or os.environ), "PYTHONPATH": str(root)}
    with PeakMemory(include_self=False) as memory:  # the run's processes, not this benchmark's
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"the pipeline of {root} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return seconds, memory


def role(command: list[str]) -> str:
    """What a process of a run is, from its command line: a kernel, a worker, or the run itself."""
    line = " ".join(command)
    if "ipykernel" in line:
        return "a notebook kernel"
    return "a worker" if "multiprocessing" in line else "the run's main process"


def plan_jobs(raw: str, out: str) -> list[dict]:
    """The jobs of ``pipeline.py run --all-pemda`` on ``raw``, writing straight into ``out`` (no staging)."""
    from kepatuhan.pipeline.options import RunOptions
    from kepatuhan.pipeline.planner import plan
    from kepatuhan.pipeline.resolve import resolve
    from kepatuhan.pipeline.run import job_for
    from kepatuhan.pipeline.staging import Staging
    from kepatuhan.pipeline.steps import STEPS

    class Unstaged(Staging):
        def staged(self, key: str) -> Path:
            return self.published(key)

    options = RunOptions(
        all_pemda=True, raw_dir=Path(raw), reports_dir=Path(out) / "reports", processed_dir=Path(out) / "processed"
    ).absolute()
    folders = Unstaged(options.reports_dir, options.processed_dir)
    tasks = plan(STEPS, resolve(options, folders).request, {}, force=True)
    return [dataclasses.asdict(job_for(task, folders, options)) for task in tasks]


def content(path: Path) -> tuple:
    """What a reader sees in a brief: its visible text, table cells and images (their bytes)."""
    from bs4 import BeautifulSoup

    body = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").body
    tables = [[c.get_text(" ", strip=True) for c in t.find_all(["td", "th"])] for t in body.find_all("table")]
    text = re.sub(r"\s+", " ", body.get_text(" ", strip=True))
    return text, tables, [img.get("src", "") for img in body.find_all("img")]


def equivalent(a: Path, b: Path) -> bool:
    """Two outputs are equivalent: briefs show the same, other files are byte-identical."""
    return content(a) == content(b) if a.suffix == ".html" else a.read_bytes() == b.read_bytes()


def compare_trees(ours: Path, plain: Path) -> str:
    """Compare every output of the plain loop with the pipeline's; say how many matched, or which did not."""
    files = sorted(p.relative_to(plain) for p in plain.rglob("*") if p.suffix in COMPARED)
    missing = [f for f in files if not (ours / f).exists()]
    different = [f for f in files if f not in missing and not equivalent(ours / f, plain / f)]
    briefs = sum(1 for f in files if f.suffix == ".html")
    if missing or different:
        return f"NOT EQUIVALENT: missing {[str(f) for f in missing[:3]]}, different {[str(f) for f in different[:3]]}"
    return (
        f"equivalent ({briefs} HTML briefs show the same text, tables and images; "
        f"{len(files) - briefs} tables and workbooks byte-identical)"
    )
