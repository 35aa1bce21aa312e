"""The province map: kabupaten/kota coloured by zone, from the openly licensed boundaries.

Boundaries are geoBoundaries (CC BY 3.0 IGO), see ``data/geo/SOURCE.md``; the attribution it
requires is drawn under every map. Polygons are drawn with matplotlib paths, so no GIS stack is
needed. The provincial government has no polygon of its own: the caption states its score.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from kepatuhan import config
from kepatuhan.charts import mark_illustrative, zone_style
from kepatuhan.methods import Methods, load_methods
from kepatuhan.names import Gazetteer, load_gazetteer
from kepatuhan.wording import number, words, zone_name

#: Areas below this (square degrees) are labelled outside the polygon, with a leader line (the kota).
SMALL_AREA = 0.05

ATTRIBUTION = {
    "id": (
        "Batas wilayah: geoBoundaries (Runfola et al. 2020), Indonesia ADM2 (ID IDN-ADM2-22746128, tahun 2020), "
        "bersumber dari BPS, WFP, dan OCHA ROAP melalui HDX COD-AB. Lisensi CC BY 3.0 IGO "
        "(https://creativecommons.org/licenses/by/3.0/igo/). Dimodifikasi: diambil 11 kabupaten/kota Provinsi "
        "Jambi, nama dan kode disesuaikan, koordinat dibulatkan."
    ),
    "en": (
        "Boundaries: geoBoundaries (Runfola et al. 2020), Indonesia ADM2 (IDN-ADM2-22746128, 2020), sourced from "
        "BPS, WFP and OCHA ROAP via HDX COD-AB. Licensed CC BY 3.0 IGO "
        "(https://creativecommons.org/licenses/by/3.0/igo/). Modified: extracted the 11 Jambi kabupaten/kota, "
        "renamed and coded them, and rounded the coordinates."
    ),
}


def load_boundaries(path: Path = config.GEOJSON_FILE, gazetteer: Gazetteer | None = None) -> list[dict]:
    """Features of the GeoJSON with their canonical pemda name and outer rings as arrays."""
    gazetteer = gazetteer or load_gazetteer()
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    result = []
    for feature in features:
        found = gazetteer.resolve(feature["properties"]["pemda"])
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        rings = [np.asarray(ring) for polygon in polygons for ring in polygon]
        outer = [np.asarray(polygon[0]) for polygon in polygons]
        areas = [abs(_signed_area(ring)) for ring in outer]
        largest = outer[int(np.argmax(areas))]
        result.append({"pemda": found if isinstance(found, str) else feature["properties"]["pemda"],
                       "rings": rings, "anchor": _centroid(largest), "area": sum(areas)})  # fmt: skip
    return result


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area of a closed ring (degrees squared; only used to compare sizes)."""
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _centroid(ring: np.ndarray) -> np.ndarray:
    """Area centroid of a ring, where its label goes."""
    x, y = ring[:, 0], ring[:, 1]
    cross = x * np.roll(y, -1) - np.roll(x, -1) * y
    area = cross.sum() / 2
    return np.array([((x + np.roll(x, -1)) * cross).sum(), ((y + np.roll(y, -1)) * cross).sum()]) / (6 * area)


def _path(rings: list[np.ndarray]) -> MplPath:
    """One compound path of all rings (holes included)."""
    vertices, codes = [], []
    for ring in rings:
        vertices.append(ring)
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)


def zone_map(
    scores: pd.DataFrame,
    year: int,
    province: str = "",
    lang: str = "id",
    methods: Methods | None = None,
    boundaries: list[dict] | None = None,
) -> Figure:
    """Kabupaten/kota of the province coloured by the zone of their published total in ``year``."""
    methods = methods or load_methods()
    colors, hatches = zone_style(methods)
    boundaries = boundaries if boundaries is not None else load_boundaries()
    totals = scores[(scores["year"] == year) & (scores["opd"] == "")]
    totals = totals[totals["province"] == province] if province else totals
    by_pemda = totals.set_index("pemda")
    fig = Figure(figsize=(8, 6.6), layout="constrained")
    ax = fig.subplots()
    for feature in boundaries:
        zone = by_pemda["zone"].get(feature["pemda"], "")
        patch = PathPatch(_path(feature["rings"]), facecolor=colors.get(zone, "#e0e0e0"),
                          hatch=hatches.get(zone, ""), edgecolor="white", linewidth=0.8)  # fmt: skip
        ax.add_patch(patch)
        short = feature["pemda"].replace("Kabupaten ", "").replace("Kota ", "Kota\n")
        score = by_pemda["score"].get(feature["pemda"])
        text = short if score is None else f"{short}\n{number(score, lang)}"
        small = feature["area"] < SMALL_AREA
        offset = _outward(feature["anchor"], boundaries) if small else (0, 0)
        ax.annotate(text, feature["anchor"], xytext=offset, textcoords="offset points", ha="center", va="center",
                    fontsize=7, bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "linewidth": 0},
                    arrowprops={"arrowstyle": "-", "color": "#424242"} if small else None)  # fmt: skip
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    present = [z for z in methods.zones["zone"] if z in set(totals["zone"])]
    handles = [Patch(facecolor=colors[z], hatch=hatches[z], label=zone_name(z, lang).capitalize()) for z in present]
    handles.append(Patch(facecolor="#e0e0e0", label=words("chart.no_data", lang)))
    ax.legend(handles=handles, loc="upper right", fontsize=8)
    ax.set_title(words("map.title", lang, province=province, year=year))
    fig.text(0.01, 0.01, f"{province_caption(totals, province, lang)}\n{ATTRIBUTION[lang]}", fontsize=6.5,
             wrap=True, va="bottom", ha="left")  # fmt: skip
    fig.get_layout_engine().set(rect=(0, 0.09, 1, 0.91))
    mark_illustrative(fig, bool(totals["illustrative"].any()), lang)
    return fig


def _outward(anchor: np.ndarray, boundaries: list[dict]) -> tuple[float, float]:
    """An offset (points) pushing a small area's label away from the province's middle."""
    middle = np.mean([b["anchor"] for b in boundaries], axis=0)
    direction = anchor - middle
    direction = direction / (np.linalg.norm(direction) or 1)
    return float(direction[0] * 60), float(direction[1] * 60 + 25)


def province_caption(totals: pd.DataFrame, province: str, lang: str) -> str:
    """The sentence about the provincial government, which has no polygon of its own."""
    own = totals[totals["pemda_type"] == "provinsi"]
    if own.empty:
        return words("map.province_not_assessed", lang)
    row = own.iloc[0]
    return words("map.province_no_polygon", lang, province=province, score=number(row["score"], lang),
                 zone=zone_name(row["zone"], lang))  # fmt: skip
