"""The opening paragraph of a brief, written from the data in the reader's language.

A brief says what the *data* holds, never what the Ombudsman did: how many of the pemda of the province
(or of the country) the data holds results for and in which zones, which of them have no published
score, which only OPD scores; who fell and who changed zone. A pemda brief gives the pemda's result as
published (its score, or its zone or opinion when no score was published), its change, and where it
stands among the pemda *with a score in the data*. Sentences, not HTML: the template escapes them.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan.analysis.declines import has_flag
from kepatuhan.brief.wording import number, words, zone_name


def zone_counts(rows: pd.DataFrame, data) -> str:
    """``12 hijau, 0 kuning, 0 merah`` for the zones of the year's method."""
    methods = data.methods
    zones = methods.zones_of(rows["method"].iloc[0]) if len(rows) else []
    return ", ".join(f"{int((rows['zone'] == z).sum())} {zone_name(z, data.lang)}" for z in zones)


def method_names(codes, data) -> str:
    """Readable names of methods (never their internal codes)."""
    key = "name_id" if data.lang == "id" else "name_en"
    return ", ".join(data.methods.info(code)[key] for code in codes)


def assessed(data) -> list[str]:
    """What the data holds: how many of the pemda that exist, their zones, those without a score or total."""
    lang, totals, shown = data.lang, data.totals, data.shown
    zones = zone_counts(totals[totals["zone"] != ""], data)
    n = shown["pemda"].nunique()
    if data.province:
        sentences = [
            words(
                "brief.assessed_province",
                lang,
                year=data.year,
                n=n,
                total=data.all_pemda,
                scope=data.scope,
                zones=zones,
            )
        ]
    else:
        provinces = sorted(set(shown["province"]))
        sentences = [
            words(
                "brief.assessed_national",
                lang,
                year=data.year,
                n=n,
                total=data.all_pemda,
                k=len(provinces),
                provinces=", ".join(provinces),
                zones=zones,
            )
        ]
    if not totals["score_published"].all():
        sentences.append(words("brief.unscored", lang, n=int((~totals["score_published"]).sum())))
    only = sorted(set(shown["pemda"]) - set(totals["pemda"]))
    if only:
        sentences.append(words("brief.opd_only", lang, n=len(only), names=", ".join(only)))
    opd = shown[shown["opd"] != ""]
    if len(opd):
        sentences.append(words("brief.assessed_opd", lang, n=len(opd), m=opd["pemda"].nunique()))
    return sentences


def changes(data) -> list[str]:
    """Who fell, who rose, who changed zone, or why no change is compared (a method change)."""
    lang, c = data.lang, data.comparisons
    compared = c[c["prev_year"].notna()]
    if not len(compared):
        return [words("brief.nothing_to_compare", lang)]
    across = has_flag(compared["tanda"], "beda_metode") & compared["tanda"].str.contains("turun|naik")
    if not compared["comparable"].any() and not across.any():  # changes across methods count only when asked
        return [words("brief.not_comparable", lang, prev=method_names(sorted(set(compared["prev_method"])), data))]
    totals, opd = compared[compared["opd"] == ""], compared[compared["opd"] != ""]
    sentences = score_changes(totals, lang)
    if len(opd):
        sentences.append(words("brief.fell_opd", lang, n_fell=int(has_flag(opd["tanda"], "turun").sum()), n=len(opd)))
    zone_fell = c[has_flag(c["tanda"], "turun_zona")]
    sentences.append(
        words("brief.fell_zone", lang, names=summary(zone_fell, lang))
        if len(zone_fell)
        else words("brief.no_fell_zone", lang)
    )
    rose = c[has_flag(c["tanda"], "naik_zona")]
    if len(rose):
        sentences.append(words("brief.rose_zone", lang, names=summary(rose, lang)))
    return sentences


def score_changes(totals: pd.DataFrame, lang: str) -> list[str]:
    """Who fell and who rose, among the pemda whose score and previous score were both published; those without
    one of them are said not to be compared, never counted as neither falling nor rising."""
    scored = totals[totals["delta"].notna()]
    unscored = len(totals) - len(scored)
    if not len(scored):
        return [words("brief.scores_not_compared", lang, n=unscored)] if unscored else []
    fell = has_flag(scored["tanda"], "turun")
    sentences = [
        words("brief.fell", lang, n_fell=int(fell.sum()), n_rose=int((scored["delta"] > 0).sum()), n=len(scored))
    ]
    return sentences + ([words("brief.some_scores_not_compared", lang, n=unscored)] if unscored else [])


def summary(rows: pd.DataFrame, lang: str) -> str:
    """Pemda totals by name, OPDs by count ("Kabupaten Kerinci; 5 OPD di 3 pemda")."""
    pemda = rows.loc[rows["opd"] == "", "pemda"].tolist()
    opd = rows[rows["opd"] != ""]
    parts = [", ".join(pemda)] if pemda else []
    if len(opd):
        parts.append(words("brief.opd_in_pemda", lang, n=len(opd), m=opd["pemda"].nunique()))
    return "; ".join(parts)


def method_notes(data) -> list[str]:
    """Provisional cut points, and the Tanpa Maladministrasi opinions of the year."""
    sentences, totals = [], data.totals
    if len(totals) and data.methods.provisional(totals["method"].iloc[0]):
        sentences.append(words("brief.provisional_year", data.lang, year=data.year))
    opinions = totals["tanpa_maladministrasi"].dropna() if "tanpa_maladministrasi" in totals else []
    if len(opinions):
        sentences.append(words("brief.tanpa_mal", data.lang, n=int(opinions.astype(bool).sum()), m=len(opinions)))
    return sentences


