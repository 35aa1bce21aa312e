"""Charts: trends over the years, zone distributions, ranking, declines and the OPD heatmap.

Every function takes tidy frames from the analysis modules and returns a matplotlib ``Figure`` built
without pyplot (no global state, nothing shown twice in a notebook, nothing leaked), or ``None`` when
there is nothing to draw: the brief then says so in one sentence instead of an empty chart.

Readable by everyone: zones keep their conventional colours *and* their hatching in every chart, the
OPD heatmap included, so they read in greyscale and for colour-blind readers; a trend line breaks where
the method changes; legends sit outside the data. Titles and labels come from the wording files, numbers use the reader's decimal mark. A chart
showing illustrative rows says so at the bottom, in red.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import PIL.Image
import seaborn as sns
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import ScaledTranslation

from kepatuhan.brief.wording import number, unit_name, words, zone_name
from kepatuhan.reference.gazetteer import load_gazetteer
from kepatuhan.reference.methods import Methods, load_methods
from kepatuhan.writing import atomic_path, write_bytes

# Deterministic SVG ids and no timestamps, so the same data draws the same files.
mpl.rcParams["svg.hashsalt"] = "kepatuhan"
mpl.rcParams["svg.fonttype"] = "none"
# Names from data are text, never TeX: "$" in an agency name must not switch to math mode.
mpl.rcParams["text.parse_math"] = False
# One look for every chart, set once when the module is imported (never per chart).
sns.set_theme(
    style="whitegrid",
    context="notebook",
    rc={"svg.hashsalt": "kepatuhan", "svg.fonttype": "none", "text.parse_math": False},
)

ILLUSTRATIVE_COLOR = "#b71c1c"
#: The colour of a cell whose row published no zone (a service word only).
NO_ZONE_COLOR = "#eeeeee"
#: Colour-blind-safe colours for the lines of several OPDs (Okabe-Ito order, as seaborn's "colorblind").
LINE_COLORS = ("#0173b2", "#de8f05", "#029e73", "#d55e00", "#cc78bc", "#ca9161", "#56b4e9", "#949494")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Most pemda panels a trend chart draws; beyond that the brief points to the province briefs.
MAX_TREND_PANELS = 30
#: Most bars a ranking or distribution chart draws: a big province fits (Jawa Timur has 39 pemda), the whole
#: country (552) does not; beyond it the ranking shows both ends and the distribution is drawn per province.
MAX_BARS = 40
#: Most years the OPD zone distribution shows side by side (the latest ones).
MAX_DISTRIBUTION_YEARS = 3
#: The score axis's ticks, given: what matplotlib's own locator chooses for 0-100 at every panel size drawn
#: here, without it recomputing them at each layout pass and draw of every panel.
SCORE_TICKS = (0, 20, 40, 60, 80, 100)
#: The resolution of the PNG files and of the images in a brief (the page is about 60 rem wide).
DPI = 100


#: Where panel titles sit (axes coordinates). Given, not left to matplotlib: it would place them at the
#: same height (their axes have no ticks on top and no offset text), but finding that out costs a pass
#: over the y axis's ticks per title and draw: a fifth of a 24-panel trend chart's time.
TITLE_Y = 1.0


def shorten(text: str, width: int = 90) -> str:
    """Cut a label from data to ``width`` characters, so a very long name cannot swamp a chart."""
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def zone_style(methods: Methods) -> tuple[dict[str, str], dict[str, str]]:
    """Colour and hatch of each zone, from ``config/zones.csv`` (worked out once per :class:`Methods`)."""
    return methods.zone_colors, methods.zone_hatches


def mark_illustrative(fig: Figure, shown: bool, lang: str = "id") -> None:
    """Write the illustrative-data warning above a figure when ``shown`` (legends are below)."""
    if shown:
        fig.text(
            0.5,
            1.0,
            words("chart.illustrative", lang),
            ha="center",
            va="bottom",
            color=ILLUSTRATIVE_COLOR,
            fontsize=10,
            fontweight="bold",
        )


def zone_handles(zones: list[str], methods: Methods, lang: str) -> list[Patch]:
    """Legend entries of zones, with their colour and hatching."""
    colors, hatches = zone_style(methods)
    return [
        Patch(facecolor=colors[z], hatch=hatches[z], edgecolor="white", label=zone_name(z, lang).capitalize())
        for z in zones
    ]


def legend_below(fig: Figure, handles: list, lang: str, title_key: str = "chart.zone", columns: int = 6) -> None:
    """A legend under the panels, outside the data."""
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(len(handles), columns),
        fontsize=8,
        frameon=False,
        title=words(title_key, lang) if title_key else None,
        title_fontsize=8,
    )


def label_bars(
    ax, x: np.ndarray, labels: list[str], padding: float = 0, color: str = "black", boxed: bool = False
) -> None:
    """Write each label at ``x`` on its horizontal bar: centred, or ``padding`` points after the bar's end.

    What ``Axes.bar_label`` draws, as plain text: its annotations cost a layout pass each, which made a
    chart of a few hundred bars take seconds to save. A centred label lies inside the axes, so it is left
    out of the layout (no extent per label at each pass: the same pixels, the zone charts in 0.6 of the
    time); a label after the bar's end may pass the axes and stays in.
    """
    transform = (
        ax.transData + ScaledTranslation(padding / 72, 0, ax.figure.dpi_scale_trans) if padding else ax.transData
    )
    box = {"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.2} if boxed else None
    for position, (at, label) in enumerate(zip(x, labels)):
        if label:  # boxed: readable on any colour and hatch, and on a bar narrower than its label
            ax.text(
                at,
                position,
                label,
                ha="left" if padding else "center",
                va="center",
                fontsize=8,
                color=color,
                transform=transform,
                clip_on=False,
                in_layout=bool(padding),
                bbox=box,
            )


def stacked_bars(ax, counts: pd.DataFrame, methods: Methods) -> None:
    """Horizontal bars of zone counts (rows: bars, columns: zones), each part labelled with its count."""
    colors, hatches = zone_style(methods)
    left = np.zeros(len(counts))
    for zone in counts.columns:
        values = counts[zone].to_numpy()
        ax.barh(
            [str(i) for i in counts.index],
            values,
            left=left,
            color=colors[zone],
            hatch=hatches[zone],
            edgecolor="white",
        )
        label_bars(ax, left + values / 2, [str(int(v)) if v else "" for v in values], boxed=True)
        left += values
    ax.xaxis.get_major_locator().set_params(integer=True)


def zone_distribution_chart(
    distribution: pd.DataFrame, lang: str = "id", methods: Methods | None = None
) -> Figure | None:
    """One horizontal bar per pemda split by the zones of its OPDs; one panel per recent year (None without OPD data).

    Beyond ``MAX_BARS`` pemda of several provinces (a national brief) the bars are per province, to stay readable.
    """
    if distribution.empty or not distribution["count"].sum():
        return None
    methods = methods or load_methods()
    years = sorted(distribution["year"].unique())[-MAX_DISTRIBUTION_YEARS:]
    distribution = distribution[distribution["year"].isin(years)]
    national = distribution["pemda"].nunique() > MAX_BARS and distribution["province"].nunique() > 1
    group = "province" if national else "pemda"
    labels = sorted(distribution[group].unique(), reverse=True)
    zones = [z for z in methods.zones["zone"] if z in set(distribution["zone"])]
    fig = Figure(figsize=(min(3.4 * len(years), 12) + 2.5, 0.36 * len(labels) + 1.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(years), sharey=True, squeeze=False)[0])
    for ax, year in zip(axes, years):
        counts = distribution[distribution["year"] == year].pivot_table(
            index=group, columns="zone", values="count", aggfunc="sum", fill_value=0
        )
        stacked_bars(ax, counts.reindex(index=labels, columns=zones, fill_value=0), methods)
        ax.set_title(str(year), y=TITLE_Y)
        ax.set_xlabel(words("chart.opd_count", lang))
    fig.suptitle(
        words("chart.zone_distribution_title" if group == "pemda" else "chart.zone_distribution_province_title", lang)
    )
    legend_below(fig, zone_handles(zones, methods, lang), lang)
    mark_illustrative(fig, bool(distribution["illustrative"].any()), lang)
    return fig


def pemda_zones_chart(distribution: pd.DataFrame, lang: str = "id", methods: Methods | None = None) -> Figure | None:
    """How many pemda were in each zone, one bar per year (a province, or all provinces together)."""
    if distribution.empty or not distribution["count"].sum():
        return None
    methods = methods or load_methods()
    zones = [z for z in methods.zones["zone"] if z in set(distribution["zone"])]
    counts = distribution.pivot_table(index="year", columns="zone", values="count", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=zones, fill_value=0).sort_index(ascending=False)
    existing = pemda_existing(distribution)
    held = counts.sum(axis=1)
    counts.index = [
        words("chart.year_coverage", lang, year=y, n=int(held[y]), total=existing.get(y, int(held[y])))
        for y in counts.index
    ]
    fig = Figure(figsize=(8, 0.42 * len(counts) + 1.9), layout="constrained")
    ax = fig.subplots()
    stacked_bars(ax, counts, methods)
    ax.set_xlabel(words("chart.pemda_count", lang))
    title = words("chart.pemda_zones_title", lang)
    if held.max() > 2 * held.min():  # years of very different coverage: counts are not comparable as such
        title = f"{title}\n{words('chart.coverage_differs', lang)}"
    ax.set_title(title, fontsize=10)
    legend_below(fig, zone_handles(zones, methods, lang), lang)
    return fig


def pemda_existing(distribution: pd.DataFrame) -> dict[int, int]:
    """How many pemda existed each year in the provinces of ``distribution`` (for "n of M" per year)."""
    gazetteer = load_gazetteer()
    provinces = sorted({p for p in distribution["province"] if p})
    provinces = provinces if len(provinces) == 1 else gazetteer.provinces  # several: the national overview
    return {int(y): sum(len(gazetteer.pemda_in(p, int(y))) for p in provinces) for y in distribution["year"].unique()}


def ranking_rows(scores: pd.DataFrame, year: int) -> tuple[pd.DataFrame, int]:
    """Pemda totals of a year, lowest first; beyond ``MAX_BARS`` only both ends. Also how many there are."""
    totals = scores[(scores["year"] == year) & (scores["opd"] == "") & scores["score"].notna()]
    totals = totals.sort_values(["score", "pemda"], ascending=[True, False])
    if len(totals) <= MAX_BARS:
        return totals, len(totals)
    return pd.concat([totals.head(MAX_BARS // 2), totals.tail(MAX_BARS // 2)]), len(totals)


def ranking_chart(scores: pd.DataFrame, year: int, lang: str = "id", methods: Methods | None = None) -> Figure | None:
    """Pemda totals of a year, best first, each bar coloured and hatched by zone, band cut points drawn.

    Of more than ``MAX_BARS`` pemda (a national brief) the highest and lowest are drawn, apart; the table has all.
    """
    totals, count = ranking_rows(scores, year)
    if totals.empty:
        return None
    methods = methods or load_methods()
    colors, hatches = zone_style(methods)
    fig = Figure(figsize=(8, 0.36 * len(totals) + 1.8), layout="constrained")
    ax = fig.subplots()
    bars = ax.barh(totals["pemda"].map(shorten), totals["score"], color=totals["zone"].map(colors), edgecolor="white")
    for bar, zone in zip(bars, totals["zone"]):
        bar.set_hatch(hatches.get(zone, ""))
    method = totals["method"].iloc[0]
    mark = "*" if methods.provisional(method) else ""
    label_bars(
        ax,
        totals["score"].to_numpy(),
        [f"{number(s, lang)} {g}{mark}".strip() for s, g in zip(totals["score"], totals["grade"])],
        padding=3,
    )
    for cut in methods.cut_points(method):
        ax.axvline(cut, color="#555555", linestyle="--", linewidth=1)
        ax.text(
            cut,
            1.0,
            f" {number(cut, lang, 0)}",
            transform=ax.get_xaxis_transform(),
            fontsize=8,
            color="#555555",
            va="bottom",
        )
    ax.set_xlim(0, 108)
    ax.set_xlabel(words("chart.score", lang))
    title = words("chart.ranking_title", lang, year=year)
    if count > len(totals):
        ax.axhline(MAX_BARS // 2 - 0.5, color="black", linewidth=1.5)
        title += "\n" + words("chart.ranking_ends", lang, shown=MAX_BARS // 2, count=count)
    ax.set_title(title, pad=14)
    legend_below(fig, zone_handles(methods.zones_of(method), methods, lang), lang)
    mark_illustrative(fig, bool(totals["illustrative"].any()), lang)
    return fig


def declines_chart(
    watch: pd.DataFrame, lang: str = "id", top: int = 20, methods: Methods | None = None
) -> Figure | None:
    """A dumbbell per unit on the watch list: previous score to current score, worst on top (None when none fell)."""
    rows = watch.dropna(subset=["score", "prev_score"]).head(top).iloc[::-1]  # a fall of zone alone has no line to draw
    if rows.empty:
        return None
    methods = methods or load_methods()
    colors, _ = zone_style(methods)
    fig = Figure(figsize=(8, 0.45 * len(rows) + 1.8), layout="constrained")
    ax = fig.subplots()
    names = [textwrap.fill(shorten(unit_name(p, o)), 38) for p, o in zip(rows["pemda"], rows["opd"])]
    y = np.arange(len(rows))
    ax.hlines(y, rows["prev_score"], rows["score"], color="#9e9e9e", linewidth=2)
    ax.scatter(rows["prev_score"], y, color="white", edgecolor="#424242", zorder=3, label=words("chart.previous", lang))
    ax.scatter(
        rows["score"],
        y,
        c=rows["zone"].map(colors),
        edgecolor="#212121",
        zorder=3,
        s=60,
        label=words("chart.current", lang),
    )
    for yi, (score, delta) in enumerate(zip(rows["score"], rows["delta"])):
        ax.annotate(
            number(delta, lang),
            (score, yi),
            xytext=(-6, 0),
            textcoords="offset points",
            ha="right",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(max(0, min(rows["score"].min(), rows["prev_score"].min()) - 10), 101)
    ax.set_xlabel(words("chart.score", lang))
    prev = rows["prev_year"].dropna()
    ax.set_title(
        words("chart.declines_title", lang, prev=int(prev.min()) if len(prev) else "", year=int(rows["year"].max()))
    )
    handles, _ = ax.get_legend_handles_labels()
    legend_below(fig, handles, lang, title_key="")
    mark_illustrative(fig, bool(rows["illustrative"].any()), lang)
    return fig


def heatmap_chart(scores: pd.DataFrame, pemda: str, lang: str = "id", methods: Methods | None = None) -> Figure | None:
    """Scores of one pemda's OPDs (and its total) by year: each cell in its zone's colour and hatching, as
    every other chart, with its score and grade (``t.d.`` where only the zone or grade was published).

    None when the pemda has no OPD scores (its own total alone is the trend chart's business).
    """
    methods = methods or load_methods()
    rows = scores[scores["pemda"] == pemda].copy()
    if not (rows["opd"] != "").any():
        return None
    rows["unit"] = rows["opd"].where(rows["opd"] != "", words("chart.pemda_total", lang)).map(shorten)
    units, years = sorted(rows["unit"].unique()), sorted(rows["year"].unique())
    fig = Figure(figsize=(1.1 * max(len(years), 3) + 4.5, 0.42 * max(len(units), 2) + 2.2), layout="constrained")
    ax = fig.subplots()
    colors, hatches = zone_style(methods)
    # The cells lie inside the axes: out of the layout (no extent per text at each layout pass, a third of
    # the chart's time), the picture is the same (tests/test_charts.py checks the pixels). They are added
    # as artists, not patches: the limits are set below, so the data limits add_patch works out per cell
    # (an eighth of the chart's time) are never read.
    for row in rows.itertuples():
        x, y = years.index(row.year), units.index(row.unit)
        ax.add_artist(
            Rectangle(
                (x - 0.5, y - 0.5),
                1,
                1,
                facecolor=colors.get(row.zone, NO_ZONE_COLOR),
                hatch=hatches.get(row.zone, ""),
                edgecolor="white",
                linewidth=1.5,
                in_layout=False,
            )
        )
        shown = words("chart.not_published_short", lang) if pd.isna(row.score) else number(row.score, lang)
        ax.text(
            x,
            y,
            f"{shown} {row.grade}".strip(),
            ha="center",
            va="center",
            fontsize=8,
            in_layout=False,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
        )
    ax.set_xlim(-0.5, len(years) - 0.5)
    ax.set_ylim(len(units) - 0.5, -0.5)
    ax.set_xticks(range(len(years)), [str(y) for y in years])
    ax.set_yticks(range(len(units)), units)
    ax.set_xlabel(words("chart.year", lang))
    ax.set_title(words("chart.heatmap_title", lang, pemda=pemda), pad=10, wrap=True)
    ax.tick_params(length=0)
    ax.grid(False)
    ax.spines[:].set_visible(False)
    zones = [z for z in methods.zones["zone"] if z in set(rows["zone"])]
    legend_below(fig, zone_handles(zones, methods, lang), lang)
    mark_illustrative(fig, bool(rows["illustrative"].any()), lang)
    return fig


def trend_chart(
    scores: pd.DataFrame,
    pemda: str | None = None,
    lang: str = "id",
    methods: Methods | None = None,
    columns: int = 4,
    year: int = 0,
) -> Figure | None:
    """Scores over the years as lines, band cut points shaded, method changes marked, gaps left as gaps.

    With ``pemda``: one panel, the pemda's own total and a line per OPD. Without: one panel per pemda
    total assessed in ``year`` (the latest year when 0), with its history; None when there are more
    than :data:`MAX_TREND_PANELS`.
    """
    methods = methods or load_methods()
    rows = scores[scores["pemda"] == pemda] if pemda else scores[scores["opd"] == ""]
    year = year or (int(rows["year"].max()) if len(rows) else 0)
    names = sorted(rows.loc[rows["year"] == year, "pemda"].unique())
    rows = rows[rows["pemda"].isin(names)]
    if rows.empty or len(names) > MAX_TREND_PANELS:
        return None
    years = list(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
    year_methods = methods.method_for_years(pd.Series(years)).tolist()
    panels = [pemda] if pemda else names
    n_columns = 1 if pemda else min(columns, len(panels))
    n_rows = -(-len(panels) // n_columns)
    fig = Figure(
        figsize=(9 if pemda else 2.6 * n_columns + 0.6, 4.2 if pemda else 2.0 * n_rows + 1.4), layout="constrained"
    )
    # Independent axes, inner labels hidden by label_outer (in style_axes): the same picture as shared
    # axes, without every tick update walking all sibling panels (a third of a 12-panel chart's time).
    axes = np.atleast_1d(fig.subplots(n_rows, n_columns, squeeze=False).ravel())
    for ax, name in zip(axes, panels):
        shade_bands(ax, years, methods, year_methods)
        lines = rows[rows["pemda"] == name]
        for position, (unit, line) in enumerate(sorted(lines.groupby("opd"), key=lambda u: (u[0] != "", u[0]))):
            draw_line(ax, line, years, unit, position, lang, year_methods)
            if unit == "":
                zone_only_marks(ax, line, lang, methods, dict(zip(years, year_methods)))
        if not pemda:
            ax.set_title(shorten(name, 34), fontsize=9, y=TITLE_Y)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    style_axes(axes, years, lang)
    fig.suptitle(words("chart.trend_title_pemda" if pemda else "chart.trend_title", lang, pemda=pemda or ""))
    zone_only = bool((rows["score"].isna() & rows["zone"].ne("") & rows["opd"].eq("")).any())
    trend_legend(fig, axes[0] if pemda else None, len(method_spans(years, year_methods)) > 1, lang, zone_only)
    mark_illustrative(fig, bool(rows["illustrative"].any()), lang)
    return fig


def trend_legend(fig: Figure, lines_of, method_changed: bool, lang: str, zone_only: bool = False) -> None:
    """The units' lines (of a one-pemda chart's axes ``lines_of``), the method change's dashed line and, in a chart
    of panels, the mark of a zone published without a score, below the panels."""
    handles = (
        [Patch(facecolor="none", edgecolor="#616161", linestyle="--", label=words("chart.method_change", lang))]
        if method_changed
        else []
    )
    if zone_only and lines_of is None:
        handles.append(
            Patch(facecolor="none", edgecolor="#616161", hatch="///", label=words("chart.zone_without_score", lang))
        )
    if lines_of is not None:
        handles = [*lines_of.get_legend_handles_labels()[0], *handles]
    if handles:
        legend_below(fig, handles, lang, title_key="", columns=3 if lines_of is not None else 6)


def shade_bands(ax, years: list[int], methods: Methods, year_methods: list) -> None:
    """Each method's zones as light bands over the years it applies; a dashed line where the method changes.
    ``year_methods``: the method of each of ``years`` (looked up once per chart by the caller)."""
    colors, _ = zone_style(methods)
    for method, start, end in method_spans(years, year_methods):
        for zone, low, high in methods.zone_spans.get(method, []):
            ax.fill_between(
                [start - 0.5, end + 0.5], low, high, color=colors.get(zone, "#ffffff"), alpha=0.13, linewidth=0
            )
        if start > years[0]:
            ax.axvline(start - 0.5, color="#616161", linestyle="--", linewidth=0.9)


def method_spans(years: list[int], year_methods: list) -> list[tuple[str, int, int]]:
    """(method, first year, last year) runs over ``years``; a year without a method (2020) ends no run."""
    spans: list[list] = []
    for year, method in zip(years, year_methods):
        if not isinstance(method, str):
            continue
        if spans and spans[-1][0] == method:
            spans[-1][2] = year
        else:
            spans.append([method, year, year])
    return [tuple(span) for span in spans]


def draw_line(
    ax, line: pd.DataFrame, years: list[int], unit: str, position: int, lang: str, year_methods: list
) -> None:
    """One unit's scores over ``years``: missing years are gaps, and the line breaks where the method
    changes (scores of two methods are not like for like); every score keeps its marker."""
    series = line.groupby("year")["score"].first().reindex(years)
    xs, ys = [], []
    for year, value, method, before in zip(years, series, year_methods, [None, *year_methods[:-1]]):
        if isinstance(method, str) and isinstance(before, str) and method != before:
            xs, ys = [*xs, year - 0.5], [*ys, np.nan]
        xs, ys = [*xs, year], [*ys, value]
    total = unit == ""
    style = (
        {"color": "#212121", "linewidth": 2.4, "marker": "o", "markersize": 5}
        if total
        else {
            "color": LINE_COLORS[(position - 1) % len(LINE_COLORS)],
            "linewidth": 1.3,
            "marker": MARKERS[(position - 1) % len(MARKERS)],
            "markersize": 4,
        }
    )
    label = words("chart.pemda_total", lang) if total else shorten(unit, 40)
    ax.plot(xs, ys, label=label if series.notna().any() else "_nolegend_", **style)  # no legend for no line


def zone_only_marks(ax, line: pd.DataFrame, lang: str, methods: Methods, year_methods: dict) -> None:
    """The years a pemda's zone (or grade) was published without a score: a hollow hatched bar over that zone's
    band of scores (where the score must lie), in the zone's colour, explained once in the legend."""
    colors, _ = zone_style(methods)
    labelled = False
    for row in line[line["score"].isna() & (line["zone"] != "")].itertuples():
        span = next(
            (
                (low, high)
                for zone, low, high in methods.zone_spans.get(year_methods.get(row.year), [])
                if zone == row.zone
            ),
            None,
        )
        if span is None:
            continue
        label = "_nolegend_" if labelled else words("chart.zone_without_score", lang)
        ax.bar(
            row.year,
            span[1] - span[0],
            bottom=span[0],
            width=0.42,
            facecolor="none",
            hatch="///",
            edgecolor=colors.get(row.zone, "#616161"),
            linewidth=1.4,
            label=label,
            zorder=3,
        )
        ax.text(
            row.year,
            span[0] + (span[1] - span[0]) / 2,
            zone_name(row.zone, lang),
            ha="center",
            va="center",
            fontsize=7,
            color="#212121",
            zorder=4,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1},
        )
        labelled = True


