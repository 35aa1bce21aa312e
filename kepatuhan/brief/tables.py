"""The brief's tables, as rows of text in the reader's language (the templates escape them).

- every pemda of the brief: rank, score, grade, zone, previous score and year, change, then the
  average of the province (or of all pemda shown) and of all assessed pemda of each type in the data;
- the watch list, complete or with "30 dari 52" and a pointer to the workbook: nothing cut silently.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan import catalog
from kepatuhan.brief.wording import number, score_range, unit_name, words, zone_name
from kepatuhan.reference.opinions import read_result

#: Most rows a watch table shows in a brief; the workbook always has them all.
WATCH_ROWS = 30


def pemda_columns(data) -> list[str]:
    """Headers of the table of every pemda (the national overview adds the province)."""
    keys = ["rank", "pemda", *([] if data.province else ["province"]), "score", "grade", "zone", "previous", "change"]
    return [words(f"table.{k}", data.lang) for k in keys]


def pemda_rows(data) -> list[tuple]:
    """One row per pemda in the data of the brief's year: those with a score best first (ties share a rank),
    then those whose result was published without a score, then those with OPD scores only."""
    lang, totals = data.lang, data.totals.sort_values(["score", "pemda"], ascending=[False, True], na_position="last")
    previous = data.comparisons[(data.comparisons["opd"] == "") & (data.comparisons["year"] == data.year)].set_index(
        "pemda"
    )
    ranks = totals["score"].rank(ascending=False, method="min")
    rows = []
    for rank, row in zip(ranks, totals.itertuples()):
        before = previous.loc[row.pemda] if row.pemda in previous.index else None
        place = [] if data.province else [row.province]
        grade = f"{row.grade}{derived_mark(row.grade, row.published_grade)}" if row.grade else ""
        zone = f"{zone_name(row.zone, lang)}{derived_mark(row.zone, row.published_zone)}" if row.zone else ""
        printed, printed_grade = printed_grade_of(row, data.methods)
        rows.append(
            (
                "" if pd.isna(rank) else int(rank),
                row.pemda,
                *place,
                score_text(row.score, lang),
                with_published(grade, printed, row.grade, row, lang, printed_grade),
                with_published(zone, zone_name(row.published_zone, lang), zone_name(row.zone, lang), row, lang),
                *change_cells(before, lang),
            )
        )
    return rows + opd_only_rows(data)


#: The mark of a grade or zone that the release did not print: worked out from the score, the label or the grade.
DERIVED_MARK = "*"


def derived_mark(shown: str, published: str) -> str:
    """:data:`DERIVED_MARK` when the value shown is not the one printed (none printed, or another)."""
    return DERIVED_MARK if shown and shown != published else ""


def printed_grade_of(row, methods) -> tuple[str, str]:
    """What the release printed for a row's grade, as written, and the grade it names: the letter, else the
    opinion label (``Kualitas Tinggi`` names B); empty when it printed neither."""
    if row.published_grade:
        return row.published_grade, row.published_grade
    if row.published_label:
        return row.published_label, read_result(row.published_label, row.method, methods).grade
    return "", ""


def with_published(
    shown: str, published: str, computed: str, row, lang: str, published_value: str | None = None
) -> str:
    """A grade or zone computed from the score, with the published one beside it when they differ (``C (terbit: B)``,
    ``C (terbit: Kualitas Tinggi)``); ``published_value``: what the printed text names, when it is not itself."""
    named = published if published_value is None else published_value
    if row.score_published and published and named and named != computed:
        return words("table.published_differs", lang, shown=shown, published=published)
    return shown


def disagreement_note(data) -> str:
    """The note under the table when a published grade or zone differs from the one its score gives."""
    totals = data.totals[data.totals["score_published"]]
    named = pd.Series(
        [printed_grade_of(row, data.methods)[1] for row in totals.itertuples()], index=totals.index, dtype=object
    )
    differ = ((named != "") & (named != totals["grade"])) | (
        (totals["published_zone"] != "") & (totals["published_zone"] != totals["zone"])
    )
    return words("table.published_differs_note", data.lang, n=int(differ.sum())) if differ.any() else ""


def opd_only_rows(data) -> list[tuple]:
    """The pemda of the brief's year with OPD scores and no published total."""
    opd = data.shown[(data.shown["opd"] != "") & ~data.shown["pemda"].isin(data.totals["pemda"])]
    rows = []
    for pemda, units in opd.groupby("pemda"):
        place = [] if data.province else [units["province"].iloc[0]]
        rows.append(("", pemda, *place, words("table.opd_only", data.lang, n=len(units)), "", "", "", ""))
    return rows


