"""Warm kernels, parallel and distributed briefs, incremental runs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from conftest import pipeline, sharing, stopped_early

from kepatuhan import catalog, settings
from kepatuhan.brief.export import export_html
from kepatuhan.pipeline.runtime.kernels import WarmKernel, execute
from kepatuhan.reading.ingest import ingest

pytestmark = pytest.mark.e2e
SHARES_SEQUENTIAL_BRIEFS = sharing("sequential_briefs")
PEMDA_BRIEF = settings.NOTEBOOKS_DIR / "brief_pemda.ipynb"
JAMBI = "2023/provinsi/jambi"


def notebook(path: Path, *sources: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": settings.KERNEL_NAME, "display_name": "k", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def processed(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("processed")
    catalog.save("scores", ingest(settings.RAW_DIR).scores, folder)
    return folder


def brief_parameters(processed: Path, pemda: str) -> dict:
    return {
        "processed_dir": str(processed),
        "year": 2023,
        "lang": "id",
        "province": "Jambi",
        "min_drop": 0.01,
        "compare_across_methods": False,
        "pemda": pemda,
    }


def test_nothing_leaks_from_one_notebook_to_the_next(tmp_path):
    dirty = notebook(
        tmp_path / "dirty.ipynb",
        "import os, matplotlib as mpl, pandas as pd\nleaked = 42\nmpl.rcParams['figure.figsize'] = (1, 1)\n"
        "pd.set_option('display.max_rows', 3)\nos.chdir('/')",
    )
    check = notebook(
        tmp_path / "check.ipynb",
        "import os, matplotlib as mpl, pandas as pd\nassert 'leaked' not in globals()\n"
        "assert tuple(mpl.rcParams['figure.figsize']) != (1, 1)\nassert pd.get_option('display.max_rows') == 60\n"
        f"assert os.getcwd() == {str(tmp_path)!r}",
        "'second cell'",
    )
    with WarmKernel(cwd=tmp_path, timeout=60) as warm:
        execute(dirty, tmp_path / "out1.ipynb", {}, 60, tmp_path, warm=warm)
        execute(check, tmp_path / "out2.ipynb", {}, 60, tmp_path, warm=warm)
    first = nbformat.read(tmp_path / "out2.ipynb", as_version=4).cells
    assert [c.execution_count for c in first] == [1, 2]


def test_a_brief_on_a_warm_kernel_equals_a_fresh_isolated_one(processed, tmp_path):
    execute(
        PEMDA_BRIEF,
        tmp_path / "fresh.ipynb",
        brief_parameters(processed, "Kabupaten Kerinci"),
        120,
        settings.NOTEBOOKS_DIR,
    )
    with WarmKernel(timeout=120) as warm:
        for pemda in ["Kota Jambi", "Kabupaten Kerinci"]:
            execute(
                PEMDA_BRIEF,
                tmp_path / f"warm-{pemda}.ipynb",
                brief_parameters(processed, pemda),
                120,
                settings.NOTEBOOKS_DIR,
                warm=warm,
            )
    export_html(tmp_path / "fresh.ipynb", tmp_path / "fresh.html", "t")
    export_html(tmp_path / "warm-Kabupaten Kerinci.ipynb", tmp_path / "warm.html", "t")
    assert (tmp_path / "fresh.html").read_text() == (tmp_path / "warm.html").read_text()


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """A Jambi 2023 run; without PDFs, which none of these tests reads (printing is tested with the briefs)."""
    return pipeline("run", "--year", "2023", "--province", "Jambi", "--no-pdf", *args, env=env)


def manifest(reports: Path) -> dict:
    return json.loads((reports / JAMBI / "manifest.json").read_text())


def steps_ran(reports: Path) -> set[str]:
    """The steps (and pemda) of the last run that published this brief, without the brief's folder."""
    return {task.replace(f"@{JAMBI}", "") for task in manifest(reports)["ran"]}


def ingest_ran(log: str) -> bool:
    """Whether the log of a run shows the ingest notebook running."""
    return re.search(r" ingest +\d+\.\d s", log) is not None


