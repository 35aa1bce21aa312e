"""Pemda briefs rendered in the worker's own process: the same result as a kernel's, or the kernel runs it."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import nbformat
import pytest
from conftest import pipeline

from kepatuhan import settings
from kepatuhan.pipeline.runtime.inprocess import NotInProcess, execute_in_process
from kepatuhan.pipeline.runtime.jobs import Job, run_job

JAMBI = "2024/provinsi/jambi"


def notebook(path: Path, *sources: str, parameters: str = "") -> Path:
    """A notebook of plain code cells, the first tagged ``parameters`` when ``parameters`` is given."""
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    if parameters:
        cells.insert(0, nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}))
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def test_cells_run_here_with_the_parameters_and_give_the_kernels_outputs(tmp_path):
    path = notebook(
        tmp_path / "n.ipynb",
        "doubled = x * 2",
        "from IPython.display import HTML\ndisplay(HTML('<b>hi</b>'))",
        "doubled",
        parameters="x = 1",
    )
    node = execute_in_process(path, {"x": 21}, 10, tmp_path)
    assert "injected-parameters" in node.cells[1].metadata["tags"]
    outputs = [c.outputs for c in node.cells]
    assert outputs[3] == [
        nbformat.v4.new_output(
            "display_data", data={"text/plain": "<IPython.core.display.HTML object>", "text/html": "<b>hi</b>"}
        )
    ]
    assert outputs[4][0]["output_type"] == "execute_result" and outputs[4][0]["data"] == {"text/plain": "42"}


def test_nothing_leaks_from_one_notebook_to_the_next(tmp_path):
    dirty = notebook(
        tmp_path / "dirty.ipynb",
        "import os, matplotlib as mpl, pandas as pd\nleaked = 42\n"
        "mpl.rcParams['figure.figsize'] = (1, 1)\npd.set_option('display.max_rows', 3)\nos.chdir('/')",
    )
    check = notebook(
        tmp_path / "check.ipynb",
        "import os, matplotlib as mpl, pandas as pd\nassert 'leaked' not in globals()\n"
        "assert tuple(mpl.rcParams['figure.figsize']) != (1, 1)\nassert pd.get_option('display.max_rows') == 60\n"
        f"assert os.getcwd() == {str(tmp_path)!r}",
    )
    before = os.getcwd()
    execute_in_process(dirty, {}, 10, tmp_path)
    assert os.getcwd() == before
    execute_in_process(check, {}, 10, tmp_path)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("raise ValueError('bad pemda')", "ValueError: bad pemda"),
        ("raise SystemExit(3)", "SystemExit"),
        ("print('a note')", "wrote to the console"),
        ("import sys\nsys.stderr.write('careful')", "wrote to the console"),
        ("import logging\nlogging.getLogger('kepatuhan').warning('odd')", "logged a warning"),
        ("import time\ntime.sleep(30)", "CellTimeout"),
    ],
    ids=["error", "exit", "stdout", "stderr", "warning", "timeout"],
)
def test_what_cannot_be_made_here_exactly_is_refused_naming_the_cell(tmp_path, source, reason):
    path = notebook(tmp_path / "n.ipynb", "a = 1", source)
    started = time.monotonic()
    with pytest.raises(NotInProcess, match=reason) as refused:
        execute_in_process(path, {}, 1, tmp_path)
    assert "n.ipynb cell 1" in str(refused.value)
    assert time.monotonic() - started < 10


def test_a_busy_cell_outside_the_main_thread_is_stopped_too(tmp_path):
    path = notebook(tmp_path / "n.ipynb", "while True:\n    pass")
    found = []

    def run() -> None:
        try:
            execute_in_process(path, {}, 1, tmp_path)
        except NotInProcess as exc:
            found.append(str(exc))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(20)
    assert found and "CellTimeout" in found[0]


def test_the_process_keeps_its_main_module(tmp_path):
    import sys

    execute_in_process(notebook(tmp_path / "n.ipynb", "a = 1"), {}, 10, tmp_path)
    assert hasattr(sys.modules["__main__"], "__spec__"), "the shell put its own module in place"


def a_job(task_id: str = "t", notebook: str = "", executed: str = "", cwd: str = ".", in_process: bool = False) -> Job:
    """A job with nothing to export: only its notebook, where it runs, and whether it may run in process."""
    return Job(
        task_id=task_id,
        notebook=notebook,
        parameters={},
        executed=executed,
        keep_notebook=False,
        html="",
        pdf="",
        title="",
        lang="id",
        timeout=60,
        cwd=cwd,
        in_process=in_process,
    )


def job_of(path: Path, tmp_path: Path, in_process: bool) -> Job:
    return a_job(notebook=str(path), executed=str(tmp_path / "out.ipynb"), cwd=str(tmp_path), in_process=in_process)


def test_a_job_in_process_records_it_and_its_cell_times(tmp_path):
    result = run_job(job_of(notebook(tmp_path / "n.ipynb", "import time\ntime.sleep(0.2)"), tmp_path, True), None)
    assert not result.error and result.profile["in_process"] and not result.profile["kernel_because"]
    assert result.profile["cells"][0][1] >= 0.2


@pytest.mark.e2e
def test_a_failing_cell_falls_back_to_the_kernel_which_keeps_the_partial_notebook(tmp_path):
    path = notebook(tmp_path / "n.ipynb", "a = 1", "raise ValueError('bad pemda')")
    result = run_job(job_of(path, tmp_path, True), None)
    assert "n.ipynb failed in cell 1" in result.error and "ValueError: bad pemda" in result.error
    assert Path(result.partial).exists()


@pytest.mark.e2e
def test_a_kernel_runs_what_the_worker_cannot_and_the_run_says_so(tmp_path):
    path = notebook(tmp_path / "n.ipynb", "print('hello')", "'done'")
    result = run_job(job_of(path, tmp_path, True), None)
    assert not result.error and not result.profile["in_process"]
    assert "wrote to the console" in result.profile["kernel_because"]


@pytest.mark.e2e
def test_pemda_briefs_in_the_worker_are_byte_identical_to_the_kernels(tmp_path):
    """Every pemda brief of Jambi, HTML and PDF: rendered in the worker, and on kernels (``--keep-notebooks``).
    One worker: beside a worker without a kernel, the kernel worker may render a last brief on its kernel."""
    common = ["run", "--province", "Jambi", "--all-pemda", "--processed", str(tmp_path / "p")]
    here = pipeline(*common, "--reports", str(tmp_path / "here"), "--jobs", "1")
    assert here.returncode == 0, here.stderr
    assert "(12 dibuat langsung di worker, 0 di kernel)" in here.stderr
    kernel = pipeline(*common, "--reports", str(tmp_path / "kernel"), "--keep-notebooks")
    assert kernel.returncode == 0, kernel.stderr
    assert "(0 dibuat langsung di worker, 12 di kernel)" in kernel.stderr
    briefs = sorted((tmp_path / "here" / JAMBI / "pemda").glob("*.*"))
    assert len(briefs) == 24
    for brief in briefs:
        assert brief.read_bytes() == (tmp_path / "kernel" / JAMBI / "pemda" / brief.name).read_bytes(), brief.name


@pytest.mark.e2e
def test_a_pemda_brief_that_fails_in_the_worker_is_recorded_as_any_notebook(tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(settings.NOTEBOOKS_DIR, notebooks)
    broken = nbformat.read(notebooks / "brief_pemda.ipynb", as_version=4)
    broken.cells.insert(
        3, nbformat.v4.new_code_cell("if pemda == 'Kabupaten Kerinci':\n    raise ValueError('no data')")
    )
    nbformat.write(broken, notebooks / "brief_pemda.ipynb")
    done = pipeline(
        "run",
        "--province",
        "Jambi",
        "--pemda",
        "Kerinci",
        "--pemda",
        "Bungo",
        "--notebooks",
        str(notebooks),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 1, done.stderr
    assert "brief_pemda.ipynb gagal di sel 4 (\"if pemda == 'Kabupaten Kerinci':\"): ValueError: no data" in done.stderr
    assert "(1 dibuat langsung di worker, 1 di kernel)" in done.stderr and "Traceback" not in done.stderr
    partial = nbformat.read(tmp_path / "r" / JAMBI / "failed" / "kabupaten-kerinci.ipynb", as_version=4)
    assert [o["ename"] for c in partial.cells for o in c.get("outputs", [])] == ["ValueError"]


@pytest.mark.e2e
def test_partial_releases_render_in_the_worker_exactly_as_on_a_kernel(tmp_path):
    """An OPD-only release (Papua 2024) and 2025 labels without scores (Maluku): every pemda brief, both ways."""
    from test_partial import LABELS, OPD_ONLY

    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    for shipped in ("kota_jayapura_2024_opd.csv", "maluku_2025.csv"):  # the test's own releases stand in for these
        (raw / "ombudsman_more" / shipped).unlink()
    (raw / "papua_opd.csv").write_text(OPD_ONLY, encoding="utf-8")
    (raw / "maluku_2025.csv").write_text(LABELS, encoding="utf-8")
    common = [
        "run",
        "--raw",
        str(raw),
        "--province",
        "Papua",
        "--province",
        "Maluku",
        "--all-pemda",
        "--no-pdf",
        "--processed",
        str(tmp_path / "p"),
    ]
    here = pipeline(*common, "--reports", str(tmp_path / "here"))
    kernel = pipeline(*common, "--reports", str(tmp_path / "kernel"), "--keep-notebooks")
    assert here.returncode == 0 and kernel.returncode == 0, here.stderr + kernel.stderr
    briefs = sorted(p.relative_to(tmp_path / "here") for p in (tmp_path / "here").rglob("pemda/*.html"))
    assert {p.parts[:3] for p in briefs} == {("2024", "provinsi", "papua"), ("2025", "provinsi", "maluku")}
    assert f"({len(briefs)} dibuat langsung di worker, 0 di kernel)" in here.stderr
    for brief in briefs:
        assert (tmp_path / "here" / brief).read_bytes() == (tmp_path / "kernel" / brief).read_bytes(), brief


def test_a_worker_whose_kernel_does_not_start_still_renders_briefs_in_process_and_reports_the_rest(
    tmp_path, monkeypatch
):
    """A pool worker starts its kernel once; when it cannot, a brief rendered in its own process still
    succeeds, and every job that needs the kernel (a fallback too) fails with one line (one try)."""
    from kepatuhan.pipeline.runtime import in_worker

    tries = []

    def no_kernel(**_):
        tries.append(1)
        raise RuntimeError("No such kernel named kepatuhan\nmore")

    monkeypatch.setattr(in_worker, "WarmKernel", no_kernel)
    monkeypatch.setattr(in_worker, "_worker_kernel", None)
    monkeypatch.setattr(in_worker, "_worker_problem", "")
    in_worker.start(60, str(tmp_path))
    here = in_worker.run(job_of(notebook(tmp_path / "a.ipynb", "'done'"), tmp_path, True))
    assert not here.error and here.profile["in_process"] and tries == [1]
    for name in ("b", "c"):
        failed = in_worker.run(job_of(notebook(tmp_path / f"{name}.ipynb", "'done'"), tmp_path, False))
        assert (
            failed.error == "the worker's notebook kernel did not start: RuntimeError: No such kernel named kepatuhan"
        )
    fallback = in_worker.run(job_of(notebook(tmp_path / "d.ipynb", "print('hi')"), tmp_path, True))
    assert fallback.error == failed.error and tries == [1]


def test_a_worker_whose_shell_cannot_be_made_renders_its_pemda_briefs_on_its_kernel(tmp_path, monkeypatch):
    """The in-process shell is made on the first pemda brief; if that fails, the worker's kernel renders
    the briefs (one try), and the run goes on."""
    from kepatuhan.pipeline.runtime import in_worker

    tries, kernel_runs = [], []

    def broken_warm_up():
        tries.append(1)
        raise ImportError("no module named seaborn")

    def on_the_kernel(job, warm):
        kernel_runs.append(job.in_process)
        return in_worker.JobResult(job.task_id, 0.1)

    monkeypatch.setattr(in_worker, "warm_up", broken_warm_up)
    monkeypatch.setattr(in_worker, "_worker_warm", False)
    monkeypatch.setattr(in_worker, "_worker_problem", "")
    monkeypatch.setattr(in_worker, "run_job", on_the_kernel)
    for name in ("a", "b"):
        result = in_worker.run(job_of(notebook(tmp_path / f"{name}.ipynb", "'done'"), tmp_path, True))
        assert not result.error
    assert kernel_runs == [False, False] and tries == [1]


class RecordingPool:
    """A pool that runs nothing: it records what it was given and finishes a job when the test says so."""

    made: list = []

    def __init__(self, max_workers, initargs, **_):
        self.size, self.kernel, self.jobs = max_workers, initargs[2], []  # (timeout, cwd, kernel, run)
        self.where = []  # each job given, with where it is to run
        RecordingPool.made.append(self)

    def submit(self, function, *args):
        from concurrent.futures import Future

        future = Future()
        if args:
            self.jobs.append((args[0].task_id, future))
            self.where.append((args[0].task_id, "in process" if args[0].in_process else "kernel"))
        return future

    def shutdown(self, **_):
        pass


def job(task: str, in_process: bool):
    """A job that only has a name and says whether it may run in the worker's process."""
    return a_job(task, in_process=in_process)


