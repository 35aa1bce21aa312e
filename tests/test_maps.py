"""Maps on the shipped data: what they name and say, and no crash where the boundary file has no polygons."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

from kepatuhan.brief import maps  # noqa: E402


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
