"""The explorer's tables and downloads: what each tab shows as rows, in the reader's language.

Each function takes the tidy scores and the explorer's choice and returns a table as a person reads it
(:func:`kepatuhan.api.readable.readable`): every pemda of the province in the chosen year, the watch
list of that year, the rows behind the trend. The same tables are what the "download CSV" links give.
"""

from __future__ import annotations

import base64
import html

import pandas as pd

from kepatuhan.analysis.declines import compare_with_previous, watch_list
from kepatuhan.api.readable import readable
from kepatuhan.brief.reasons import with_reasons
from kepatuhan.brief.wording import number, words
from kepatuhan.catalog import slugify
from kepatuhan.explorer.choice import Choice
from kepatuhan.writing import csv_safe

#: Where ``make lab``'s server extension (:mod:`kepatuhan.explorer.lab`) serves the published briefs.
REPORTS_ROUTE = "kepatuhan/reports"
#: How the explorer's links look (JupyterLab's own style leaves a link inside a widget looking like plain text).
LINK_STYLE = "color: #1565c0; text-decoration: underline;"
#: The columns of the province table, and of the watch list (the reason in the reader's language is added).
TABLE_COLUMNS = [
    "pemda",
    "score",
    "grade",
    "zone",
    "published_label",
    "delta",
    "prev_score",
    "prev_year",
    "prev_zone",
    "tanda",
]
WATCH_COLUMNS = ["rank", "pemda", "opd", "score", "delta", "prev_score", "prev_year", "tanda"]
TREND_COLUMNS = ["year", "pemda", "opd", "score", "grade", "zone", "published_label", "method", "source"]


def province_rows(scores: pd.DataFrame, choice: Choice) -> pd.DataFrame:
    """Every unit of the province assessed in the chosen year against its previous assessment (codes), with the
    opinion label as published (2025 on)."""
    upto = scores[(scores["year"] <= choice.year) & (scores["province"] == choice.province)]
    rows = compare_with_previous(upto, year=choice.year, province=choice.province)
    labels = upto[upto["year"] == choice.year].set_index(["pemda", "opd"])["published_label"]
    return rows.assign(published_label=[labels.get((p, o), "") for p, o in zip(rows["pemda"], rows["opd"])])


def province_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every pemda's own result in the year: score, grade, zone, change, previous result, flags (best first)."""
    totals = rows[rows["opd"] == ""].sort_values(["score", "pemda"], ascending=[False, True], na_position="last")
    return readable(totals[TABLE_COLUMNS].reset_index(drop=True), lang)


def watch_table(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The units that fell in the year, worst first, with the whole reason in the reader's language."""
    watched = with_reasons(watch_list(rows))
    return readable(watched[[*WATCH_COLUMNS, f"reason_{lang}"]], lang)


def trend_table(scores: pd.DataFrame, choice: Choice, lang: str) -> pd.DataFrame:
    """The rows behind the trend: the chosen pemda's totals (and the chosen unit) up to the year."""
    units = ["", choice.opd] if choice.opd else [""]
    rows = scores[scores["pemda"].isin(choice.pemda) & scores["opd"].isin(units) & (scores["year"] <= choice.year)]
    return readable(rows.sort_values(["pemda", "opd", "year"])[TREND_COLUMNS].reset_index(drop=True), lang)


def opd_table(scores: pd.DataFrame, choice: Choice, lang: str) -> pd.DataFrame:
    """The rows behind the OPD heatmap: every unit of the first chosen pemda up to the year."""
    rows = scores[(scores["pemda"] == choice.pemda[0]) & (scores["year"] <= choice.year)]
    return readable(rows.sort_values(["opd", "year"])[TREND_COLUMNS].reset_index(drop=True), lang)


def for_display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table for the page: decimals written with the reader's decimal mark (``75,03``); DataTables, told the
    mark (:func:`table_words`), still sorts them as numbers. Missing numbers are empty cells."""
    shown = frame.copy()
    for column in shown.columns:
        if pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [("" if pd.isna(v) else number(v, lang)) for v in shown[column]]
        elif pd.api.types.is_integer_dtype(shown[column]):
            shown[column] = [("" if pd.isna(v) else str(int(v))) for v in shown[column]]
    return shown


def csv_text(frame: pd.DataFrame, lang: str) -> str:
    """A table as CSV the way a spreadsheet in the reader's language opens it: ``;`` and decimal commas in
    Indonesian (Excel's Indonesian settings), ``,`` and points in English."""
    return csv_safe(frame).to_csv(index=False, sep=";" if lang == "id" else ",", decimal="," if lang == "id" else ".")


def download_link(frame: pd.DataFrame, name: str, lang: str) -> str:
    """An HTML link that downloads ``frame`` as ``<name>.csv`` (UTF-8 with a byte-order mark, for Excel)."""
    encoded = base64.b64encode(("\ufeff" + csv_text(frame, lang)).encode("utf-8")).decode("ascii")
    label = html.escape(words("explore.download_csv", lang))
    return (
        f'<a class="kp-download" style="{LINK_STYLE}" download="{html.escape(slugify(name))}.csv" '
        f'href="data:text/csv;charset=utf-8;base64,{encoded}">{label}</a>'
    )
