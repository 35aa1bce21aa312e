"""Words for readers: Bahasa Indonesia by default, English with ``lang="en"``.

Numbers follow the reader's convention (``88,41`` in Indonesian, ``88.41`` in English).
"""

from __future__ import annotations

LANGS = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "zone_distribution_title": "Sebaran zona OPD per pemda",
        "ranking_title": "Peringkat pemda {year}",
        "declines_title": "Unit yang turun, {prev} ke {year}",
        "heatmap_title": "Nilai OPD per tahun: {pemda}",
        "map_title": "Zona kepatuhan kabupaten/kota, Provinsi {province} {year}",
        "opd_count": "Jumlah OPD",
        "score": "Nilai kepatuhan",
        "year": "Tahun",
        "zone": "Zona",
        "pemda": "Pemda",
        "opd": "OPD",
        "previous": "sebelumnya",
        "current": "terkini",
        "illustrative": "DATA ILUSTRASI: nilai OPD rekaan, bukan publikasi Ombudsman RI",
        "pemda_total": "(nilai pemda)",
        "no_data": "Tidak ada data",
        "province_no_polygon": "Provinsi {province} (pemerintah provinsi) tidak punya poligon sendiri: nilainya {score} ({zone}).",
        "province_not_assessed": "Pemerintah provinsi tidak dinilai tahun ini.",
        "cut_point": "batas zona",
    },
    "en": {
        "zone_distribution_title": "Zone distribution of OPDs per pemda",
        "ranking_title": "Pemda ranking {year}",
        "declines_title": "Units that fell, {prev} to {year}",
        "heatmap_title": "OPD scores by year: {pemda}",
        "map_title": "Compliance zones of regencies and cities, {province} province {year}",
        "opd_count": "Number of OPDs",
        "score": "Compliance score",
        "year": "Year",
        "zone": "Zone",
        "pemda": "Regional government",
        "opd": "Agency (OPD)",
        "previous": "previous",
        "current": "current",
        "illustrative": "ILLUSTRATIVE DATA: invented OPD scores, not published by Ombudsman RI",
        "pemda_total": "(pemda total)",
        "no_data": "No data",
        "province_no_polygon": "{province} province (the provincial government) has no polygon of its own: its score is {score} ({zone}).",
        "province_not_assessed": "The provincial government was not assessed this year.",
        "cut_point": "zone boundary",
    },
}

ZONE_NAMES = {
    "id": {"hijau": "hijau", "kuning": "kuning", "merah": "merah", "hitam": "hitam"},
    "en": {"hijau": "green", "kuning": "yellow", "merah": "red", "hitam": "black"},
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if supported, else raise a ``ValueError`` naming the choices."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    return lang


def label(key: str, lang: str = "id", **values) -> str:
    """A label in the reader's language, with ``{placeholders}`` filled."""
    return LABELS[check_lang(lang)][key].format(**values)


def zone_name(zone: str, lang: str = "id") -> str:
    """A zone's name in the reader's language."""
    return ZONE_NAMES[check_lang(lang)].get(zone, zone)


def number(value: float, lang: str = "id", decimals: int = 2) -> str:
    """Format a number with the reader's decimal mark: ``88,41`` (id) or ``88.41`` (en)."""
    text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "id" else text


def unit_name(pemda: str, opd: str, lang: str = "id") -> str:
    """``"Dinas Kesehatan, Kabupaten Kerinci"`` or the pemda alone for its total."""
    return f"{opd}, {pemda}" if opd else pemda


def decline_reason(row, lang: str = "id") -> str:
    """Why a unit is on the watch list, in words. ``row`` has the comparison columns as attributes."""
    flags = str(row.flags).split(";")
    parts = []
    if "turun" in flags or row.delta < 0:
        if lang == "id":
            parts.append(
                f"nilai turun {number(-row.delta, lang)} poin ({number(row.prev_score, lang)} \u2192 "
                f"{number(row.score, lang)}, {row.prev_year} \u2192 {row.year})"
            )
        else:
            parts.append(
                f"score fell {number(-row.delta, lang)} points ({number(row.prev_score, lang)} \u2192 "
                f"{number(row.score, lang)}, {row.prev_year} \u2192 {row.year})"
            )
    if "turun_zona" in flags:
        a, b = zone_name(row.prev_zone, lang), zone_name(row.zone, lang)
        parts.append(f"zona turun dari {a} ke {b}" if lang == "id" else f"zone fell from {a} to {b}")
    if "turun_kategori" in flags:
        a, b = row.prev_grade, row.grade
        parts.append(f"kategori turun dari {a} ke {b}" if lang == "id" else f"grade fell from {a} to {b}")
    if "turun_beruntun" in flags:
        parts.append("turun dua penilaian berturut-turut" if lang == "id" else "fell in two consecutive assessments")
    if "beda_metode" in flags:
        parts.append(
            "perbandingan lintas metode, bukan setara" if lang == "id" else "compared across a method change, not like for like"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]
