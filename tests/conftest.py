"""Shared fixtures: small raw folders written on the fly, and the shipped data."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from filelock import FileLock

from kepatuhan import settings
from kepatuhan.reference.methods import load_methods

HEADER = "tahun,provinsi,pemda,opd,nilai,kategori,zona,sumber,catatan\n"


def pipeline_cmd(*args: str) -> list[str]:
    """The command line of ``python pipeline.py ...``; ``run`` gets ``--no-progress`` (logs stay)."""
    extra = ["--no-progress"] if args and args[0] == "run" else []
    return [sys.executable, str(settings.ROOT / "pipeline.py"), *args, *extra]


def pipeline(*args: str, timeout: int = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python pipeline.py ...`` as a user would; returns the finished process."""
    return subprocess.run(pipeline_cmd(*args), capture_output=True, text=True, timeout=timeout, env=env)


def sharing(fixture: str) -> pytest.MarkDecorator:
    """The mark of the tests that read the costly module fixture ``fixture``: they run on one pytest-xdist worker
    (`--dist loadgroup`), so it is built once."""
    return pytest.mark.xdist_group(fixture)


def stopped_early(*args: str) -> subprocess.CompletedProcess:
    """``python pipeline.py ...`` for a command that stops before any notebook (bad options or data: exit 2 or 3),
    run in this process: the same exit code and messages, without a Python start and its imports for each case.

    A ``run`` is given ``--executor warm``, which starts no process here (the pool's first worker starts before
    the raw files are read, and a run that stops ends every process its own process started). The logging the
    command sets up is put back after it, for the tests that come next in this process.
    """
    from kepatuhan.pipeline import cli

    extra = ["--executor", "warm", "--no-progress"] if args and args[0] == "run" and "--executor" not in args else []
    package, papermill = logging.getLogger("kepatuhan"), logging.getLogger("papermill")
    kept = (package.handlers[:], package.level, package.propagate, papermill.level)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main([*args, *extra])
    finally:
        package.handlers[:], package.level, package.propagate = kept[:3]
        papermill.setLevel(kept[3])
    return subprocess.CompletedProcess(["pipeline.py", *args, *extra], code, out.getvalue(), err.getvalue())


def records(reports: Path) -> list[dict]:
    """The run history of a reports folder, oldest first."""
    path = reports / "runs.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def tree_hash(folder: Path, skip_failed: bool = False) -> dict[str, str]:
    """SHA-256 of every file below ``folder`` by relative path (``failed/`` left out if asked)."""
    hashes = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    return {k: v for k, v in hashes.items() if not (skip_failed and k.startswith("failed/"))}


#: The run every test that needs published briefs starts from: the shipped data for 2023 (the national
#: overview and Jambi), with the pemda brief of Kerinci.
PUBLISHED_RUN = ("run", "--year", "2023", "--province", "Jambi", "--province", "nasional", "--pemda", "Kab. Kerinci")


@dataclass(frozen=True)
class Published:
    """A run published once per test session: its folder (``reports``, ``processed``), how it went, the raw hashes before."""

    base: Path
    done: subprocess.CompletedProcess
    raw_before: dict[str, str]

    def copy(self, target: Path) -> Path:
        """A copy of the published reports and processed tables in ``target`` (which a test may change freely)."""
        for name in ("reports", "processed"):
            shutil.copytree(self.base / name, target / name)
        return target


@pytest.fixture(scope="session")
def published(tmp_path_factory, worker_id) -> Published:
    """One successful run of :data:`PUBLISHED_RUN` for the whole test session, shared by pytest-xdist's workers
    (the first to ask builds it under a lock, the others read what it wrote); tests read it, or
    :meth:`Published.copy` it to change it."""
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    base, facts = shared / "published", shared / "published.json"
    with FileLock(str(shared / "published.lock")):
        if not facts.exists():
            raw_before = tree_hash(settings.RAW_DIR)
            done = pipeline(*PUBLISHED_RUN, "--reports", str(base / "reports"), "--processed", str(base / "processed"))
            run = {"args": done.args, "returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
            facts.write_text(json.dumps({"done": run, "raw_before": raw_before}))
    written = json.loads(facts.read_text())
    done = subprocess.CompletedProcess(**written["done"])
    assert done.returncode == 0, done.stderr
    return Published(base, done, written["raw_before"])


@pytest.fixture(scope="session")
def methods():
    return load_methods()


@pytest.fixture
def raw(tmp_path: Path):
    """Write raw files into a fresh folder: ``raw({"a.csv": "text"})`` returns the folder."""

    def write(files: dict[str, str | bytes]) -> Path:
        folder = tmp_path / "raw"
        folder.mkdir(exist_ok=True)
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@pytest.fixture(scope="session")
def shipped_scores() -> pd.DataFrame:
    """The tidy scores of the shipped real data (data/raw)."""
    from kepatuhan.reading.ingest import ingest

    return ingest(settings.RAW_DIR).scores


@pytest.fixture(scope="session")
def demo_scores() -> pd.DataFrame:
    """The shipped real data with the illustrative examples (``--with-examples``)."""
    from kepatuhan.reading.ingest import ingest

    return ingest(settings.RAW_DIR, examples_dir=settings.EXAMPLES_DIR).scores


@pytest.fixture(scope="session")
def real_totals(shipped_scores) -> pd.DataFrame:
    """Only the real published pemda totals."""
    return shipped_scores[(shipped_scores["opd"] == "") & ~shipped_scores["illustrative"]]


def scores_frame(rows: list[tuple]) -> pd.DataFrame:
    """A tidy scores frame from (year, pemda, opd, score) tuples, classified with the real bands."""
    methods = load_methods()
    frame = pd.DataFrame(rows, columns=["year", "pemda", "opd", "score"])
    frame["province"] = "Jambi"
    frame["method"] = methods.method_for_years(frame["year"])
    frame[["grade", "zone"]] = methods.classify(frame["score"], frame["method"]).to_numpy()
    frame["illustrative"] = False
    return frame


def pytest_terminal_summary(terminalreporter):
    """Say how many hostile inputs and faults the reliability suite tried, and whether all passed."""
    reports = [r for key in ("passed", "failed", "error") for r in terminalreporter.stats.get(key, [])]
    faults = [r for r in reports if r.when == "call" and "faults" in r.keywords]
    if not faults:
        return
    from test_faults import HOSTILE

    failed = sum(1 for r in faults if r.failed)
    tried = len(faults) - 1 + len(HOSTILE)  # the hostile-text test feeds every HOSTILE string
    verdict = "all passed" if not failed else f"{failed} FAILED"
    terminalreporter.write_line(
        f"fault suite: {tried} hostile inputs and faults tried ({len(faults)} tests, {len(HOSTILE)} hostile strings): {verdict}"
    )