def style_axes(axes, years: list[int], lang: str) -> None:
    """Whole years on the x axis, scores 0-100 on the y axis."""
    step = 1 if len(years) <= 8 else 2
    for ax in axes:
        ax.set_xticks(years[::step], [str(y) for y in years[::step]], fontsize=8)
        ax.set_xlim(years[0] - 0.6, years[-1] + 0.6)
        ax.set_ylim(0, 100)
        ax.set_yticks(SCORE_TICKS)
        ax.tick_params(axis="y", labelsize=8)
        ax.grid(axis="y", color="#e0e0e0", linewidth=0.6)
        ax.label_outer(remove_inner_ticks=False)
    axes[0].set_ylabel(words("chart.score", lang), fontsize=8)


def png_bytes(fig: Figure, dpi: int = DPI) -> bytes:
    """A figure as PNG bytes cut to what it draws, as ``savefig(bbox_inches="tight")`` cuts it, drawn once.

    savefig lays the figure out and measures every text at the figure's size, then draws it again on a
    canvas of the cropped size, which measures every text anew. Here the figure is laid out and drawn once
    at its own size and the tight box (with savefig's pad) is cut out of that drawing: the same size and
    picture, the edges of bars and letters up to a pixel's fraction apart. An opaque figure is written as
    RGB (no alpha channel for WeasyPrint to split out for the PDF). No timestamp or software tag: the same
    data gives the same bytes. A figure drawn beyond its own edges is drawn again at its box with its layout
    kept; one made at another resolution than ``dpi`` is saved by savefig, which lays it out at ``dpi``.
    """
    if fig.dpi != dpi:
        return saved_png(fig, dpi, "tight")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    drawn = fig.get_tightbbox(canvas.get_renderer())
    box = drawn.padded(mpl.rcParams["savefig.pad_inches"])
    if not within_figure(drawn, fig):
        engine = fig.get_layout_engine()
        fig.set_layout_engine(None)  # laid out already: savefig would lay it out again
        try:
            return saved_png(fig, dpi, box)
        finally:
            fig.set_layout_engine(engine)
    pixels = cropped(np.asarray(canvas.buffer_rgba()), box, dpi, fig.get_facecolor())
    image = PIL.Image.fromarray(pixels[..., :3] if (pixels[..., 3] == 255).all() else pixels)
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi))
    return buffer.getvalue()


