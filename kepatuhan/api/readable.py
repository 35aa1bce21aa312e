"""Tables as a person reads them, in one language: headers, zones, methods, flags and yes/no in words.

The analysis works on codes (``hijau``, ``opini_pengawasan``, ``turun;turun_zona``, ``True``) and English
column names; an analyst reading ``kp.compare(...)`` or the explorer's table reads them in the language they
chose, every header and value alike. Numbers stay numbers (a column still sorts and sums).
"""

from __future__ import annotations

import pandas as pd

from kepatuhan.analysis.declines import FLAG_SEPARATOR
from kepatuhan.brief.wording import catalogue, words, zone_name
from kepatuhan.reference.methods import Methods, load_methods

ZONE_COLUMNS = ("zone", "prev_zone", "published_zone")
METHOD_COLUMNS = ("method", "prev_method")
YES_NO_COLUMNS = ("comparable", "illustrative", "tanpa_maladministrasi", "score_published")


def flags_in_words(tanda: str, lang: str = "id") -> str:
    """``turun;turun_zona`` -> ``turun, zona turun`` (``fell, zone fell``)."""
    return ", ".join(words(f"flag.{flag}", lang) for flag in str(tanda).split(FLAG_SEPARATOR) if flag)


def header(column: str, lang: str = "id") -> str:
    """A column's header in ``lang`` (``prev_year`` -> ``Tahun sebelumnya``); the reason of either language is
    the reason."""
    if column.startswith("reason_"):
        column = "reason"
    return catalogue(lang).get(f"column.{column}", column)


def readable(frame: pd.DataFrame, lang: str = "id", methods: Methods | None = None) -> pd.DataFrame:
    """``frame`` with every code in words and every header in ``lang``; a pemda's own total is named as such."""
    methods = methods or load_methods()
    shown = frame.copy()
    for column in shown.columns:
        values = shown[column]
        if column in ZONE_COLUMNS:
            shown[column] = values.map(lambda z: zone_name(z, lang) if isinstance(z, str) and z else "")
        elif column in METHOD_COLUMNS:
            names = {
                code: methods.name(code, lang) if isinstance(code, str) and code else "" for code in values.unique()
            }
            shown[column] = values.map(names)
        elif column == "tanda":
            shown[column] = values.map(lambda t: flags_in_words(t, lang))
        elif column in YES_NO_COLUMNS:
            shown[column] = values.map(lambda v: "" if pd.isna(v) else words("column.yes" if v else "column.no", lang))
        elif column == "opd":
            shown[column] = values.map(lambda o: o or words("chart.pemda_total", lang))
    return shown.rename(columns={c: header(c, lang) for c in shown.columns})
