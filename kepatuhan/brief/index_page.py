"""The entry point of the published set: ``reports/index.html``, one static page with no network and no code to run.

It lists the years (with the national overview), every province with its latest year and zone counts
(and its briefs of other years, published by request),
and a table of every pemda in the data (its latest result, its change, a small sparkline of its scores
over the years on the zone bands, and a link to its brief) with a search box and sortable columns. The
script and the style are inline, so the page works opened from disk (``file://``) or from any static
server. :func:`render` takes what :mod:`kepatuhan.pipeline.published_index` found published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

import pandas as pd

from kepatuhan.brief.html import environment
from kepatuhan.brief.tables import DERIVED_MARK
from kepatuhan.brief.wording import number, words, zone_name
from kepatuhan.reference.gazetteer import Gazetteer
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
    data: list[tuple[str, str]] = field(default_factory=list)  # the tables behind it: (format, path)


def render(briefs: list[Brief], facts: list[dict], lang: str, other: str) -> str:
    """The index page in ``lang`` (``facts``: :func:`pemda_facts`; ``other``: the index in the other language)."""
    national = sorted((b for b in briefs if not b.province), key=lambda b: -b.year)
    by_province: dict[str, list[Brief]] = {}
    for brief in sorted((b for b in briefs if b.province), key=lambda b: -b.year):
        by_province.setdefault(brief.province, []).append(brief)
    rows = pemda_rows(briefs, facts, lang)
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            lang=lang,
            w=lambda key, **v: words(f"site.{key}", lang, **v),
            national=national,
            provinces=[newest_first[0] for _, newest_first in sorted(by_province.items())],
            years=sorted({b.year for b in briefs}, reverse=True),
            earlier={province: newest_first[1:] for province, newest_first in by_province.items()},
            rows=rows,
            other=other,
            link=lambda files: files.get(lang) or next(iter(files.values()), ""),
        )
    )


def pemda_facts(scores: pd.DataFrame, methods: Methods, gazetteer: Gazetteer | None = None) -> list[dict]:
    """What the index shows of each pemda in the data, in any language: its latest pemda total (else, when
    only its OPDs' scores were published, its latest row), the total before it, whether it has a total,
    its sparkline, and the names a reader may search it by (``gazetteer``: its spellings, its province's
    short names). Worked out once for both languages."""
    if scores.empty:
        return []
    ordered = scores.sort_values("year")
    totals = dict(tuple(ordered[ordered["opd"] == ""].groupby("pemda", sort=False)))
    latest = ordered.groupby("pemda", sort=True).tail(1).sort_values("pemda")
    spans = band_spans(methods, range(int(scores["year"].min()), int(scores["year"].max()) + 1))
    facts = []
    for last in latest.to_dict("records"):
        history = totals.get(last["pemda"])
        own = history.to_dict("records") if history is not None else []
        facts.append(
            {
                "last": own[-1] if own else last,
                "before": own[-2] if len(own) > 1 else None,
                "total": bool(own),
                "spark": sparkline(history, spans) if own else "",
                "names": search_names(gazetteer.spellings(last["pemda"]) if gazetteer else []),
            }
        )
    return facts


def pemda_rows(briefs: list[Brief], facts: list[dict], lang: str) -> list[dict]:
    """One row per pemda in the data: its latest year's result (or "tidak diumumkan" when only its OPDs'
    scores were published), change, sparkline and brief."""
    by_place = {(b.year, b.province): b for b in briefs}
    rows = []
    for fact in facts:
        last, before, total = fact["last"], fact["before"], fact["total"]
        pemda, brief = last["pemda"], by_place.get((int(last["year"]), last["province"]))
        target = (
            (brief.pemda.get((pemda, lang)) or brief.html.get(lang) or next(iter(brief.html.values()), ""))
            if brief
            else ""
        )
        rows.append(
            {
                "pemda": pemda,
                "province": last["province"],
                "year": int(last["year"]),
                "score": last["score"] if total else float("nan"),
                "shown": "" if not total or pd.isna(last["score"]) else number(last["score"], lang),
                "grade": marked(last["grade"], last.get("published_grade", "")) if total else "",
                "zone": marked(zone_name(last["zone"], lang), zone_name(last.get("published_zone", ""), lang))
                if total and last["zone"]
                else "",
                "change": change(last, before, lang) if total else "",
                "delta": delta(last, before) if total else "",
                "spark": fact["spark"],
                "link": target,
                "names": fact.get("names", ""),
            }
        )
    return rows


def marked(shown: str, printed: str) -> str:
    """A grade or zone with the brief's mark when the release did not print it (worked out)."""
    return f"{shown}{DERIVED_MARK}" if shown and shown != printed else shown


