"""Maps: kabupaten/kota coloured by zone, for one province or for all of Indonesia (geopandas).

Boundaries are the Kepmendagri 2025 kabupaten/kota polygons of ``data/geo`` (MIT); the credit line
printed under every map comes from ``data/geo/credits.csv``, beside the boundary file it credits. A
provincial government has no polygon of its own: the caption gives its score and zone. Areas not
assessed are grey and named in the legend ("tidak dinilai"). On the national map every assessed pemda
also gets a dot (cities and small islands would vanish at that scale), and each province with
assessed pemda gets an inset panel when there are few enough of them.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from kepatuhan import settings
from kepatuhan.brief.charts import mark_illustrative, zone_style
from kepatuhan.brief.wording import number, words, zone_name
from kepatuhan.reference.gazetteer import load_gazetteer
from kepatuhan.reference.methods import Methods, load_methods
from kepatuhan.writing import sha256

#: Grey of an area without a score, and of province outlines.
NO_DATA_COLOR, OUTLINE_COLOR = "#d9d9d9", "#616161"
#: The national map gets one inset panel per assessed province, up to this many.
MAX_INSETS = 6


@functools.cache
def boundaries(path: Path = settings.BOUNDARIES_FILE):
    """The kabupaten/kota polygons (``kode, nama, provinsi, geometry``), read once per process."""
    import geopandas as gpd  # heavy

    return gpd.read_file(path, engine="pyogrio")


@functools.cache
def province_outlines(path: Path = settings.BOUNDARIES_FILE, made: Path = settings.OUTLINES_FILE):
    """Province outlines, once per process: those of ``made`` (``make outlines``) when they were dissolved from this
    very boundary file (its SHA-256), read in 0.1 s; else dissolved here (about 2 s, a third of the national map).
    ``made`` is only a shortcut: missing, unreadable or made from other boundaries, it is not used."""
    import geopandas as gpd  # heavy

    try:
        outlines = gpd.read_parquet(made)
        if set(outlines["source_sha256"]) == {sha256(path)}:
            return outlines[["provinsi", "geometry"]]
    except (OSError, ValueError, KeyError):  # pyarrow's errors for a file that is not GeoParquet are ValueErrors
        pass
    return dissolved_outlines(path)


def dissolved_outlines(path: Path = settings.BOUNDARIES_FILE):
    """Province outlines dissolved from the kabupaten/kota polygons of ``path`` (what ``make outlines`` stores)."""
    return boundaries(path).dissolve("provinsi").reset_index()[["provinsi", "geometry"]]


@functools.cache
def credit(lang: str = "id", path: Path = settings.BOUNDARIES_FILE) -> str:
    """The credit line of a boundary file, from the ``credits.csv`` beside it."""
    table = settings.read_config_table(Path(path).parent / "credits.csv", ["file", "credit_id", "credit_en"])
    row = table[table["file"] == Path(path).name]
    return row.iloc[0][f"credit_{lang}"] if len(row) else ""


def with_scores(shapes, totals: pd.DataFrame):
    """The polygons with the ``pemda``, ``score`` and ``zone`` of each assessed kabupaten/kota (by Kemendagri code)."""
    codes = {row["pemda"]: row["kode"] for row in load_gazetteer().records}
    found = totals.assign(kode=totals["pemda"].map(codes))[["kode", "pemda", "score", "zone"]]
    found = found.assign(zone=found["zone"].replace("", None))  # a result without a zone is drawn as not in the data
    return shapes.merge(found, on="kode", how="left")


def projected(frame, lon: float, lat: float):
    """The frame in a transverse Mercator projection centred on (lon, lat), in kilometres."""
    return frame.to_crs(
        f"+proj=tmerc +lat_0={lat:.3f} +lon_0={lon:.3f} +k=1 +x_0=0 +y_0=0 +ellps=WGS84 +units=km +no_defs"
    )


def draw_areas(ax, frame, methods: Methods) -> None:
    """Each area filled with its zone's colour and hatching; grey where it has no score."""
    colors, hatches = zone_style(methods)
    if frame["zone"].isna().any():
        frame[frame["zone"].isna()].plot(ax=ax, color=NO_DATA_COLOR, edgecolor="white", linewidth=0.4)
    for zone, part in frame[frame["zone"].notna()].groupby("zone"):
        part.plot(
            ax=ax, color=colors.get(zone, NO_DATA_COLOR), hatch=hatches.get(zone, ""), edgecolor="white", linewidth=0.6
        )
    ax.set_axis_off()
    ax.set_aspect("equal")


