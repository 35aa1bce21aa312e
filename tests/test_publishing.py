"""What a run publishes: what was published stays published and current, the languages side by side, and one
failing brief never blocks the others (each brief folder is published on its own)."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from conftest import pipeline, records, tree_hash

from kepatuhan import settings

pytestmark = pytest.mark.e2e
JAMBI = "2023/provinsi/jambi"


def published_copy(published, tmp_path):
    """A copy of the session's published run (national and Jambi 2023, Kerinci's brief) with a copy of the raw data."""
    published.copy(tmp_path)
    shutil.copytree(settings.RAW_DIR, tmp_path / "raw")
    return [
        "--year",
        "2023",
        "--raw",
        str(tmp_path / "raw"),
        "--reports",
        str(tmp_path / "reports"),
        "--processed",
        str(tmp_path / "processed"),
    ]


def test_a_pemda_brief_published_earlier_is_rendered_again_when_its_data_changes(published, tmp_path):
    """Kota Jambi 85,09 -> 45,09, then a run that asks for no pemda: Kerinci's brief (asked for earlier) is current,
    nothing published disappears, and the log says only what happened."""
    common = published_copy(published, tmp_path)
    year_file = tmp_path / "raw" / "ombudsman_jambi" / "kepatuhan_2023.csv"
    year_file.write_text(year_file.read_text().replace("Kabupaten Kerinci,,75.03", "Kabupaten Kerinci,,74.03"))
    done = pipeline("run", *common, "--province", "Jambi")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "reports" / JAMBI / "pemda" / "kabupaten-kerinci.html").read_text(encoding="utf-8")
    assert "74,03" in page and "75,03" not in page.split("Sebelumnya")[0]
    manifest = json.loads((tmp_path / "reports" / JAMBI / "manifest.json").read_text())
    assert manifest["removed"] == [] and f"pemda_brief@{JAMBI}/kabupaten-kerinci" in manifest["ran"]
    assert "dihapus" not in done.stderr


def test_a_pemda_no_longer_in_the_data_has_its_brief_removed_and_said(published, tmp_path):
    common = published_copy(published, tmp_path)
    year_file = tmp_path / "raw" / "ombudsman_jambi" / "kepatuhan_2023.csv"
    year_file.write_text("\n".join(line for line in year_file.read_text().splitlines() if "Kerinci" not in line) + "\n")
    done = pipeline("run", *common, "--province", "Jambi")
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "reports" / JAMBI / "pemda" / "kabupaten-kerinci.html").exists()
    manifest = json.loads((tmp_path / "reports" / JAMBI / "manifest.json").read_text())
    assert manifest["removed"] == [f"pemda_brief@{JAMBI}/kabupaten-kerinci"]
    assert "1 ringkasan pemda dihapus karena pemdanya tidak ada lagi dalam data" in done.stderr


def test_both_languages_live_side_by_side_and_are_planned_separately(published, tmp_path):
    common = published_copy(published, tmp_path)
    before = (tmp_path / "reports" / JAMBI / "brief.html").read_bytes()
    done = pipeline("run", *common, "--province", "Jambi", "--lang", "en", "--pemda", "Kerinci")
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "reports" / JAMBI
    assert (folder / "brief.html").read_bytes() == before  # the Indonesian brief is untouched
    assert '<html lang="en">' in (folder / "brief.en.html").read_text(encoding="utf-8")
    assert (folder / "pemda" / "kabupaten-kerinci.en.html").exists() and (folder / "ringkasan_2023.en.xlsx").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert {f"brief@{JAMBI}", f"brief@{JAMBI}.en"} <= set(manifest["tasks"])
    again = pipeline("run", *common, "--province", "Jambi")
    assert "tidak ada yang perlu dikerjakan" in again.stderr  # both languages current: nothing runs for either


def test_one_failing_brief_leaves_every_other_brief_published(published, tmp_path):
    common = published_copy(published, tmp_path)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(settings.NOTEBOOKS_DIR, notebooks)
    brief = nbformat.read(notebooks / "brief.ipynb", as_version=4)
    brief.cells.insert(3, nbformat.v4.new_code_cell('assert province != "Jambi", "grafik rusak"'))
    nbformat.write(brief, notebooks / "brief.ipynb")
    jambi_before = tree_hash(tmp_path / "reports" / JAMBI, skip_failed=True)
    national = tmp_path / "reports" / "2023" / "nasional" / "brief.html"
    national_before = national.read_bytes()
    done = pipeline("run", *common, "--notebooks", str(notebooks), "--force")
    assert done.returncode == 1
    assert f"tidak diterbitkan, versi sebelumnya tetap: {JAMBI}" in done.stderr and "grafik rusak" in done.stderr
    assert "brief.ipynb" in done.stderr and "Traceback" not in done.stderr
    assert tree_hash(tmp_path / "reports" / JAMBI, skip_failed=True) == jambi_before
    assert (tmp_path / "reports" / JAMBI / "failed" / "brief.ipynb").exists()
    assert (
        national.read_bytes() != national_before or json.loads(national.with_name("manifest.json").read_text())["ran"]
    )
    record = records(tmp_path / "reports")[-1]
    assert (
        record["outcome"] == "failed" and record["failed_briefs"] == [JAMBI] and "2023/nasional" in record["published"]
    )
    status = pipeline(
        "status",
        "--reports",
        str(tmp_path / "reports"),
        "--raw",
        str(tmp_path / "raw"),
        "--processed",
        str(tmp_path / "processed"),
        "--notebooks",
        str(notebooks),
    )
    assert status.returncode == 1 and f"ringkasan yang tidak terbit: {JAMBI}" in status.stdout


def failing_pemda_notebooks(tmp_path, pemda: str = "Kabupaten Kerinci"):
    """A copy of the notebooks in which the brief of ``pemda`` fails in a cell (as a chart that breaks would)."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(settings.NOTEBOOKS_DIR, notebooks)
    brief = nbformat.read(notebooks / "brief_pemda.ipynb", as_version=4)
    brief.cells.insert(3, nbformat.v4.new_code_cell(f'assert data.pemda != "{pemda}", "grafik rusak"'))
    nbformat.write(brief, notebooks / "brief_pemda.ipynb")
    return notebooks


