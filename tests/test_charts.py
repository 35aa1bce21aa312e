"""Charts at every scale: a province draws every pemda; the whole country stays readable and cheap."""

from __future__ import annotations

import io

import matplotlib
import numpy as np
import pandas as pd
import PIL.Image
import pytest
from conftest import scores_frame

matplotlib.use("agg")

from kepatuhan.analysis.distribution import opd_distribution
from kepatuhan.brief import charts


def texts(fig) -> list[str]:
    """Every text drawn on a figure: titles, tick labels, bar labels, legend entries."""
    fig.canvas.draw()
    shown = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    return shown + [label.get_text() for ax in fig.axes for label in ax.get_yticklabels()]


def country(pemda: int, provinces: int, opds: int = 0) -> pd.DataFrame:
    """Pemda totals of 2023 (and ``opds`` OPD rows each) scored 40 + i/10, spread over ``provinces``."""
    rows = [(2023, f"Pemda {i:03d}", "", 40 + i / 10) for i in range(pemda)]
    rows += [(2023, f"Pemda {i:03d}", f"OPD {j}", 50.0 + 10 * j) for i in range(pemda) for j in range(opds)]
    frame = scores_frame(rows)
    frame["province"] = frame["pemda"].map(lambda name: f"Provinsi {int(name[-3:]) % provinces:02d}")
    return frame


def test_ranking_of_a_province_draws_every_pemda_with_its_score_and_grade(shipped_scores):
    fig = charts.ranking_chart(shipped_scores[shipped_scores["province"] == "Jambi"], 2024, lang="id")
    shown = texts(fig)
    assert "Kota Jambi" in shown and "Kabupaten Merangin" in shown
    assert any(t.startswith("93,68") for t in shown)  # Kota Jambi 2024, the Indonesian decimal comma
    assert sum(t.startswith("Kabupaten") or t.startswith("Kota") or t.startswith("Provinsi") for t in shown) == 12


def test_national_ranking_draws_both_ends_and_says_so():
    fig = charts.ranking_chart(country(552, 38), 2023, lang="id")
    bars = fig.axes[0].patches
    assert len(bars) == charts.MAX_BARS
    shown = " | ".join(texts(fig))
    assert "Pemda 551" in shown and "Pemda 000" in shown  # the highest and the lowest
    assert "Pemda 300" not in shown
    assert "dari 552 pemda" in shown


def test_zone_distribution_per_pemda_in_a_province_and_per_province_for_the_country():
    province = charts.zone_distribution_chart(opd_distribution(country(30, 1, opds=3)), lang="en")
    assert len(province.axes[0].get_yticklabels()) == 30
    national = charts.zone_distribution_chart(opd_distribution(country(552, 38, opds=3)), lang="en")
    labels = [label.get_text() for label in national.axes[0].get_yticklabels()]
    assert len(labels) == 38 and labels[-1] == "Provinsi 00"
    assert national._suptitle.get_text() == "Zone distribution of OPDs per province"
    counts = [t.get_text() for t in national.axes[0].texts]
    assert sum(int(c) for c in counts) == 552 * 3  # every OPD counted once, in its province's bar


def test_province_trend_panels_draw_what_shared_axes_drew(shipped_scores, monkeypatch):
    """Independent panels with outer labels only: the same pixels as shared axes, without their cost."""
    from matplotlib.figure import Figure

    jambi = shipped_scores[shipped_scores["province"] == "Jambi"]
    fig = charts.trend_chart(jambi, year=2024)
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert len(visible) == 12
    inner = [ax for ax in visible if not ax.get_subplotspec().is_first_col()]
    assert inner and not any(label.get_visible() for ax in inner for label in ax.get_yticklabels())
    ours = charts.png_bytes(fig)
    subplots = Figure.subplots
    monkeypatch.setattr(
        Figure, "subplots", lambda self, *a, **k: subplots(self, *a, **{**k, "sharex": True, "sharey": True})
    )
    assert charts.png_bytes(charts.trend_chart(jambi, year=2024)) == ours


def test_heatmap_cells_left_out_of_the_layout_draw_the_same_picture():
    """The cells' texts and patches lie inside the axes, so leaving them out of the layout (what makes the
    chart cheap: no extent per text at each layout pass) changes no pixel."""
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    rows = [
        (year, "Kabupaten Contoh", unit, 40.0 + year % 7 + 5 * j)
        for year in range(2016, 2026)
        for j, unit in enumerate(["", "Dinas Kesehatan", "Dinas Pendidikan dan Kebudayaan", "RSUD"])
    ]
    frame = scores_frame(rows)
    ours, before = charts.heatmap_chart(frame, "Kabupaten Contoh"), charts.heatmap_chart(frame, "Kabupaten Contoh")
    cells = [a for a in before.axes[0].get_children() if isinstance(a, Text | Rectangle) and not a.get_in_layout()]
    assert len(cells) == 80
    for artist in cells:
        artist.set_in_layout(True)
    assert charts.png_bytes(before) == charts.png_bytes(ours)


