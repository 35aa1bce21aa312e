"""``python pipeline.py run``: resolve the parameters, plan, execute what is not up to date, write the
manifests, publish each brief that succeeded.

What was published stays published, and current: a brief (in any language) or pemda brief published
earlier whose inputs changed is rendered again whether or not this run asked for it; only a pemda no
longer in the data has its brief removed. A failing notebook fails its own brief folder (and what
needs it): every other folder is published, the failed one keeps its previous version, and the run
exits 1 naming the failed briefs and notebooks.

Each part lives in its own module: :mod:`~kepatuhan.pipeline.resolve` (options and data into briefs),
:mod:`~kepatuhan.pipeline.planner` (tasks and fingerprints), :mod:`~kepatuhan.pipeline.runtime.executors` (where notebooks
run), :mod:`~kepatuhan.pipeline.staging` (lock, carry-over, publishing), :mod:`~kepatuhan.pipeline.manifest` and
:mod:`~kepatuhan.pipeline.run_record` (what went in, what came out, how the run ended). This module says in
what order; :mod:`~kepatuhan.pipeline.task_jobs` turns a task into a job.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tqdm import tqdm

from kepatuhan import catalog, settings
from kepatuhan.brief.html import render as render_html
from kepatuhan.brief.wording import words
from kepatuhan.errors import EnvironmentProblem
from kepatuhan.pipeline import sources
from kepatuhan.pipeline.manifest import run_facts, stamp, task_record, unit_manifest
from kepatuhan.pipeline.options import BRIEFS_PER_KERNEL_NOTEBOOK, RunOptions, refused_outputs
from kepatuhan.pipeline.planner import Task, plan, recorded
from kepatuhan.pipeline.resolve import Resolved, check_options, examples_dir, resolve
from kepatuhan.pipeline.run_record import EXIT_DATA, RunFailed, RunRecord, now
from kepatuhan.pipeline.runtime import processes
from kepatuhan.pipeline.runtime.signals import raise_if_stopped, stop_on_signals
from kepatuhan.pipeline.runtime.workers import kernel_worker
from kepatuhan.pipeline.staging import PROCESSED, Staging, locked, write_json
from kepatuhan.pipeline.steps import STEPS
from kepatuhan.pipeline.task_jobs import fields_of, hand_over, in_worker, job_for, unit_of
from kepatuhan.writing import write_text

if TYPE_CHECKING:  # the executors load papermill and nbformat: only a run with work to do needs them
    from kepatuhan.pipeline.runtime.jobs import Job, JobResult

log = logging.getLogger("kepatuhan")


def run(options: RunOptions, argv: list[str] | None = None) -> int:
    """Run the pipeline as asked and return the exit code; every outcome is recorded in the run history."""
    options = options.absolute()  # notebooks run in their own folder: every path they get must be absolute
    if reports_in_raw(options):
        return EXIT_DATA
    record = RunRecord(
        options.reports_dir,
        argv if argv is not None else sys.argv[1:],
        options.on_failure,
        lang=options.lang,
        alert_timeout=options.on_failure_timeout,
    )
    with (
        record,
        stop_on_signals(),
        options_checked(options),
        locked(options.reports_dir, options.wait),
        HeadStart(options) as head,
    ):
        staging = Staging(options.reports_dir, options.processed_dir)
        record.published = staging.done
        record.record_killed(staging.recover())
        processes.reap(options.reports_dir)
        resolved = resolve(options, staging, before_reading=head.start)
        raise_if_stopped()  # a stop that came while a finaliser ran during the reading
        work = Work.of(plan(STEPS, resolved.request, recorded(resolved.previous), options.force), resolved)
        record.update(**work.summary(), quality_notes=resolved.inventory.quality_notes)
        if not work.to_run and not work.removed:
            log.info(
                "nothing to do: all %d tasks are up to date with today's data, configuration and notebooks",
                len(work.tasks),
            )
            record.update(outcome="nothing_to_do")
            if not (options.reports_dir / "index.html").exists():
                index(options)
        else:
            build(work, options, staging, resolved, record, head)
    return record.exit_code


class HeadStart:
    """The pool executor's first kernel worker, started while the run reads its raw files.

    A run that reads its raw files (1-3 s in this process, on one core) runs the ingest notebook next, on
    a kernel, and a worker takes 2-3 s more to start one. Started just before the files are read
    (:meth:`start`, which imports the standard library only: :mod:`.runtime.workers`), the worker and its
    kernel start on the other core meanwhile (benchmarks/RESULTS.md, 2026-12-02). The executor takes it as
    one of its kernel workers (:meth:`take`); one it did not take (nothing to run after all, bad data, a
    stop) is ended with the run, at once when the run failed.
    """

    def __init__(self, options: RunOptions):
        self.options, self.pool = options, None

    def start(self) -> None:
        """Start the worker and its kernel now (the ``pool`` executor only: the others start elsewhere)."""
        if self.options.executor == "pool" and self.pool is None:
            self.pool = kernel_worker(self.options.cell_timeout, self.options.notebooks_dir)

    def take(self):
        """The started worker's pool, for the executor, which ends it with its own (None if not started)."""
        pool, self.pool = self.pool, None
        return pool

    def __enter__(self) -> HeadStart:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        pool = self.take()
        if pool is not None:
            pool.shutdown(wait=kind is None, cancel_futures=True)
            if kind is not None:  # its kernel may still be starting: nothing of it is needed, end it now
                processes.end_descendants(grace=2.0)