def short_name(pemda: str) -> str:
    """A map label: ``Kabupaten Agam`` -> ``Agam``; a kota keeps its type word (``Kota Padang``)."""
    return pemda.replace("Kabupaten Administrasi ", "").replace("Kabupaten ", "").replace("Kota Administrasi ", "Kota ")


def label_areas(ax, frame, lang: str) -> None:
    """Name and score of each assessed area in two columns beside the map, with leader lines.

    Labels inside the polygons collide where small cities cluster; in columns, ordered by height on
    each side, they never overlap and their lines do not cross.
    """
    assessed = frame[frame["zone"].notna()]
    if assessed.empty:
        return
    points = assessed.geometry.representative_point()
    left, bottom, right, top = frame.total_bounds
    width, height = right - left, top - bottom
    middle = (left + right) / 2
    for side, chosen in (("left", points.x < middle), ("right", points.x >= middle)):
        rows = (
            assessed[chosen.to_numpy()].assign(x=points.x[chosen], y=points.y[chosen]).sort_values("y", ascending=False)
        )
        column = left - 0.06 * width if side == "left" else right + 0.06 * width
        for row, y in zip(rows.itertuples(), spread(rows["y"].tolist(), bottom, top)):
            shown = zone_name(row.zone, lang) if pd.isna(row.score) else number(row.score, lang)
            ax.annotate(
                f"{short_name(row.pemda)} {shown}",
                (row.x, row.y),
                xytext=(column, y),
                textcoords="data",
                ha="right" if side == "left" else "left",
                va="center",
                fontsize=7.5,
                arrowprops={**LEADER_LINE, "relpos": (1, 0.5) if side == "left" else (0, 0.5)},
            )
    ax.set_xlim(left - 0.42 * width, right + 0.42 * width)
    ax.set_ylim(bottom - 0.04 * height, top + 0.04 * height)


#: A label's leader line: it starts at the label's inner edge (``relpos``) instead of being clipped
#: against the label's box, which matplotlib does by bisection in Python (most of a national map's time).
LEADER_LINE = {"arrowstyle": "-", "color": "#616161", "linewidth": 0.6, "shrinkA": 2, "shrinkB": 2, "patchA": None}


def spread(ys: list[float], bottom: float, top: float) -> list[float]:
    """Label heights near ``ys`` (sorted high to low) at least a line apart, kept within ``bottom``-``top``."""
    gap = (top - bottom) / max(len(ys), 12)
    placed: list[float] = []
    for y in ys:
        placed.append(min(y, placed[-1] - gap) if placed else min(y, top))
    overflow = bottom - placed[-1] if placed and placed[-1] < bottom else 0.0
    return [y + overflow for y in placed]


def legend(ax, zones: list[str], methods: Methods, lang: str) -> None:
    """Zones present (with their hatching) and the grey of areas not assessed, under the map, never on it."""
    colors, hatches = zone_style(methods)
    handles = [
        Patch(facecolor=colors[z], hatch=hatches[z], edgecolor="white", label=zone_name(z, lang).capitalize())
        for z in zones
    ]
    handles.append(Patch(facecolor=NO_DATA_COLOR, edgecolor="white", label=words("map.not_assessed", lang)))
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncols=len(handles), fontsize=8, frameon=False
    )


def caption(totals: pd.DataFrame, province: str, lang: str) -> str:
    """The sentence about the provincial government, which has no polygon of its own."""
    own = totals[totals["pemda_type"] == "provinsi"]
    if own.empty:
        return words("map.province_not_assessed", lang)
    row = own.iloc[0]
    if pd.isna(row["score"]):
        return words(
            "map.province_zone_only", lang, province=province or row["province"], zone=zone_name(row["zone"], lang)
        )
    return words(
        "map.province_no_polygon",
        lang,
        province=province or row["province"],
        score=number(row["score"], lang),
        zone=zone_name(row["zone"], lang),
    )


def assessed_totals(scores: pd.DataFrame, year: int, province: str = "") -> pd.DataFrame:
    """The pemda totals of a year (of one province, or all)."""
    totals = scores[(scores["year"] == year) & (scores["opd"] == "")]
    return totals[totals["province"] == province] if province else totals


