"""The tables' schemas: every column declared once, and everything that lists columns takes them from there."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kepatuhan import schema, settings
from kepatuhan.brief.wording import LANGS, catalogue
from kepatuhan.pipeline.inventory import partition_fingerprints
from kepatuhan.reading.readers import column_headers

SHOWN = schema.columns("scores", role=schema.SHOWN)


def test_the_scores_table_of_the_shipped_data_matches_its_schema(shipped_scores):
    checked = schema.validate("scores", shipped_scores)
    assert list(checked.columns) == schema.columns("scores")


def test_every_input_column_has_header_variants_and_every_variant_a_column():
    inputs = set(schema.columns("scores", source=(schema.REQUIRED, schema.OPTIONAL)))
    assert set(column_headers(settings.COLUMNS_FILE)) == inputs


@pytest.mark.parametrize("table", sorted(schema.TABLES))
def test_every_column_has_a_header_for_readers_in_every_language(table):
    for lang in LANGS:
        missing = [c for c in schema.columns(table) if f"column.{c}" not in catalogue(lang)]
        assert not missing, f"{lang}.toml [column] lacks {missing}"


def different(column: str, value):
    """A value of the same kind that differs from ``value`` (and keeps the row's rank: a tiny score change)."""
    if column == "score":
        return value + 0.001
    if isinstance(value, bool | np.bool_) or column == "tanpa_maladministrasi":
        return not bool(value) if not pd.isna(value) else True
    if isinstance(value, int | np.integer):
        return int(value) - 1
    return f"{value}x"


@pytest.mark.parametrize("column", SHOWN)
def test_changing_a_shown_column_of_one_pemda_replans_exactly_its_briefs(shipped_scores, column):
    """Each column a brief shows is in the fingerprint of exactly the briefs of the pemda whose row changed."""
    pemda, year = "Kabupaten Tanjung Jabung Barat", 2022
    scores = shipped_scores.reset_index(drop=True)
    row = scores.index[(scores["pemda"] == pemda) & (scores["year"] == year) & (scores["opd"] != "")][0]
    changed = scores.copy()
    changed[column] = changed[column].astype(object)
    changed.loc[row, column] = different(column, scores.at[row, column])
    if column == "pemda":  # the row now belongs to another pemda: both are replanned, nobody else
        changed.loc[row, "pemda"] = "Kota Jambi"
    before, after = partition_fingerprints(scores), partition_fingerprints(changed.astype(scores.dtypes.to_dict()))
    moved = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
    first = min(year, changed.at[row, "year"]) if column == "year" else year
    owners = {pemda, "Kota Jambi"} if column == "pemda" else {pemda}
    expected = {
        key for key in set(before) | set(after) if key.split("|")[1] in owners and int(key.split("|")[0]) >= first
    }
    assert moved == expected, column


def test_a_corrected_2025_opinion_replans_the_pemda_brief(shipped_scores):
    """The issue's stale brief: a 2025 opinion's Tanpa Maladministrasi flag or service word changes its pemda's brief."""
    scores = shipped_scores.reset_index(drop=True)
    row = scores.index[(scores["year"] == 2025) & (scores["opd"] == "")][0]
    pemda = scores.at[row, "pemda"]
    for column, value in (
        ("tanpa_maladministrasi", not bool(scores.at[row, "tanpa_maladministrasi"])),
        ("service_quality", "Baik"),
    ):
        changed = scores.copy()
        changed.loc[row, column] = value
        before, after = partition_fingerprints(scores), partition_fingerprints(changed)
        assert {k for k in before if before[k] != after[k]} == {f"2025|{pemda}"}, column


@pytest.mark.parametrize(
    ("cell", "sources"),
    [
        ("a.id/x; b.id/y", ["a.id/x", "b.id/y"]),
        ("https://a.id/x;https://b.id/y; https://a.id/x", ["https://a.id/x", "https://b.id/y"]),
        (
            "batangharikab.go.id (publikasi 549; award of 10 Dec 2018)",
            ["batangharikab.go.id (publikasi 549; award of 10 Dec 2018)"],
        ),
        ("", []),
        ("Ombudsman RI", ["Ombudsman RI"]),
    ],
)
def test_a_source_cell_names_each_of_its_sources_once(cell, sources):
    from kepatuhan.schema import sources_of

    assert sources_of(cell) == sources
