"""The exploring API and the explore notebook: what an analyst uses in JupyterLab."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

import kepatuhan as kp
from kepatuhan import settings


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return kp.load_scores(str(tmp_path_factory.mktemp("empty")))  # no processed table: read from data/raw


@pytest.mark.e2e
def test_the_api_is_light_to_import_and_documented():
    done = subprocess.run([sys.executable, "-c", "import kepatuhan, sys; print('pandas' in sys.modules)"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    assert done.stdout.strip() == "False"
    for name in kp.API:
        function = getattr(kp, name)
        assert function.__doc__ and ">>>" in function.__doc__, name


def test_load_scores_reads_the_raw_files_when_nothing_was_processed(scores):
    assert len(scores) and {"year", "province", "pemda", "opd", "score", "tanda"} - set(scores.columns) == {"tanda"}


def test_history_of_one_unit_any_spelling(scores):
    rows = kp.history(scores, "Kab. Kerinci")
    assert rows["year"].tolist() == [2019, 2021, 2022, 2023, 2024]
    assert rows.set_index("year").loc[2024, "score"] == 86.85 and rows.set_index("year").loc[2023, "delta"] == -12.28
    assert not rows.set_index("year").loc[2022, "comparable"]


def test_compare_and_watch_list(scores):
    assert len(kp.compare(scores, year=2024, province="Sumbar")) == 20
    watch = kp.watch_list(scores, year=2023, province="Jambi")
    assert "Kabupaten Kerinci" in set(watch["pemda"]) and watch["rank"].tolist() == list(range(1, len(watch) + 1))
    assert kp.trend_chart(scores, "Pemkab Kerinci") is not None


def shows(explorer, scores, pemda: str, opd: str = "") -> bool:
    """Whether every view of the explorer shows ``pemda`` (and ``opd``): the trend, the comparison and the watch list."""
    province = scores.loc[scores["pemda"] == pemda, "province"].iloc[0]
    history = kp.history(scores, pemda, opd)
    watch = kp.watch_list(scores, province=province, pemda=pemda)
    return (explorer.shown["trend"]._suptitle.get_text().endswith(pemda)
            and explorer.shown["history"].reset_index(drop=True).equals(history[explorer.shown["history"].columns])
            and explorer.shown["watch"]["reason_id"].tolist() == watch["reason_id"].tolist())  # fmt: skip


def test_every_control_refreshes_every_view(scores):
    explorer = kp.explore(scores, province="Sumbar")
    assert explorer.province.value == "Sumatera Barat" and shows(explorer, scores, explorer.pemda.value)
    explorer.province.value = "Bengkulu"
    assert explorer.pemda.value == "Kabupaten Bengkulu Selatan" and shows(explorer, scores, "Kabupaten Bengkulu Selatan")
    explorer.province.value = "Jambi"
    explorer.pemda.value = "Kota Jambi"  # the unit stays the pemda's total: the views must follow anyway
    assert explorer.opd.value == "" and shows(explorer, scores, "Kota Jambi")
    explorer.pemda.value = "Kabupaten Tanjung Jabung Barat"
    assert "Puskesmas II Kuala Tungkal" in [value for _, value in explorer.opd.options]
    explorer.opd.value = "Dinas Sosial"
    assert shows(explorer, scores, "Kabupaten Tanjung Jabung Barat", "Dinas Sosial")


def test_a_watch_list_of_a_province_without_data_that_year_is_empty_not_an_error(scores):
    watch = kp.watch_list(scores, year=2023, province="Maluku")
    assert watch.empty and {"rank", "reason_id", "tanda"} <= set(watch.columns)


def test_the_history_of_a_pemda_with_only_opd_rows_says_so(scores):
    only_opd = scores[(scores["opd"] != "")].assign(pemda="Kota Sabang", province="Aceh")
    with pytest.warns(UserWarning, match="Kota Sabang has no pemda total in the data.*opd="):
        assert kp.history(only_opd, "Kota Sabang").empty


@pytest.mark.e2e
def test_the_explore_notebook_runs_from_the_repository_root_with_its_defaults(tmp_path):
    done = subprocess.run([str(settings.ROOT / ".venv" / "bin" / "papermill") if (settings.ROOT / ".venv").exists() else "papermill",
                           "notebooks/04_explore.ipynb", str(tmp_path / "out.ipynb"), "-k", settings.KERNEL_NAME,
                           "-p", "processed_dir", str(tmp_path / "nothing-yet")],
                          cwd=settings.ROOT, capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    cells = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in cells if c.cell_type == "code" for o in c.outputs)