def test_one_worker_keeps_the_kernel_takes_notebooks_first_and_briefs_go_to_whichever_worker_is_free(monkeypatch):
    """With ``kernels=1`` of two workers, only the first starts a kernel; it takes the notebooks that need
    one before any brief, and the other worker takes only briefs rendered in the worker."""
    from concurrent.futures import Future

    from kepatuhan.pipeline.runtime import executors, workers

    RecordingPool.made = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", RecordingPool)
    pool = executors.PoolExecutor(workers=2, timeout=60, cwd=Path("."), kernels=1)
    pool.start()
    kernel, plain = RecordingPool.made
    assert (kernel.kernel, plain.kernel) == (True, False)
    jobs = [("brief@a", False), ("pemda@1", True), ("pemda@2", True), ("brief@b", False), ("pemda@3", True)]
    handles = {task: pool.submit(job(task, here)) for task, here in jobs}
    assert [t for t, _ in kernel.jobs] == ["brief@a"] and [t for t, _ in plain.jobs] == ["pemda@1"]

    def finish(recording, task):
        """Finish ``task`` in its worker; what the run is handed back (as the run does, once each)."""
        next(f for t, f in recording.jobs if t == task).set_result(executors.JobResult(task, 1.0))
        back = pool.finished([h for h in handles.values() if h in pool.jobs])
        return [result.task_id for _, result in back]

    assert finish(plain, "pemda@1") == ["pemda@1"]
    assert [t for t, _ in plain.jobs] == ["pemda@1", "pemda@2"]  # the plain worker never takes brief@b
    finish(kernel, "brief@a")
    assert [t for t, _ in kernel.jobs] == ["brief@a", "brief@b"]  # the notebook first, though pemda@3 came before
    finish(kernel, "brief@b")
    assert [t for t, _ in kernel.jobs] == ["brief@a", "brief@b", "pemda@3"]  # then briefs, when it is free
    assert kernel.where[-1] == ("pemda@3", "kernel")  # one brief left: its kernel renders it, it makes no shell
    assert all(isinstance(h, Future) for h in handles.values())


