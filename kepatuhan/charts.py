"""Charts: zone distribution per regency, pemda ranking, declines, OPD heatmap.

Every function takes tidy frames from the analysis modules and returns a matplotlib ``Figure``
built without pyplot (no global state, nothing shown twice in a notebook, nothing leaked).
Zones use the conventional green / yellow / red with hatching, so the charts read without colour.
Titles and labels are Indonesian by default, English with ``lang="en"``. A chart showing
illustrative rows says so in red at the top.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kepatuhan.methods import Methods, load_methods
from kepatuhan.outputs import atomic_path
from kepatuhan.wording import number, unit_name, words, zone_name

# Deterministic SVG ids and no timestamps, so the same data draws the same files.
mpl.rcParams["svg.hashsalt"] = "kepatuhan"
mpl.rcParams["svg.fonttype"] = "none"
# Names from data are text, never TeX: "$" in an agency name must not switch to math mode.
mpl.rcParams["text.parse_math"] = False
sns.set_theme(style="whitegrid", context="notebook")

ILLUSTRATIVE_COLOR = "#b71c1c"


def shorten(text: str, width: int = 90) -> str:
    """Cut a label from data to ``width`` characters, so a very long name cannot swamp a chart."""
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def zone_style(methods: Methods) -> tuple[dict[str, str], dict[str, str]]:
    """Colour and hatch of each zone, from ``config/zones.csv``."""
    zones = methods.zones
    return dict(zip(zones["zone"], zones["color"])), dict(zip(zones["zone"], zones["hatch"].fillna("")))


def mark_illustrative(fig: Figure, shown: bool, lang: str = "id") -> None:
    """Write the illustrative-data warning across the top of a figure when ``shown``."""
    if shown:
        fig.supxlabel(words("chart.illustrative", lang), color=ILLUSTRATIVE_COLOR, fontsize=10, fontweight="bold")


def _no_data(fig: Figure, ax, lang: str) -> Figure:
    """Say "no data" in the middle of an empty chart, and return the figure."""
    ax.text(0.5, 0.5, words("chart.no_data", lang), ha="center", transform=ax.transAxes)
    return fig


def _zone_legend(ax, zones: list[str], methods: Methods, lang: str) -> None:
    colors, hatches = zone_style(methods)
    handles = [
        Patch(facecolor=colors[z], hatch=hatches[z], edgecolor="white", label=zone_name(z, lang).capitalize())
        for z in zones
    ]
    ax.legend(handles=handles, title=words("chart.zone", lang), loc="lower right", fontsize=8, title_fontsize=8)


def zone_distribution_chart(distribution: pd.DataFrame, lang: str = "id", methods: Methods | None = None) -> Figure:
    """One horizontal bar per pemda split by zone (OPD counts, labelled); one panel per year.

    ``distribution`` is the output of :func:`kepatuhan.distribution.opd_distribution`.
    """
    methods = methods or load_methods()
    colors, hatches = zone_style(methods)
    years = sorted(distribution["year"].unique())
    pemda = sorted(distribution["pemda"].unique(), reverse=True)
    fig = Figure(figsize=(4.2 * max(len(years), 1), 0.42 * max(len(pemda), 2) + 1.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, max(len(years), 1), sharey=True, squeeze=False)[0])
    if distribution.empty:
        return _no_data(fig, axes[0], lang)
    zones_seen = [z for z in methods.zones["zone"] if z in set(distribution["zone"])]
    for ax, year in zip(axes, years):
        counts = distribution[distribution["year"] == year].pivot_table(
            index="pemda", columns="zone", values="count", aggfunc="sum", fill_value=0
        ).reindex(index=pemda, columns=zones_seen, fill_value=0)
        left = np.zeros(len(counts))
        for zone in zones_seen:
            values = counts[zone].to_numpy()
            bars = ax.barh(counts.index, values, left=left, color=colors[zone], hatch=hatches[zone],
                           edgecolor="white", label=zone_name(zone, lang))  # fmt: skip
            ax.bar_label(bars, labels=[str(v) if v else "" for v in values], label_type="center", fontsize=8,
                         color="white" if zone != "kuning" else "black")  # fmt: skip
            left += values
        ax.set_title(str(year))
        ax.set_xlabel(words("chart.opd_count", lang))
        ax.xaxis.get_major_locator().set_params(integer=True)
    _zone_legend(axes[-1], zones_seen, methods, lang)
    fig.suptitle(words("chart.zone_distribution_title", lang))
    mark_illustrative(fig, bool(distribution["illustrative"].any()), lang)
    return fig


def ranking_chart(scores: pd.DataFrame, year: int, lang: str = "id", methods: Methods | None = None) -> Figure:
    """Pemda totals of a year, best first, each bar coloured by zone, band cut points drawn."""
    methods = methods or load_methods()
    colors, hatches = zone_style(methods)
    totals = scores[(scores["year"] == year) & (scores["opd"] == "")].sort_values("score")
    fig = Figure(figsize=(8, 0.42 * max(len(totals), 2) + 1.6), layout="constrained")
    ax = fig.subplots()
    if totals.empty:
        return _no_data(fig, ax, lang)
    bars = ax.barh(totals["pemda"], totals["score"], color=totals["zone"].map(colors), edgecolor="white")
    for bar, zone in zip(bars, totals["zone"]):
        bar.set_hatch(hatches.get(zone, ""))
    text = [f"{number(s, lang)} {g}".strip() for s, g in zip(totals["score"], totals["grade"])]
    ax.bar_label(bars, labels=text, padding=3, fontsize=8)
    method = totals["method"].iloc[0]
    for cut in methods.cut_points(method):
        ax.axvline(cut, color="#555555", linestyle="--", linewidth=1)
        ax.text(cut, 1.0, f" {number(cut, lang, 0)}", transform=ax.get_xaxis_transform(), fontsize=8,
                color="#555555", va="bottom")  # fmt: skip
    ax.set_xlim(0, 105)
    ax.set_xlabel(words("chart.score", lang))
    _zone_legend(ax, methods.zones_of(method), methods, lang)
    ax.set_title(words("chart.ranking_title", lang, year=year), pad=14)
    mark_illustrative(fig, bool(totals["illustrative"].any()), lang)
    return fig


def declines_chart(watch: pd.DataFrame, lang: str = "id", top: int = 20, methods: Methods | None = None) -> Figure:
    """A dumbbell per unit on the watch list: previous score to current score, worst on top."""
    methods = methods or load_methods()
    colors, _ = zone_style(methods)
    rows = watch.head(top).iloc[::-1]
    fig = Figure(figsize=(8, 0.45 * max(len(rows), 2) + 1.6), layout="constrained")
    ax = fig.subplots()
    if rows.empty:
        return _no_data(fig, ax, lang)
    names = [textwrap.fill(shorten(unit_name(p, o)), 38) for p, o in zip(rows["pemda"], rows["opd"])]
    y = np.arange(len(rows))
    ax.hlines(y, rows["prev_score"], rows["score"], color="#9e9e9e", linewidth=2)
    ax.scatter(rows["prev_score"], y, color="white", edgecolor="#424242", zorder=3, label=words("chart.previous", lang))
    ax.scatter(rows["score"], y, c=rows["zone"].map(colors), edgecolor="#212121", zorder=3, s=60,
               label=words("chart.current", lang))  # fmt: skip
    for yi, (score, delta) in enumerate(zip(rows["score"], rows["delta"])):
        ax.annotate(number(delta, lang), (score, yi), xytext=(-6, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=8)  # fmt: skip
    ax.set_yticks(y, names, fontsize=8)
    ax.set_xlim(max(0, min(rows["score"].min(), rows["prev_score"].min()) - 10), 101)
    ax.set_xlabel(words("chart.score", lang))
    prev = rows["prev_year"].dropna()
    ax.set_title(words("chart.declines_title", lang, prev=int(prev.min()) if len(prev) else "", year=int(rows["year"].max())))
    ax.legend(loc="lower right", fontsize=8)
    mark_illustrative(fig, bool(rows["illustrative"].any()), lang)
    return fig


def heatmap_chart(scores: pd.DataFrame, pemda: str, lang: str = "id") -> Figure:
    """Scores of one pemda's OPDs (and its total) by year, annotated."""
    rows = scores[scores["pemda"] == pemda].copy()
    rows["unit"] = rows["opd"].where(rows["opd"] != "", words("chart.pemda_total", lang)).map(shorten)
    table = rows.pivot_table(index="unit", columns="year", values="score", aggfunc="first")
    fig = Figure(figsize=(1.1 * max(table.shape[1], 3) + 4, 0.45 * max(table.shape[0], 2) + 1.6), layout="constrained")
    ax = fig.subplots()
    if table.empty:
        return _no_data(fig, ax, lang)
    annotations = table.map(lambda v: "" if pd.isna(v) else number(v, lang))
    sns.heatmap(table, ax=ax, annot=annotations, fmt="", cmap="RdYlGn", vmin=30, vmax=100, linewidths=0.5,
                cbar_kws={"label": words("chart.score", lang)})  # fmt: skip
    ax.set_xlabel(words("chart.year", lang))
    ax.set_ylabel("")
    ax.set_title(words("chart.heatmap_title", lang, pemda=pemda), pad=14)
    mark_illustrative(fig, bool(rows["illustrative"].any()), lang)
    return fig


def png_bytes(fig: Figure, dpi: int = 100) -> bytes:
    """A figure as PNG bytes, without a timestamp or software tag (the same data gives the same bytes)."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None}, bbox_inches="tight")
    return buffer.getvalue()


def save_figure(fig: Figure, folder: Path, name: str, png: bytes | None = None) -> list[Path]:
    """Save a figure as PNG (the given bytes, when already drawn) and SVG, atomically; returns the two paths."""
    paths = [Path(folder) / f"{name}.png", Path(folder) / f"{name}.svg"]
    with atomic_path(paths[0]) as tmp:
        tmp.write_bytes(png if png is not None else png_bytes(fig))
    with atomic_path(paths[1]) as tmp:
        fig.savefig(tmp, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    return paths


def publish(fig: Figure, out_dir: str | Path, name: str) -> Figure:
    """Save a figure in the ``figures`` folder of ``out_dir`` (when set) and return it for display."""
    if out_dir:
        from kepatuhan import catalog

        save_figure(fig, catalog.path("figures", out_dir), name)
    return fig