def reports_in_raw(options: RunOptions) -> bool:
    """Whether ``--reports`` is the raw folder or inside it: then nothing is written, not even the run record."""
    error = refused_outputs(options.raw_dir, {"--reports": options.reports_dir})
    if error:
        log.error("%s", error)
    return error is not None


@contextlib.contextmanager
def options_checked(options: RunOptions):
    """Check every option before anything else (the lock's ``--wait`` included): a bad one stops the run, recorded."""
    check_options(options)
    yield


def index(options: RunOptions) -> None:
    """Write the index of everything published (``reports/index.html``), whatever else this run did."""
    from kepatuhan.pipeline.published_index import write_index  # heavy

    with EnvironmentProblem.about(options.reports_dir, "write the index of the briefs"):
        for path in write_index(options.reports_dir, options.processed_dir):
            log.info("index: %s", path)


def build(
    work: Work, options: RunOptions, staging: Staging, resolved: Resolved, record: RunRecord, head: HeadStart
) -> None:
    """Run what is not up to date in a staging folder, publish every brief that succeeded, keep what failed."""
    staging.check_folders(work.units)
    staging.open()
    try:
        with contextlib.ExitStack() as workers_ending:  # the workers end while the briefs are published
            started = now()
            carry_over(work, staging, resolved)
            results = execute(work, options, staging, resolved, head, workers_ending)
            raw_unchanged(options, resolved)
            failed = work.failed_units(results)
            failed_pemda = work.failed_pemda(results, failed)
            keep_previous(failed_pemda, results, staging, resolved, started)
            published = publish(
                work,
                results,
                failed,
                staging,
                run_facts(options, resolved, started, now()),
                resolved,
                kept={t.id for t in failed_pemda},
            )
            record.update(
                published=published,
                removed=[i for u in published for i in work.removed.get(u, [])],
                failed_briefs=sorted(failed),
                failed_pemda_briefs=[t.id for t in failed_pemda],
            )
            index(options)
        if failed or failed_pemda:
            raise failure(work, results, failed, staging, failed_pemda)
    except RunFailed as exc:
        record.update(failed_notebook=str(exc.kept[0]) if exc.kept else "", failed_notebooks=[str(k) for k in exc.kept])
        raise
    finally:
        staging.close()
        processes.forget(options.reports_dir)


def raw_unchanged(options: RunOptions, resolved: Resolved) -> None:
    """Stop before publishing when a raw file changed while the run read it: the manifest would name data
    other than what the briefs show. Nothing is published; the next run reads the files as they are then."""
    now_read = sources.inputs(options.raw_dir, examples_dir(options), [])
    for kind in ("raw", "examples"):
        before = {e["path"]: e["sha256"] for e in resolved.inputs[kind]}
        after = {e["path"]: e["sha256"] for e in now_read[kind]}
        changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
        if changed:
            raise EnvironmentProblem(
                Path(options.raw_dir) / changed[0],
                f"{len(changed)} raw file(s) changed during the run ({', '.join(changed[:5])}): nothing was published",
                "run again once the files are in place",
            )