def test_a_kernel_worker_makes_its_shell_for_pemda_briefs_only_when_enough_wait(monkeypatch):
    """Beside a worker without a kernel (its shell made at start), the kernel worker renders the few pemda
    briefs it takes on its kernel, which is warm, rather than make a shell (about 2 s) for them; once
    :data:`~executors.BRIEFS_WORTH_A_SHELL` wait, it makes one and renders them in its process from then on."""
    from kepatuhan.pipeline.runtime import executors, workers

    RecordingPool.made = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", RecordingPool)
    pool = executors.PoolExecutor(workers=2, timeout=60, cwd=Path("."), kernels=1)
    pool.start()
    kernel, plain = RecordingPool.made
    for i in range(3):
        pool.submit(job(f"pemda@{i}", True))

    def finish_last() -> None:
        kernel.jobs[-1][1].set_result(executors.JobResult(kernel.jobs[-1][0], 1.0))
        pool.finished([h for h in pool.jobs])

    assert kernel.where == [("pemda@0", "kernel")] and plain.where == [("pemda@1", "in process")]
    finish_last()
    assert kernel.where[-1] == ("pemda@2", "kernel")
    for i in range(executors.BRIEFS_WORTH_A_SHELL):
        pool.submit(job(f"many@{i}", True))
    finish_last()
    finish_last()
    assert kernel.where[-2:] == [("many@0", "in process"), ("many@1", "in process")]


