"""Benchmarks of the briefs (``make bench``): the pipeline against a plain papermill + nbconvert loop.

Each benchmark does the same work both ways, on the same notebooks with the same parameters, and
checks that the outputs are equivalent: every HTML brief shows the same text, tables and images
(byte for byte), and every table and workbook is byte-identical.

1. end to end: ``make brief``'s work on the shipped data (``pipeline.py run --all-pemda`` in an empty
   folder) against a plain loop that runs each task's notebook with the ``papermill`` command, in the
   planner's order, exports each brief with ``jupyter nbconvert --to html --no-input`` and prints
   it with the ``weasyprint`` command (the pipeline writes a PDF beside each brief too);
2. a seeded synthetic province of 100 pemda (its own gazetteer, in a scratch copy of the project);
3. the national scale: a seeded synthetic country (the real 552 pemda of the gazetteer, invented
   scores), pipeline only; the plain loop is estimated from a sample of 20 pemda briefs, the
   national and two province briefs with their steps; the same sample rendered again by direct calls
   (``bench_direct.py``) gives what all the work costs with nothing around it, shared perfectly over the
   workers: the least any pipeline could take for these outputs on this machine, against the run's time;
4. a profile line per brief (the Jambi brief and its pemda briefs, and the national overview, in this
   process: on one warm kernel, the pemda briefs' cells in the process as the workers run them): kernel
   start, each cell, the overhead around the cells, HTML, PDF, write; then each pemda brief rendered
   again by direct calls (``bench_direct.py``), checked to show the same, and the ratio (goal 1.3x);
5. Jambi end to end (``run --province Jambi --all-pemda``) against a plain loop over its pemda briefs
   alone (goal 12x).

Wall times include starting Python, the workers and their kernels; peak memory is the sum of the
resident memory of every process of the run, sampled every 0.5 s (``bench_common.SAMPLE_EVERY``).
Prints figures; asserts nothing.

    python benchmarks/bench_briefs.py [--only 1,2,3,4,5] [--jobs 2] [--sample 20]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_direct
from bench_common import PeakMemory, compare_trees, equivalent, pipeline
from bench_national import national, synthetic

from kepatuhan import settings

BIN = Path(sys.executable).parent
TEMPLATES = settings.ROOT / "kepatuhan" / "brief" / "templates"


# ---- the two ways of doing the work -------------------------------------------------------------


def planned_jobs(raw: Path, out: Path, env: dict | None = None) -> list[dict]:
    """The jobs the pipeline would run for ``--all-pemda``, with plain folders under ``out`` (planner order).

    Planned in a child process, so that a scratch project's configuration (``KEPATUHAN_ROOT``) is used.
    """
    code = (
        "import sys, json; sys.path.insert(0, sys.argv[3]); from bench_common import plan_jobs; "
        "print(json.dumps(plan_jobs(sys.argv[1], sys.argv[2])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(raw), str(out), str(Path(__file__).parent)],
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return json.loads(done.stdout)


def plain(job: dict, env: dict | None = None) -> float:
    """Run one job the plain way: papermill, then nbconvert and weasyprint for a brief; seconds taken."""
    started = time.perf_counter()
    executed = Path(job["executed"])
    executed.parent.mkdir(parents=True, exist_ok=True)
    run = [
        str(BIN / "papermill"),
        job["notebook"],
        str(executed),
        "-k",
        settings.KERNEL_NAME,
        "--cwd",
        job["cwd"],
        "-y",
        json.dumps(job["parameters"]),
        "--no-progress-bar",
    ]
    subprocess.run(run, check=True, capture_output=True, env=env)
    if job["html"]:
        html = Path(job["html"])
        export = [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            "--template",
            "brief",
            f"--TemplateExporter.extra_template_basedirs={TEMPLATES}",
            f"--HTMLExporter.language_code={job['lang']}",
            str(executed),
            "--output",
            html.name,
            "--output-dir",
            str(html.parent),
        ]
        subprocess.run(export, check=True, capture_output=True, env=env)
        if job["pdf"]:
            subprocess.run([str(BIN / "weasyprint"), str(html), job["pdf"]], check=True, capture_output=True, env=env)
    if not job["keep_notebook"]:
        executed.unlink()
    return time.perf_counter() - started


def plain_loop(jobs: list[dict], env: dict | None = None) -> tuple[float, int, dict[str, float]]:
    """Every job the plain way, one after the other: (seconds, peak bytes, seconds per task)."""
    each = {}
    with PeakMemory() as memory:
        started = time.perf_counter()
        for job in jobs:
            each[job["task_id"]] = plain(job, env)
        seconds = time.perf_counter() - started
    return seconds, memory.peak, each


# ---- reporting -----------------------------------------------------------------------------------


def mb(size) -> str:
    """A peak as the report shows it: a byte count, or a :class:`PeakMemory` described in full."""
    return size.describe() if hasattr(size, "describe") else f"{size / 2**20:,.0f} MB"


def report(
    title: str, briefs: int, ours: tuple[float, int], theirs: tuple[float, int], same: str, estimated: bool = False
) -> None:
    """Print a benchmark's lines: both ways, per brief, the ratio, the equivalence check."""
    (seconds, peak), (plain_seconds, plain_peak) = ours, theirs
    how = "estimated from a sample" if estimated else "measured"
    print(f"\n{title}: {briefs} briefs")
    print(f"  pipeline:              {seconds:8.1f} s   {seconds / briefs:6.3f} s/brief   peak {mb(peak)}")
    print(
        f"  plain loop ({how}): {plain_seconds:8.1f} s   {plain_seconds / briefs:6.3f} s/brief"
        + ("" if estimated else f"   peak {mb(plain_peak)}")
    )
    print(f"  ratio: the pipeline is {plain_seconds / seconds:.1f}x faster; outputs: {same}")