def test_incremental_runs_rerun_exactly_what_changed(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    common = [
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
        "--pemda",
        "Kerinci",
        "--pemda",
        "Kota Jambi",
    ]
    first = run(*common)
    assert first.returncode == 0, first.stderr
    assert steps_ran(tmp_path / "r") == {"declines", "brief", "pemda_brief/kabupaten-kerinci", "pemda_brief/kota-jambi"}
    published = (tmp_path / "r" / JAMBI / "brief.html").stat().st_mtime_ns

    again = run(*common)
    assert again.returncode == 0 and "tidak ada yang perlu dikerjakan" in again.stderr
    assert (tmp_path / "r" / JAMBI / "brief.html").stat().st_mtime_ns == published

    year_file = raw / "ombudsman_jambi" / "kepatuhan_2023.csv"
    year_file.write_text(year_file.read_text().replace("Kabupaten Kerinci,,75.03", "Kabupaten Kerinci,,75.13"))
    corrected = run(*common)
    assert corrected.returncode == 0, corrected.stderr
    assert "pemda_brief/kabupaten-kerinci" in steps_ran(tmp_path / "r") and "pemda_brief/kota-jambi" not in steps_ran(
        tmp_path / "r"
    )
    assert f"pemda_brief@{JAMBI}/kota-jambi" in manifest(tmp_path / "r")["up_to_date"]
    assert json.loads((tmp_path / "p" / "ingest-stamp.json").read_text())["tasks"]["ingest"]["status"] == "ran"
    assert "75,13" in (tmp_path / "r" / JAMBI / "pemda/kabupaten-kerinci.html").read_text()

    stricter = run(*common, "--min-drop", "0.5")
    assert stricter.returncode == 0, stricter.stderr
    assert {"declines", "brief", "pemda_brief/kota-jambi"} <= steps_ran(tmp_path / "r")
    assert not ingest_ran(stricter.stderr)

    forced = run(*common, "--min-drop", "0.5", "--force")
    assert forced.returncode == 0
    assert {"declines", "brief", "pemda_brief/kota-jambi"} <= steps_ran(tmp_path / "r") and ingest_ran(forced.stderr)


def test_a_band_change_reruns_everything(tmp_path):
    root = tmp_path / "project"
    for part in ["config", "notebooks", "data"]:
        shutil.copytree(settings.ROOT / part, root / part, ignore=shutil.ignore_patterns("*.parquet", "*.csv.tmp"))
    env = {**os.environ, "KEPATUHAN_ROOT": str(root)}
    common = [
        "--raw",
        str(root / "data/raw"),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
        "--notebooks",
        str(root / "notebooks"),
    ]
    assert run(*common, env=env).returncode == 0
    bands = root / "config" / "bands.csv"
    bands.write_text(bands.read_text().replace("opini_pengawasan,A,88,", "opini_pengawasan,A,89,"))
    done = run(*common, env=env)
    assert done.returncode == 0, done.stderr
    assert steps_ran(tmp_path / "r") == {"declines", "brief"} and ingest_ran(done.stderr)
    stamp = json.loads((tmp_path / "p" / "ingest-stamp.json").read_text())
    assert stamp["inventory"]["years"][-1] >= 2023


@pytest.fixture(scope="module")
def sequential_briefs(tmp_path_factory):
    base = tmp_path_factory.mktemp("seq")
    done = run("--reports", str(base / "r"), "--processed", str(base / "p"), "--all-pemda", "--executor", "warm")
    assert done.returncode == 0, done.stderr
    return base / "r" / JAMBI / "pemda"


def same_briefs(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.glob("*.html"))
    assert len(names) == 12 and names == sorted(p.name for p in b.glob("*.html"))
    for name in names:
        assert (a / name).read_text() == (b / name).read_text(), name


@SHARES_SEQUENTIAL_BRIEFS
def test_parallel_briefs_equal_sequential_ones(sequential_briefs, tmp_path):
    done = run("--reports", str(tmp_path / "r"), "--processed", str(tmp_path / "p"), "--all-pemda", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert "notebook: 15 selesai, 0 gagal" in done.stderr
    same_briefs(sequential_briefs, tmp_path / "r" / JAMBI / "pemda")


@SHARES_SEQUENTIAL_BRIEFS
def test_dask_executor_on_a_local_cluster_gives_the_same_briefs(sequential_briefs, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        done = run(
            "--reports",
            str(tmp_path / "r"),
            "--processed",
            str(tmp_path / "p"),
            "--all-pemda",
            "--executor",
            "dask",
            "--scheduler",
            cluster.scheduler_address,
        )
    assert done.returncode == 0, done.stderr
    assert "notebook: 15 selesai, 0 gagal" in done.stderr
    same_briefs(sequential_briefs, tmp_path / "r" / JAMBI / "pemda")
    assert (tmp_path / "r" / JAMBI / "brief.html").read_text() == (sequential_briefs.parent / "brief.html").read_text()


def test_dask_executor_needs_a_scheduler(tmp_path):
    done = stopped_early(
        "run", "--year", "2023", "--province", "Jambi", "--reports", str(tmp_path), "--executor", "dask"
    )
    assert done.returncode == 2 and "--scheduler" in done.stderr
