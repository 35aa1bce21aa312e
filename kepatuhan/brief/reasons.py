"""Why a unit is on the watch list, in words, in each language the briefs speak.

The analysis flags the units (``tanda``: ``turun;turun_zona``...); this module says it as a reader reads
it ("Nilai turun 1,21 poin (89,62 → 88,41, 2022 → 2023); zona turun dari hijau ke kuning").
"""

from __future__ import annotations

import pandas as pd

from kepatuhan.analysis.declines import FLAG_SEPARATOR
from kepatuhan.brief.wording import LANGS, number, words, zone_name


def decline_reason(row, lang: str = "id") -> str:
    """Why a unit is on the watch list, in words. ``row`` has the comparison columns as attributes."""
    flags = str(row.tanda).split(FLAG_SEPARATOR)
    parts = []
    if "turun" in flags or (not pd.isna(row.delta) and row.delta < 0):
        parts.append(
            words(
                "reason.fell",
                lang,
                delta=number(-row.delta, lang),
                prev_score=number(row.prev_score, lang),
                score=number(row.score, lang),
                prev_year=row.prev_year,
                year=row.year,
            )
        )
    if "turun_zona" in flags:
        parts.append(
            words("reason.zone_fell", lang, prev=zone_name(row.prev_zone, lang), now=zone_name(row.zone, lang))
        )
    if "turun_kategori" in flags:
        parts.append(words("reason.grade_fell", lang, prev=row.prev_grade, now=row.grade))
    if "turun_beruntun" in flags:
        parts.append(words("reason.consecutive", lang))
    if "beda_metode" in flags:
        parts.append(words("reason.across_methods", lang))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def with_reasons(watch: pd.DataFrame) -> pd.DataFrame:
    """The ranked watch list with a ``reason_<lang>`` column per language."""
    watch = watch.copy()
    for lang in LANGS:
        watch[f"reason_{lang}"] = pd.Series(
            [decline_reason(row, lang) for row in watch.itertuples()], index=watch.index, dtype=object
        )
    return watch