def briefs_in(jobs: list[dict]) -> int:
    return sum(1 for job in jobs if job["html"])


# ---- the benchmarks ------------------------------------------------------------------------------


def end_to_end(tmp: Path, jobs: int) -> None:
    """1. ``make brief``'s work on the shipped data, both ways."""
    work = planned_jobs(settings.RAW_DIR, tmp / "plain")
    ours = pipeline(settings.RAW_DIR, tmp / "pipeline", jobs)
    seconds, peak, _ = plain_loop(work)
    same = compare_trees(tmp / "pipeline", tmp / "plain")
    report(
        f"1. end to end, `make brief` on the shipped data ({len(work)} notebooks, {jobs} workers)",
        briefs_in(work),
        ours,
        (seconds, peak),
        same,
    )


def scratch_project(tmp: Path, gazetteer: Path) -> dict:
    """A copy of the project's configuration with another gazetteer; the environment that uses it."""
    root = tmp / "project"
    shutil.copytree(settings.CONFIG_DIR, root / "config")
    shutil.copy(gazetteer, root / "config" / "gazetteer.csv")
    (root / "config" / "gazetteer_extra.csv").write_text("pemda,aliases\n", encoding="utf-8")
    for folder in ("notebooks", "data/geo", "data/reference"):
        (root / folder).parent.mkdir(parents=True, exist_ok=True)
        (root / folder).symlink_to(settings.ROOT / folder)
    return {**os.environ, "KEPATUHAN_ROOT": str(root)}


def synthetic_province(tmp: Path, jobs: int, size: int) -> None:
    """2. the pemda briefs of a seeded synthetic province, both ways."""
    env = scratch_project(tmp, synthetic(tmp, size, 8, seed=11, n_provinces=1))
    work = planned_jobs(tmp / "raw", tmp / "plain", env)
    ours = pipeline(tmp / "raw", tmp / "pipeline", jobs, env)
    seconds, peak, _ = plain_loop(work, env)
    same = compare_trees(tmp / "pipeline", tmp / "plain")
    pemda = sum(1 for job in work if job["task_id"].startswith("pemda_brief@"))
    report(
        f"2. synthetic province (seed 11): {pemda} pemda briefs, the province brief and the national overview "
        f"({briefs_in(work) - pemda}), {jobs} workers",
        briefs_in(work),
        ours,
        (seconds, peak),
        same,
    )


