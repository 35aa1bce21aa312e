"""The catalog and the step declarations: one owner per output, every read declared, file names in one place."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from kepatuhan import catalog, settings
from kepatuhan.pipeline.steps import STEPS, outputs, writer

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


def test_save_and_load_round_trip_with_a_csv_copy_for_people(tmp_path):
    frame = pd.DataFrame({"pemda": ["=Kota X", "Kota Y"], "prev_year": pd.array([2022, None], dtype="Int64")})
    written = catalog.save("comparisons", frame, tmp_path)
    assert sorted(p.name for p in written) == ["comparisons.csv", "comparisons.parquet"]
    back = catalog.load("comparisons", tmp_path)
    assert back.equals(frame)  # the Parquet keeps types and text as written
    assert "'=Kota X" in (tmp_path / "comparisons.csv").read_text()  # the CSV copy is spreadsheet-safe
    assert catalog.save("comparisons", frame, "") == []


def test_paths_fill_year_and_slug(tmp_path):
    assert catalog.path("workbook", tmp_path, year=2024).name == "ringkasan_2024.xlsx"
    assert catalog.relative("pemda_brief", slug="kota-jambi") == "pemda/kota-jambi.html"