def test_count_labels_inside_the_bars_left_out_of_the_layout_draw_the_same_picture():
    """A count written in the middle of its bar part lies inside the axes (labels after a bar's end stay in
    the layout): out of it, the zone-distribution chart saves in about 0.6 of the time with the same pixels,
    a part of 1 beside 59 at the axes' left edge included."""
    from matplotlib.text import Text

    rows = [
        (year, "Jambi", f"Kabupaten {name}", "opini_pengawasan", zone, count, 0.0, False)
        for year in (2023, 2024)
        for name, counts in (("A", (1, 59, 0)), ("B", (20, 20, 20)), ("C", (0, 3, 1)))
        for zone, count in zip(("hijau", "kuning", "merah"), counts)
    ]
    frame = pd.DataFrame(
        rows, columns=["year", "province", "pemda", "method", "zone", "count", "share", "illustrative"]
    )
    ours, before = charts.zone_distribution_chart(frame), charts.zone_distribution_chart(frame)
    labels = [t for ax in before.axes for t in ax.texts if isinstance(t, Text) and not t.get_in_layout()]
    assert sorted(t.get_text() for t in labels) == sorted(["1", "59", "20", "20", "20", "3", "1"] * 2)
    for text in labels:
        text.set_in_layout(True)
    assert charts.png_bytes(before) == charts.png_bytes(ours)


def test_heatmap_cells_added_without_data_limits_draw_what_add_patch_drew(monkeypatch):
    """The cells are added as plain artists (add_patch would work out the data limits per cell, which
    the chart sets itself): the same pixels as with add_patch."""
    from matplotlib.axes import Axes
    from matplotlib.patches import Rectangle

    rows = [
        (year, "Kota Contoh", unit, 55.5 + year % 5 + 9 * j)
        for year in range(2019, 2026)
        for j, unit in enumerate(["", "Dinas Sosial", "Kecamatan Kota Baru"])
    ]
    frame = scores_frame(rows)
    ours = charts.png_bytes(charts.heatmap_chart(frame, "Kota Contoh"))
    add_artist = Axes.add_artist
    monkeypatch.setattr(
        Axes, "add_artist", lambda ax, a: ax.add_patch(a) if isinstance(a, Rectangle) else add_artist(ax, a)
    )
    before = charts.heatmap_chart(frame, "Kota Contoh")
    assert before.axes[0].dataLim.x0 == -0.5  # the limits add_patch works out: the cells were added as patches
    assert charts.png_bytes(before) == ours


def test_panel_titles_placed_by_hand_sit_where_matplotlib_would_place_them(shipped_scores, monkeypatch):
    """The trend and zone-distribution panels' titles are given their height (``TITLE_Y``) instead of
    being placed at every draw: the same pixels as matplotlib's own placement, in both charts."""
    jambi = shipped_scores[shipped_scores["province"] == "Jambi"]
    distribution = opd_distribution(shipped_scores)

    def drawn() -> list[bytes]:
        return [
            charts.png_bytes(charts.trend_chart(jambi, year=2024)),
            charts.png_bytes(charts.zone_distribution_chart(distribution)),
        ]

    ours = drawn()
    monkeypatch.setattr(charts, "TITLE_Y", None)  # matplotlib places them
    assert drawn() == ours


def test_a_zone_without_a_score_is_drawn_over_its_zones_band_and_explained():
    """A pemda with zones only got an empty chart with "t.d." in tiny letters and a legend of a line that was not
    drawn (issue 35): each zone is a hatched bar over that zone's scores, and the legend says what it is."""
    frame = scores_frame([(2023, "Kabupaten Buru", "", float("nan")), (2024, "Kabupaten Buru", "", float("nan"))])
    frame["zone"] = ["kuning", "hijau"]
    fig = charts.trend_chart(frame, "Kabupaten Buru", "id")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if p.get_hatch() == "///"]
    spans = sorted((round(b.get_y()), round(b.get_y() + b.get_height())) for b in bars)
    assert spans == [(54, 78), (78, 100)]  # 2022-2024 bands: kuning 54-77,99, hijau 78-100
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["zona diumumkan tanpa nilai (nilai ada di rentang zona itu)"]  # no "(nilai pemda)" without a line