def saved_png(fig: Figure, dpi: int, box) -> bytes:
    """The figure's ``box`` (inches, or ``"tight"``) as savefig writes it, without a timestamp or software tag."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches=box)
    return buffer.getvalue()


def within_figure(box, fig: Figure) -> bool:
    """Whether ``box`` (inches) lies inside the figure's own area, where its drawing has pixels."""
    return box.x0 >= 0 and box.y0 >= 0 and box.x1 <= fig.get_figwidth() and box.y1 <= fig.get_figheight()


def cropped(canvas: np.ndarray, box, dpi: int, background) -> np.ndarray:
    """The pixels of ``box`` (inches from the figure's lower left corner) of a drawn ``canvas`` (rows from the
    top), sized as savefig sizes a tight box; what lies outside the figure is its background, as savefig paints it."""
    height, width = int(box.height * dpi), int(box.width * dpi)
    left, top = round(box.x0 * dpi), round(canvas.shape[0] - box.y0 * dpi - height)
    out = np.empty((height, width, 4), np.uint8)
    out[:] = np.round(np.array(to_rgba(background)) * 255).astype(np.uint8)
    rows = slice(max(top, 0), min(top + height, canvas.shape[0]))
    columns = slice(max(left, 0), min(left + width, canvas.shape[1]))
    out[rows.start - top : rows.stop - top, columns.start - left : columns.stop - left] = canvas[rows, columns]
    return out


def save_figure(fig: Figure, folder: Path, name: str, png: bytes | None = None, svg: bool = False) -> list[Path]:
    """Save a figure as PNG (the given bytes, when already drawn: the figure is not laid out again) and, when
    ``svg`` is true, as SVG (a second drawing, which only print layouts use), atomically; returns the paths."""
    paths = [Path(folder) / f"{name}.png"]
    write_bytes(png if png is not None else png_bytes(fig), paths[0])
    if svg:
        paths.append(Path(folder) / f"{name}.svg")
        with atomic_path(paths[1]) as tmp:
            fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return paths
