"""The explorer's interactive figures (plotly): trends of several pemda, an OPD heatmap and a province map.

Plotly because JupyterLab renders its figures offline (the ``jupyterlab-plotly`` extension ships with the
package, no CDN), with hover values, zoom and a PNG download in the figure's own toolbar. The published
briefs keep their static matplotlib charts: these follow the same conventions (zone colours and bands
from ``config/zones.csv``, a line broken where the method changes, a year with a zone and no score drawn
as a hollow mark in its zone) and the same words, in the reader's language.

Each function returns the figure as plotly's JSON (``{"data": [...], "layout": {...}}``), which the
extension draws as it is: building ``plotly.graph_objects`` would check every property again on each
redraw (two thirds of a redraw's time). ``plotly.graph_objects.Figure(spec)`` makes one from it to save.
"""

from __future__ import annotations

import functools
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from kepatuhan.brief.charts import LINE_COLORS, method_spans
from kepatuhan.brief.maps import boundaries, caption, credit, short_name
from kepatuhan.brief.wording import number, words, zone_name
from kepatuhan.reference.gazetteer import load_gazetteer
from kepatuhan.reference.methods import Methods

#: Light shading of the zone bands behind a trend, and the grey of a pemda without a result on the map.
BAND_OPACITY, NO_DATA_COLOR = 0.13, "#d9d9d9"
#: Symbols of the OPD lines (pemda totals are circles), and how much the map's outlines are simplified (degrees).
OPD_SYMBOLS, MAP_TOLERANCE = ("square", "diamond", "triangle-up", "cross", "x", "star"), 0.004
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 12, "color": "#212121"}
#: A small template of our own (plotly's "plotly_white" adds 10 kB of settings for chart types never drawn here).
AXIS = {"gridcolor": "#e0e0e0", "linecolor": "#bdbdbd", "zeroline": False, "automargin": True}
TEMPLATE = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": AXIS,
        "yaxis": AXIS,
        "hoverlabel": {"align": "left", "bgcolor": "white"},
    }
}


def source_name(source: str) -> str:
    """A source as a short name for a hover box: the address's host (``jambi.antaranews.com``, also when the
    address is written without ``https://``), or the text (a publication's name) as written."""
    first = str(source).split(";")[0].strip()
    host = urlparse(first if "://" in first else f"//{first}").netloc
    looks_like_host = "." in host and " " not in host
    return host.removeprefix("www.") if looks_like_host else first


def hover_rows(rows: pd.DataFrame, lang: str) -> list[list[str]]:
    """For each row: unit, year, score, grade, zone and source as the hover box shows them."""
    shown = []
    for row in rows.itertuples():
        unit = f"{row.opd}, {row.pemda}" if row.opd else row.pemda
        score = words("explore.not_published", lang) if pd.isna(row.score) else number(row.score, lang)
        shown.append(
            [
                unit,
                str(int(row.year)),
                score,
                row.grade or "\u2013",
                zone_name(row.zone, lang) if row.zone else "\u2013",
                source_name(row.source) or "\u2013",
            ]
        )
    return shown


def hover_template(lang: str) -> str:
    """The hover box of a point: the unit in bold, then year, score, grade, zone and source."""
    labels = [words(f"explore.hover_{key}", lang) for key in ("year", "score", "grade", "zone", "source")]
    lines = [f"{label}: %{{customdata[{i + 1}]}}" for i, label in enumerate(labels)]
    return "<b>%{customdata[0]}</b><br>" + "<br>".join(lines) + "<extra></extra>"


def broken_at_method_changes(rows: pd.DataFrame) -> pd.DataFrame:
    """A unit's rows by year, with an empty row between two years of different methods (plotly breaks the line)."""
    rows = rows.sort_values("year")
    changed = rows["method"].ne(rows["method"].shift()) & rows["method"].shift().notna()
    gaps = rows[changed].assign(score=np.nan, year=rows.loc[changed, "year"] - 0.5, gap=True)
    return pd.concat([rows.assign(gap=False), gaps]).sort_values("year", kind="stable")


def zone_middle(rows: pd.DataFrame, methods: Methods) -> pd.Series:
    """The middle of each row's zone band under its method: where a zone without a score is drawn."""
    middles = {(m, z): (low + high) / 2 for m, spans in methods.zone_spans.items() for z, low, high in spans}
    return pd.Series([middles.get((m, z), np.nan) for m, z in zip(rows["method"], rows["zone"])], index=rows.index)


