"""What each row published, read as published: a score, a grade, a zone, an opinion label, a service word.

Nothing is invented. A row with a score gets its grade and zone from the bands of its year's method
(the published ones are kept beside them, and a difference is reported). A row without a score keeps
the published grade and zone: a grade gives its zone by the year's bands, a label gives its grade.
``score_published`` says which rows have a score. A label that cannot be read, or a zone that is not a
zone, is an error naming the cell and the accepted forms.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kepatuhan.errors import Problem
from kepatuhan.reference.methods import Methods
from kepatuhan.reference.names import tidy
from kepatuhan.reference.opinions import Result, read_result, read_zone


def read_results(frame: pd.DataFrame, methods: Methods, problems: list[Problem]) -> pd.DataFrame:
    """The published grade, zone, label, *Tanpa Maladministrasi* and service word of each row, read."""
    frame = frame.copy()
    grades = _read_cells(frame, "published_grade", methods, problems)
    labels = _read_cells(frame, "published_label", methods, problems)
    pairs = list(zip(grades, labels))
    # a label in the grade column is kept as the label it is; a letter is published only where one was printed
    frame["published_label"] = [
        tidy(label_cell) or (tidy(grade_cell) if grade.grade and not grade.letter else "")
        for label_cell, grade_cell, grade in zip(frame["published_label"], frame["published_grade"], grades)
    ]
    frame["published_grade"] = [grade.grade if grade.letter else "" for grade in grades]
    frame["label_grade"] = [label.grade or (grade.grade if not grade.letter else "") for grade, label in pairs]
    frame["label_zone"] = [grade.zone or label.zone for grade, label in pairs]
    said = [
        label.tanpa_maladministrasi if label.tanpa_maladministrasi is not None else grade.tanpa_maladministrasi
        for grade, label in pairs
    ]
    frame["tanpa_maladministrasi"] = pd.array(said, dtype="boolean")
    words = [
        tidy(written) or label.service_quality or grade.service_quality
        for written, (grade, label) in zip(frame["service_quality"], pairs)
    ]
    frame["service_quality"] = [w.title() if w.islower() or w.isupper() else w for w in words]
    frame["published_zone"] = _read_zones(frame, methods, problems)
    return frame


def _read_cells(frame: pd.DataFrame, column: str, methods: Methods, problems: list[Problem]) -> list[Result]:
    """Each cell of a grade or label column read under its row's method (each distinct cell once)."""
    keys = list(zip(frame[column], frame["method"]))
    read = {key: read_result(key[0], key[1], methods) for key in dict.fromkeys(keys)}
    for (text, method), result in read.items():
        if result.problem:
            rows = frame[(frame[column] == text) & (frame["method"] == method)]
            problems += [
                Problem(
                    result.problem,
                    file=f,
                    row=int(r),
                    column=column,
                    value=text,
                    hint="if the release wrote it so, add its reading to config/bands.csv (label_id) for that method",
                )
                for f, r in zip(rows["raw_file"], rows["raw_row"])
            ]
    return [read[key] for key in keys]


def _read_zones(frame: pd.DataFrame, methods: Methods, problems: list[Problem]) -> list[str]:
    """Each published zone cell as a zone of ``config/zones.csv``."""
    read = {text: read_zone(text, methods) for text in frame["published_zone"].unique()}
    for text, (_, problem) in read.items():
        if problem:
            rows = frame[frame["published_zone"] == text]
            problems += [
                Problem(
                    problem,
                    file=f,
                    row=int(r),
                    column="published_zone",
                    value=text,
                    hint="if the release names a zone so, add the name to config/zones.csv (label_id)",
                )
                for f, r in zip(rows["raw_file"], rows["raw_row"])
            ]
    return [read[text][0] for text in frame["published_zone"]]


def without_result(frame: pd.DataFrame) -> pd.Series:
    """Rows that published nothing: no score, grade, zone, label or service word."""
    empty = frame["score"].isna()
    for column in ("published_grade", "published_zone", "published_label", "service_quality"):
        empty &= frame[column].eq("")
    return empty & frame["tanpa_maladministrasi"].isna()


def classify(frame: pd.DataFrame, methods: Methods) -> pd.DataFrame:
    """Grade and zone of each row: from the score by the year's bands, else as published (a grade gives its zone)."""
    frame = frame.copy()
    scored = frame["score"].notna().to_numpy()
    computed = methods.classify(frame["score"].fillna(0.0), frame["method"])
    zone_of_grade = methods.bands.drop_duplicates(["method", "grade"]).set_index(["method", "grade"])["zone"]
    given = frame["published_grade"].where(frame["published_grade"] != "", frame["label_grade"])
    from_grade = pd.Series(
        [zone_of_grade.get((m, g), "") if g else "" for m, g in zip(frame["method"], given)], index=frame.index
    )
    published_zone = frame["published_zone"].where(frame["published_zone"] != "", from_grade)
    published_zone = published_zone.where(published_zone != "", frame.pop("label_zone"))
    frame["grade"] = np.where(scored, computed["grade"], given)
    frame["zone"] = np.where(scored, computed["zone"], published_zone)
    frame["score_published"] = scored
    return frame
