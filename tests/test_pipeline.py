"""The pipeline end to end on the shipped data, as a user runs it: files, manifest, exit codes."""

from __future__ import annotations

import hashlib
import json
import shutil

import nbformat
import pandas as pd
import pytest
from conftest import pipeline, tree_hash

from kepatuhan import config

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """One full run on the shipped data, with one pemda brief, into a temporary folder."""
    base = tmp_path_factory.mktemp("run")
    raw_before = tree_hash(config.RAW_DIR)
    done = pipeline("run", "--reports", str(base / "reports"), "--processed", str(base / "processed"),
                    "--pemda", "Kab. Kerinci")  # fmt: skip
    return base, done, raw_before


def test_run_succeeds_and_writes_every_output(good_run):
    base, done, _ = good_run
    assert done.returncode == 0, done.stderr
    year = base / "reports" / "2023"
    for name in ["brief.html", "brief.ipynb", "flags.csv", "flags.xlsx", "zone_distribution.csv", "manifest.json",
                 "run.log", "figures/zone_distribution.png", "figures/zone_distribution.svg", "figures/ranking.png",
                 "figures/map.png", "figures/map.svg", "figures/declines.png", "pemda/kabupaten-kerinci.html",
                 "notebooks/01_ingest.ipynb"]:  # fmt: skip
        assert (year / name).is_file(), name
    assert {p.name for p in (base / "processed").iterdir()} >= {"scores.parquet", "scores.csv", "quality.csv"}
    assert not list((base / "reports").glob(".staging-*"))
    assert "[4/4] brief" in done.stderr and "[4/4] brief" in (year / "run.log").read_text()


def test_brief_html_reads_offline_without_code(good_run):
    base, _, _ = good_run
    page = (base / "reports" / "2023" / "brief.html").read_text(encoding="utf-8")
    assert "Ringkasan kepatuhan pelayanan publik 2023" in page
    assert "8 pemda dan" in page and "Turun zona: Kabupaten Kerinci, Kota Sungai Penuh" in page
    assert "DATA ILUSTRASI" in page
    assert "data:image/png;base64" in page
    assert "<script src=\"http" not in page and "cdnjs" not in page
    assert "load_scores" not in page and "brief.prepare" not in page  # no code cells
    assert "geoBoundaries" in page and "https://creativecommons.org/licenses/by/3.0/igo/" in page
    assert "opini_pengawasan" in page and "jambiekspres.bacakoran.co" in page
    assert "Provinsi Jambi (pemerintah provinsi) tidak punya poligon sendiri" in page


def test_manifest_records_inputs_parameters_versions_and_steps(good_run):
    base, _, _ = good_run
    manifest = json.loads((base / "reports" / "2023" / "manifest.json").read_text())
    raw = {entry["path"]: entry["sha256"] for entry in manifest["inputs"]["raw"]}
    path = "ombudsman_jambi/kepatuhan_2023.csv"
    assert raw[path] == hashlib.sha256((config.RAW_DIR / path).read_bytes()).hexdigest()
    assert manifest["parameters"]["year"] == 2023 and manifest["parameters"]["lang"] == "id"
    assert manifest["parameters"]["pemda"] == ["Kabupaten Kerinci"]
    assert manifest["packages"]["pandas"] == pd.__version__
    assert [s["name"] for s in manifest["steps"]][:5] == ["validate", "ingest", "declines", "charts", "brief"]
    assert all(s["seconds"] >= 0 for s in manifest["steps"])
    assert manifest["started"] <= manifest["finished"]
    assert "commit" in manifest["git"]
    assert {e["path"] for e in manifest["inputs"]["config"]} >= {"config/bands.csv", "config/gazetteer.csv"}