def test_when_every_worker_keeps_a_kernel_jobs_go_in_the_order_they_came(monkeypatch):
    """Without workers that lack a kernel, nothing is put first: the pool takes jobs as they were submitted."""
    from kepatuhan.pipeline.runtime import executors, workers

    RecordingPool.made = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", RecordingPool)
    pool = executors.PoolExecutor(workers=1, timeout=60, cwd=Path("."))
    pool.start()
    [worker] = RecordingPool.made
    jobs = [("pemda@1", True), ("pemda@2", True), ("brief@a", False), ("pemda@3", True)]
    handles = [pool.submit(job(task, here)) for task, here in jobs]
    for _ in jobs:
        worker.jobs[-1][1].set_result(executors.JobResult(worker.jobs[-1][0], 1.0))
        pool.finished([h for h in handles if h in pool.jobs])
    assert [task for task, _ in worker.jobs] == ["pemda@1", "pemda@2", "brief@a", "pemda@3"]


def test_the_kernel_worker_started_while_the_files_were_read_is_one_of_the_pools_kernel_workers(monkeypatch):
    """The pool starts only the workers still missing beside the kernel worker the run started early
    (``started``), and with a kernel in every worker its jobs still go in the order they came."""
    from kepatuhan.pipeline.runtime import executors, workers

    RecordingPool.made = []
    monkeypatch.setattr(workers, "ProcessPoolExecutor", RecordingPool)
    early = workers.kernel_worker(60, Path("."))
    executors.PoolExecutor(workers=2, timeout=60, cwd=Path("."), kernels=1, started=early).start()
    assert [(p.size, p.kernel) for p in RecordingPool.made] == [(1, True), (1, False)]
    RecordingPool.made = []
    executors.PoolExecutor(workers=3, timeout=60, cwd=Path("."), started=workers.kernel_worker(60, Path("."))).start()
    assert [(p.size, p.kernel) for p in RecordingPool.made] == [(1, True), (2, True)]
    RecordingPool.made = []
    pool = executors.PoolExecutor(workers=2, timeout=60, cwd=Path("."), started=workers.kernel_worker(60, Path(".")))
    pool.start()
    early, other = RecordingPool.made
    jobs = [("pemda@1", True), ("pemda@2", True), ("pemda@3", True), ("brief@a", False)]
    handles = [pool.submit(job(task, here)) for task, here in jobs]
    early.jobs[0][1].set_result(executors.JobResult("pemda@1", 1.0))
    pool.finished(handles)
    assert [t for t, _ in early.jobs] == ["pemda@1", "pemda@3"] and [t for t, _ in other.jobs] == ["pemda@2"]


