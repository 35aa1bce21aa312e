"""The entry point of the published set: ``reports/index.html``, one static page with no network and no code to run.

It lists the years (with the national overview), every province with its latest year and zone counts,
and a table of every pemda in the data (its latest result, its change, a small sparkline of its scores
over the years on the zone bands, and a link to its brief) with a search box and sortable columns. The
script and the style are inline, so the page works opened from disk (``file://``) or from any static
server. :func:`render` takes what :mod:`kepatuhan.pipeline.site` found published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pandas as pd

from kepatuhan.brief.html import environment
from kepatuhan.brief.wording import number, words, zone_name
from kepatuhan.reference.methods import Methods

#: The sparkline's size in pixels, and the height of its 0-100 scale.
SPARK_WIDTH, SPARK_HEIGHT = 120, 28


@dataclass
class Brief:
    """One published brief: its year, province ("" for the national overview), where its files are."""

    year: int
    province: str
    html: dict[str, str] = field(default_factory=dict)  # language -> path relative to the reports folder
    pdf: dict[str, str] = field(default_factory=dict)
    workbook: dict[str, str] = field(default_factory=dict)
    pemda: dict[tuple[str, str], str] = field(default_factory=dict)  # (pemda, language) -> path
    zones: str = ""


def render(briefs: list[Brief], scores: pd.DataFrame, methods: Methods, lang: str, other: str) -> str:
    """The index page in ``lang`` (``other``: the file of the index in the other language)."""
    national = sorted((b for b in briefs if not b.province), key=lambda b: -b.year)
    latest = {}
    for brief in sorted((b for b in briefs if b.province), key=lambda b: b.year):
        latest[brief.province] = brief
    rows = pemda_rows(briefs, scores, methods, lang)
    return environment().get_template("index.html.j2").render(
        lang=lang, w=lambda key, **v: words(f"site.{key}", lang, **v), national=national,
        provinces=[latest[p] for p in sorted(latest)], years=sorted({b.year for b in briefs}, reverse=True),
        rows=rows, other=other, link=lambda files: files.get(lang) or next(iter(files.values()), ""),
    )  # fmt: skip


def pemda_rows(briefs: list[Brief], scores: pd.DataFrame, methods: Methods, lang: str) -> list[dict]:
    """One row per pemda in the data: its latest year's result (or "tidak diumumkan" when only its OPDs'
    scores were published), change, sparkline and brief."""
    by_place = {(b.year, b.province): b for b in briefs}
    rows = []
    for pemda, own in scores.sort_values("year").groupby("pemda", sort=True):
        history = own[own["opd"] == ""]
        last = own.iloc[-1] if history.empty else history.iloc[-1]
        before = history.iloc[-2] if len(history) > 1 else None
        brief = by_place.get((int(last["year"]), last["province"]))
        target = (
            (brief.pemda.get((pemda, lang)) or brief.html.get(lang) or next(iter(brief.html.values()), ""))
            if brief
            else ""
        )
        total = not history.empty and int(history.iloc[-1]["year"]) == int(last["year"])
        rows.append({"pemda": pemda, "province": last["province"], "year": int(last["year"]), "score": last["score"] if total else float("nan"),
                     "shown": "" if not total or pd.isna(last["score"]) else number(last["score"], lang),
                     "grade": last["grade"] if total else "", "zone": zone_name(last["zone"], lang) if total else "",
                     "change": change(last, before, lang) if total else "", "delta": delta(last, before) if total else "",
                     "spark": sparkline(history, methods) if not history.empty else "", "link": target})  # fmt: skip
    return rows


def delta(last, before) -> float | str:
    """The points gained or lost, for sorting ("" when either score was not published)."""
    return (
        "" if before is None or pd.isna(last["score"]) or pd.isna(before["score"]) else last["score"] - before["score"]
    )


def change(last, before, lang: str) -> str:
    """The change against the previous result: points when both have a score and the same method, else the zones."""
    if before is None:
        return words("site.first", lang)
    if last["method"] != before["method"]:
        return words("table.other_method", lang)
    if pd.isna(last["score"]) or pd.isna(before["score"]):
        return f"{zone_name(before['zone'], lang)} \u2192 {zone_name(last['zone'], lang)}"
    delta = last["score"] - before["score"]
    return ("+" if delta > 0 else "") + number(delta, lang)


def sparkline(history: pd.DataFrame, methods: Methods) -> str:
    """An inline SVG of a pemda's scores over the years, on the zone bands of each year's method."""
    years = list(range(int(history["year"].min()), int(history["year"].max()) + 1))
    step = SPARK_WIDTH / max(len(years), 1)
    x = {year: (i + 0.5) * step for i, year in enumerate(years)}
    colors = dict(zip(methods.zones["zone"], methods.zones["color"]))
    parts = []
    for year, method in zip(years, methods.method_for_years(pd.Series(years))):
        if isinstance(method, str):
            bands = methods.bands[methods.bands["method"] == method].groupby("zone")["min_score"].min().sort_values()
            tops = [*bands.tolist()[1:], 100.0]
            parts += [f'<rect x="{x[year] - step / 2:.1f}" y="{_y(top):.1f}" width="{step:.1f}" height="{_y(low) - _y(top):.1f}" '
                      f'fill="{escape(colors.get(zone, "#eeeeee"))}" fill-opacity="0.18"/>' for (zone, low), top in zip(bands.items(), tops)]  # fmt: skip
    scored = history.dropna(subset=["score"])
    points = " ".join(f"{x[int(y)]:.1f},{_y(s):.1f}" for y, s in zip(scored["year"], scored["score"]))
    if len(scored) > 1:
        parts.append(f'<polyline points="{points}" fill="none" stroke="#212121" stroke-width="1.2"/>')
    parts += [
        f'<circle cx="{x[int(y)]:.1f}" cy="{_y(s):.1f}" r="1.8" fill="#212121"/>'
        for y, s in zip(scored["year"], scored["score"])
    ]
    return (f'<svg class="spark" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
            f'role="img" aria-label="{years[0]}\u2013{years[-1]}">{"".join(parts)}</svg>')  # fmt: skip


def _y(score: float) -> float:
    return SPARK_HEIGHT - score / 100 * SPARK_HEIGHT
