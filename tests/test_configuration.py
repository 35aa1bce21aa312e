"""Damaged configuration files stop the run with the file, the line, the value and the fix, before any notebook.

Each case damages one file of a copy of ``config/`` the way an analyst's edit can (a second line, a typo, a
swapped year) and checks what the reader is told. On the main of 2026-12-06 every case below was accepted
(``columns.csv`` without ``year`` gave a ``KeyError`` traceback).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kepatuhan import settings
from kepatuhan.errors import DataError
from kepatuhan.pipeline import cli
from kepatuhan.reference.configuration import CHECKED, SCHEMAS, check_configuration

pytestmark = pytest.mark.faults


def append(line: str):
    """A damage: one line added at the end."""
    return lambda text: text.rstrip("\n") + "\n" + line + "\n"


def replace(old: str, new: str):
    """A damage: one text replaced (it must be in the file)."""

    def damage(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return damage


# file, damage, what the message must say, the line it must name (None: the file as a whole)
DAMAGES = {
    "alias_on_two_lines": (
        "opd_aliases.csv",
        replace("Dinas Kesehatan,Dinkes", "Dinas Kesehatan,Dinkes|Disdik"),
        "a name on this line is on another line too",
        4,
    ),
    "opd_on_two_lines": ("opd_aliases.csv", append("Dinas Kesehatan,Dinas Kes"), "on another line too", 4),
    "methods_overlap": (
        "methods.csv",
        replace("opini_pengawasan,2022,2024", "opini_pengawasan,2021,2024"),
        "its years overlap another line's",
        4,
    ),
    "methods_reversed": (
        "methods.csv",
        replace("kepatuhan_standar,2015,2019", "kepatuhan_standar,2019,2015"),
        "last_year comes before first_year",
        2,
    ),
    "methods_year_typo": ("methods.csv", replace("kepatuhan_standar,2015", "kepatuhan_standar,2O15"), "not a year", 2),
    "methods_provisional": ("methods.csv", replace(",no,", ",maybe,"), "neither yes nor no", 2),
    "band_cut_twice": (
        "bands.csv",
        append("kepatuhan_standar,,81,kuning,Kepatuhan sedang,Medium"),
        "the same min_score is on another line",
        2,
    ),
    "band_cut_comma": ("bands.csv", replace("kepatuhan_standar,,81,", 'kepatuhan_standar,,"81,5",'), "not a number", 2),
    "band_grade_lower": ("bands.csv", append("opini_pengawasan,z,1,merah,x,y"), "not one capital letter", None),
    "band_method_empty": ("bands.csv", append(",,5,merah,x,y"), "empty cell", None),
    "zone_twice": ("zones.csv", append("hijau,4,#000000,,Hijau,Green"), "the same zone is on another line", 2),
    "zone_rank_twice": ("zones.csv", append("biru,3,#0000ff,,Biru,Blue"), "the same rank is on another line", 2),
    "zone_colour": ("zones.csv", replace("#2e7d32", "green"), "not a colour", 2),
    "columns_without_year": (
        "columns.csv",
        lambda text: "\n".join(line for line in text.splitlines() if not line.startswith("year,")) + "\n",
        "no line for the column 'year'",
        None,
    ),
    "columns_twice": ("columns.csv", append("pemda,nama daerah,again"), "the same column is on another line", None),
    "province_change_year": ("province_changes.csv", replace("Papua,2022", "Papua,abc"), "not a year", 2),
    "province_change_twice": (
        "province_changes.csv",
        append("Papua Tengah,Papua,2023"),
        "the same province is on another line",
        3,
    ),
    "gazetteer_type": (
        "gazetteer.csv",
        replace("Kabupaten Aceh Selatan,kabupaten", "Kabupaten Aceh Selatan,kab"),
        "not one of provinsi, kabupaten, kota",
        3,
    ),
    "gazetteer_kode_twice": (
        "gazetteer.csv",
        replace(",Aceh,11.02,", ",Aceh,11.01,"),
        "the same kode is on another line",
        3,
    ),
    "prefix_twice": ("opd_prefixes.csv", append("PKM,Pusat Kesehatan"), "the same prefix is on another line", 2),
    "unnamed_column_letter": ("unnamed_columns.csv", append("jambi.csv,12,nilai"), "not a column letter", 2),
    "set_aside_whole_file": ("set_aside.csv", append("maluku.csv,,,not a pemda"), "neither a row nor a name", 2),
    "set_aside_row_word": ("set_aside.csv", append("maluku.csv,tiga,,not a pemda"), "not a row number", 2),
}


@pytest.fixture
def config(tmp_path: Path, monkeypatch) -> Path:
    """A copy of the configuration, which settings now name (a run reads it)."""
    copy = tmp_path / "config"
    shutil.copytree(settings.CONFIG_DIR, copy)
    for name in (*CHECKED, "CORRECTIONS"):
        monkeypatch.setattr(settings, f"{name}_FILE", copy / getattr(settings, f"{name}_FILE").name)
    return copy


def damaged(config: Path, case: str) -> tuple[Path, str, int | None]:
    """Damage the copy as ``case`` says; the file, what its message says and the line it names."""
    name, damage, says, line = DAMAGES[case]
    path = config / name
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    return path, says, line


def test_the_shipped_configuration_passes_its_schemas():
    check_configuration()


def test_every_configuration_file_has_a_schema():
    assert {p.name for p in settings.CONFIG_DIR.glob("*.csv")} - set(SCHEMAS) == {"corrections.csv"}


@pytest.mark.parametrize("case", DAMAGES)
def test_a_damaged_configuration_file_is_named_with_its_line_and_fix(config, case):
    path, says, line = damaged(config, case)
    with pytest.raises(DataError) as caught:
        check_configuration()
    problems = [p for p in caught.value.problems if says in p.message]
    assert problems, caught.value.render()
    assert all(Path(str(p.file)).name == path.name for p in problems)
    if line is not None:
        assert line in {p.row for p in problems}, caught.value.render()
    assert "Traceback" not in caught.value.render("id")


@pytest.mark.parametrize("case", ["alias_on_two_lines", "methods_overlap", "columns_without_year"])
def test_a_run_on_a_damaged_configuration_stops_before_any_notebook(config, case, tmp_path, capsys):
    path, says, _ = damaged(config, case)
    reports = tmp_path / "reports"
    code = cli.main(
        [
            "run",
            "--year",
            "2023",
            "--province",
            "Jambi",
            "--reports",
            str(reports),
            "--processed",
            str(tmp_path / "processed"),
            "--lang",
            "en",
        ]
    )
    err = capsys.readouterr().err
    assert code == 2, err
    assert path.name in err and says in err and "Traceback" not in err
    assert not list(reports.rglob("*.ipynb")) and not list(reports.rglob("*.html"))


def test_a_set_aside_file_under_another_name_is_checked_by_its_schema(tmp_path):
    from kepatuhan.reading.set_aside import load_set_aside

    path = tmp_path / "rows_to_skip.csv"
    path.write_text("file,row,name,reason\nmaluku.csv,,,not a pemda\nmaluku.csv,tiga,,not a pemda\n")
    with pytest.raises(DataError) as caught:
        load_set_aside(path)
    assert {(p.message, p.row) for p in caught.value.problems} == {
        ("neither a row nor a name: the line would set aside the whole file", 2),
        ("not a row number", 3),
    }