@dataclass
class Work:
    """The planned tasks sorted into what runs, what is carried over and what is removed."""

    tasks: list[Task]
    to_run: list[Task] = field(default_factory=list)
    carried: list[Task] = field(default_factory=list)
    removed: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, tasks: list[Task], resolved: Resolved) -> Work:
        """Up-to-date tasks are carried over, the others run; a published task that is no longer planned
        (its pemda is no longer in the data) is removed."""
        work = cls(tasks)
        for task in tasks:
            (work.carried if task.up_to_date else work.to_run).append(task)
        planned, units = {t.id for t in tasks}, {scope.key for scope in resolved.asked}
        for task_id, record in resolved.previous.items():
            if record["unit"] in units and task_id not in planned:
                work.removed.setdefault(record["unit"], []).append(task_id)
        return work

    @property
    def units(self) -> list[str]:
        """The brief folders this run publishes anew (when their tasks succeed)."""
        return sorted(({unit_of(t) for t in self.to_run} | set(self.removed)) - {PROCESSED})

    def failed_units(self, results: dict[str, JobResult]) -> set[str]:
        """The folders with a task that failed or could not run, a pemda brief aside (it fails alone: the other
        briefs of its folder are published); the processed tables' failure fails them all."""
        failed = {unit_of(t) for t in self.to_run if failed_task(t, results) and t.step.scope != "pemda"}
        return set(self.units) | failed if PROCESSED in failed else failed

    def failed_pemda(self, results: dict[str, JobResult], failed_units: set[str]) -> list[Task]:
        """The pemda briefs that failed in folders that are published all the same."""
        return [
            t
            for t in self.to_run
            if t.step.scope == "pemda" and failed_task(t, results) and unit_of(t) not in failed_units
        ]

    def summary(self) -> dict:
        """What the run record says about the plan."""
        scopes = sorted({t.scope for t in self.tasks if t.scope}, key=lambda s: s.key)
        return {
            "years": sorted({s.year for s in scopes}),
            "provinces": sorted({s.province or "nasional" for s in scopes}),
            "ran": [t.id for t in self.to_run],
            "up_to_date": len(self.carried),
        }


def failed_task(task: Task, results: dict[str, JobResult]) -> bool:
    """Whether a task of the run failed or could not run."""
    return task.id not in results or bool(results[task.id].error)


def keep_previous(
    failed: list[Task], results: dict[str, JobResult], staging: Staging, resolved: Resolved, started: str
) -> None:
    """A pemda brief that failed keeps its published version (its outputs and record carried over); one that had
    none gets a page saying it could not be made yet, so that no link of its province brief leads nowhere. Its
    notebook, executed up to the error, goes to the folder's ``failed/``, published with it."""
    for task in failed:
        partial = Path(results[task.id].partial) if task.id in results and results[task.id].partial else None
        if partial is not None and partial.exists():
            kept = catalog.path("failed", staging.staged(unit_of(task)))
            kept.mkdir(parents=True, exist_ok=True)
            partial.replace(kept / partial.name)
        if task.id in resolved.previous:
            staging.carry_over(unit_of(task), list(resolved.previous[task.id]["outputs"]))
            continue
        page = catalog.path(task.step.html, staging.staged(unit_of(task)), **fields_of(task))
        page.parent.mkdir(parents=True, exist_ok=True)
        lang = task.lang or settings.DEFAULT_LANG
        text = words("brief.pemda_failed", lang, pemda=task.pemda, year=task.scope.year, started=started)
        write_text(
            render_html(
                "failed_page",
                lang=lang,
                title=task.pemda,
                text=text,
                suffix=catalog.suffix(lang),
                back=words("brief.back_to_province", lang, province=task.scope.province),
            ),
            page,
        )


def carry_over(work: Work, staging: Staging, resolved: Resolved) -> None:
    """Link the outputs of up-to-date tasks into the staging folder, for the units that are published anew."""
    wanted = set(work.units) | {PROCESSED}
    for task in work.carried:
        if unit_of(task) in wanted:
            staging.carry_over(unit_of(task), list(resolved.previous[task.id]["outputs"]))


def kernel_workers(work: Work, options: RunOptions) -> int:
    """How many workers keep a notebook kernel: one when no two notebooks that need a kernel can run at
    the same time (one province's ingest, declines and brief, each reading what the one before wrote: a
    second kernel would only start, beside the ingest, and wait; Jambi end to end 0.94x the time) or when
    the run is mostly pemda briefs rendered in the workers (:data:`.options.BRIEFS_PER_KERNEL_NOTEBOOK`
    per notebook that needs a kernel; every other worker then saves a kernel's memory), else all (0)."""
    notebooks = [task for task in work.to_run if not in_worker(task.step, options)]
    here = len(work.to_run) - len(notebooks)
    if at_once(notebooks) <= 1 or here >= BRIEFS_PER_KERNEL_NOTEBOOK * len(notebooks):
        return 1
    return 0


