"""Maps on the shipped data: what they name and say, and no crash where the boundary file has no polygons."""

from __future__ import annotations

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("agg")

from kepatuhan import settings
from kepatuhan.brief import maps


def texts(fig) -> list[str]:
    """Every text drawn on a figure: titles, labels, legend entries, captions."""
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def test_province_map_names_each_assessed_kabupaten_with_its_score(shipped_scores):
    fig = maps.zone_map(shipped_scores, 2024, province="Jambi", lang="id")
    shown = " | ".join(texts(fig))
    assert "Kota Jambi 93,68" in shown  # published 2024 total, with the Indonesian decimal comma
    assert "Merangin" in shown and "Kerinci" in shown
    assert "Provinsi Jambi" in shown  # the caption: the provincial government has no polygon of its own
    assert "Tidak ada dalam data" in shown  # the legend says what the data holds, not what the Ombudsman did


def test_province_without_boundaries_gives_no_map_instead_of_a_crash(shipped_scores):
    invented = shipped_scores.assign(province="Provinsi Tanpa Peta")
    assert maps.zone_map(invented, 2024, province="Provinsi Tanpa Peta", lang="id") is None


def test_national_map_counts_assessed_pemda_out_of_all(shipped_scores):
    year = int(shipped_scores["year"].max())
    fig = maps.zone_map(shipped_scores, year, lang="en")
    assessed = shipped_scores[(shipped_scores["year"] == year) & (shipped_scores["opd"] == "")]["pemda"].nunique()
    title = fig.axes[0].get_title()
    assert str(assessed) in title and "552" in title


@pytest.fixture
def two_kabupaten(tmp_path):
    """A boundary file of two kabupaten of one province (not the shipped one): the frame and its path."""
    two = maps.boundaries(settings.BOUNDARIES_FILE).head(2)
    path = tmp_path / "batas.geojson"
    two.to_file(path, driver="GeoJSON", engine="pyogrio")
    return two, path


def test_the_shipped_province_outlines_are_those_of_the_shipped_boundaries_to_the_last_bit():
    """``data/geo/batas_provinsi_2025.parquet`` is the dissolve of the shipped kabupaten/kota file: replacing that
    file without ``make outlines`` fails here, and the map would dissolve the new file itself meanwhile."""
    import geopandas as gpd

    from kepatuhan.writing import sha256

    stored = gpd.read_parquet(settings.OUTLINES_FILE)
    assert set(stored["source_sha256"]) == {sha256(settings.BOUNDARIES_FILE)}
    assert maps.province_outlines.__wrapped__(settings.BOUNDARIES_FILE, settings.OUTLINES_FILE).equals(
        stored[["provinsi", "geometry"]]
    )
    dissolved = maps.dissolved_outlines(settings.BOUNDARIES_FILE)
    assert stored.crs == dissolved.crs and list(stored["provinsi"]) == list(dissolved["provinsi"])
    assert list(stored.index) == list(dissolved.index)
    assert [g.wkb for g in stored.geometry] == [g.wkb for g in dissolved.geometry]


def test_outlines_made_from_another_boundary_file_are_not_used(two_kabupaten):
    """Stored outlines whose SHA-256 is not the boundary file's are ignored: the outlines are dissolved from
    the file the areas are drawn from (here two kabupaten of one province, so the outline is their union)."""
    two, path = two_kabupaten
    outlines = maps.province_outlines.__wrapped__(path, settings.OUTLINES_FILE)
    assert list(outlines["provinsi"]) == sorted(set(two["provinsi"]))
    assert outlines.geometry.iloc[0].equals(two.geometry.union_all())


def test_stored_outlines_that_cannot_be_read_are_not_used(two_kabupaten, tmp_path):
    """A stored outlines file that is missing, not GeoParquet, or without the recorded checksum: dissolved instead."""
    two, path = two_kabupaten
    (tmp_path / "rusak.parquet").write_bytes(b"not a parquet file")
    two.to_parquet(tmp_path / "tanpa_checksum.parquet")
    for made in ("hilang.parquet", "rusak.parquet", "tanpa_checksum.parquet"):
        outlines = maps.province_outlines.__wrapped__(path, tmp_path / made)
        assert outlines.geometry.iloc[0].equals(two.geometry.union_all()), made


def test_make_outlines_stores_what_the_map_then_reads(two_kabupaten, tmp_path, monkeypatch, capsys):
    """``scripts/build_outlines.py`` (``make outlines``) after a boundary file is replaced: the map reads its file."""
    import importlib.util

    import geopandas as gpd

    from kepatuhan.writing import sha256

    script_path = Path(__file__).resolve().parent.parent / "scripts" / "build_outlines.py"
    _, path = two_kabupaten
    monkeypatch.setattr(settings, "BOUNDARIES_FILE", path)
    monkeypatch.setattr(settings, "OUTLINES_FILE", tmp_path / "provinsi.parquet")
    monkeypatch.setattr(settings, "ROOT", tmp_path)
    spec = importlib.util.spec_from_file_location("build_outlines", script_path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    script.main()
    assert "wrote 1 province outlines to provinsi.parquet" in capsys.readouterr().out
    stored = gpd.read_parquet(tmp_path / "provinsi.parquet")
    assert list(stored["source_sha256"]) == [sha256(path)]
    assert maps.province_outlines.__wrapped__(path, tmp_path / "provinsi.parquet").equals(
        stored[["provinsi", "geometry"]]
    )