def search_names(spellings: list[str]) -> str:
    """The names a row is found by, lower case, each also without its spaces (``tanjungpinang`` finds Kota Tanjung
    Pinang): the search box matches what is typed, spaces dropped too, against them."""
    names = {name.lower() for name in spellings}
    return " | ".join(sorted(names | {name.replace(" ", "") for name in names}))


def delta(last, before) -> float | str:
    """The points gained or lost, for sorting ("" when either score was not published, or they were given under
    different methods: such a row sorts after every number, as its words say)."""
    unlike = before is None or last["method"] != before["method"]
    return "" if unlike or pd.isna(last["score"]) or pd.isna(before["score"]) else last["score"] - before["score"]


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


def band_spans(methods: Methods, years: range) -> dict[int, list[tuple[str, float, float]]]:
    """Each year's zone bands as (colour, lowest score, highest score), worked out once for a whole page:
    per pemda and year, the pandas look-ups took 20 s for the 552 pemda of a national index."""
    chosen = methods.method_for_years(pd.Series(list(years), index=list(years)))
    return {
        year: [
            (methods.zone_colors.get(zone, "#eeeeee"), low, high)
            for zone, low, high in methods.zone_spans.get(method, [])
        ]
        if isinstance(method, str)
        else []
        for year, method in chosen.items()
    }


def sparkline(history: pd.DataFrame, spans: dict[int, list[tuple[str, float, float]]]) -> str:
    """An inline SVG of a pemda's scores over the years, on the zone bands of each year's method
    (``spans``: :func:`band_spans` of every year of the page)."""
    years = list(range(int(history["year"].min()), int(history["year"].max()) + 1))
    step = SPARK_WIDTH / max(len(years), 1)
    x = {year: (i + 0.5) * step for i, year in enumerate(years)}
    parts = [
        f'<rect x="{x[year] - step / 2:.1f}" y="{_y(top):.1f}" width="{step:.1f}" height="{_y(low) - _y(top):.1f}" '
        f'fill="{escape(color)}" fill-opacity="0.18"/>'
        for year in years
        for color, low, top in spans[year]
    ]
    scored = [(int(y), s, m) for y, s, m in zip(history["year"], history["score"], history["method"]) if not pd.isna(s)]
    for run in _same_method_runs(scored):  # the line breaks where the method changes, as the brief's chart does
        points = " ".join(f"{x[y]:.1f},{_y(s):.1f}" for y, s in run)
        parts.append(f'<polyline points="{points}" fill="none" stroke="#212121" stroke-width="1.2"/>')
    scored = [(y, s) for y, s, _ in scored]
    parts += [f'<circle cx="{x[y]:.1f}" cy="{_y(s):.1f}" r="1.8" fill="#212121"/>' for y, s in scored]
    return (
        f'<svg class="spark" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" '
        f'role="img" aria-label="{years[0]}\u2013{years[-1]}">{"".join(parts)}</svg>'
    )


def _same_method_runs(scored: list[tuple[int, float, str]]) -> list[list[tuple[int, float]]]:
    """The (year, score) points in runs of one method, each of two points or more (a line needs two)."""
    runs: list[list[tuple[int, float]]] = []
    for index, (year, score, method) in enumerate(scored):
        if index == 0 or method != scored[index - 1][2]:
            runs.append([])
        runs[-1].append((year, score))
    return [run for run in runs if len(run) > 1]


def _y(score: float) -> float:
    return SPARK_HEIGHT - score / 100 * SPARK_HEIGHT