def test_flags_match_the_watch_list(good_run):
    base, _, _ = good_run
    flags = pd.read_csv(base / "reports" / "2023" / "flags.csv", keep_default_na=False)
    totals = flags[flags["opd"] == ""]
    assert sorted(totals["pemda"]) == sorted(["Provinsi Jambi", "Kabupaten Tebo", "Kabupaten Batanghari", "Kota Jambi",
        "Kabupaten Tanjung Jabung Timur", "Kabupaten Kerinci", "Kota Sungai Penuh", "Kabupaten Sarolangun"])  # fmt: skip
    assert flags["rank"].tolist() == list(range(1, len(flags) + 1))
    xlsx = pd.read_excel(base / "reports" / "2023" / "flags.xlsx")
    assert len(xlsx) == len(flags)


def test_raw_data_is_untouched(good_run):
    _, _, raw_before = good_run
    assert tree_hash(config.RAW_DIR) == raw_before


def test_second_run_gives_the_same_processed_data_and_flags(good_run, tmp_path):
    base, _, _ = good_run
    done = pipeline("run", "--reports", str(tmp_path / "reports"), "--processed", str(tmp_path / "processed"))
    assert done.returncode == 0, done.stderr
    assert tree_hash(tmp_path / "processed") == tree_hash(base / "processed")
    for name in ["flags.csv", "zone_distribution.csv", "comparisons.csv"]:
        assert (tmp_path / "reports/2023" / name).read_bytes() == (base / "reports/2023" / name).read_bytes()


def test_english_brief(tmp_path):
    done = pipeline("run", "--lang", "en", "--reports", str(tmp_path / "r"), "--processed", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r/2023/brief.html").read_text(encoding="utf-8")
    assert "Public-service compliance brief 2023" in page and "Fell a zone: Kabupaten Kerinci, Kota Sungai Penuh" in page
    assert "ILLUSTRATIVE DATA" in page


def test_bad_input_exits_2_without_traceback_and_writes_nothing(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(config.RAW_DIR, raw)
    (raw / "koreksi.csv").write_text("tahun;pemda;nilai\n2023;Kab. Kerinchi;75,03\n", encoding="utf-8")
    done = pipeline("run", "--raw", str(raw), "--reports", str(tmp_path / "r"), "--processed", str(tmp_path / "p"))
    assert done.returncode == 2
    assert "file koreksi.csv, row 2, column 'pemda'" in done.stderr and "Kabupaten Kerinci" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())
    assert not (tmp_path / "r" / "2023").exists()
    ingest_only = pipeline("ingest", "--raw", str(raw), "--processed", str(tmp_path / "p"))
    assert ingest_only.returncode == 2 and "Traceback" not in ingest_only.stderr


def test_ingest_command(tmp_path):
    done = pipeline("ingest", "--processed", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(tmp_path / "p" / "scores.parquet")) == len(pd.read_csv(tmp_path / "p" / "scores.csv"))


def test_unknown_year_and_pemda_exit_2(tmp_path):
    assert pipeline("run", "--year", "2020", "--reports", str(tmp_path)).returncode == 2
    done = pipeline("run", "--pemda", "Atlantis", "--reports", str(tmp_path))
    assert done.returncode == 2 and "Atlantis" in done.stderr


def test_failing_notebook_exits_1_keeps_it_and_the_previous_brief(good_run, tmp_path):
    base, _, _ = good_run
    reports = tmp_path / "reports"
    shutil.copytree(base / "reports", reports)
    before = tree_hash(reports / "2023")
    notebooks = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    broken = nbformat.read(notebooks / "03_zone_charts.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("grafik rusak")'))
    nbformat.write(broken, notebooks / "03_zone_charts.ipynb")
    done = pipeline("run", "--reports", str(reports), "--processed", str(tmp_path / "p"), "--notebooks", str(notebooks))
    assert done.returncode == 1
    assert "03_zone_charts.ipynb failed in cell" in done.stderr and "grafik rusak" in done.stderr
    assert "Traceback" not in done.stderr
    kept = nbformat.read(reports / "2023" / "failed" / "03_zone_charts.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells if c.cell_type == "code" for o in c.outputs)
    assert tree_hash(reports / "2023", skip_failed=True) == before
    assert not list(reports.glob(".staging-*"))
