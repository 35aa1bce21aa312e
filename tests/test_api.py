"""The exploring API: what an analyst types in JupyterLab, and what it answers when the data cannot.

Every case an analyst met in a real JupyterLab is here: a typo, an ambiguous name, a real pemda or
province without data, a year without an assessment, a pemda of another province; tables in one language.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
import warnings

import pytest

import kepatuhan as kp
from kepatuhan.analysis.parameters import DEFAULTS
from kepatuhan.pipeline.options import RunOptions


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    return kp.load_scores(str(tmp_path_factory.mktemp("empty")))  # no processed table: read from data/raw


@pytest.fixture(scope="module")
def no_maluku(scores):
    """The shipped data without any row of Maluku: a real province the data does not hold."""
    return scores[scores["province"] != "Maluku"]


@pytest.mark.e2e
def test_the_api_is_light_to_import_and_documented():
    done = subprocess.run(
        [sys.executable, "-c", "import kepatuhan, sys; print('pandas' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False"
    for name in ("load_scores", "explore", "history", "trend_chart", "opd_chart", "compare", "watch_list"):
        function = getattr(kp, name)
        assert function.__doc__ and ">>>" in function.__doc__, name


def test_tab_completion_offers_the_exploring_functions_and_help_names_them():
    assert {"load_scores", "explore", "history", "trend_chart", "compare", "watch_list"} <= set(dir(kp))
    assert not {"analysis", "brief", "pipeline"} & set(dir(kp))  # modules import as usual, but are not offered first
    assert "kp.explore(scores)" in kp.__doc__ and "explorer" in kp.__doc__ and "sources" not in kp.__doc__


def test_the_minimum_drop_has_one_default_the_run_and_the_api_share():
    assert RunOptions.__dataclass_fields__["min_drop"].default == DEFAULTS.min_drop
    for function in (kp.compare, kp.watch_list, kp.history):
        found = inspect.signature(function).parameters.get("min_drop")
        assert found is None or found.default == DEFAULTS.min_drop, function.__name__


def test_load_scores_reads_the_raw_files_when_nothing_was_processed(scores):
    assert len(scores) and {"year", "province", "pemda", "opd", "score"} <= set(scores.columns)


def test_history_of_one_unit_any_spelling_in_indonesian(scores):
    rows = kp.history(scores, "Kab. Kerinci").set_index("Tahun")
    assert rows.index.tolist() == [2019, 2021, 2022, 2023, 2024]
    assert rows.loc[2024, "Nilai"] == 86.85 and rows.loc[2023, "Perubahan"] == -12.28
    assert rows.loc[2022, "Setara"] == "tidak" and rows.loc[2023, "Tanda"] == "turun, kategori turun, zona turun"
    assert rows.loc[2023, "Zona"] == "kuning" and rows.loc[2023, "OPD"] == "(nilai pemda)"


def test_every_header_and_value_in_english_when_asked(scores):
    rows = kp.history(scores, "Kerinci", lang="en")
    assert {"Year", "Previous year", "Gap (years)", "Like for like", "Flags", "Zone", "Method"} <= set(rows.columns)
    assert not {"prev_year", "gap", "comparable", "tanda"} & set(rows.columns)
    last = rows.set_index("Year").loc[2023]
    assert (
        last["Zone"] == "yellow" and last["Flags"] == "fell, grade fell, zone fell" and last["Like for like"] == "yes"
    )
    assert "opini_pengawasan" not in rows.to_string() and "hijau" not in rows.to_string()


def test_a_typo_gets_did_you_mean_not_alias_advice(scores):
    with pytest.raises(kp.UnknownName) as found:
        kp.history(scores, "Kerinici")
    assert found.value.message == "Tidak ada pemda bernama 'Kerinici'. Maksud Anda Kabupaten Kerinci?"
    assert found.value.choices == ["Kabupaten Kerinci"] and "gazetteer" not in found.value.message
    with pytest.raises(kp.UnknownName, match="Did you mean Kabupaten Kerinci"):
        kp.history(scores, "Kerinici", lang="en")


def test_the_error_shows_as_its_sentence_in_a_notebook(scores):
    with pytest.raises(kp.Unanswerable) as found:
        kp.history(scores, "Kerinici")
    assert found.value._render_traceback_() == [
        "UnknownName: Tidak ada pemda bernama 'Kerinici'. Maksud Anda Kabupaten Kerinci?"
    ]


def test_an_ambiguous_name_lists_its_choices(scores):
    with pytest.raises(kp.AmbiguousName) as found:
        kp.history(scores, "Jambi")
    assert "Kota Jambi atau Provinsi Jambi" in found.value.message and found.value.choices == [
        "Kota Jambi",
        "Provinsi Jambi",
    ]


def test_a_real_pemda_without_data_says_what_its_province_holds(scores):
    with pytest.raises(kp.NotInData) as found:
        kp.history(scores, "Mukomuko")
    assert found.value.message.startswith(
        "Data tidak memuat hasil penilaian Kabupaten Mukomuko (Bengkulu). Pemda Provinsi Bengkulu dalam data:"
    )
    assert "Kota Bengkulu" in found.value.choices and "none" not in found.value.message


def test_a_year_without_an_assessment_names_the_years_there_are(scores):
    with pytest.raises(kp.NotInData) as found:
        kp.compare(scores, year=2020, province="Jambi")
    assert found.value.message == (
        "Data tidak memuat hasil penilaian pemda Provinsi Jambi pada 2020. "
        "Tahun dalam data: 2015, 2017, 2018, 2019, 2021, 2022, 2023 dan 2024."
    )


def test_a_province_without_data_names_the_provinces_there_are(no_maluku):
    with pytest.raises(kp.NotInData) as found:
        kp.compare(no_maluku, year=2024, province="Maluku")
    held = sorted(set(no_maluku["province"]))
    assert (
        found.value.message
        == (
            "Data tidak memuat hasil penilaian pemda mana pun di Provinsi Maluku. Provinsi dalam data: "
            f"{', '.join(held[:-1])} dan {held[-1]}."
        )
        and found.value.choices == held
    )
    with pytest.raises(kp.UnknownName, match="Maksud Anda Jambi"):
        kp.compare(no_maluku, province="Jamb")


def test_a_pemda_of_another_province_is_said_so(scores):
    with pytest.raises(kp.NotInData, match=r"^Kabupaten Bogor \(Jawa Barat\) bukan pemda Provinsi Jambi\.$"):
        kp.compare(scores, province="Jambi", pemda="Kabupaten Bogor")
    with pytest.raises(kp.NotInData, match=r"^Kota Jambi \(Jambi\) bukan pemda Provinsi Sumatera Barat\.$"):
        kp.compare(scores, province="Sumbar", pemda="Kota Jambi")


def test_compare_and_watch_list_follow_the_year(scores):
    assert len(kp.compare(scores, year=2024, province="Sumbar")) == 20
    watch = kp.watch_list(scores, year=2023, province="Jambi")
    kerinci = watch[watch["Pemda"] == "Kabupaten Kerinci"].iloc[0]
    assert (
        kerinci["No."] == 1
        and kerinci["Perubahan"] == -12.28
        and kerinci["Tanda"] == "turun, kategori turun, zona turun"
    )
    assert (
        kerinci["Alasan"]
        == "Nilai turun 12,28 poin (87,31 → 75,03, 2022 → 2023); zona turun dari hijau ke kuning; kategori turun dari B ke C"
    )
    assert watch["No."].tolist() == list(range(1, len(watch) + 1))


def test_an_empty_watch_list_says_why(scores):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        watch = kp.watch_list(scores, year=2024, province="Sumbar")
    assert watch.empty and {"No.", "Alasan", "Tanda"} <= set(watch.columns)
    assert [str(w.message) for w in caught if w.category is kp.EmptyResult] == [
        "Tidak ada unit yang turun: data memuat 20 unit pemda Provinsi Sumatera Barat pada 2024, dan tidak satu pun "
        "turun dari penilaian sebelumnya."
    ]


def test_units_of_a_pemda_any_spelling_and_a_typo(scores):
    assert kp.history(scores, "Tanjab Barat", opd="dinas sosial")["OPD"].tolist() == ["Dinas Sosial"]
    with pytest.raises(kp.UnknownName, match="Maksud Anda Dinas Sosial\\?"):
        kp.history(scores, "Tanjab Barat", opd="Dinas Sosal")
    with pytest.raises(kp.NotInData, match="^Data tidak memuat nilai OPD Kabupaten Kerinci\\.$"):
        kp.history(scores, "Kerinci", opd="Dinkes")


def test_the_history_of_a_pemda_with_only_opd_rows_says_so(scores):
    only_opd = scores[(scores["opd"] != "")].assign(pemda="Kota Sabang", province="Aceh")
    with pytest.raises(
        kp.NotInData, match='Data tidak memuat nilai Kota Sabang sendiri, hanya nilai OPD-nya: Dinas.*opd="'
    ):
        kp.history(only_opd, "Kota Sabang")


def test_charts_are_figures_and_a_pemda_without_opd_scores_is_said_so(scores):
    assert kp.trend_chart(scores, "Pemkab Kerinci") is not None
    assert kp.opd_chart(scores, "Tanjab Barat") is not None
    with pytest.raises(kp.NotInData, match="nilai OPD Kabupaten Kerinci"):
        kp.opd_chart(scores, "Kerinci")
