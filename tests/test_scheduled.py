"""Scheduled runs a person can trust without watching: every outcome recorded, status for monitoring,
alerts on failure, clean stops that leave no process behind, environment failures as one clear line."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from conftest import pipeline, pipeline_cmd, records, sharing, stopped_early

from kepatuhan import settings

pytestmark = [pytest.mark.faults, pytest.mark.e2e]
SHARES_BUILT = sharing("built")
SCOPE = ("--year", "2023", "--province", "Jambi")


def folders(tmp: Path) -> list[str]:
    return ["--reports", str(tmp / "r"), "--processed", str(tmp / "p")]


@pytest.fixture(scope="module")
def built(tmp_path_factory, published):
    """A copy of the published briefs (Jambi 2023 with Kerinci's) and the run history of making them and running
    again, for Jambi, with nothing to do."""
    base = tmp_path_factory.mktemp("built")
    published.copy(base)
    (base / "reports").rename(base / "r")
    (base / "processed").rename(base / "p")
    raw = base / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    common = ["run", *SCOPE, "--raw", str(raw), *folders(base)]
    second = pipeline(*common)
    assert second.returncode == 0, second.stderr
    return base, raw, common, second


@SHARES_BUILT
def test_success_and_nothing_to_do_are_both_recorded_with_their_facts(built):
    base, _, _, second = built
    first, again = records(base / "r")[-2:]
    assert (first["outcome"], first["exit_code"], again["outcome"]) == ("success", 0, "nothing_to_do")
    for key in (
        "started",
        "finished",
        "command",
        "years",
        "provinces",
        "ran",
        "up_to_date",
        "quality_notes",
        "warnings",
        "version",
        "log",
    ):
        assert key in first, key
    assert first["started"].endswith("+00:00") or first["started"][-6] in "+-"  # with its time zone
    assert first["years"] == [2023] and first["provinces"] == ["Jambi", "nasional"] and len(first["ran"]) == 6
    assert again["provinces"] == ["Jambi"] and again["up_to_date"] == 4  # ingest, declines, brief and Kerinci's brief
    assert "tidak ada yang perlu dikerjakan" in second.stderr


@pytest.mark.parametrize("names", [(), ("--province", "Jambi", "--pemda", "Kab. Kerinci")])
def test_a_run_with_nothing_to_do_imports_no_pandas(tmp_path, published, names):
    """A scheduled run most often finds nothing to do: it hashes its inputs and stops, in a third of a second.
    It imports no pandas (0.5 s) and, with no name to resolve, does not load the gazetteer; with names, the
    gazetteer is read without pandas."""
    base = published.copy(tmp_path)
    unused = "('pandas', 'numpy')" if names else "('pandas', 'numpy', 'kepatuhan.reference.gazetteer')"
    code = (
        "import sys; from kepatuhan.pipeline import cli; assert cli.main(sys.argv[1:]) == 0; "
        f"loaded = [m for m in {unused} if m in sys.modules]; assert not loaded, loaded"
    )
    args = [
        "run",
        "--year",
        "2023",
        *names,
        "--no-progress",
        "--reports",
        str(base / "reports"),
        "--processed",
        str(base / "processed"),
    ]
    if not names:  # every province of 2023, not only the session's Jambi and national overview: publish them first
        assert pipeline(*args).returncode == 0
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=settings.ROOT)
    assert done.returncode == 0, done.stderr
    assert records(base / "reports")[-1]["outcome"] == "nothing_to_do"


@SHARES_BUILT
def test_each_run_keeps_its_own_log_with_iso_timestamps(built):
    base, _, _, _ = built
    logs = sorted((base / "r" / "logs").glob("*.log"))
    assert len(logs) >= 2
    first_line = logs[0].read_text(encoding="utf-8").splitlines()[0]
    assert first_line[:4].isdigit() and first_line[10] == "T" and first_line[19] in "+-Z"


@pytest.mark.parametrize(
    ("extra", "outcome", "code"),
    [
        (["--min-drop", "nan"], "bad_options", 2),
        (["--min-drop", "inf"], "bad_options", 2),
        (["--cell-timeout", "0"], "bad_options", 2),
        (["--pemda", "Atlantis"], "bad_options", 2),
        (["--province", "Jamby"], "bad_options", 2),
        (["--year", "2020"], "bad_options", 2),
        (["--jobs", "x"], "bad_options", 2),
        (["--no-such-option"], "bad_options", 2),
    ],
)
def test_bad_options_stop_before_any_notebook_and_are_recorded(tmp_path, extra, outcome, code):
    args = [
        "run",
        *[a for a in SCOPE if a not in ("--province", "Jambi") or "--province" not in extra],
        *extra,
        *folders(tmp_path),
    ]
    done = stopped_early(*args)
    assert done.returncode == code and "Traceback" not in done.stderr
    assert not (tmp_path / "r" / "2023").exists() and not list((tmp_path / "r").glob("*/*/*/failed"))
    assert records(tmp_path / "r")[-1]["outcome"] == outcome


def test_a_province_in_lower_case_works_and_a_typo_names_the_closest(tmp_path):
    done = pipeline("run", "--year", "2023", "--province", "jambi", *folders(tmp_path))
    assert done.returncode == 0, done.stderr
    typo = stopped_early("run", "--province", "Jamby", *folders(tmp_path))
    assert typo.returncode == 2 and "yang paling mirip: Jambi" in typo.stderr


@SHARES_BUILT
def test_a_failure_runs_the_alert_with_the_record_and_a_success_does_not(tmp_path, built):
    _, raw, _, _ = built
    alert = f'cat > {tmp_path / "mail.json"}; echo "$KEPATUHAN_OUTCOME $KEPATUHAN_EXIT_CODE" > {tmp_path / "env.txt"}'
    bad = tmp_path / "raw"
    shutil.copytree(raw, bad)
    (bad / "koreksi.csv").write_text("tahun;pemda;nilai\n2023;Kab. Kerinchi;75,03\n")
    failed = pipeline("run", *SCOPE, "--raw", str(bad), *folders(tmp_path), "--on-failure", alert)
    assert failed.returncode == 2
    sent = json.loads((tmp_path / "mail.json").read_text())
    assert sent["outcome"] == "bad_data" and "Kerinchi" in sent["message"]
    assert (tmp_path / "env.txt").read_text().split() == ["bad_data", "2"]
    (tmp_path / "mail.json").unlink()
    ok = pipeline("run", *SCOPE, "--raw", str(raw), *folders(tmp_path), "--on-failure", alert)
    assert ok.returncode == 0 and not (tmp_path / "mail.json").exists()


def test_an_alert_that_hangs_is_stopped_at_its_time_limit_with_what_it_started(tmp_path):
    """``--on-failure 'sleep 600'`` once held the run 120 s and was left running; now it has a limit and its
    whole process group ends with it."""
    marker = f"{os.getpid() % 1000 + 6000}.5"  # a sleep no other process runs
    alert = f"sleep {marker} & sleep {marker}"
    started = time.monotonic()
    done = pipeline("run", "--min-drop", "500", *folders(tmp_path), "--on-failure", alert, "--on-failure-timeout", "2")
    assert done.returncode == 2 and "--min-drop" in done.stderr
    assert "--on-failure command still running after 2 s: stopped" in done.stderr
    assert time.monotonic() - started < 60
    time.sleep(0.5)
    left = subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True, text=True)
    assert left.stdout.strip() == "", left.stdout


def status(base: Path, raw: Path, *extra: str) -> subprocess.CompletedProcess:
    return pipeline("status", "--raw", str(raw), "--reports", str(base / "r"), "--processed", str(base / "p"), *extra)


@SHARES_BUILT
def test_status_is_0_when_current_and_1_when_stale_or_failed(built, tmp_path):
    base, raw, common, _ = built
    current = status(base, raw)
    assert current.returncode == 0 and "Status: OK" in current.stdout and "2023/provinsi/jambi" in current.stdout
    changed = tmp_path / "raw"
    shutil.copytree(raw, changed)
    year = changed / "ombudsman_jambi" / "kepatuhan_2023.csv"
    year.write_text(year.read_text().replace("Kabupaten Kerinci,,75.03", "Kabupaten Kerinci,,75.13"))
    stale = status(base, changed, "--json")
    state = json.loads(stale.stdout)
    assert stale.returncode == 1 and not state["briefs"][0]["current"]
    assert state["briefs"][0]["changed_inputs"] == ["ombudsman_jambi/kepatuhan_2023.csv"]
    pipeline(
        "run",
        *SCOPE,
        "--raw",
        str(raw),
        "--reports",
        str(base / "r"),
        "--processed",
        str(base / "p"),
        "--pemda",
        "Atlantis",
    )
    failed = status(base, raw)
    assert failed.returncode == 1 and "Kegagalan sejak keberhasilan terakhir: 1" in failed.stdout
    english = status(base, raw, "--lang", "en")  # the run log's language by default, English on request
    assert "Failures since the last success: 1" in english.stdout and "Published briefs:" in english.stdout


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path):
    args = [a for a in pipeline_cmd("run", *SCOPE, *folders(tmp_path)) if a != "--no-progress"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "\r" not in done.stderr and "nb/s" not in done.stderr


def test_jobs_above_the_work_are_capped_and_said(tmp_path):
    done = pipeline("run", *SCOPE, *folders(tmp_path), "--jobs", "64")
    assert done.returncode == 0 and "--jobs 64 dibatasi menjadi" in done.stderr


def descendants(pid: int) -> set[int]:
    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.Error:
        return set()


def alive(pids: set[int]) -> list[int]:
    found = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                found.append(pid)
        except psutil.Error:
            pass
    return found


def alive_after(pids: set[int], seconds: float) -> list[int]:
    """The processes of ``pids`` still alive ``seconds`` from now, looked at every 0.05 s: returns as soon as none
    is (a process that has ended stays ended, so looking again later could only find the same)."""
    deadline = time.monotonic() + seconds
    while (left := alive(pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def start_and_wait_for_kernels(tmp_path: Path, kernels: int = 1) -> tuple[subprocess.Popen, set[int]]:
    """Start a run with two workers and return once its kernels are running (the handler must survive them):
    one, as a run of one province keeps a kernel in one worker (its notebooks run one after the other)."""
    run = subprocess.Popen(
        pipeline_cmd("run", *SCOPE, *folders(tmp_path), "--all-pemda", "--jobs", "2"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen, deadline = set(), time.monotonic() + 90
    while time.monotonic() < deadline:
        seen |= descendants(run.pid)
        started = [
            p for p in seen if p in descendants(run.pid) and "ipykernel" in " ".join(psutil.Process(p).cmdline())
        ]
        if len(started) >= kernels:
            break
        time.sleep(0.2)
    time.sleep(2.0)  # into the notebooks
    return run, seen | descendants(run.pid)


def test_sigterm_after_the_kernels_started_stops_cleanly_and_leaves_no_process(tmp_path):
    run, seen = start_and_wait_for_kernels(tmp_path)
    assert len(seen) >= 3, seen  # a worker, its kernel and the resource tracker (the second worker may not be up yet)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 143 and "dihentikan oleh sinyal 15" in err and "Traceback" not in err
    assert not list((tmp_path / "r").glob(".staging-*")) and not list((tmp_path / "r").glob(".processes-*"))
    assert alive_after(seen, 1.0) == []
    assert records(tmp_path / "r")[-1]["outcome"] == "interrupted"


def test_a_killed_run_leaves_no_process_and_the_next_run_cleans_and_records_it(tmp_path):
    run, seen = start_and_wait_for_kernels(tmp_path)
    run.send_signal(signal.SIGKILL)
    run.communicate(timeout=60)
    deadline = time.monotonic() + 15
    while alive(seen) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert alive(seen) == [], "workers and kernels end themselves once their run is gone"
    done = pipeline("run", *SCOPE, *folders(tmp_path))
    assert done.returncode == 0, done.stderr
    assert not list((tmp_path / "r").glob(".staging-*"))
    killed = [r for r in records(tmp_path / "r") if r["outcome"] == "killed"]
    assert len(killed) == 1 and killed[0]["pid"] == run.pid


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("reports-is-a-file", "ada berkas di tempat yang seharusnya folder"),
        ("reports-year-is-a-file", "adalah berkas, bukan folder"),
        ("processed-not-writable", "tidak ada izin menulis di sana"),
        ("reports-not-writable", "tidak ada izin menulis di sana"),
        ("no-notebooks", "folder notebooks tidak ada"),
        ("dask-unreachable", "scheduler Dask tidak dapat dihubungi"),
    ],
)
def test_environment_failures_are_one_clear_line(tmp_path, where, expected):
    reports, processed, extra = tmp_path / "r", tmp_path / "p", []
    if where == "reports-is-a-file":
        reports.write_text("not a folder")
    elif where == "reports-year-is-a-file":
        (reports / "2023").parent.mkdir()
        (reports / "2023").write_text("not a folder")
    elif where == "processed-not-writable":
        processed = Path("/sys/kepatuhan-processed")  # a folder root cannot create
    elif where == "reports-not-writable":
        reports = Path("/sys/kepatuhan-reports")
    elif where == "no-notebooks":
        extra = ["--notebooks", str(tmp_path / "missing")]
    else:
        extra = ["--executor", "dask", "--scheduler", "tcp://127.0.0.1:9"]
    done = pipeline("run", *SCOPE, "--reports", str(reports), "--processed", str(processed), *extra, timeout=120)
    assert done.returncode == 1, done.stderr
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.rglob(".staging-*")) and not list(tmp_path.rglob("*.tmp"))


def busy_core(seconds: float) -> subprocess.Popen:
    """A CPU-bound process beside the run: the machine of a CI job that shares its two cores."""
    return subprocess.Popen(
        [sys.executable, "-c", f"import time\nend = time.time() + {seconds}\nwhile time.time() < end: pass"]
    )


#: Ten moments of a run's first 5 s, in seconds from its start.
KILL_MOMENTS = (0.05, 0.4, 0.6, 0.9, 1.3, 1.8, 2.4, 3.0, 3.8, 4.8)


def kill_at(moment: float, folder: Path, mark: str) -> tuple[int, bool]:
    """Start a run in ``folder``, ``kill -9`` it ``moment`` s later, and fail if any process of it is alive 3 s
    later (a process started after the last look is found by its command line); its pid and whether it had
    left its mark of a run under way."""
    run = subprocess.Popen(
        pipeline_cmd("run", *SCOPE, *folders(folder), "--all-pemda", "--jobs", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, RUN_MARK: mark},
    )
    seen, deadline = set(), time.monotonic() + moment
    while time.monotonic() < deadline:
        seen |= descendants(run.pid)
        time.sleep(0.02)
    seen |= descendants(run.pid)
    run.kill()
    run.wait(30)
    marked = (folder / "r" / "logs" / f".running-{run.pid}").exists()
    left = alive_after(seen, 3.0)
    if left:
        details = [" ".join(psutil.Process(p).cmdline())[:120] for p in left]
        pytest.fail(f"alive 3 s after the run was killed at {moment} s: {details}")
    return run.pid, marked


def test_a_run_killed_at_any_moment_of_its_start_leaves_no_process_behind(tmp_path):
    """``kill -9`` at ten moments of a run's first 5 s, one run after another in the same folders, one core kept
    busy: 3 s after each kill no process of that run is alive (workers and kernels know their run's id from
    their very start), and every killed run is recorded as ``killed`` once, by the run after it that got far
    enough or by the last one. Only a run killed in Python's own start (before pipeline.py ran a line) leaves
    no mark to record it by."""
    since, mark = time.time() - 0.5, str(tmp_path)
    busy = busy_core(sum(KILL_MOMENTS) + 3.5 * len(KILL_MOMENTS) + 30)
    try:
        killed = {moment: kill_at(moment, tmp_path, mark) for moment in KILL_MOMENTS}
    finally:
        busy.kill()
    assert orphans(since=since, mark=mark) == []
    done = pipeline("run", *SCOPE, *folders(tmp_path))
    assert done.returncode == 0, done.stderr
    outcomes = {}
    for record in records(tmp_path / "r"):
        outcomes.setdefault(record["pid"], []).append(record["outcome"])
    for moment, (pid, marked) in killed.items():
        if marked:  # it had left its mark (pipeline.py's first lines): a later run records its death
            assert outcomes.get(pid) == ["killed"], (moment, outcomes.get(pid))
        else:  # killed in the interpreter's own start: nothing to record it by (0.06-0.15 s to the mark, busy)
            assert moment < 0.4 and pid not in outcomes, (moment, outcomes.get(pid))
    assert not list((tmp_path / "r" / "logs").glob(".running-*"))


@pytest.mark.parametrize("moment", [0.08, 0.25, 0.6, 1.0, 1.6, 2.5])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_a_signal_at_any_moment_stops_the_run_with_one_line_and_a_record(tmp_path, moment, signum):
    """Ctrl-C (to the whole process group, as a terminal sends it) or SIGTERM from the first tenth of a second:
    one line, exit 128 + the signal, the run recorded, no traceback from any process, nothing staged left."""
    run = subprocess.Popen(
        pipeline_cmd("run", *SCOPE, *folders(tmp_path), "--all-pemda", "--no-progress"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    seen, deadline = set(), time.monotonic() + moment
    while time.monotonic() < deadline:
        seen |= descendants(run.pid)
        time.sleep(0.02)
    os.killpg(run.pid, signum)
    seen |= descendants(run.pid)
    _, err = run.communicate(timeout=120)
    assert run.returncode == 128 + signum, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert f"sinyal {int(signum)}" in err
    reports = tmp_path / "r"
    assert [r["outcome"] for r in records(reports)] == ["interrupted"]
    assert not list(reports.glob(".staging-*")) and not list((reports / "logs").glob(".running-*"))
    assert not alive_after(seen, 1.0)


#: The environment variable that tells one test's run (and every process it starts) from another's.
RUN_MARK = "KEPATUHAN_TEST_RUN"

#: What the processes of a run look like: its workers, its kernels, multiprocessing's resource tracker.
RUN_PROCESSES = ("spawn_main", "ipykernel_launcher", "resource_tracker", "pipeline.py")


def orphans(since: float, mark: str) -> list[str]:
    """Processes of the pipeline run whose environment holds ``mark`` (not another test's run beside it), started
    after ``since``, whose parent is not one of a run's processes (their run is gone: they were handed to init
    or a subreaper), by command line."""
    found = []
    for process in psutil.process_iter(["cmdline", "ppid", "create_time"]):
        command = " ".join(process.info["cmdline"] or [])
        ours = command.startswith(str(Path(sys.executable).parent))  # this environment's (not another checkout's)
        if process.info["create_time"] < since or not ours or not any(mark in command for mark in RUN_PROCESSES[:3]):
            continue
        try:
            if process.environ().get(RUN_MARK) != mark:
                continue
        except psutil.Error:
            continue
        try:
            parent = " ".join(psutil.Process(process.info["ppid"]).cmdline())
        except psutil.Error:
            parent = ""
        if not any(mark in parent for mark in RUN_PROCESSES):
            found.append(command[:120])
    return found


def test_a_run_is_marked_from_the_first_lines_and_only_a_run_keeps_its_mark(tmp_path):
    """The mark of a run under way is written before the run's modules load, in the reports folder its
    arguments name (never inside the raw folder), and a run that ends without its record leaves none."""
    from kepatuhan.pipeline import marks

    reports = tmp_path / "r"
    mark = marks.early(["run", "--year", "2023", "--reports", str(reports)])
    assert mark == reports / "logs" / f"{marks.RUNNING_PREFIX}{os.getpid()}"
    assert json.loads(mark.read_text())["created"] == psutil.Process().create_time()
    assert marks.under_way(os.getpid(), json.loads(mark.read_text()))
    marks.remove(mark)
    assert marks.early(["status", "--reports", str(reports)]) is None
    raw = tmp_path / "raw"
    assert marks.early(["run", "--raw", str(raw), f"--reports={raw / 'out'}"]) is None
    assert not (raw / "out").exists()
    for argv in (["--help"], ["--no-such-option"]):  # ended by the parser, before any record
        done = pipeline("run", "--reports", str(reports), *argv)
        assert done.returncode in (0, 2), done.stderr
        assert not list(reports.glob("logs/.running-*"))


def test_a_mark_left_by_a_process_that_is_only_an_exit_status_is_a_killed_run():
    """A killed run whose parent has not collected it yet (a zombie) is not under way."""
    from kepatuhan.pipeline import marks

    child = subprocess.Popen([sys.executable, "-c", "pass"])
    mark = {"created": psutil.Process(child.pid).create_time()}
    deadline = time.monotonic() + 10
    while psutil.Process(child.pid).status() != psutil.STATUS_ZOMBIE and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not marks.under_way(child.pid, mark)
    child.wait()


def test_a_killed_run_is_recorded_once_though_the_run_recording_it_was_killed_midway(tmp_path):
    """A run killed after it recorded an earlier killed run, but before it removed that run's mark, leaves the
    mark: the next run removes it without a second record, and records the runs not recorded yet."""
    from kepatuhan.pipeline.run_record import RunRecord, read

    logs, started = tmp_path / "logs", "2026-12-07T10:00:00+00:00"
    logs.mkdir()
    dead = []
    for _ in range(2):
        process = subprocess.Popen([sys.executable, "-c", "pass"])
        process.wait()
        (logs / f".running-{process.pid}").write_text(json.dumps({"started": started, "created": 1.0}))
        dead.append(process.pid)
    record = RunRecord(tmp_path, ["run"], "")
    record.killed(dead[0], started)  # what the run killed midway had written
    record.record_killed([])
    assert sorted(r["pid"] for r in read(tmp_path) if r["outcome"] == "killed") == sorted(dead)
    assert not list(logs.glob(".running-*"))