def values(series) -> list:
    """Numbers as JSON takes them: a missing value is ``None`` (plotly leaves a gap there)."""
    return [None if pd.isna(v) else float(v) for v in series]


def unit_traces(rows: pd.DataFrame, name: str, color: str, symbol: str, lang: str, methods: Methods) -> list[dict]:
    """One unit's line (broken at method changes) and, for years with a zone but no score, hollow marks in the zone."""
    line = broken_at_method_changes(rows)
    scored = line[~line["gap"]]
    data = hover_rows(scored, lang)
    points = iter(data)
    custom = [next(points) if not gap else [""] * 6 for gap in line["gap"]]
    traces = [
        {
            "type": "scatter",
            "x": values(line["year"]),
            "y": values(line["score"]),
            "mode": "lines+markers",
            "name": name,
            "legendgroup": name,
            "customdata": custom,
            "hovertemplate": hover_template(lang),
            "line": {
                "color": color,
                "width": 2.4 if symbol == "circle" else 1.6,
                "dash": "solid" if symbol == "circle" else "dot",
            },
            "marker": {"symbol": symbol, "size": 8, "color": color},
            "connectgaps": False,
        }
    ]
    zone_only = scored[scored["score"].isna() & (scored["zone"] != "")]
    if len(zone_only):
        traces.append(
            {
                "type": "scatter",
                "x": values(zone_only["year"]),
                "y": values(zone_middle(zone_only, methods)),
                "mode": "markers",
                "name": f"{name}: {words('explore.zone_only', lang)}",
                "legendgroup": name,
                "marker": {"symbol": f"{symbol}-open", "size": 13, "color": color, "line": {"width": 2}},
                "customdata": hover_rows(zone_only, lang),
                "hovertemplate": hover_template(lang),
            }
        )
    return traces


def band_shapes(years: list[int], methods: Methods) -> list[dict]:
    """Each method's zone bands over the years it applies, lightly shaded, and a dashed line where it changes."""
    colors, shapes = methods.zone_colors, []
    for method, start, end in method_spans(years, methods.method_for_years(pd.Series(years)).tolist()):
        shapes += [
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": start - 0.5,
                "x1": end + 0.5,
                "y0": low,
                "y1": high,
                "fillcolor": colors.get(zone, "#ffffff"),
                "opacity": BAND_OPACITY,
                "line": {"width": 0},
                "layer": "below",
            }
            for zone, low, high in methods.zone_spans.get(method, [])
        ]
        if start > years[0]:
            shapes.append(
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": start - 0.5,
                    "x1": start - 0.5,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#616161", "dash": "dash", "width": 1},
                }
            )
    return shapes


def trend_figure(
    scores: pd.DataFrame, pemda: list[str], opd: str, year: int, lang: str, methods: Methods
) -> dict | None:
    """The scores of several pemda over the years up to ``year`` (and one OPD of each when ``opd`` is given),
    on the zone bands; None when none of them has a result."""
    rows = scores[scores["pemda"].isin(pemda) & (scores["year"] <= year)]
    if rows.empty:
        return None
    traces = []
    for position, name in enumerate(pemda):
        color, own = LINE_COLORS[position % len(LINE_COLORS)], rows[rows["pemda"] == name]
        total, unit = own[own["opd"] == ""], own[own["opd"] == opd] if opd else own.iloc[0:0]
        if len(total):
            traces += unit_traces(total, name, color, "circle", lang, methods)
        if len(unit):
            traces += unit_traces(unit, f"{opd}, {name}", color, OPD_SYMBOLS[position % 6], lang, methods)
    years = list(range(int(rows["year"].min()), int(rows["year"].max()) + 1))
    title = words("explore.trend_title", lang, names=", ".join(pemda), year=year)
    chosen = {
        "type": "line",
        "xref": "x",
        "yref": "y",
        "x0": year,
        "x1": year,
        "y0": 0,
        "y1": 100,
        "line": {"color": "#424242", "dash": "dot", "width": 1},
    }
    return {
        "data": traces,
        "layout": {**trend_layout(years, year, title, lang), "shapes": [*band_shapes(years, methods), chosen]},
    }