@pytest.mark.e2e
def test_bad_data_ends_the_kernel_worker_started_while_the_files_were_read(tmp_path, monkeypatch):
    """A run that reads its raw files starts its first kernel worker meanwhile; when the files are bad
    the run exits 2 and that worker (and its kernel) ends with it, though no executor took it."""
    import psutil

    from kepatuhan.pipeline import run as run_module
    from kepatuhan.pipeline.options import RunOptions
    from kepatuhan.pipeline.run import run
    from kepatuhan.pipeline.runtime.processes import _resource_tracker

    started, real = [], run_module.kernel_worker
    monkeypatch.setattr(run_module, "kernel_worker", lambda *args: started.append(real(*args)) or started[-1])
    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    (raw / "koreksi.csv").write_text("tahun;pemda;nilai\n2023;Kab. Kerinchi;75,03\n", encoding="utf-8")
    options = RunOptions(raw_dir=raw, reports_dir=tmp_path / "r", processed_dir=tmp_path / "p")
    assert run(options, []) == 2 and len(started) == 1

    def running(process) -> bool:  # an ended worker not reaped yet (a busy machine) is a zombie: it has ended
        try:
            return process.status() != psutil.STATUS_ZOMBIE
        except psutil.Error:
            return False

    left = [p for p in psutil.Process().children(recursive=True) if not _resource_tracker(p) and running(p)]
    assert left == []


