"""The pipeline end to end on the shipped data, as a user runs it: files, manifest, exit codes."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from conftest import pipeline, stopped_early, tree_hash

from kepatuhan import catalog, settings

pytestmark = pytest.mark.e2e
JAMBI_2023 = "2023/provinsi/jambi"


@pytest.fixture(scope="module")
def good_run(published):
    """The session's published run (2023, with Kerinci's pemda brief): its folder, how it went, the raw hashes before."""
    return published.base, published.done, published.raw_before


def brief_folder(base, key=JAMBI_2023):
    return base / "reports" / key


def test_run_succeeds_and_writes_every_output(good_run):
    base, done, _ = good_run
    assert done.returncode == 0, done.stderr
    folder = brief_folder(base)
    names = [
        catalog.relative(n, year=2023, slug="kabupaten-kerinci")
        for n in ("brief", "workbook", "manifest", "brief_notebook", "declines_notebook", "pemda_brief")
    ]
    names += [
        "watch_list.csv",
        "comparisons.csv",
        "zone_distribution.csv",
        "figures/zone_distribution.png",
        "figures/ranking.png",
        "figures/map.png",
        "figures/declines.png",
    ]
    for name in names:
        assert (folder / name).is_file(), name
    assert not list(folder.rglob("*.svg")), "SVG is written only when asked for (--svg)"
    assert (brief_folder(base, "2023/nasional") / "brief.html").is_file()
    assert {p.name for p in (base / "processed").iterdir()} >= {
        "scores.parquet",
        "scores.csv",
        "quality.csv",
        "01_ingest.ipynb",
    }
    assert not list((base / "reports").glob(".staging-*"))
    assert f"brief@{JAMBI_2023}" in done.stderr
    log = json.loads((base / "reports" / "runs.jsonl").read_text().splitlines()[-1])["log"]
    assert f"brief@{JAMBI_2023}" in Path(log).read_text(encoding="utf-8")


def test_brief_html_reads_offline_without_code(good_run):
    base, _, _ = good_run
    page = (brief_folder(base) / "brief.html").read_text(encoding="utf-8")
    assert "Ringkasan kepatuhan pelayanan publik 2023" in page
    assert "Data tahun 2023 memuat 12 dari 12 pemda di Provinsi Jambi" in page and "8 dari 12 pemda turun" in page
    assert "Ombudsman RI menilai" not in page  # what the data holds, not what the Ombudsman did
    assert "Turun zona: Kabupaten Kerinci, Kota Sungai Penuh" in page
    assert "data:image/png;base64" in page
    assert '<script src="http' not in page and "cdnjs" not in page
    assert "load_scores" not in page and "brief.prepare" not in page  # no code cells
    assert "jambiekspres.bacakoran.co" in page
    assert "Provinsi Jambi (pemerintah provinsi) tidak punya poligon sendiri" in page


def test_manifest_records_inputs_parameters_versions_and_steps(good_run):
    base, _, _ = good_run
    manifest = json.loads((brief_folder(base) / "manifest.json").read_text())
    raw = {entry["path"]: entry["sha256"] for entry in manifest["inputs"]["raw"]}
    path = "ombudsman_jambi/kepatuhan_2023.csv"
    assert raw[path] == hashlib.sha256((settings.RAW_DIR / path).read_bytes()).hexdigest()
    assert manifest["year"] == 2023 and manifest["parameters"]["lang"] == "id"
    assert manifest["parameters"]["pemda"] == ["Kab. Kerinci"]
    assert manifest["packages"]["pandas"] == pd.__version__
    assert set(manifest["ran"]) == {
        f"declines@{JAMBI_2023}",
        f"brief@{JAMBI_2023}",
        f"pemda_brief@{JAMBI_2023}/kabupaten-kerinci",
    }
    assert all(task["seconds"] >= 0 for task in manifest["tasks"].values())
    assert (
        manifest["tasks"][f"brief@{JAMBI_2023}"]["outputs"]["brief.html"]
        == hashlib.sha256((brief_folder(base) / "brief.html").read_bytes()).hexdigest()
    )
    assert manifest["started"] <= manifest["finished"]
    assert "commit" in manifest["git"]
    assert {e["path"] for e in manifest["inputs"]["config"]} >= {
        "config/bands.csv",
        "config/gazetteer.csv",
        "data/reference/nama_pemda_lain.csv",
    }


def test_watch_list_and_workbook(good_run):
    base, _, _ = good_run
    watch = pd.read_csv(brief_folder(base) / "watch_list.csv", keep_default_na=False)
    totals = watch[watch["opd"] == ""]
    assert sorted(totals["pemda"]) == sorted(
        [
            "Provinsi Jambi",
            "Kabupaten Tebo",
            "Kabupaten Batanghari",
            "Kota Jambi",
            "Kabupaten Tanjung Jabung Timur",
            "Kabupaten Kerinci",
            "Kota Sungai Penuh",
            "Kabupaten Sarolangun",
        ]
    )
    assert watch["rank"].tolist() == list(range(1, len(watch) + 1))
    book = openpyxl.load_workbook(brief_folder(base) / "ringkasan_2023.xlsx")
    sheet = book["Daftar pantau"]
    assert sheet.max_row - 2 == len(watch)
    assert [c.value for c in sheet[2]][:4] == ["No.", "Tahun", "Provinsi", "Pemda"] and sheet.freeze_panes == "A3"


def test_raw_data_is_untouched(good_run):
    _, _, raw_before = good_run
    assert tree_hash(settings.RAW_DIR) == raw_before


def test_second_run_gives_the_same_processed_data_tables_and_workbook(good_run, tmp_path):
    base, _, _ = good_run
    done = pipeline(
        "run", "--year", "2023", "--reports", str(tmp_path / "reports"), "--processed", str(tmp_path / "processed")
    )
    assert done.returncode == 0, done.stderr
    hashes = {k: v for k, v in tree_hash(tmp_path / "processed").items() if k.endswith((".parquet", ".csv"))}
    assert hashes == {k: v for k, v in tree_hash(base / "processed").items() if k.endswith((".parquet", ".csv"))}
    for name in ["watch_list.csv", "zone_distribution.csv", "comparisons.csv", "ringkasan_2023.xlsx"]:
        assert (tmp_path / "reports" / JAMBI_2023 / name).read_bytes() == (brief_folder(base) / name).read_bytes(), name


def test_english_brief_is_english_down_to_the_title(tmp_path):
    done = pipeline(
        "run",
        "--year",
        "2023",
        "--province",
        "Jambi",
        "--lang",
        "en",
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r" / JAMBI_2023 / "brief.en.html").read_text(encoding="utf-8")
    assert (
        "Public-service compliance brief 2023" in page and "Fell a zone: Kabupaten Kerinci, Kota Sungai Penuh" in page
    )
    assert "<title>Compliance brief 2023: Jambi province</title>" in page and '<html lang="en">' in page
    assert "Ringkasan" not in page


def test_bad_input_exits_2_without_traceback_and_writes_nothing(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    (raw / "koreksi.csv").write_text("tahun;pemda;nilai\n2023;Kab. Kerinchi;75,03\n", encoding="utf-8")
    done = stopped_early("run", "--raw", str(raw), "--reports", str(tmp_path / "r"), "--processed", str(tmp_path / "p"))
    assert done.returncode == 2
    assert "berkas koreksi.csv, baris 2, kolom 'pemda'" in done.stderr and "Kabupaten Kerinci" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "p").exists() or not any((tmp_path / "p").iterdir())
    assert not (tmp_path / "r" / "2023").exists()
    ingest_only = stopped_early("ingest", "--raw", str(raw), "--processed", str(tmp_path / "p"))
    assert ingest_only.returncode == 2 and "Traceback" not in ingest_only.stderr


def test_ingest_command(tmp_path):
    done = pipeline("ingest", "--processed", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    assert len(pd.read_parquet(tmp_path / "p" / "scores.parquet")) == len(pd.read_csv(tmp_path / "p" / "scores.csv"))


def test_unknown_year_and_pemda_exit_2(tmp_path):
    assert (
        stopped_early(
            "run", "--year", "2020", "--reports", str(tmp_path), "--processed", str(tmp_path / "p")
        ).returncode
        == 2
    )
    done = stopped_early("run", "--pemda", "Atlantis", "--reports", str(tmp_path), "--processed", str(tmp_path / "p"))
    assert done.returncode == 2 and "Atlantis" in done.stderr
    assert "perbaiki: apakah maksudnya " in done.stderr and "gazetteer_extra" not in done.stderr  # a typo, not an alias


def test_a_year_the_province_lacks_names_the_years_it_has_results_for(tmp_path):
    """Labels without scores are results too: the message says 'hasil penilaian', not 'nilai', and lists the
    years as a reader writes them."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "maluku_2025.csv").write_text(
        "tahun;provinsi;pemda;opini\n2025;Maluku;Kota Ambon;Kualitas Tinggi\n", encoding="utf-8"
    )
    done = stopped_early(
        "run",
        "--year",
        "2024",
        "--province",
        "Maluku",
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 2
    assert "data tidak memuat hasil penilaian untuk Maluku pada 2024; tahun yang ada: 2025" in done.stderr
    done = stopped_early(
        "run",
        "--year",
        "2024",
        "--pemda",
        "Kota Ambon",
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 2
    assert "data tidak memuat hasil penilaian untuk Kota Ambon pada 2024; tahun yang ada: 2025" in done.stderr
    done = stopped_early(
        "run",
        "--pemda",
        "Kota Tual",
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 2 and "data tidak memuat hasil penilaian untuk Kota Tual (" in done.stderr
    assert "tambahkan rilis yang memuatnya" in done.stderr


def test_failing_notebook_exits_1_keeps_it_and_the_previous_brief(good_run, tmp_path):
    base, _, _ = good_run
    reports = tmp_path / "reports"
    shutil.copytree(base / "reports", reports)
    before = tree_hash(reports / JAMBI_2023)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(settings.NOTEBOOKS_DIR, notebooks)
    broken = nbformat.read(notebooks / "brief.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell('raise RuntimeError("grafik rusak")'))
    nbformat.write(broken, notebooks / "brief.ipynb")
    done = pipeline(
        "run",
        "--year",
        "2023",
        "--province",
        "Jambi",
        "--reports",
        str(reports),
        "--processed",
        str(tmp_path / "p"),
        "--notebooks",
        str(notebooks),
    )
    assert done.returncode == 1
    assert "brief.ipynb gagal di sel" in done.stderr and "grafik rusak" in done.stderr
    assert "Traceback" not in done.stderr
    kept = nbformat.read(reports / JAMBI_2023 / "failed" / "brief.ipynb", as_version=4)
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells if c.cell_type == "code" for o in c.outputs)
    assert tree_hash(reports / JAMBI_2023, skip_failed=True) == before
    assert not list(reports.glob(".staging-*"))


def visible_text(path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return (
        " ".join(soup.body.get_text(" ").split()) + " " + " ".join(img.get("alt", "") for img in soup.find_all("img"))
    )


def test_the_indonesian_brief_has_no_internal_codes_or_english(good_run):
    base, _, _ = good_run
    for page in [brief_folder(base) / "brief.html", brief_folder(base) / "pemda" / "kabupaten-kerinci.html"]:
        text = visible_text(page)
        for code in [
            "opini_pengawasan",
            "kepatuhan_standar",
            "penilaian_maladministrasi",
            "turun_zona",
            "nan",
            "NaN",
            "Grade",
            "Range",
            "Zone",
            "Watch list",
            "Score",
            "87.99",
            "None",
        ]:
            assert not re.search(rf"(?<![\w/.-]){re.escape(code)}(?![\w/-])", text), (page.name, code)
        assert "78–87,99" in text


def test_the_english_brief_has_no_indonesian_headings(tmp_path):
    done = pipeline(
        "run",
        "--year",
        "2024",
        "--province",
        "Sumbar",
        "--lang",
        "en",
        "--pemda",
        "Kota Solok",
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "r" / "2024" / "provinsi" / "sumatera-barat"
    for page in [folder / "brief.en.html", folder / "pemda" / "kota-solok.en.html"]:
        text = visible_text(page)
        for word in [
            "Ringkasan",
            "Daftar pantau",
            "Sumber data",
            "Nilai kepatuhan",
            "Peringkat",
            "Tidak",
            "dinilai",
            "hijau",
        ]:
            assert word not in text, (page.name, word)
        assert "78–87.99" in text and "Every pemda" in visible_text(folder / "brief.en.html")
    assert "<title>Compliance brief 2024: Kota Solok</title>" in (folder / "pemda" / "kota-solok.en.html").read_text(
        encoding="utf-8"
    )


def test_relative_folders_work_from_any_working_directory(tmp_path):
    """Notebooks run in their own folder: relative --reports/--processed must still land where asked."""
    import subprocess

    from conftest import pipeline_cmd

    done = subprocess.run(
        pipeline_cmd("run", "--year", "2023", "--province", "Jambi", "--reports", "r", "--processed", "p"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "r" / JAMBI_2023
    assert (folder / "comparisons.csv").exists() and (folder / "ringkasan_2023.xlsx").exists()
    assert (tmp_path / "p" / "scores.parquet").exists()
    assert (
        not (settings.NOTEBOOKS_DIR / "r").exists() and not (settings.NOTEBOOKS_DIR / "p").exists()
    )  # nothing beside the notebooks


def test_a_run_reads_the_raw_files_once_and_its_ingest_publishes_what_its_own_reading_gives(published, tmp_path):
    """The run reads the raw files to plan; its ingest notebook is told so (``read_by_run``) and loads those
    tables instead of reading every file a second time. What it publishes is byte for byte what the ingest's
    own reading writes, and the notebook loads them without looking at the raw folder."""
    from kepatuhan.reading.ingest import INGEST_TABLES, ingest_step, ingest_tables

    processed = published.base / "processed"
    executed = nbformat.read(processed / "01_ingest.ipynb", as_version=4)
    injected = next(c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert "read_by_run = True" in injected.source
    catalog.save_all(ingest_tables(settings.RAW_DIR), tmp_path / "own")
    for name in INGEST_TABLES:
        published_file = catalog.path(name, processed)
        assert published_file.read_bytes() == catalog.path(name, tmp_path / "own").read_bytes(), name
    loaded = ingest_step(tmp_path / "no such folder", "", processed, read_by_run=True)
    assert len(loaded["scores"]) == len(pd.read_parquet(catalog.path("scores", processed)))