def scope_headline(data) -> str:
    """The opening paragraph of a province brief or of the national overview."""
    return " ".join([*assessed(data), *changes(data), *method_notes(data)])


def pemda_headline(data) -> str:
    """The opening paragraph of a pemda brief: its result as published, change, standing, opinion, its OPDs."""
    own = data.totals
    if own.empty:
        opd = data.shown[data.shown["opd"] != ""]
        if opd.empty:
            return words("brief.pemda_not_assessed", data.lang, pemda=data.pemda, year=data.year)
        province = opd["province"].iloc[0]
        first = words(
            "brief.pemda_total_not_published",
            data.lang,
            pemda=data.pemda,
            province=province,
            year=data.year,
            n=len(opd),
        )
        return " ".join([first, *pemda_opd(data)])
    row = own.iloc[0]
    return " ".join(
        [
            pemda_score(row, data),
            pemda_change(data),
            *pemda_rank(data),
            *pemda_opinion(row, data),
            *pemda_opd(data),
            *method_notes(data)[:1],
        ]
    )


def pemda_score(row, data) -> str:
    """``Kabupaten X (Jambi) mendapat nilai 86,85 pada penilaian 2024: kategori B, zona hijau.``, or its
    published zone, grade or opinion when no score was published."""
    if not row["score_published"]:
        return words(
            "brief.pemda_result_only",
            data.lang,
            pemda=data.pemda,
            province=row["province"],
            year=data.year,
            result=result_words(row, data),
        )
    mark = "*" if data.methods.provisional(row["method"]) else ""
    key = "brief.pemda_score" if row["grade"] else "brief.pemda_score_zone"
    return words(
        key,
        data.lang,
        pemda=data.pemda,
        province=row["province"],
        score=number(row["score"], data.lang),
        year=data.year,
        grade=f"{row['grade']}{mark}",
        zone=f"{zone_name(row['zone'], data.lang)}{mark}",
    )


def result_words(row, data) -> str:
    """A result published without a score, in words: ``kategori B, zona hijau``, ``zona kuning``, ``opini ...``."""
    zone = zone_name(row["zone"], data.lang)
    if row["grade"]:
        return words("brief.result_grade", data.lang, grade=row["grade"], zone=zone)
    if row["zone"]:
        return words("brief.result_zone", data.lang, zone=zone)
    return words("brief.result_opinion", data.lang, label=row["published_label"] or row["service_quality"])


def pemda_change(data) -> str:
    """The change against the previous assessment, or why there is none."""
    c = data.comparisons[(data.comparisons["opd"] == "") & (data.comparisons["year"] == data.year)]
    if c.empty or pd.isna(c["prev_year"].iloc[0]):
        return words("brief.pemda_first", data.lang)
    row, lang = c.iloc[0], data.lang
    if pd.isna(row["delta"]) and row["comparable"]:
        return zone_change(row, lang)
    values = {
        "prev_year": int(row["prev_year"]),
        "prev_score": number(row["prev_score"], lang),
        "delta": number(abs(row["delta"]), lang),
    }
    if not row["comparable"]:
        return words("brief.pemda_change_method", lang, **values)
    key = (
        "brief.pemda_change_up"
        if row["delta"] > 0
        else "brief.pemda_change_down"
        if row["delta"] < 0
        else "brief.pemda_change_same"
    )
    return words(key, lang, **values)


def zone_change(row, lang: str) -> str:
    """The change of zone against the previous assessment when one of the two scores was not published."""
    flags = str(row["tanda"]).split(";")
    direction = "up" if "naik_zona" in flags else "down" if "turun_zona" in flags else "same"
    return words(
        f"brief.pemda_change_zone_{direction}",
        lang,
        prev_zone=zone_name(row["prev_zone"], lang) or "-",
        prev_year=int(row["prev_year"]),
    )


def pemda_rank(data) -> list[str]:
    """Its rank in its province and among the assessed pemda of its type in the data, with how many there were."""
    rows = data.standing[(data.standing["pemda"] == data.pemda) & (data.standing["year"] == data.year)]
    if rows.empty:
        return []
    row, lang = rows.iloc[0], data.lang
    return [
        words(
            "brief.pemda_rank",
            lang,
            rank_province=int(row["rank_province"]),
            n_province=int(row["n_province"]),
            province=row["province"],
            rank_type=int(row["rank_type"]),
            n_type=int(row["n_type"]),
            kind=words(f"type.{row['pemda_type']}", lang),
            year=data.year,
        )
    ]


def pemda_opinion(row, data) -> list[str]:
    """The opinion as published (2025 on): its label, Tanpa Maladministrasi, the service-quality word."""
    if pd.isna(row.get("tanpa_maladministrasi")) and not row.get("service_quality"):
        return []
    text = data.methods.label(row["method"], row["grade"], data.lang)
    flag = row.get("tanpa_maladministrasi")
    suffix = words("brief.suffix_tanpa_mal", data.lang) if not pd.isna(flag) and bool(flag) else ""
    quality = (
        words("brief.service_quality", data.lang, word=row["service_quality"]) if row.get("service_quality") else ""
    )
    return [words("brief.pemda_opinion", data.lang, label=f"{text}{suffix}", quality=quality)]


def pemda_opd(data) -> list[str]:
    """How many of its OPDs were assessed this year, and how many fell."""
    c = data.comparisons[(data.comparisons["opd"] != "") & (data.comparisons["year"] == data.year)]
    if c.empty:
        return []
    return [words("brief.pemda_opd", data.lang, n=len(c), k=int(has_flag(c["tanda"], "turun").sum()))]