def test_a_worker_without_a_kernel_starts_one_only_when_a_job_needs_it(tmp_path, monkeypatch):
    """A worker started without a kernel renders in-process briefs without one; the first job that needs a
    kernel (here a cell that writes to the console: a fallback) starts it, once."""
    from kepatuhan.pipeline.runtime import in_worker

    started, real = [], in_worker.WarmKernel

    def counted(**kwargs):
        started.append(1)
        return real(**kwargs)

    monkeypatch.setattr(in_worker, "WarmKernel", counted)
    monkeypatch.setattr(in_worker, "_worker_kernel", None)
    monkeypatch.setattr(in_worker, "_worker_problem", "")
    in_worker.start(60, str(tmp_path), kernel=False)
    here = in_worker.run(job_of(notebook(tmp_path / "a.ipynb", "'done'"), tmp_path, True))
    assert not here.error and here.profile["in_process"] and started == []
    try:
        for name in ("b", "c"):
            fallback = in_worker.run(job_of(notebook(tmp_path / f"{name}.ipynb", "print('hi')"), tmp_path, True))
            assert not fallback.error and not fallback.profile["in_process"]
        assert started == [1]
    finally:
        if in_worker._worker_kernel is not None:
            in_worker._worker_kernel.shutdown()


def test_a_run_mostly_of_pemda_briefs_keeps_one_kernel_and_a_run_of_notebooks_one_per_worker():
    """The run asks for one kernel worker when it renders at least BRIEFS_PER_KERNEL_NOTEBOOK pemda briefs in
    the workers per notebook that needs a kernel; else every worker keeps one (here no task needs another,
    so every notebook could run at once)."""
    import types

    from kepatuhan.pipeline.options import RunOptions
    from kepatuhan.pipeline.run import kernel_workers
    from kepatuhan.pipeline.steps import step

    def work(*names):
        return types.SimpleNamespace(
            to_run=[types.SimpleNamespace(step=step(name), id=f"{name}{i}", needs=()) for i, name in enumerate(names)]
        )

    assert kernel_workers(work("ingest", "declines", "brief", *["pemda_brief"] * 15), RunOptions()) == 1
    assert kernel_workers(work("ingest", "declines", "brief", *["pemda_brief"] * 14), RunOptions()) == 0
    assert kernel_workers(work(*["pemda_brief"] * 3), RunOptions()) == 1  # nothing needs a kernel but a fallback
    assert kernel_workers(work(*["pemda_brief"] * 3), RunOptions(keep_notebooks=True)) == 0  # kept: on kernels


def test_one_kernel_when_no_two_notebooks_can_run_at_once():
    """A province's ingest, declines and brief each need the one before: one kernel, whatever the number of
    pemda briefs; its brief in two languages (both after the declines) can use two."""
    import types

    from kepatuhan.pipeline.options import RunOptions
    from kepatuhan.pipeline.run import at_once, kernel_workers
    from kepatuhan.pipeline.steps import step

    def task(name, id, *needs):
        return types.SimpleNamespace(step=step(name), id=id, needs=needs)

    chain = [task("ingest", "ingest"), task("declines", "declines@p", "ingest"), task("brief", "brief@p", "declines@p")]
    briefs = [task("pemda_brief", f"pemda_brief@p/{i}", "declines@p") for i in range(2)]
    assert at_once(chain) == 1 and kernel_workers(types.SimpleNamespace(to_run=chain + briefs), RunOptions()) == 1
    english = chain + [task("brief", "brief@p.en", "declines@p")]
    assert at_once(english) == 2 and kernel_workers(types.SimpleNamespace(to_run=english + briefs), RunOptions()) == 0


def test_the_pemda_briefs_time_each_is_their_own_mean_not_the_run_shared_out(caplog, monkeypatch):
    """One pemda brief of 1.5 s beside province briefs in a 34.7 s run said '34.75 s each on average'."""
    import logging

    from kepatuhan.pipeline.run import log_summary
    from kepatuhan.pipeline.runtime.jobs import JobResult

    results = {
        "brief@2024/provinsi/jambi": JobResult("brief@2024/provinsi/jambi", 9.0),
        "pemda_brief@a": JobResult("pemda_brief@a", 1.0, profile={"in_process": True}),
        "pemda_brief@b": JobResult("pemda_brief@b", 2.0, profile={"in_process": True}),
    }
    # The run's logger keeps its own handlers and does not propagate once a run was started in this
    # process (earlier tests): listen on it directly.
    monkeypatch.setattr(logging.getLogger("kepatuhan"), "handlers", [caplog.handler])
    with caplog.at_level(logging.INFO, logger="kepatuhan"):
        log_summary(results, {"pemda_brief@a", "pemda_brief@b"}, 34.7)
    said = [record.getMessage() for record in caplog.records]
    assert "notebooks: 3 done, 0 failed in 34.7 s" in said
    assert "pemda briefs: 2, 1.50 s each on average (2 rendered in the worker, 0 on a kernel)" in said