def trend_layout(years: list[int], year: int, title: str, lang: str) -> dict:
    """Whole years along x, 0-100 up, the chosen year marked, the legend below (names in full)."""
    return {
        "title": {"text": title, "font": {"size": 15}},
        "template": TEMPLATE,
        "font": FONT,
        "height": 480,
        "margin": {"l": 60, "r": 20, "t": 60, "b": 40},
        "hovermode": "closest",
        "xaxis": {
            "title": words("chart.year", lang),
            "tickmode": "array",
            "tickvals": years,
            "ticktext": [str(y) for y in years],
            "range": [years[0] - 0.6, years[-1] + 0.6],
        },
        "yaxis": {"title": words("chart.score", lang), "range": [0, 100]},
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
        "showlegend": True,
        "annotations": [
            {
                "x": year,
                "y": 100,
                "yanchor": "bottom",
                "text": words("explore.chosen_year", lang, year=year),
                "showarrow": False,
                "font": {"size": 11, "color": "#424242"},
            }
        ],
    }


def opd_figure(scores: pd.DataFrame, pemda: str, year: int, lang: str, methods: Methods) -> dict | None:
    """One pemda's units (its total and each OPD) by year up to ``year``: each cell in its zone's colour with its
    score and grade; None when the data holds no OPD score of it."""
    rows = scores[(scores["pemda"] == pemda) & (scores["year"] <= year)]
    if not (rows["opd"] != "").any():
        return None
    total = words("chart.pemda_total", lang)
    rows = rows.assign(unit=rows["opd"].where(rows["opd"] != "", total))
    units = sorted(set(rows["unit"]), key=lambda u: (u != total, u))
    years = sorted(set(rows["year"]))
    zones = [z for z in methods.zones["zone"][::-1] if z]  # worst first: colour 1..n
    code = {zone: i + 1 for i, zone in enumerate(zones)}
    z = np.full((len(units), len(years)), np.nan)
    text = np.full(z.shape, "", dtype=object)
    custom = np.full((*z.shape, 6), "", dtype=object)
    for row, data in zip(rows.itertuples(), hover_rows(rows, lang)):
        i, j = units.index(row.unit), years.index(row.year)
        z[i, j] = code.get(row.zone, 0)
        text[i, j] = f"{data[2]} {row.grade}".strip()
        custom[i, j] = data
    cells = {
        "type": "heatmap",
        "z": [values(r) for r in z],
        "x": [str(y) for y in years],
        "y": units,
        "text": text.tolist(),
        "texttemplate": "%{text}",
        "customdata": custom.tolist(),
        "hovertemplate": hover_template(lang),
        "hoverongaps": False,
        "colorscale": zone_scale(zones, methods),
        "zmin": -0.5,
        "zmax": len(zones) + 0.5,
        "showscale": False,
        "xgap": 3,
        "ygap": 3,
    }
    shown = [z for z in reversed(zones) if z in set(rows["zone"])]  # the legend: the zones drawn, best first
    layout = {
        "title": {"text": words("chart.heatmap_title", lang, pemda=pemda), "font": {"size": 15}},
        "template": TEMPLATE,
        "font": FONT,
        "height": 140 + 40 * len(units),
        "margin": {"l": 20, "r": 20, "t": 60, "b": 40},
        "xaxis": {"type": "category"},
        "yaxis": {"autorange": "reversed", "automargin": True},
        "legend": {"orientation": "h", "y": -0.12},
    }
    return {
        "data": [cells, *(legend_entry(zone_name(z, lang), methods.zone_colors.get(z)) for z in shown)],
        "layout": layout,
    }


