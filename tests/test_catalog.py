"""The catalog and the step declarations: one owner per output, every read declared, file names in one place."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import scores_frame

from kepatuhan import catalog, settings
from kepatuhan.analysis.declines import compare_with_previous
from kepatuhan.pipeline.steps import STEPS, outputs, writer
from kepatuhan.schema import TABLES, SchemaViolation

PACKAGE = settings.ROOT / "kepatuhan"


def test_every_output_is_written_by_exactly_one_step():
    written = [name for step in STEPS for name in outputs(step)]
    assert len(written) == len(set(written)), "a dataset has two owners"


def test_every_read_is_a_source_or_written_by_an_earlier_step():
    for step in STEPS:
        for name in step.reads:
            assert name in catalog.DATASETS, (step.name, name)
            owner = writer(name)
            assert owner is None or owner is not step, (step.name, name)
            if owner is None:
                assert catalog.dataset(name).root in {"raw", "examples", "config"}, (step.name, name)


def test_every_step_declares_datasets_of_the_catalog():
    for step in STEPS:
        for name in (*step.reads, *outputs(step)):
            catalog.dataset(name)
    with pytest.raises(KeyError, match="known"):
        catalog.dataset("flags")


def test_no_file_name_is_written_twice_in_the_package():
    """The catalog's file names appear in no other module of the package.

    (An executed notebook keeps its notebook's file name, which the step declares: ``.ipynb`` is left out.)
    """
    names = {re.sub(r"\{.*?\}", "", d.path).split("/")[-1] for d in catalog.DATASETS.values() if "." in d.path}
    names = {n for n in names if len(n) > 5 and not n.endswith(".ipynb")}
    for path in PACKAGE.rglob("*.py"):
        if path.name == "catalog.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert not [n for n in names if f'"{n}"' in text or f"'{n}'" in text], path.name


def comparisons() -> pd.DataFrame:
    frame = scores_frame([(2022, "=Kota X", "", 80.0), (2023, "=Kota X", "", 78.5), (2023, "Kota Y", "", 90.0)])
    return compare_with_previous(frame.assign(source="", pemda_type="kota"), year=2023)


def test_save_and_load_round_trip_with_a_csv_copy_for_people(tmp_path):
    frame = comparisons()
    written = catalog.save("comparisons", frame, tmp_path)
    assert sorted(p.name for p in written) == ["comparisons.csv", "comparisons.parquet"]
    back = catalog.load("comparisons", tmp_path)
    pd.testing.assert_frame_equal(back, frame)  # the Parquet keeps types and text as written
    assert back["prev_year"].tolist()[1] is pd.NA
    assert "'=Kota X" in (tmp_path / "comparisons.csv").read_text()  # the CSV copy is spreadsheet-safe
    assert catalog.save("comparisons", frame, "") == []


def test_a_table_read_again_is_a_fresh_copy_and_a_new_version_is_read_afresh(tmp_path):
    frame = comparisons()
    catalog.save("comparisons", frame, tmp_path)
    first = catalog.load("comparisons", tmp_path)
    first.loc[0, "pemda"] = "changed by a notebook"
    assert (
        catalog.load("comparisons", tmp_path)["pemda"].tolist()[0] == "=Kota X"
    )  # kept in memory, handed out as a copy
    catalog.save("comparisons", frame[frame["pemda"] == "Kota Y"], tmp_path)  # a later step replaces the file
    assert catalog.load("comparisons", tmp_path)["pemda"].tolist() == ["Kota Y"]


def test_a_table_that_breaks_its_schema_is_not_written_and_the_error_names_table_and_column(tmp_path):
    broken = comparisons().assign(delta="a lot")
    with pytest.raises(SchemaViolation, match=r"table 'comparisons'.*\n.*column 'delta'"):
        catalog.save("comparisons", broken, tmp_path)
    with pytest.raises(SchemaViolation, match="column 'tanda' is missing"):
        catalog.save("comparisons", comparisons().drop(columns="tanda"), tmp_path)
    assert not list(tmp_path.iterdir())


def test_every_table_of_the_catalog_has_a_schema_and_every_schema_a_table():
    tables = {name for name, d in catalog.DATASETS.items() if d.table}
    assert tables == set(TABLES)


def test_paths_fill_year_and_slug(tmp_path):
    assert catalog.path("workbook", tmp_path, year=2024).name == "ringkasan_2024.xlsx"
    assert catalog.relative("pemda_brief", slug="kota-jambi") == "pemda/kota-jambi.html"