def test_a_failing_pemda_brief_keeps_its_previous_version_and_the_rest_is_published(published, tmp_path):
    common = published_copy(published, tmp_path)
    folder = tmp_path / "reports" / JAMBI
    kerinci = folder / "pemda" / "kabupaten-kerinci.html"
    kerinci_before, province_before = kerinci.read_bytes(), (folder / "brief.html").read_bytes()
    done = pipeline(
        "run",
        *common,
        "--province",
        "Jambi",
        "--pemda",
        "Kerinci",
        "--pemda",
        "Kota Jambi",
        "--notebooks",
        str(failing_pemda_notebooks(tmp_path)),
        "--force",
    )
    assert (
        done.returncode == 1 and "1 ringkasan pemda tidak dapat dibuat" in done.stderr and "grafik rusak" in done.stderr
    )
    assert kerinci.read_bytes() == kerinci_before  # its previous version, as published
    assert (folder / "pemda" / "kota-jambi.html").exists() and (folder / "brief.html").read_bytes() != province_before
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["tasks"][f"pemda_brief@{JAMBI}/kabupaten-kerinci"]["status"] == "kept_previous"
    assert manifest["tasks"][f"pemda_brief@{JAMBI}/kota-jambi"]["status"] == "ran"
    record = records(tmp_path / "reports")[-1]
    assert record["failed_briefs"] == [] and record["failed_pemda_briefs"] == [f"pemda_brief@{JAMBI}/kabupaten-kerinci"]
    assert JAMBI in record["published"] and (folder / "failed" / "kabupaten-kerinci.ipynb").exists()
    again = pipeline("run", *common, "--province", "Jambi")  # with the good notebooks again
    assert again.returncode == 0, again.stderr
    tasks = json.loads((folder / "manifest.json").read_text())["tasks"]
    assert tasks[f"pemda_brief@{JAMBI}/kabupaten-kerinci"]["status"] == "up_to_date"  # what it kept was made by them
    assert tasks[f"pemda_brief@{JAMBI}/kota-jambi"]["status"] == "ran" and not (folder / "failed").exists()


def test_a_new_pemda_brief_that_fails_leaves_a_page_saying_so(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    done = pipeline(
        "run",
        "--year",
        "2023",
        "--province",
        "Jambi",
        "--all-pemda",
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "reports"),
        "--processed",
        str(tmp_path / "processed"),
        "--notebooks",
        str(failing_pemda_notebooks(tmp_path)),
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    folder = tmp_path / "reports" / JAMBI
    assert (folder / "brief.html").exists() and len(list((folder / "pemda").glob("*.html"))) == 12
    page = (folder / "pemda" / "kabupaten-kerinci.html").read_text(encoding="utf-8")
    assert "Ringkasan Kabupaten Kerinci 2023 belum dapat dibuat" in page and 'href="../brief.html"' in page
    assert f"pemda_brief@{JAMBI}/kabupaten-kerinci" not in json.loads((folder / "manifest.json").read_text())["tasks"]