def zone_map(
    scores: pd.DataFrame, year: int, province: str = "", lang: str = "id", methods: Methods | None = None
) -> Figure | None:
    """The map of one province (any assessed data), or of Indonesia when ``province`` is empty.

    None when the boundary file has no kabupaten/kota of the province (the brief says so in a sentence).
    """
    methods = methods or load_methods()
    return (
        province_map(scores, year, province, lang, methods) if province else national_map(scores, year, lang, methods)
    )


def footer(fig: Figure, text: str, lang: str) -> None:
    """The caption and the boundaries' credit, once, under the map."""
    fig.text(0.01, 0.01, f"{text}\n{credit(lang)}".strip(), fontsize=7, wrap=True, va="bottom", ha="left")


def province_map(scores: pd.DataFrame, year: int, province: str, lang: str, methods: Methods) -> Figure | None:
    """Kabupaten/kota of one province coloured by the zone of their total in ``year`` (None without boundaries)."""
    totals = assessed_totals(scores, year, province)
    shapes = boundaries()[boundaries()["provinsi"] == province]
    if shapes.empty:
        return None
    centre = shapes.geometry.union_all().centroid
    frame = projected(with_scores(shapes, totals), centre.x, centre.y)
    left, bottom, right, top = frame.total_bounds
    fig = Figure(
        figsize=(9, min(max(9 * (top - bottom) / (1.84 * (right - left)), 3.6), 8.5) + 1.6), layout="constrained"
    )
    ax = fig.subplots()
    draw_areas(ax, frame, methods)
    label_areas(ax, frame, lang)
    ax.set_title(words("map.title", lang, province=province, year=year))
    legend(ax, [z for z in methods.zones["zone"] if z in set(totals["zone"])], methods, lang)
    footer(fig, caption(totals, province, lang), lang)
    fig.get_layout_engine().set(rect=(0, 0.08, 1, 0.92))
    mark_illustrative(fig, bool(totals["illustrative"].any()), lang)
    return fig


def national_map(scores: pd.DataFrame, year: int, lang: str, methods: Methods) -> Figure:
    """All of Indonesia: assessed pemda coloured by zone (with a dot each), the rest grey; insets per province."""
    totals = assessed_totals(scores, year)
    frame = projected(with_scores(boundaries(), totals), 118.0, -2.5)
    provinces = sorted(set(totals["province"]))
    drawn = set(boundaries()["provinsi"])
    insets = [p for p in provinces if p in drawn] if len(provinces) <= MAX_INSETS else []
    fig = Figure(figsize=(12, 6.8 if insets else 5.6), layout="constrained")
    grid = fig.add_gridspec(2 if insets else 1, max(len(insets), 1), height_ratios=[2.3, 1] if insets else None)
    ax = fig.add_subplot(grid[0, :])
    draw_areas(ax, frame, methods)
    projected(province_outlines(), 118.0, -2.5).boundary.plot(ax=ax, color=OUTLINE_COLOR, linewidth=0.4)
    dots(ax, frame, methods)
    n_total = len(load_gazetteer().records)
    ax.set_title(words("map.national_title", lang, year=year, n=totals["pemda"].nunique(), total=n_total))
    legend(ax, [z for z in methods.zones["zone"] if z in set(totals["zone"])], methods, lang)
    for position, province in enumerate(insets):
        inset(fig.add_subplot(grid[1, position]), totals, province, lang, methods)
    footer(fig, words("map.national_caption", lang), lang)
    fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
    mark_illustrative(fig, bool(totals["illustrative"].any()), lang)
    return fig


def dots(ax, frame, methods: Methods) -> None:
    """A dot in its zone's colour on each assessed pemda, so cities and small islands stay visible."""
    colors, _ = zone_style(methods)
    assessed = frame[frame["zone"].notna()]
    points = assessed.geometry.representative_point()
    ax.scatter(points.x, points.y, s=14, c=assessed["zone"].map(colors), edgecolors="#212121", linewidths=0.5, zorder=3)


def inset(ax, totals: pd.DataFrame, province: str, lang: str, methods: Methods) -> None:
    """One province's kabupaten/kota, small, with its name and how many were assessed."""
    shapes = boundaries()[boundaries()["provinsi"] == province]
    centre = shapes.geometry.union_all().centroid
    frame = projected(with_scores(shapes, totals[totals["province"] == province]), centre.x, centre.y)
    draw_areas(ax, frame, methods)
    mine = totals[totals["province"] == province]
    ax.set_title(words("map.inset_title", lang, province=province, n=len(mine)), fontsize=8)
