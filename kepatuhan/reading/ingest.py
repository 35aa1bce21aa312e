"""Ingest: every raw file into one tidy, validated ``scores`` table and a data-quality report.

Validation collects every problem before failing, so one run tells the analyst everything to fix.
Nothing is written here: the ingest step saves the tables (:func:`kepatuhan.pipeline.steps.run_step`),
and only when the whole input is valid.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kepatuhan import schema, settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.reading.files import find_raw_files
from kepatuhan.reading.readers import READABLE_SUFFIXES, parse_decimal, read_raw_file
from kepatuhan.reference.gazetteer import Gazetteer, load_gazetteer
from kepatuhan.reference.methods import Methods, load_methods
from kepatuhan.reference.names import OpdNames, load_opd_names, tidy

TRUTHY = {"ya", "y", "yes", "true", "1", "benar", "x"}


@dataclass
class IngestResult:
    """The tidy scores, the data-quality findings, and the raw files read."""

    scores: pd.DataFrame
    quality: pd.DataFrame
    files: list[Path]


def ingest(
    raw_dir: str | Path = "",
    gazetteer: Gazetteer | None = None,
    opd_names: OpdNames | None = None,
    methods: Methods | None = None,
    examples_dir: str | Path | None = None,
) -> IngestResult:
    """Read, validate and tidy every raw file below ``raw_dir`` (and ``examples_dir`` when given).

    ``raw_dir`` empty means this project's ``data/raw``. Raises :class:`DataError` naming every
    problem found. Files of ``examples_dir`` are labelled ``examples/...`` in ``raw_file``.
    """
    raw_dir = Path(raw_dir or settings.RAW_DIR)
    gazetteer = gazetteer or load_gazetteer()
    opd_names = opd_names or load_opd_names()
    methods = methods or load_methods()
    files = [(p, p.relative_to(raw_dir).as_posix()) for p in find_raw_files(raw_dir)]
    if examples_dir:
        files += [(p, f"examples/{p.relative_to(examples_dir).as_posix()}") for p in find_raw_files(Path(examples_dir))]
    if not files:
        raise DataError.single(
            "no score files found", file=raw_dir, hint="put the published score files (CSV or Excel) in this folder"
        )
    raw, notes = read_all(files)
    problems: list[Problem] = []
    frame = _parse_numbers(raw, methods, problems)
    frame = _resolve_pemda(frame, gazetteer, problems)
    if problems:
        raise DataError(problems)
    quality = [note_rows(notes)]
    frame, unknown = _resolve_opd(frame, opd_names)
    quality.append(unknown)
    frame, dropped = prefer_real(frame)
    quality.append(dropped)
    frame = _classify(frame, methods)
    quality.append(disagreements(frame))
    frame, merged = merge_duplicates(frame)
    quality.append(merged)
    scores = frame.sort_values(["year", "province", "pemda", "opd"], kind="stable")[schema.columns("scores")]
    quality_table = pd.concat(quality, ignore_index=True)[schema.columns("quality")]
    quality_table["raw_row"] = quality_table["raw_row"].fillna(0).astype("int64")
    quality_table = quality_table.sort_values(["kind", "raw_file", "raw_row"], kind="stable")
    return IngestResult(scores.reset_index(drop=True), quality_table.reset_index(drop=True), [p for p, _ in files])


def read_all(files: list[tuple[Path, str]]) -> tuple[pd.DataFrame, list[Problem]]:
    """Read every (file, label); collect the problems of all files before failing."""
    tables, notes, problems = [], [], []
    for path, label in files:
        if path.suffix.lower() not in READABLE_SUFFIXES:
            notes.append(Problem(f"file skipped: '{path.suffix or path.name}' is not a score file format (CSV, text or Excel)",
                                 file=label, hint="save the scores as CSV or Excel if it holds any"))  # fmt: skip
            continue
        try:
            found = read_raw_file(path, label=label)
        except DataError as exc:
            problems.extend(exc.problems)
            continue
        for table in found:
            tables.append(table.frame)
            notes.extend(table.notes)
    if problems:
        raise DataError(problems)
    if not tables:
        raise DataError.single("no score file could be read", file=files[0][0].parent,
                               hint="put the scores as CSV or Excel in the raw folder")  # fmt: skip
    frame = pd.concat(tables, ignore_index=True)
    for column in schema.columns("scores", source=schema.OPTIONAL):
        frame[column] = frame[column].fillna("") if column in frame else ""
    empty = frame[["year", "pemda", "score"]].eq("").all(axis=1)
    if empty.all():
        raise DataError.single("no row has a year, pemda or score", file=files[0][0].parent,
                               hint="check that the files hold the scores, not only notes")  # fmt: skip
    return frame.loc[~empty].reset_index(drop=True), notes


def _parse_numbers(frame: pd.DataFrame, methods: Methods, problems: list[Problem]) -> pd.DataFrame:
    """Parse year and score; report non-numbers, out-of-range scores and years without a method."""
    frame = frame.copy()
    year = parse_decimal(frame["year"])
    bad_year = year.isna() | (year != year.round())
    problems += _row_problems(
        frame, bad_year, "year", "year is not a whole number", "write the assessment year, e.g. 2023"
    )
    frame["year"] = year.where(~bad_year, -1).astype("int64")
    method = methods.method_for_years(frame["year"])
    no_method = method.isna() & ~bad_year
    problems += _row_problems(
        frame, no_method, "year", f"no assessment method covers this year (known: {methods.known_years()}; none in 2020)",
        "fix the year, or add the method of that year to config/methods.csv",
    )  # fmt: skip
    frame["method"] = method
    score = parse_decimal(frame["score"])
    problems += _row_problems(
        frame, score.isna(), "score", "score is not a number", "write a number such as 89.62 or 89,62"
    )
    out_of_range = score.notna() & ((score < 0) | (score > 100))
    problems += _row_problems(frame, out_of_range, "score", "score is outside 0-100", "check the value against the source")
    fractions = score.groupby(frame["raw_file"]).transform("max") <= 1.0
    first = fractions & ~frame["raw_file"].duplicated()
    problems += _row_problems(frame, first, "score", "every score of this file is 1 or less: they look like fractions "
                              "(a cell formatted as a percentage shows 89.62% but holds 0.8962)",
                              "write the scores as shown (89.62), or save the file as .xlsx, whose percent formats are read")  # fmt: skip
    frame["score"] = score
    return frame


def _row_problems(frame: pd.DataFrame, mask: pd.Series, column: str, message: str, hint: str) -> list[Problem]:
    """One :class:`Problem` per masked row, naming file, row, column and raw value."""
    rows = frame.loc[mask, ["raw_file", "raw_row", column]]
    return [
        Problem(message, file=f, row=int(r), column=column, value=v, hint=hint)
        for f, r, v in rows.itertuples(index=False)
    ]


def _resolve_pemda(frame: pd.DataFrame, gazetteer: Gazetteer, problems: list[Problem]) -> pd.DataFrame:
    """Canonical pemda name, type and province from the gazetteer.

    An unknown or ambiguous name, or a province column that contradicts the pemda, is an error
    naming the row (the province of a kabupaten whose province was split off in 2022 is accepted
    for the years before). Each distinct (name, province, year) is resolved once.
    """
    codes, keys = pd.MultiIndex.from_frame(frame[["pemda", "province", "year"]]).factorize()
    found = [gazetteer.resolve(name, province, int(year)) for name, province, year in keys]
    wrong = np.isin(codes, [i for i, f in enumerate(found) if isinstance(f, Problem)])
    for f, r, name, code in zip(frame["raw_file"][wrong], frame["raw_row"][wrong], frame["pemda"][wrong], codes[wrong]):
        problems.append(Problem(found[code].message, file=f, row=int(r), column="pemda", value=name, hint=found[code].hint))
    known = [gazetteer.info(f) if isinstance(f, str) else {"type": "", "province": ""} for f in found]
    frame = frame.copy()
    frame["pemda"] = np.array([f if isinstance(f, str) else "" for f in found], dtype=object)[codes]
    frame["pemda_type"] = np.array([k["type"] for k in known], dtype=object)[codes]
    frame["province"] = np.array([k["province"] for k in known], dtype=object)[codes]
    return frame


def _resolve_opd(frame: pd.DataFrame, opd_names: OpdNames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical OPD names; names not in the alias list are kept as written and reported."""
    frame = frame.copy()
    canonical, unknown = opd_names.canonical(frame["opd"])
    first = frame.loc[unknown].drop_duplicates("opd")
    report = quality_rows(
        "unknown_opd", first["raw_file"], first["raw_row"], column="opd", value=first["opd"],
        message="OPD name not in config/opd_aliases.csv; kept as written (add an alias if it is a variant)",
    )  # fmt: skip
    frame["opd"] = canonical
    for column in ["source", "note", "published_grade", "published_zone"]:
        frame[column] = frame[column].map({value: tidy(value) for value in frame[column].unique()})
    frame["illustrative"] = frame["illustrative"].str.strip().str.lower().isin(TRUTHY)
    return frame, report