def test_the_zones_per_year_say_how_many_pemda_each_year_holds_and_warn_when_coverage_differs():
    """National 2015 (2 pemda) beside 2024 (72) was drawn without a word (issue 35)."""
    rows = [
        (2015, "Jambi", "kepatuhan_standar", "merah", 2),
        (2024, "Jambi", "opini_pengawasan", "hijau", 10),
        (2024, "Jambi", "opini_pengawasan", "kuning", 1),
    ]
    distribution = pd.DataFrame(rows, columns=["year", "province", "method", "zone", "count"]).assign(
        share=0.0, illustrative=False
    )
    fig = charts.pemda_zones_chart(distribution, "id")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["2024 (11 dari 12)", "2015 (2 dari 12)"]  # Jambi: 12 pemda
    assert "bandingkan bagiannya, bukan jumlahnya" in ax.get_title()


def test_a_figure_is_saved_as_the_png_already_drawn_and_as_svg_only_when_asked(tmp_path):
    """The PNG written is the one drawn for the page (no second layout); SVG, a second drawing no brief reader
    opens, only with ``svg``."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([1, 2], [3, 4])
    drawn = charts.png_bytes(fig)
    paths = charts.save_figure(fig, tmp_path / "plain", "trend", png=drawn)
    assert [p.name for p in paths] == ["trend.png"] and paths[0].read_bytes() == drawn
    assert not list((tmp_path / "plain").glob("*.svg"))
    paths = charts.save_figure(fig, tmp_path / "both", "trend", png=drawn, svg=True)
    assert [p.name for p in paths] == ["trend.png", "trend.svg"]
    assert paths[1].read_text().lstrip().startswith("<?xml") and "<svg" in paths[1].read_text()


def saved_tight(fig) -> bytes:
    """The figure as matplotlib's own ``savefig(bbox_inches="tight")`` writes it, with the brief's dpi and no tag."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=charts.DPI, metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def test_a_chart_drawn_once_is_the_picture_savefig_draws_twice(shipped_scores):
    """The PNG is cut out of one drawing: the size of savefig's tight box, the same pixels but where an edge falls
    a pixel's fraction apart (savefig's second drawing sits at the box's fractional offset), and RGB."""
    jambi = shipped_scores[shipped_scores["province"] == "Jambi"]
    for make in (lambda: charts.trend_chart(jambi, year=2024), lambda: charts.ranking_chart(jambi, 2024)):
        ours, theirs = (PIL.Image.open(io.BytesIO(png)) for png in (charts.png_bytes(make()), saved_tight(make())))
        assert (
            ours.mode == "RGB" and ours.size == theirs.size and ours.info["dpi"] == pytest.approx((100, 100), abs=0.01)
        )
        apart = np.abs(np.asarray(ours, int) - np.asarray(theirs.convert("RGB"), int)).max(axis=2) > 0
        assert apart.mean() < 0.1, apart.mean()


def test_a_figure_drawn_beyond_its_edges_keeps_all_it_draws():
    """A title wider than its figure lies outside the figure's own drawing: that box is drawn again on a canvas of
    its size, with the layout already made, which gives savefig's own bytes."""
    from matplotlib.figure import Figure

    def wide() -> Figure:
        fig = Figure(figsize=(2, 1), layout="constrained")
        fig.add_subplot().set_title("Nilai OPD: Kabupaten Tanjung Jabung Barat")
        return fig

    theirs = saved_tight(wide())
    assert PIL.Image.open(io.BytesIO(theirs)).size[0] > 2 * charts.DPI
    assert charts.png_bytes(wide()) == theirs


def test_a_long_heatmap_title_wraps_inside_its_figure():
    """Long OPD names push the axes right, and a long pemda name ran the title past the figure's edge (a PNG wider
    than the figure, drawn twice): it wraps to a second line inside the figure."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    units = ["", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu", "Dinas Kesehatan"]
    frame = scores_frame([(2024, "Kabupaten Tanjung Jabung Barat", unit, 80.0) for unit in units])
    fig = charts.heatmap_chart(frame, "Kabupaten Tanjung Jabung Barat")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    assert charts.within_figure(fig.get_tightbbox(canvas.get_renderer()), fig)
    assert "\n" in fig.axes[0].title._get_wrapped_text()


def test_a_figure_made_at_another_resolution_is_saved_as_savefig_saves_it():
    """A figure made at 72 dpi (as some notebook setups make them) is laid out again at the brief's 100 dpi."""
    from matplotlib.figure import Figure

    def at_72() -> Figure:
        fig = Figure(figsize=(3, 2), dpi=72, layout="constrained")
        fig.add_subplot().set_title("Nilai kepatuhan")
        return fig

    assert charts.png_bytes(at_72()) == saved_tight(at_72())
