"""The run history: every run, whatever its outcome, appends one line to ``reports/runs.jsonl``.

A record says when the run started and ended (with the time zone), how it was called, its outcome
and exit code, what it ran, what was up to date and what it removed, how many data-quality notes and
warnings it had, where a failed notebook was kept, and the software version. Each run's log is kept
in ``reports/logs/`` (the last :data:`KEEP_LOGS`). ``--on-failure COMMAND`` runs a command when a run
fails, with the record on its standard input and in ``KEPATUHAN_*`` environment variables.

:class:`RunRecord` is also where exceptions become exit codes, in one place:
0 success, 1 failure, 2 bad input data or options, 3 busy, 128 + N stopped by signal N.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
import subprocess
import sys
import traceback
from datetime import datetime
from pathlib import Path

from kepatuhan import catalog
from kepatuhan.errors import DataError, EnvironmentProblem
from kepatuhan.pipeline import marks
from kepatuhan.pipeline.marks import now
from kepatuhan.pipeline.options import ALERT_TIMEOUT
from kepatuhan.pipeline.runtime.signals import Interrupted
from kepatuhan.pipeline.staging import Busy, read_json
from kepatuhan.settings import VERSION
from kepatuhan.translations import translate

log = logging.getLogger("kepatuhan")
KEEP_LOGS = 30
EXIT_OK, EXIT_FAILED, EXIT_DATA, EXIT_BUSY = 0, 1, 2, 3


class RunFailed(Exception):
    """Notebooks failed; ``kept`` lists the folders where their partial notebooks were kept."""

    def __init__(self, message: str, kept: list[Path] | None = None):
        super().__init__(message)
        self.kept = list(kept or [])

    def render(self, lang: str = "en") -> str:
        """The message in ``lang``, line by line (the indent kept)."""
        lines = str(self).splitlines()
        return "\n".join(line[: len(line) - len(line.lstrip())] + translate(line.strip(), lang) for line in lines)


class IsoFormatter(logging.Formatter):
    """Log lines that start with an ISO 8601 timestamp and the time zone, in the language of the run.

    A logged :class:`DataError` or :class:`EnvironmentProblem` is rendered in ``lang`` (its problems grouped);
    any other message is read through :mod:`kepatuhan.translations`.
    """

    def __init__(self, fmt: str, lang: str = "en"):
        super().__init__(fmt)
        self.lang = lang

    def format(self, record) -> str:
        record = logging.makeLogRecord(record.__dict__)
        args = record.args if isinstance(record.args, tuple) else ()
        rendered = tuple(a.render(self.lang) if isinstance(a, DataError | EnvironmentProblem) else a for a in args)
        text = str(record.msg) % rendered if rendered else str(record.msg)
        record.msg, record.args = text if rendered and rendered != args else translate(text, self.lang), None
        return super().format(record)

    def formatTime(self, record, datefmt=None):
        return datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="seconds")


class WarningCounter(logging.Handler):
    """Counts the warnings and errors logged during a run."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record) -> None:
        self.count += 1


#: Errors of the machine, not of the project: a run that meets one anywhere ends with one line naming the path.
MACHINE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def classify(exc: BaseException | None, lang: str = "en", published: list[str] = ()) -> tuple[str, int, str]:
    """(outcome, exit code, message in ``lang``) of a run that ended with ``exc`` (None: it succeeded);
    ``published``: what the run had published when it ended (a stopped run says so)."""
    if exc is None:
        return "success", EXIT_OK, ""
    if isinstance(exc, DataError) and exc.about_options():
        return "bad_options", EXIT_DATA, exc.render(lang)
    if isinstance(exc, OSError) and exc.errno in MACHINE_ERRORS:  # a full disk anywhere: one line with the path
        exc = EnvironmentProblem.from_os_error(exc, exc.filename or "?", "write the outputs")
    table = [
        (DataError, "bad_data", EXIT_DATA),
        (Busy, "busy", EXIT_BUSY),
        (RunFailed, "failed", EXIT_FAILED),
        (EnvironmentProblem, "environment", EXIT_FAILED),
    ]
    for kind, outcome, code in table:
        if isinstance(exc, kind):
            return outcome, code, exc.render(lang) if hasattr(exc, "render") else translate(str(exc), lang)

    if isinstance(exc, KeyboardInterrupt):
        code = exc.exit_code if isinstance(exc, Interrupted) else 130
        if published:
            return (
                "interrupted",
                code,
                translate(
                    f"interrupted by signal {code - 128}: published before the stop: "
                    f"{', '.join(published)}; the rest keeps its previous version; "
                    "temporary files were removed",
                    lang,
                ),
            )
        return (
            "interrupted",
            code,
            translate(
                f"interrupted by signal {code - 128}: the previous outputs are untouched; temporary files were removed",
                lang,
            ),
        )
    return "error", EXIT_FAILED, f"internal error: {type(exc).__name__}: {exc}"


