"""Regression tests for the four defects of the pipeline redesign issue (stale briefs, future years,
work done three times, an English brief with an Indonesian title)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import pipeline

from kepatuhan import catalog, settings
from kepatuhan.brief.data import load_inputs, prepare
from kepatuhan.reading.ingest import ingest

JAMBI = "2023/provinsi/jambi"


@pytest.mark.e2e
def test_a_past_brief_shows_nothing_after_its_year(tmp_path):
    done = pipeline(
        "run",
        "--year",
        "2022",
        "--province",
        "Jambi",
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "r" / "2022" / "provinsi" / "jambi"
    for name in ("zone_distribution", "pemda_zone_distribution", "comparisons", "standing", "watch_list"):
        table = catalog.load(name, folder)
        assert table.empty or table["year"].max() <= 2022, name
    page = (folder / "brief.html").read_text(encoding="utf-8")
    assert "jambiekspres.bacakoran.co" not in page  # a 2023 source
    assert "oerban.com" in page  # the 2022 source


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    catalog.save("scores", ingest(settings.RAW_DIR).scores, folder)
    return folder


def test_the_brief_reads_the_declines_steps_tables_instead_of_computing_them(processed, tmp_path):
    computed = prepare(
        load_inputs(processed_dir=str(processed), year=2023, province="Jambi"), year=2023, province="Jambi"
    )
    for name, table in (
        ("comparisons", computed.comparisons),
        ("watch_list", computed.watch),
        ("standing", computed.standing),
    ):
        catalog.save(name, table, tmp_path)
    doctored = catalog.load("comparisons", tmp_path)
    doctored.loc[doctored["pemda"] == "Kota Jambi", "delta"] = -99.0
    catalog.save("comparisons", doctored, tmp_path)
    read = prepare(
        load_inputs(processed_dir=str(processed), out_dir=str(tmp_path), year=2023),
        year=2023,
        province="Jambi",
    )
    assert read.comparisons.loc[read.comparisons["pemda"] == "Kota Jambi", "delta"].tolist() == [-99.0]
    pd.testing.assert_frame_equal(read.watch.reset_index(drop=True), computed.watch.reset_index(drop=True))


def test_a_brief_computed_alone_covers_only_its_year_and_before(processed):
    data = prepare(load_inputs(processed_dir=str(processed), year=2022, province="Jambi"), year=2022, province="Jambi")
    frames = [data.scores, data.comparisons, data.watch, data.standing, data.opd_zones, data.pemda_zones]
    assert all(frame.empty or frame["year"].max() <= 2022 for frame in frames)
