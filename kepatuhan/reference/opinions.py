"""Grades, opinion labels and zones as they are written, read into what they say.

Releases write a result in many forms: a grade letter (``B``), a label in any casing, with or without
*Opini* (``Opini Kualitas Tinggi``, ``kualitas tinggi``), the quality word alone (``Tertinggi``), the
2025 suffix alone or after the label (``Opini Tanpa Maladministrasi``, ``Kualitas Sedang Tanpa
Maladministrasi``), and at OPD level a service word (``Sangat Baik``, ``Baik``, ``Cukup``, ``Kurang``).
A zone is written ``hijau``, ``Zona Hijau`` or ``green``. :func:`read_result` and :func:`read_zone` say
what such a cell means under the year's method, or why it cannot be read (with the accepted forms).
The labels and zones are those of ``config/bands.csv`` and ``config/zones.csv``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kepatuhan.reference.methods import Methods
from kepatuhan.reference.names import tokens

#: Words that may open a result cell without changing what it says.
LEADING = ("opini ombudsman", "opini pengawasan", "opini", "predikat", "kategori", "grade", "nilai")
#: Service-quality words, as the releases write them (longest first).
SERVICE_WORDS = ("sangat baik", "sangat kurang", "baik", "cukup", "kurang")
#: A grade letter with a mark (``A+``, ``B-``, ``A*``): no method grades so, and dropping the mark would misread it.
MARKED_GRADE = re.compile(r"(?<![A-Za-z])[A-Za-z]\s?(\+|\*|-(?=\s*$|\s*\())")
#: Words that may stand before a zone's name.
ZONE_WORDS = ("zona", "zone")


@dataclass(frozen=True)
class Result:
    """What a grade or label cell says: the grade, its band's zone, whether it says *Tanpa Maladministrasi*
    (None: it does not tell), the service word; ``problem`` when it cannot be read."""

    grade: str = ""
    zone: str = ""
    tanpa_maladministrasi: bool | None = None
    service_quality: str = ""
    problem: str = ""
    letter: bool = False  # the cell printed the grade's letter (``B``, ``Opini B``), not a label to derive it from


def read_result(text: str, method: str, methods: Methods) -> Result:
    """Read a grade or opinion label cell under ``method`` (see the module's forms)."""
    words = " ".join(tokens(text))
    if not words:
        return Result()
    if MARKED_GRADE.search(str(text)):
        return Result(
            problem="a grade with a mark (+, - or *), which this year's method does not give; "
            + _accepted(method, methods).replace("not a grade or opinion label of this year's method; ", "")
        )
    words = _strip_leading(words)
    suffix = _suffix(method, methods)
    said = bool(suffix) and suffix in words
    words = words.replace(suffix, " ").strip() if said else words
    service = next((w for w in SERVICE_WORDS if re.search(rf"(^| ){w}$", words)), "")
    words = re.sub(rf"(^| ){service}$", "", words).strip() if service else words
    band = _bands(methods, method).get(words) if words else ("", "")
    if band is None:
        return Result(problem=_accepted(method, methods))
    labelled = len(words) > 1  # a label without the suffix says "not Tanpa Maladministrasi"; a letter says nothing
    tanpa = True if said else (False if suffix and labelled else None)
    return Result(band[0], band[1], tanpa, service.title(), letter=len(words) == 1)


def read_zone(text: str, methods: Methods) -> tuple[str, str]:
    """The zone a cell names (``Zona Hijau``, ``green``) and, when it names none, why (with the accepted forms)."""
    words = " ".join(w for w in tokens(text) if w not in ZONE_WORDS)
    if not words:
        return "", ""
    names = {
        name: zone
        for zone, id_, en in zip(methods.zones["zone"], methods.zones["label_id"], methods.zones["label_en"])
        for name in (zone, " ".join(tokens(id_)), " ".join(tokens(en)))
    }
    if words in names:
        return names[words], ""
    accepted = ", ".join(f"{z} ({en})" for z, en in zip(methods.zones["zone"], methods.zones["label_en"]))
    return "", f"not a zone; accepted: {accepted}, with or without 'zona'"


def _strip_leading(words: str) -> str:
    for lead in LEADING:
        if words.startswith(lead + " "):
            return words[len(lead) + 1 :]
    return words


def _suffix(method: str, methods: Methods) -> str:
    """The opinion suffix of a method (``tanpa maladministrasi``), as words; empty when it has none."""
    known = method in set(methods.periods["method"])
    return " ".join(tokens(methods.info(method).get("opinion_suffix", ""))) if known else ""


def _bands(methods: Methods, method: str) -> dict[str, tuple[str, str]]:
    """Every way a band of ``method`` is named -> (grade, zone): its letter, its labels, the labels' last word."""
    rows = methods.bands[methods.bands["method"] == method]
    found: dict[str, tuple[str, str]] = {}
    for grade, zone, id_, en in zip(rows["grade"], rows["zone"], rows["label_id"], rows["label_en"]):
        names = [grade.lower()] if grade else []
        for label in (id_, en):
            words = " ".join(tokens(label))
            names += [words, re.sub(r"^(kualitas|kepatuhan) ", "", words), re.sub(r" (quality|compliance)$", "", words)]
        found.update({name: (grade, zone) for name in names if name})
    return found


def _accepted(method: str, methods: Methods) -> str:
    """Why a cell is not read: the accepted forms under ``method``."""
    rows = methods.bands[methods.bands["method"] == method]
    labels = ", ".join(f"'{label}'" for label in rows["label_id"])
    grades = "/".join(g for g in rows["grade"] if g)
    suffix = methods.info(method).get("opinion_suffix", "") if method in set(methods.periods["method"]) else ""
    parts = [
        f"{grades}" if grades else "",
        labels,
        "the quality word alone (e.g. 'Tinggi')",
        f"with or without 'Opini'{', with or alone the suffix ' + repr(suffix) if suffix else ''}",
        "or a service word (Sangat Baik, Baik, Cukup, Kurang)",
    ]
    return "not a grade or opinion label of this year's method; accepted: " + "; ".join(p for p in parts if p)