class RunRecord:
    """One run's record and log; as a context manager it turns the run's exception into its exit code."""

    def __init__(
        self,
        reports_dir: Path,
        argv: list[str],
        on_failure: str = "",
        keep_logs: int = KEEP_LOGS,
        lang: str = "en",
        alert_timeout: float = ALERT_TIMEOUT,
    ):
        self.reports = Path(reports_dir)
        self.on_failure, self.keep_logs, self.lang = on_failure, keep_logs, lang
        self.alert_timeout = alert_timeout
        #: What the run has published so far (the run's staging fills it in).
        self.published: list[str] = []
        self.fields: dict = {
            "started": now(),
            "command": " ".join(["pipeline.py", *argv]),
            "argv": list(argv),
            "pid": os.getpid(),
        }
        self.exit_code = EXIT_OK
        self._counter, self._file = WarningCounter(), None

    def update(self, **fields) -> None:
        """Add facts to the record (what ran, years, quality notes...)."""
        self.fields.update(fields)

    def __enter__(self) -> RunRecord:
        logging.getLogger("kepatuhan").addHandler(self._counter)
        with contextlib.suppress(OSError):
            folder = catalog.path("logs", self.reports)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{datetime.now().strftime('%Y%m%dT%H%M%S')}-{os.getpid()}.log"
            self._file = logging.FileHandler(path, encoding="utf-8")
            self._file.setFormatter(IsoFormatter("%(asctime)s %(levelname)s %(message)s", self.lang))
            logging.getLogger("kepatuhan").addHandler(self._file)
            self.fields["log"] = str(path)
        marks.write(self.reports, self.fields["started"])
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        outcome, self.exit_code, message = classify(exc, self.lang, self.published)
        outcome = self.fields.pop("outcome", outcome) if exc is None else outcome
        if exc is not None:
            log.error("%s", message)
            if outcome == "error" and self._file is not None:
                self._file.stream.write("".join(traceback.format_exception(exc)))
        self.fields.update(
            outcome=outcome,
            exit_code=self.exit_code,
            message=summary(exc, message, self.lang),
            finished=now(),
            warnings=self._counter.count,
            version=_version(),
        )
        self._close_log()
        self._append()
        with contextlib.suppress(OSError):  # no folder for it (the reports folder is a file): never written
            self._marker().unlink(missing_ok=True)
        if self.exit_code != EXIT_OK and self.on_failure:
            self._alert()
        return exc is None or isinstance(exc, Exception | KeyboardInterrupt)

    def _close_log(self) -> None:
        logging.getLogger("kepatuhan").removeHandler(self._counter)
        if self._file is not None:
            logging.getLogger("kepatuhan").removeHandler(self._file)
            self._file.close()
            logs = sorted(Path(self.fields["log"]).parent.glob("*.log"))
            for old in logs[: max(len(logs) - self.keep_logs, 0)]:
                old.unlink(missing_ok=True)

    def _marker(self, pid: int | None = None) -> Path:
        """The file that says a run is under way (its process id in the name), from its start to its record."""
        return marks.path(self.reports, pid)

    def record_killed(self, cleaned: list[int]) -> None:
        """Record every earlier run killed before it recorded itself: those whose leftovers were just ``cleaned``
        and those whose mark of a run under way names a process that is gone. A mark is removed only after its
        record is written, and a run already recorded is not recorded again: a run killed while it recorded
        others neither loses their records nor doubles them."""
        killed = {pid: "" for pid in cleaned}
        for marker in catalog.path("logs", self.reports).glob(f"{marks.RUNNING_PREFIX}*"):
            pid = marker.name[len(marks.RUNNING_PREFIX) :]
            mark = read_json(marker)
            if not pid.isdigit() or int(pid) == os.getpid() or marks.under_way(int(pid), mark):
                continue  # not a run's mark, this run's own, or a run still under way
            killed[int(pid)] = killed.get(int(pid)) or str(mark.get("started", ""))
        if not killed:  # the usual case: the history is not read
            return
        recorded = {(r.get("pid"), r.get("started", "")) for r in read(self.reports) if r.get("outcome") == "killed"}
        for pid, started in killed.items():
            if (pid, started) not in recorded:
                self.killed(pid, started)
            self._marker(pid).unlink(missing_ok=True)

    def killed(self, pid: int, started: str = "") -> None:
        """Record an earlier run that was killed before it could record itself (its leftovers were just cleaned)."""
        log.warning("run %d was killed before it finished; its temporary files were removed", pid)
        self._append(
            {
                "started": started,
                "finished": now(),
                "pid": pid,
                "outcome": "killed",
                "exit_code": None,
                "message": f"killed before it finished (kill -9 or power loss); found and cleaned by run {os.getpid()}",
                "version": _version(),
            }
        )

    def _append(self, fields: dict | None = None) -> None:
        """Append a record (this run's by default) to ``runs.jsonl`` in one write (safe when runs overlap)."""
        line = (json.dumps(fields or self.fields, ensure_ascii=False, allow_nan=False, default=str) + "\n").encode(
            "utf-8"
        )
        try:
            self.reports.mkdir(parents=True, exist_ok=True)
            handle = os.open(catalog.path("runs", self.reports), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(handle, line)
            finally:
                os.close(handle)
        except OSError as exc:
            print(f"could not record the run in {catalog.path('runs', self.reports)}: {exc}", file=sys.stderr)

    def _alert(self) -> None:
        """Run the ``--on-failure`` command with the record on stdin and in environment variables."""
        record = json.dumps(self.fields, ensure_ascii=False, default=str)
        env = {
            **os.environ,
            "KEPATUHAN_RECORD": record,
            "KEPATUHAN_OUTCOME": self.fields["outcome"],
            "KEPATUHAN_EXIT_CODE": str(self.exit_code),
            "KEPATUHAN_MESSAGE": self.fields["message"],
            "KEPATUHAN_LOG": self.fields.get("log", ""),
        }
        try:
            alert = subprocess.Popen(
                self.on_failure,
                shell=True,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                start_new_session=True,
            )
        except OSError as exc:
            print(f"--on-failure command could not run: {exc}", file=sys.stderr)
            return
        try:
            _, err = alert.communicate(record, timeout=self.alert_timeout)
        except subprocess.TimeoutExpired:
            end_group(alert)
            print(
                f"--on-failure command still running after {self.alert_timeout:g} s: stopped, with the "
                "processes it started",
                file=sys.stderr,
            )
            return
        if alert.returncode:
            print(f"--on-failure command exited {alert.returncode}: {err.strip()[:300]}", file=sys.stderr)


def end_group(process: subprocess.Popen) -> None:
    """End a command run in its own session and every process it started: SIGTERM, then SIGKILL after 2 s."""
    for sig, wait in ((signal.SIGTERM, 2), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(OSError):  # what it started may outlive it: the group still names them
        os.killpg(process.pid, signal.SIGKILL)


def summary(exc: BaseException | None, message: str, lang: str = "en") -> str:
    """One line for the record: the first problem of bad data (and how many there were), else the first line."""
    if isinstance(exc, DataError) and exc.problems:
        more = translate(f"and {len(exc.problems) - 1} more", lang) if len(exc.problems) > 1 else ""
        return exc.problems[0].render(lang).splitlines()[0] + (f" ({more})" if more else "")
    return message.splitlines()[0] if message else ""


def _version() -> str:
    return VERSION


def read(reports_dir: Path, last: int = 0) -> list[dict]:
    """The recorded runs, oldest first (the last ``last`` only, when given); a line that is not a JSON object
    (damaged bytes, an array, a number) is skipped."""
    try:
        lines = catalog.path("runs", reports_dir).read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return []
    records = []
    for line in lines[-last:] if last else lines:
        with contextlib.suppress(ValueError):
            found = json.loads(line)
            if isinstance(found, dict):
                records.append(found)
    return records