def legend_entry(name: str, color: str | None) -> dict:
    """A legend entry without points: a coloured square and its name."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "markers",
        "name": name,
        "marker": {"symbol": "square", "size": 12, "color": color or NO_DATA_COLOR},
    }


def zone_scale(zones: list[str], methods: Methods) -> list[list]:
    """A stepped colour scale: 0 is a cell without a zone (grey), 1..n the zones, worst first."""
    colors = [NO_DATA_COLOR, *(methods.zone_colors.get(z, NO_DATA_COLOR) for z in zones)]
    steps = len(colors)
    return [[edge, color] for i, color in enumerate(colors) for edge in (i / steps, (i + 1) / steps)]


@functools.lru_cache(maxsize=64)
def outlines(province: str) -> tuple[tuple[str, str, tuple, tuple, float, float], ...]:
    """The kabupaten/kota of a province, simplified: (code, name, xs, ys with None between rings, label x, label y)."""
    shapes = boundaries()
    found = []
    for row in shapes[shapes["provinsi"] == province].itertuples():
        shape = row.geometry.simplify(MAP_TOLERANCE)
        xs, ys = [], []
        for polygon in getattr(shape, "geoms", [shape]):
            x, y = polygon.exterior.coords.xy
            xs += [*x, None]
            ys += [*y, None]
        point = row.geometry.representative_point()
        found.append((str(row.kode), str(row.nama), tuple(xs), tuple(ys), point.x, point.y))
    return tuple(found)


def map_figure(scores: pd.DataFrame, province: str, year: int, lang: str, methods: Methods) -> dict | None:
    """The kabupaten/kota of a province in ``year``, each in its zone's colour (grey: no result in the data),
    with its name, and its result on hover; None when the boundary file has no kabupaten/kota of the province."""
    areas = outlines(province)
    if not areas:
        return None
    totals = scores[(scores["year"] == year) & (scores["opd"] == "") & (scores["province"] == province)]
    codes = [load_gazetteer().info(p)["kode"] for p in totals["pemda"]]
    by_code = dict(zip(codes, zip(totals["zone"], hover_rows(totals, lang))))
    traces, labels = [], ([], [], [])
    for code, name, xs, ys, x, y in areas:
        found = by_code.get(code)
        traces.append(area_trace(name, found, xs, ys, year, lang, methods))
        for part, value in zip(labels, (x, y, short_name(found[1][0] if found else name))):
            part.append(value)
    traces.append(
        {
            "type": "scatter",
            "x": labels[0],
            "y": labels[1],
            "text": labels[2],
            "mode": "text",
            "hoverinfo": "skip",
            "textfont": {"size": 10, "color": "#212121"},
            "showlegend": False,
        }
    )
    shown = [z for z in methods.zones["zone"] if z in set(totals["zone"])]
    traces += [legend_entry(zone_name(z, lang), methods.zone_colors.get(z)) for z in shown]
    traces.append(legend_entry(words("map.not_assessed", lang), NO_DATA_COLOR))
    layout = {
        "title": {"text": words("map.title", lang, province=province, year=year), "font": {"size": 15}},
        "template": TEMPLATE,
        "font": FONT,
        "height": 560,
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, "scaleanchor": "x", "scaleratio": 1},
        "legend": {"orientation": "h", "y": -0.02},
    }
    return {"data": traces, "layout": layout}


def area_trace(name: str, found: tuple | None, xs: tuple, ys: tuple, year: int, lang: str, methods: Methods) -> dict:
    """One kabupaten/kota as a filled shape, in its zone's colour (``found``: its zone and hover cells), its result
    in the hover box."""
    if found is None:
        text, color = f"<b>{name}</b><br>{words('explore.no_result', lang, year=year)}", NO_DATA_COLOR
    else:
        zone, cells = found
        labels = [words(f"explore.hover_{key}", lang) for key in ("year", "score", "grade", "zone", "source")]
        text = f"<b>{cells[0]}</b><br>" + "<br>".join(f"{label}: {value}" for label, value in zip(labels, cells[1:]))
        color = methods.zone_colors.get(zone, NO_DATA_COLOR)
    return {
        "type": "scatter",
        "x": list(xs),
        "y": list(ys),
        "fill": "toself",
        "fillcolor": color,
        "mode": "lines",
        "line": {"color": "white", "width": 1},
        "hoveron": "fills",
        "hoverinfo": "text",
        "text": text,
        "name": name,
        "showlegend": False,
    }


def map_sentence(scores: pd.DataFrame, choice, lang: str) -> str:
    """Under the map: the provincial government's result (it has no polygon of its own) and the boundaries' credit."""
    totals = scores[(scores["year"] == choice.year) & (scores["opd"] == "") & (scores["province"] == choice.province)]
    return f"{caption(totals, choice.province, lang)} {credit(lang)}".strip()
