"""Benchmark: per-pemda briefs, the pipeline's warm workers against a plain papermill + nbconvert loop.

Two cases: the twelve Jambi pemda (shipped data), and a seeded synthetic province of 100 pemda.
For each: wall time, cost per brief, peak memory (all processes), the ratio, and a check that both
produce equivalent HTML (same text and tables). Prints figures; asserts nothing.

    python benchmarks/bench_briefs.py [--jobs 2] [--synthetic 100] [--skip-plain-synthetic]
"""

from __future__ import annotations

import argparse
import contextlib
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_national import synthetic  # noqa: E402

from kepatuhan import config  # noqa: E402
from kepatuhan.executors import executor  # noqa: E402
from kepatuhan.ingest import ingest, write_processed  # noqa: E402
from kepatuhan.jobs import Job  # noqa: E402
from kepatuhan.names import load_gazetteer  # noqa: E402
from kepatuhan.planner import slugify  # noqa: E402

NOTEBOOK = config.NOTEBOOKS_DIR / "brief_pemda.ipynb"
BIN = Path(sys.executable).parent


class PeakMemory:
    """Samples the summed RSS of this process and all its descendants every 0.1 s."""

    def __enter__(self):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
            self.peak = max(self.peak, total)
            time.sleep(0.1)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def parameters(processed: Path, pemda: str) -> dict:
    return {"processed_dir": str(processed), "year": 2023, "lang": "id", "province": "", "min_drop": 0.01,
            "compare_across_methods": False, "pemda": pemda, "out_dir": ""}  # fmt: skip


def with_pipeline(names: list[str], processed: Path, out: Path, jobs: int) -> float:
    """The pipeline's executor (warm worker processes) rendering every brief, start-up included."""
    t0 = time.perf_counter()
    runner = executor("pool" if jobs > 1 else "warm", jobs, 600, config.NOTEBOOKS_DIR)
    runner.start()
    handles = [runner.submit(Job(n, str(NOTEBOOK), parameters(processed, n), str(out / f"{slugify(n)}.ipynb"), False,
                                 str(out / f"{slugify(n)}.html"), "", n, "id", 600, str(config.NOTEBOOKS_DIR))) for n in names]  # fmt: skip
    results = []
    while handles:
        for handle, result in runner.finished(handles):
            handles.remove(handle)
            results.append(result)
    runner.close()
    assert not [r for r in results if r.error], [r.error for r in results if r.error]
    return time.perf_counter() - t0


def with_plain_loop(names: list[str], processed: Path, out: Path) -> float:
    t0 = time.perf_counter()
    for name in names:
        executed = out / f"{slugify(name)}.ipynb"
        args = [str(BIN / "papermill"), str(NOTEBOOK), str(executed), "-k", config.KERNEL_NAME, "--cwd", str(config.NOTEBOOKS_DIR)]
        for key, value in parameters(processed, name).items():
            args += ["-p", key, str(value)]
        subprocess.run(args, check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed),
                        "--output", f"{slugify(name)}.html"], check=True, capture_output=True)  # fmt: skip
        executed.unlink()
    return time.perf_counter() - t0


def content(path: Path) -> tuple[str, list, int]:
    """Visible text, table cells and image count of a brief: what a reader sees."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    body = soup.body
    tables = [[c.get_text(" ", strip=True) for c in t.find_all(["td", "th"])] for t in body.find_all("table")]
    text = re.sub(r"\s+", " ", body.get_text(" ", strip=True))
    return text, tables, len(body.find_all("img"))


def compare(names: list[str], a: Path, b: Path) -> str:
    different = [n for n in names if content(a / f"{slugify(n)}.html") != content(b / f"{slugify(n)}.html")]
    return "equivalent HTML (same text, tables, images)" if not different else f"DIFFERENT: {different[:3]}"


def case(title: str, names: list[str], processed: Path, jobs: int, plain: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs = Path(tmp) / "pipeline", Path(tmp) / "plain"
        ours.mkdir()
        theirs.mkdir()
        with PeakMemory() as memory_ours:
            seconds_ours = with_pipeline(names, processed, ours, jobs)
        print(f"\n{title}: {len(names)} briefs")
        print(f"  pipeline (warm kernels, {jobs} job(s)): {seconds_ours:7.1f} s  {seconds_ours / len(names):5.2f} s/brief  "
              f"peak {memory_ours.peak / 2**20:6.0f} MB")  # fmt: skip
        if not plain:
            return
        with PeakMemory() as memory_plain:
            seconds_plain = with_plain_loop(names, processed, theirs)
        print(f"  plain papermill + nbconvert loop:    {seconds_plain:7.1f} s  {seconds_plain / len(names):5.2f} s/brief  "
              f"peak {memory_plain.peak / 2**20:6.0f} MB")  # fmt: skip
        print(f"  ratio: the pipeline is {seconds_plain / seconds_ours:.1f}x faster; {compare(names, ours, theirs)}")


def no_change_rerun() -> None:
    """Time a second ``pipeline.py run`` on unchanged inputs (after a first one)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, str(config.ROOT / "pipeline.py"), "run", "--reports", f"{tmp}/r", "--processed",
                f"{tmp}/p", "--all-pemda", "--jobs", "2", "--no-progress"]  # fmt: skip
        subprocess.run(args, check=True, capture_output=True)
        t0 = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        print(f"\nno-change re-run of `pipeline.py run --all-pemda`: {time.perf_counter() - t0:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--synthetic", type=int, default=100, help="pemda in the synthetic province")
    parser.add_argument("--skip-plain-synthetic", action="store_true", help="skip the slow plain loop on it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        jambi = Path(tmp) / "jambi"
        result = ingest(config.RAW_DIR)
        write_processed(result, jambi)
        names = sorted(set(result.scores.loc[result.scores["year"] == 2023, "pemda"]))
        case("Jambi (shipped data)", names, jambi, args.jobs, plain=True)
        gazetteer = synthetic(Path(tmp), args.synthetic, 8, seed=11, n_provinces=1)
        province = ingest(Path(tmp) / "raw", gazetteer=load_gazetteer(gazetteer))
        write_processed(province, Path(tmp) / "synthetic")
        names = sorted(set(province.scores["pemda"]))
        case(f"synthetic province (seed 11, {args.synthetic} pemda)", names, Path(tmp) / "synthetic", args.jobs,
             plain=not args.skip_plain_synthetic)  # fmt: skip
    no_change_rerun()


if __name__ == "__main__":
    main()