def at_once(tasks: list[Task]) -> int:
    """The most of ``tasks`` that could run at the same time: how many lie at the same depth of their
    chains of needs (needs outside ``tasks`` ignored)."""
    by_id = {task.id: task for task in tasks}
    depth: dict[str, int] = {}

    def depth_of(task: Task) -> int:
        if task.id not in depth:
            depth[task.id] = 1 + max((depth_of(by_id[n]) for n in task.needs if n in by_id), default=0)
        return depth[task.id]

    return max(Counter(depth_of(task) for task in tasks).values(), default=0)


def execute(
    work: Work,
    options: RunOptions,
    staging: Staging,
    resolved: Resolved,
    head: HeadStart,
    workers_ending: contextlib.ExitStack,
) -> dict[str, JobResult]:
    """Run the tasks that are not up to date on the chosen executor, each once what it reads is ready. When all
    have run, the workers are told to end, and ``workers_ending`` waits for them on its exit."""
    if not work.to_run:
        return {}
    from kepatuhan.pipeline.runtime.executors import executor  # heavy

    workers = options.workers(len(work.to_run))
    if options.jobs > workers:
        log.info("--jobs %d capped at %d: there are only %d notebooks to run", options.jobs, workers, len(work.to_run))
    runner = executor(
        options.executor,
        workers,
        options.cell_timeout,
        options.notebooks_dir,
        options.scheduler,
        kernels=kernel_workers(work, options),
        started=head.take(),
    )
    try:
        runner.start()
        processes.record(options.reports_dir)
        handed = hand_over(work.to_run, staging, resolved)
        results = schedule(work, runner, lambda task: job_for(task, staging, options, handed), options.progress)
    except BaseException:
        processes.end_descendants(grace=2.0)
        runner.close()
        raise
    workers_ending.callback(runner.close_meanwhile())
    return results


def schedule(work: Work, runner, job_for_task, progress: bool) -> dict[str, JobResult]:
    """Submit each task once the tasks it needs are done; a task whose need failed is not run (and fails)."""
    done, failed, waiting, running, results = {t.id for t in work.carried}, set(), list(work.to_run), {}, {}
    started = time.perf_counter()
    with progress_bar(len(waiting), progress) as bar:
        while waiting or running:
            for task in [t for t in waiting if set(t.needs) & failed]:
                waiting.remove(task)
                failed.add(task.id)
                bar.update()
            for task in [t for t in waiting if set(t.needs) <= done]:
                running[runner.submit(job_for_task(task))] = task
                waiting.remove(task)
            if not running:
                break
            for handle, result in runner.finished(list(running)):
                task = running.pop(handle)
                results[task.id] = checked(result, task, job_for_task(task))
                (failed if results[task.id].error else done).add(task.id)
                bar.update()
                log.log(
                    logging.DEBUG if task.pemda else logging.INFO,
                    "%-40s %5.1f s%s",
                    task.id,
                    result.seconds,
                    "  FAILED" if result.error else "",
                )
                if result.profile.get("kernel_because"):
                    log.debug("%s ran on a kernel: %s", task.id, result.profile["kernel_because"])
    log_summary(results, {t.id for t in work.to_run if t.pemda}, time.perf_counter() - started)
    return results


def checked(result: JobResult, task: Task, job: Job) -> JobResult:
    """The result, failed if the step's notebook did not write every dataset it declares (a step must)."""
    if result.error:
        return result
    folder = Path(job.parameters.get("out_dir") or job.parameters.get("processed_dir", ""))
    fields = fields_of(task)
    missing = [name for name in task.step.writes if not catalog.path(name, folder, **fields).exists()]
    if missing:
        result.error = f"{Path(job.notebook).name} ran but did not write {', '.join(missing)} (declared in kepatuhan/pipeline/steps.py) into {folder}"
    return result


def log_summary(results: dict[str, JobResult], pemda_tasks: set[str], seconds: float) -> None:
    """One line: how many notebooks ran, failed, and how long the pemda briefs took each (their own times'
    mean, not the run's time shared out: a brief that ran beside the province briefs took seconds, not the run)."""
    briefs = [r for task_id, r in results.items() if task_id in pemda_tasks]
    failed = sum(1 for r in results.values() if r.error)
    log.info("notebooks: %d done, %d failed in %.1f s", len(results) - failed, failed, seconds)
    if briefs:
        here = sum(1 for r in briefs if r.profile.get("in_process"))
        log.info(
            "pemda briefs: %d, %.2f s each on average (%d rendered in the worker, %d on a kernel)",
            len(briefs),
            sum(r.seconds for r in briefs) / len(briefs),
            here,
            len(briefs) - here,
        )


def progress_bar(total: int, wanted: bool):
    """A progress bar on stderr, only when asked and stderr is a terminal."""
    return tqdm(total=total, desc="notebooks", unit="nb", disable=not (wanted and sys.stderr.isatty()), file=sys.stderr)