def sample_of(work: list[dict], size: int, seed: int) -> list[dict]:
    """Ingest, the national overview and two provinces (their steps and briefs), ``size`` pemda briefs of those."""
    rng = random.Random(seed)
    pemda = {}
    for job in work:
        if job["task_id"].startswith("pemda_brief@"):
            pemda.setdefault(job["task_id"].rsplit("/", 1)[0].split("@")[1], []).append(job)
    big = sorted(scope for scope, jobs in pemda.items() if len(jobs) >= size // 2 + size % 2)
    scopes = rng.sample(big, 2)
    briefs = rng.sample(pemda[scopes[0]], size // 2 + size % 2) + rng.sample(pemda[scopes[1]], size // 2)
    national = next(
        j["task_id"].split("@")[1] for j in work if j["task_id"].startswith("brief@") and "/nasional" in j["task_id"]
    )
    wanted = {"ingest"} | {f"{step}@{scope}" for step in ("declines", "brief") for scope in (*scopes, national)}
    return [job for job in work if job["task_id"] in wanted] + briefs


def kind(task_id: str) -> str:
    """What sort of task: ``ingest``, ``declines nasional``, ``brief provinsi``, ``pemda_brief`` ..."""
    step, _, where = task_id.partition("@")
    return (
        step
        if step in ("ingest", "pemda_brief")
        else f"{step} {'nasional' if where.endswith('/nasional') else 'provinsi'}"
    )


def estimate(work: list[dict], sampled: dict[str, float]) -> float:
    """The time of all of ``work``: each sort of task at the mean time of its sample."""
    return sum(estimate_by_kind(work, sampled).values())


def estimate_by_kind(work: list[dict], sampled: dict[str, float]) -> dict[str, float]:
    """The time of the tasks of ``work`` of each sort (``pemda_brief``, ``brief provinsi`` ...), each task at
    the mean time of its sort's sample."""
    times: dict[str, list[float]] = {}
    for task_id, seconds in sampled.items():
        times.setdefault(kind(task_id), []).append(seconds)
    counts = Counter(kind(job["task_id"]) for job in work)
    return {name: count * sum(times[name]) / len(times[name]) for name, count in counts.items()}


def national_scale(tmp: Path, jobs: int, size: int) -> None:
    """3. every pemda of a seeded synthetic country: the pipeline, and the plain loop estimated from a sample."""
    national(tmp, 10, seed=7)
    ours = pipeline(tmp / "raw", tmp / "pipeline", jobs)
    work = planned_jobs(tmp / "raw", tmp / "plain")
    chosen = sample_of(work, size, seed=3)
    _, _, each = plain_loop(chosen)
    same = compare_trees(tmp / "pipeline", tmp / "plain")
    pemda = sum(1 for job in work if job["task_id"].startswith("pemda_brief@"))
    report(
        f"3. national scale, synthetic country (seed 7, the 552 real pemda, 10 years): {pemda} pemda briefs, "
        f"{briefs_in(work) - pemda} national and province briefs, {jobs} workers; plain loop from a sample of "
        f"{len(chosen)} notebooks",
        briefs_in(work),
        ours,
        (estimate(work, each), 0),
        same,
        estimated=True,
    )
    print(
        f"  pemda briefs alone would take the plain loop {pemda * sum(s for t, s in each.items() if kind(t) == 'pemda_brief') / size / 60:.0f} min"
    )
    floor(work, direct_sample(chosen, tmp / "direct"), task_seconds(tmp / "pipeline" / "reports"), ours[0], jobs)


def direct_sample(chosen: list[dict], folder: Path) -> dict[str, float]:
    """Each task of the sample again by direct calls in this process (``bench_direct``): its seconds. Each sort
    of task runs once untimed first, so that none pays this process's imports (a worker warms up likewise).
    The pemda briefs come before the national and province briefs, whose tables and map would otherwise
    weigh on them (in the pipeline they run in the other worker)."""
    folder.mkdir()
    warmed, each = set(), {}
    order = ("ingest", "declines", "pemda_brief", "brief")  # the steps, as task ids begin
    for number, job in enumerate(sorted(chosen, key=lambda j: order.index(j["task_id"].partition("@")[0]))):
        html = folder / f"{number}.html"
        if kind(job["task_id"]) not in warmed:
            bench_direct.render(job, html, html.with_suffix(".pdf"))
            warmed.add(kind(job["task_id"]))
        each[job["task_id"]] = bench_direct.render(job, html, html.with_suffix(".pdf"))
    return each


def task_seconds(reports: Path) -> dict[str, float]:
    """Each task's own time in a pipeline run, as its manifests record it (a task listed by several, once)."""
    seconds = {}
    for manifest in sorted(reports.rglob("manifest.json")):
        for task_id, task in json.loads(manifest.read_text(encoding="utf-8"))["tasks"].items():
            seconds.setdefault(task_id, task.get("seconds", 0.0))
    return seconds


def floor(work: list[dict], direct: dict[str, float], own: dict[str, float], wall: float, jobs: int) -> None:
    """Print what the national run's work costs by direct calls, shared perfectly over ``jobs`` processes (the
    least any pipeline could take for the same outputs on this machine), against the pipeline's wall time;
    and how busy its workers were, by the tasks' own times."""
    parts = estimate_by_kind(work, direct)
    total = sum(parts.values())
    pemda = [t for t in own if kind(t) == "pemda_brief"]
    direct_pemda = [s for t, s in direct.items() if kind(t) == "pemda_brief"]
    mean_direct, mean_own = sum(direct_pemda) / len(direct_pemda), sum(own[t] for t in pemda) / len(pemda)
    print(
        f"  direct calls (the sample again in one process, cells, HTML and PDF; estimated for all the work): "
        f"{total:.1f} s, {total / jobs:.1f} s on {jobs} processes shared perfectly: the pipeline takes "
        f"{wall / (total / jobs):.2f}x that"
    )
    print("    of which " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in parts.items()))
    print(
        f"  the pipeline's tasks took {sum(own.values()):.1f} s by their own times: its {jobs} workers were busy "
        f"{sum(own.values()) / jobs / wall:.0%} of the run; a pemda brief {mean_own:.3f} s in the pipeline, "
        f"{mean_direct:.3f} s by direct calls ({mean_own / mean_direct:.2f}x)"
    )


def jambi_against_pemda_loop(tmp: Path, jobs: int) -> None:
    """5. the whole Jambi run (ingest, declines, province brief, 12 pemda briefs) against a plain loop over
    its 12 pemda briefs alone (their inputs made beforehand, untimed)."""
    runs = [pipeline(settings.RAW_DIR, tmp / f"pipeline{i}", jobs, None, "--province", "Jambi") for i in range(3)]
    (tmp / "pipeline0").rename(tmp / "pipeline")
    ours = (
        statistics.median(seconds for seconds, _ in runs),
        max((memory for _, memory in runs), key=lambda m: m.peak_pss),
    )
    print(
        f"\n  5: the pipeline three times, from scratch: {', '.join(f'{s:.1f}' for s, _ in runs)} s; the median counts "
        f"(as issue 37 asks; the fastest would give {min(s for s, _ in runs):.1f} s), and the largest memory"
    )
    work = planned_jobs(settings.RAW_DIR, tmp / "plain")
    year = next(
        j["task_id"].split("@")[1].split("/")[0]
        for j in work
        if j["task_id"].startswith("pemda_brief@") and "/jambi/" in j["task_id"]
    )
    inputs = [j for j in work if j["task_id"] in ("ingest", f"declines@{year}/provinsi/jambi")]
    briefs = [j for j in work if j["task_id"].startswith(f"pemda_brief@{year}/provinsi/jambi/")]
    plain_loop(inputs)
    seconds, peak, _ = plain_loop(briefs)
    same = compare_trees(tmp / "pipeline", tmp / "plain")
    report(
        f"5. Jambi end to end (`run --province Jambi --all-pemda`: ingest, declines, the province brief and "
        f"{len(briefs)} pemda briefs, {jobs} workers) against a plain loop over the {len(briefs)} pemda briefs alone "
        "(goal: 12x)",
        len(briefs),
        ours,
        (seconds, peak),
        same,
    )


def label(line: str) -> str:
    """A cell's short name in a profile: the chart or table it makes (``trend_chart``, ``watch_table opd``)."""
    import re

    if "load_inputs" in line:
        return "tables + prepare"
    if found := re.search(r"(?:charts|maps)\.(\w+)", line):
        return found[1]
    if found := re.search(r"(?:sections|brief)\.(\w+)\((?:\"(\w+)\", data|data, \"(\w+)\")?", line):
        return " ".join(part for part in found.groups() if part)
    return "parameters" if re.match(r"\w+(: \w+)? = ", line) else line[:20]


def profile_line(task_id: str, profile: dict) -> str:
    """One line: total = papermill + cells (the ones over 10 ms by name) + html + pdf + write."""
    cells = [(label(line), seconds) for line, seconds in profile["cells"]]
    named = ", ".join(f"{name} {seconds:.2f}" for name, seconds in cells if seconds >= 0.01)
    rest = sum(seconds for _, seconds in cells if seconds < 0.01)
    total = profile["notebook"] + sum(profile.get(k, 0.0) for k in ("html", "pdf", "write"))
    around = "in the worker, around the cells" if profile.get("in_process") else "papermill"
    return (
        f"  {task_id.split('@')[-1]:<52} {total:5.2f} s = {around} {profile['papermill']:.2f} + cells "
        f"{sum(s for _, s in cells):.2f} ({named}, other {rest:.2f}) + html {profile.get('html', 0):.3f} + pdf "
        f"{profile.get('pdf', 0):.2f} + write {profile.get('write', 0):.3f}"
    )


def profiles(tmp: Path) -> None:
    """4. where the time of each brief goes, on one warm kernel in this process (the shipped data); pemda
    briefs as the pipeline renders them (their cells in this process), each against the direct calls."""
    from kepatuhan.pipeline.runtime.in_worker import warm_exporters
    from kepatuhan.pipeline.runtime.inprocess import warm_up
    from kepatuhan.pipeline.runtime.jobs import Job, run_job
    from kepatuhan.pipeline.runtime.kernels import WarmKernel

    work = planned_jobs(settings.RAW_DIR, tmp)
    scopes = ("/provinsi/jambi", "/nasional")
    wanted = [
        j
        for j in work
        if j["task_id"] == "ingest"
        or any(j["task_id"].split("@")[-1].endswith(s) or f"{s}/" in j["task_id"] for s in scopes)
    ]
    started = time.perf_counter()
    kernel = WarmKernel()
    warm_exporters()
    warm_up()  # as a worker does at start: the in-process path's shell, imports and backend
    print(
        f"\n4. profile per brief (shipped data, one warm kernel): kernel start and warm-up, once per worker "
        f"{time.perf_counter() - started:.2f} s"
    )
    pemda, direct = [], []
    with kernel:
        for job in wanted:
            result = run_job(Job(**job), kernel)
            assert not result.error, result.error
            if job["html"]:
                print(profile_line(job["task_id"], result.profile))
            if job["task_id"].startswith("pemda_brief@"):
                pemda.append(result.seconds)
                direct.append(direct_line(job, tmp / "direct", result.seconds))
    print(
        f"  mean pemda brief: {sum(pemda) / len(pemda):.3f} s in the pipeline ({len(pemda)} briefs); by direct calls "
        f"{sum(direct) / len(direct):.3f} s: the pipeline costs {sum(pemda) / sum(direct):.2f}x the direct calls (goal: 1.3x)"
    )


def direct_line(job: dict, folder: Path, pipeline_seconds: float) -> float:
    """Render a pemda brief again by direct calls in this process, check it shows the same, print both times."""
    html = folder / Path(job["html"]).name
    if not folder.exists():  # the first brief pays this process's imports: warm up as the kernel did
        folder.mkdir()
        bench_direct.render(job, html, html.with_suffix(".pdf"))
    seconds = bench_direct.render(job, html, html.with_suffix(".pdf"))
    same = "same content" if equivalent(Path(job["html"]), html) else "DIFFERENT CONTENT"
    print(
        f"    direct calls {seconds:5.2f} s ({same}); pipeline {pipeline_seconds:5.2f} s = {pipeline_seconds / seconds:.2f}x"
    )
    return seconds


def no_change_rerun() -> None:
    """A second ``pipeline.py run --all-pemda`` with nothing changed (median of three)."""
    with tempfile.TemporaryDirectory() as tmp:
        command = [
            sys.executable,
            str(settings.ROOT / "pipeline.py"),
            "run",
            "--all-pemda",
            "--no-progress",
            "--reports",
            f"{tmp}/reports",
            "--processed",
            f"{tmp}/processed",
        ]
        subprocess.run(command, check=True, capture_output=True)
        times = []
        for _ in range(3):
            started = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times.append(time.perf_counter() - started)
    print(f"\nno-change re-run of `pipeline.py run --all-pemda` (shipped data): {sorted(times)[1]:.2f} s (median of 3)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="1,2,3,4,5", help="which benchmarks, e.g. 1,4")
    parser.add_argument("--jobs", type=int, default=2, help="pipeline workers (make brief uses one per core)")
    parser.add_argument("--size", type=int, default=100, help="pemda in the synthetic province")
    parser.add_argument("--sample", type=int, default=20, help="pemda briefs in the plain loop's national sample")
    args = parser.parse_args()
    chosen = {int(n) for n in args.only.split(",")}
    print(f"briefs benchmark, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    cases = {
        1: lambda tmp: end_to_end(tmp, args.jobs),
        2: lambda tmp: synthetic_province(tmp, args.jobs, args.size),
        3: lambda tmp: national_scale(tmp, args.jobs, args.sample),
        4: profiles,
        5: lambda tmp: jambi_against_pemda_loop(tmp, args.jobs),
    }
    for number in sorted(chosen):
        with tempfile.TemporaryDirectory() as tmp:
            cases[number](Path(tmp))
    if 1 in chosen:
        no_change_rerun()


if __name__ == "__main__":
    main()