def score_text(value: float, lang: str) -> str:
    """A score with the reader's decimal mark, or "tidak diumumkan" when none was published."""
    return words("table.not_published", lang) if pd.isna(value) else number(value, lang)


def change_cells(before, lang: str) -> tuple[str, str]:
    """``85,09 (2023)`` and ``+1,20``; a change across a method change is not given as a number."""
    if before is None or pd.isna(before["prev_year"]):
        return "", words("table.first", lang)
    shown = f"{score_text(before['prev_score'], lang)} ({int(before['prev_year'])})"
    if not before["comparable"]:
        return shown, words("table.other_method", lang)
    if pd.isna(before["delta"]):  # no two scores: a change of zone or grade is still a change the reader sees
        for then, now, name in (("prev_zone", "zone", zone_name), ("prev_grade", "grade", lambda v, _: v)):
            if before[then] and before[now] and before[then] != before[now]:
                return shown, f"{name(before[then], lang)} \u2192 {name(before[now], lang)}"
        return shown, words("table.not_compared", lang)
    delta = float(before["delta"])
    return shown, ("+" if delta > 0 else "") + number(delta, lang)


def average_rows(data) -> list[tuple]:
    """The average of the pemda shown, then of all assessed pemda of each type in the data that year."""
    lang, columns = data.lang, pemda_columns(data)
    at = columns.index(words("table.score", lang))

    def row(label: str, mean: float | str) -> tuple:
        cells = [""] * len(columns)
        cells[1], cells[at] = label, mean if isinstance(mean, str) else number(mean, lang)
        return tuple(cells)

    key = "table.average_province" if data.province else "table.average_all"
    scored = data.totals["score"].dropna()
    rows = [row(words(key, lang, n=len(scored), scope=data.scope), scored.mean())] if len(scored) else []
    if data.province and not len(scored):  # the province's own average first, or why there is none
        rows.append(
            row(words("table.average_province_none", lang, scope=data.scope), words("table.not_published", lang))
        )
    everyone = data.standing[data.standing["year"] == data.year]
    for kind, group in everyone.groupby("pemda_type", sort=False):
        if kind in set(data.totals["pemda_type"]):
            rows.append(row(type_average_label(data, kind, group), group["score"].mean()))
    return rows


def type_average_label(data, kind: str, group: pd.DataFrame) -> str:
    """The label of the average of every pemda of ``kind`` with a score in the data that year (``group``).

    In a province brief it also says from how many provinces they come, so that it is not read as the
    province's own average: a partial release may hold none of the province's scores, and then all of them
    are from elsewhere. (Provincial governments are one per province: their count says it already.)
    """
    key = "table.average_type_provinces" if data.province and kind != "provinsi" else "table.average_type"
    if data.province and not group["province"].eq(data.province).any():
        key = "table.average_type_elsewhere"  # none of them is of this province: said so, not read as its own
    return words(
        key, data.lang, kind=words(f"type.{kind}", data.lang), n=len(group), provinces=group["province"].nunique()
    )


def watch_columns(data) -> list[str]:
    """Headers of a watch table; the illustrative column only when the brief shows illustrative rows."""
    keys = ["rank", "unit", "change", "reason", *(["illustrative"] if data.watch["illustrative"].any() else [])]
    return [words(f"table.{k}", data.lang) for k in keys]


def watch_rows(data, level: str, limit: int = WATCH_ROWS) -> tuple[list[tuple], str]:
    """The rows of a watch table (pemda totals or OPDs) and the note under it (how many, where the rest is)."""
    lang, marked = data.lang, bool(data.watch["illustrative"].any())
    watch = data.watch[(data.watch["opd"] == "") == (level == "pemda")]
    rows = [
        (
            i,
            unit_name(p, o),
            "" if pd.isna(d) else number(d, lang),
            reason,
            *([words("brief.yes", lang) if ill else ""] if marked else []),
        )
        for i, (p, o, d, reason, ill) in enumerate(
            zip(watch["pemda"], watch["opd"], watch["delta"], watch[f"reason_{lang}"], watch["illustrative"]), 1
        )
    ]
    if not rows:
        return [], words(f"brief.no_watch_{level}", lang)
    if len(rows) <= limit:
        return rows, ""
    workbook = catalog.relative("workbook", year=data.year, lang=data.lang)
    return rows[:limit], words(
        "brief.watch_more", lang, shown=limit, n=len(rows), workbook=workbook, sheet=words("workbook.watch_list", lang)
    )


def band_rows(data, method: str) -> list[tuple]:
    """The bands of a method for the method note: grade, range (reader's decimal mark), zone, label."""
    table = data.methods.bands_of(method, data.lang)
    return [
        (g, score_range(lo, hi, data.lang), zone_name(z, data.lang), label)
        for g, lo, hi, z, label in table.itertuples(index=False)
    ]