def publish(
    work: Work,
    results: dict[str, JobResult],
    failed: set[str],
    staging: Staging,
    run: dict,
    resolved: Resolved,
    kept: set[str] = frozenset(),
) -> list[str]:
    """Write the manifest of each folder that succeeded (and the ingest stamp), then publish them; return them.
    ``kept``: pemda briefs that failed and keep their previous version (their previous record is kept too)."""
    ok = [key for key in work.units if key not in failed]
    records: dict[str, dict[str, dict]] = {}
    for task_id in kept & set(resolved.previous):
        previous = {k: v for k, v in resolved.previous[task_id].items() if k != "unit"}
        records.setdefault(resolved.previous[task_id]["unit"], {})[task_id] = {**previous, "status": "kept_previous"}
    for task in [*work.to_run, *work.carried]:
        if task.id in kept:
            continue
        if unit_of(task) in set(ok) | {PROCESSED} and (task.id in results or task.up_to_date):
            seconds = results[task.id].seconds if task.id in results else None
            status = "ran" if task.id in results else "up_to_date"
            records.setdefault(unit_of(task), {})[task.id] = task_record(
                task, staging.staged(unit_of(task)), status, seconds
            )
    ingest_ran = any(t.scope is None for t in work.to_run) and PROCESSED not in failed
    if ingest_ran:
        write_json(
            stamp(records[PROCESSED], resolved.inventory.to_json(), run),
            staging.staged(PROCESSED) / catalog.relative("ingest_stamp"),
        )
    scopes = {t.scope.key: t.scope for t in work.tasks if t.scope}
    for key in ok:
        write_json(
            unit_manifest(scopes[key], records.get(key, {}), work.removed.get(key, []), run),
            catalog.path("manifest", staging.staged(key)),
        )
    staging.publish(ok, processed=ingest_ran)
    removed = sum(len(work.removed.get(key, [])) for key in ok)
    if ok:
        log.info("published %s", ", ".join(str(staging.published(k)) for k in ok))
    if removed:
        log.info("removed %d pemda brief(s) whose pemda is no longer in the data", removed)
    gone = no_longer_made({key: records.get(key, {}) for key in ok}, resolved.previous)
    if gone:
        log.info(
            "%d file(s) published before are not made by this run's options (SVG figures without --svg, executed "
            "pemda notebooks without --keep-notebooks), so they are no longer published: %s",
            len(gone),
            ", ".join(gone),
        )
    return ok


def no_longer_made(records: dict[str, dict[str, dict]], previous: dict[str, dict]) -> list[str]:
    """The files (``folder/file``) a task published before that the same task, made again, did not make."""
    return [
        f"{unit}/{name}"
        for unit, tasks in records.items()
        for task_id, record in tasks.items()
        for name in sorted(set(previous.get(task_id, {}).get("outputs", {})) - set(record.get("outputs", {})))
    ]


def failure(
    work: Work, results: dict[str, JobResult], failed: set[str], staging: Staging, failed_pemda: list[Task] = ()
) -> RunFailed:
    """The error of a run with failed briefs: which, their notebooks kept under each brief's ``failed/``, the first error."""
    errors = [(unit_of(t), results[t.id]) for t in work.to_run if t.id in results and results[t.id].error]
    partial = {
        unit: [Path(r.partial) for u, r in errors if u == unit and r.partial]
        for unit, _ in errors
        if unit in failed or unit == PROCESSED
    }
    kept = [staging.keep_failed(unit, notebooks) for unit, notebooks in partial.items()]
    kept += sorted(
        {catalog.path("failed", staging.published(unit_of(t))) for t in failed_pemda}
    )  # published with their folder
    names = ", ".join(Path(r.partial).name for _, r in errors if r.partial) or "no notebook was written"
    lines = (
        [f"{len(failed)} brief folder(s) not published, their previous version kept: {', '.join(sorted(failed))}"]
        if failed
        else []
    )
    if failed_pemda:
        lines.append(
            f"{len(failed_pemda)} pemda brief(s) could not be made; each keeps its previous version (or a page "
            f"saying so), the other briefs of their folder are published: {', '.join(t.id for t in failed_pemda)}"
        )
    lines += [
        f"  first failure: {errors[0][1].error if errors else 'a notebook it needs failed'}",
        f"  the failed notebooks, executed up to the error, are kept in {', '.join(sorted({str(k) for k in kept}))} ({names})",
    ]
    return RunFailed("\n".join(lines), kept=kept)