def prefer_real(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave out illustrative OPD rows of a (pemda, year) that has real OPD rows: real data always wins."""
    opd = frame["opd"] != ""
    real = set(zip(frame.loc[opd & ~frame["illustrative"], "pemda"], frame.loc[opd & ~frame["illustrative"], "year"]))
    clash = opd & frame["illustrative"] & pd.Series([key in real for key in zip(frame["pemda"], frame["year"])], index=frame.index)
    left = frame[clash]
    report = quality_rows("illustrative_left_out", left["raw_file"], left["raw_row"], column="opd", value=left["opd"],
                          message="illustrative row left out: real OPD scores of this pemda and year exist")  # fmt: skip
    return frame[~clash], report


def _classify(frame: pd.DataFrame, methods: Methods) -> pd.DataFrame:
    """Grade and zone from the score with the bands of the year's method; published values read as published.

    An opinion label (``Kualitas Sedang Tanpa Maladministrasi``) gives its grade (C) and the
    ``tanpa_maladministrasi`` column (True/False; empty where unknown); the service-quality word is kept.
    """
    frame = frame.copy()
    computed = methods.classify(frame["score"], frame["method"])
    frame["grade"] = computed["grade"]
    frame["zone"] = computed["zone"]
    keys = list(zip(frame["published_grade"], frame["method"]))
    opinions = {key: methods.read_opinion(*key) for key in dict.fromkeys(keys)}
    frame["published_grade"] = [opinions[key][0] for key in keys]
    frame["tanpa_maladministrasi"] = pd.array([opinions[key][1] for key in keys], dtype="boolean")
    frame["service_quality"] = frame["service_quality"].map({w: tidy(w).capitalize() for w in frame["service_quality"].unique()})
    english = dict(zip(methods.zones["label_en"].str.lower(), methods.zones["zone"]))
    zone = frame["published_zone"].str.lower()
    frame["published_zone"] = zone.map(english).fillna(zone)
    return frame


def disagreements(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose published grade or zone differs from the one computed from the score."""
    parts = []
    for published, computed, kind in [("published_grade", "grade", "grade_mismatch"), ("published_zone", "zone", "zone_mismatch")]:
        bad = frame[(frame[published] != "") & (frame[published] != frame[computed])]
        message = [
            f"published {computed} differs from the one computed from score {score:g} with the {method} bands; both are kept"
            for score, method in zip(bad["score"], bad["method"])
        ]
        parts.append(quality_rows(kind, bad["raw_file"], bad["raw_row"], column=published, value=bad[published],
                                  expected=bad[computed], message=message))  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def merge_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge identical repeats of (year, pemda, OPD); differing scores are an error naming both rows."""
    key = ["year", "pemda", "opd"]
    repeated = frame[frame.duplicated(key, keep=False)]
    conflicting = repeated.groupby(key)["score"].transform("nunique") > 1
    if conflicting.any():
        problems = []
        for (year, pemda, opd), group in repeated[conflicting].groupby(key):
            places = "; ".join(f"{f} row {r}: {s:g}" for f, r, s in group[["raw_file", "raw_row", "score"]].itertuples(index=False))
            problems.append(
                Problem(
                    f"{pemda}{' / ' + opd if opd else ''} {year} has different scores in several rows ({places})",
                    file=group["raw_file"].iloc[0],
                    row=int(group["raw_row"].iloc[0]),
                    column="score",
                    hint="keep the verified score and delete or correct the other row(s)",
                )
            )
        raise DataError(problems)
    dropped = frame.duplicated(key, keep="first")
    merged = frame[dropped]
    kept = frame[~dropped].set_index(key)
    first = kept.loc[pd.MultiIndex.from_frame(merged[key])]
    report = quality_rows(
        "merged_duplicate", merged["raw_file"], merged["raw_row"], column="score",
        value=[f"{score:g}" for score in merged["score"]],
        message=[f"same score as {f} row {r}; merged" for f, r in zip(first["raw_file"], first["raw_row"])],
    )  # fmt: skip
    return frame[~dropped], report


def note_rows(notes: list[Problem]) -> pd.DataFrame:
    """Reading notes (encoding fallback, skipped sheets) as quality-report rows."""
    return quality_rows(
        "reading_note", [str(n.file or "") for n in notes], [n.row or 0 for n in notes], message=[n.message for n in notes]
    )


def quality_rows(kind: str, raw_file, raw_row, column: str = "", value="", expected="", message="") -> pd.DataFrame:
    """Rows of the data-quality report, one per (raw_file, raw_row); other fields are one value or one per row.

    Columns are aligned by position, whatever index the Series passed in carry.
    """
    def values(v):
        return v.to_numpy() if isinstance(v, pd.Series) else v

    fields = {"kind": kind, "raw_file": values(raw_file), "raw_row": values(raw_row), "column": column,
              "value": values(value), "expected": values(expected), "message": values(message)}  # fmt: skip
    return pd.DataFrame(fields, columns=schema.columns("quality"), index=pd.RangeIndex(len(fields["raw_file"])))
