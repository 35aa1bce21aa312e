"""Ingest: every raw file into one tidy, validated ``scores`` table and a data-quality report.

What was published is kept and nothing is invented: a row with a zone, a grade or a 2025 label and no
score is a result (``score_published`` false); a row with a name and nothing else is a quality note.
Names are resolved with the gazetteer, results read with the year's method, and the decisions of
``config/corrections.csv`` applied, never an edit of the published files. Validation collects every
problem before failing, so one run tells the analyst everything to fix. :func:`ingest` writes nothing:
the ingest step (:func:`ingest_step`, the one call of ``01_ingest.ipynb``) saves the tables, and only when
all is valid; :func:`load_scores` gives the scores to every later stage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from kepatuhan import catalog, schema, settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.reading import corrections as fixes
from kepatuhan.reading import quality, results, rows
from kepatuhan.reading.files import is_documentation, label, scan_raw
from kepatuhan.reading.readers import READABLE_SUFFIXES, read_raw_file
from kepatuhan.reading.set_aside import load_set_aside, set_aside
from kepatuhan.reference.configuration import check_configuration
from kepatuhan.reference.gazetteer import Gazetteer, load_gazetteer
from kepatuhan.reference.methods import Methods, load_methods
from kepatuhan.reference.names import OpdNames, load_opd_names

log = logging.getLogger("kepatuhan")

#: The tables the ingest step writes, in the order of :class:`IngestResult`.
INGEST_TABLES = ("scores", "quality")


@dataclass
class IngestResult:
    """The tidy scores, the data-quality findings, and the raw files read."""

    scores: pd.DataFrame
    quality: pd.DataFrame
    files: list[Path]

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables the ingest step writes, by name (:data:`INGEST_TABLES`)."""
        return {name: getattr(self, name) for name in INGEST_TABLES}


def ingest(
    raw_dir: str | Path = "",
    gazetteer: Gazetteer | None = None,
    opd_names: OpdNames | None = None,
    methods: Methods | None = None,
    examples_dir: str | Path | None = None,
    corrections: str | Path | None = None,
) -> IngestResult:
    """Read, validate and tidy every raw file below ``raw_dir`` (and ``examples_dir`` when given).

    ``raw_dir`` empty means this project's ``data/raw``. Raises :class:`DataError` naming every
    problem found. Files of ``examples_dir`` are labelled ``examples/...`` in ``raw_file``; the
    decisions of ``corrections`` (``config/corrections.csv``) are applied. The configuration files are
    checked first (:func:`~kepatuhan.reference.configuration.check_configuration`): a damaged one stops here.
    """
    check_configuration()
    gazetteer, opd_names, methods = (
        gazetteer or load_gazetteer(),
        opd_names or load_opd_names(),
        methods or load_methods(),
    )
    files, skipped = raw_files(Path(raw_dir or settings.RAW_DIR), examples_dir)
    raw, notes, headers = read_all(files)
    notes[:0] = skipped
    raw, aside = set_aside(raw, load_set_aside())
    decided = fixes.load_corrections(gazetteer, opd_names, corrections)
    frame, parts, used = tidy_rows(raw, decided, gazetteer, opd_names, methods, headers)
    frame, left_out = rows.prefer_real(frame)
    try:
        frame, merged = quality.merge_duplicates(results.classify(frame, methods))
    except DataError as error:  # name the column as the file heads it
        raise DataError([as_written(problem, headers) for problem in error.problems]) from None
    parts += [
        quality.note_rows(notes),
        aside,
        left_out,
        quality.disagreements(frame),
        merged,
        fixes.unused(decided, used),
    ]
    scores = frame.sort_values(["year", "province", "pemda", "opd"], kind="stable")[schema.columns("scores")]
    return IngestResult(scores.reset_index(drop=True), quality.report(parts), [p for p, _ in files])


def ingest_tables(raw_dir: str | Path = "", examples_dir: str | Path = "") -> dict[str, pd.DataFrame]:
    """The ingest step's tables: every raw file (and the examples, when asked) as ``scores`` and ``quality``."""
    return ingest(raw_dir, examples_dir=examples_dir or None).tables()


def ingest_step(
    raw_dir: str | Path = "", examples_dir: str | Path = "", processed_dir: str | Path = "", read_by_run: bool = False
) -> dict[str, pd.DataFrame]:
    """The ingest step (the one call of ``01_ingest.ipynb``): read every raw file and save the scores and the
    quality report in ``processed_dir`` (``data/processed`` when empty), all or nothing.

    ``read_by_run``: the scheduled run has read these raw files already, to plan, and saved the tables in
    ``processed_dir``; they are loaded from there (checked again) rather than read a second time."""
    folder = processed_dir or settings.PROCESSED_DIR
    if read_by_run:
        return {name: catalog.load(name, folder) for name in INGEST_TABLES}
    tables = ingest_tables(raw_dir, examples_dir)
    catalog.save_all(tables, folder)
    return tables


def load_scores(raw_dir: str | Path = "", processed_dir: str | Path = "", check: bool = True) -> pd.DataFrame:
    """The tidy scores for every later stage: as the ingest step saved them in ``processed_dir``
    (``data/processed`` when empty; checked again unless ``check`` is false), else read from the raw files
    now (``data/raw`` when ``raw_dir`` is empty), so a notebook or the API never needs a run first."""
    folder = processed_dir or settings.PROCESSED_DIR
    if catalog.path("scores", folder).exists():
        return catalog.load("scores", folder, check=check)
    log.info("no scores in %s yet: the ingest step's own function reads the raw files", folder)
    return ingest_tables(raw_dir)["scores"]


def raw_files(raw_dir: Path, examples_dir: str | Path | None) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every raw file (and example file, labelled ``examples/...``) with the name messages give it, and a
    note for each entry skipped (hidden, a lock file, a pipe); a link to nothing or to a folder is an error."""
    folders = [(raw_dir, "")] + ([(Path(examples_dir), "examples/")] if examples_dir else [])
    files, skipped, problems = [], [], []
    for folder, prefix in folders:
        try:
            scan = scan_raw(folder)
        except DataError as exc:
            problems += exc.problems
            continue
        files += [(p, prefix + label(p, folder)) for p in scan.files]
        skipped += [Problem(f"file skipped: {reason}", file=prefix + name) for name, reason in scan.skipped]
    if problems:
        raise DataError(problems)
    if not files:
        raise DataError.single(
            "no score files found", file=raw_dir, hint="put the published score files (CSV or Excel) in this folder"
        )
    return files, skipped


def tidy_rows(
    raw: pd.DataFrame,
    decided: list,
    gazetteer: Gazetteer,
    opd_names: OpdNames,
    methods: Methods,
    headers: dict[str, dict[str, str]],
) -> tuple[pd.DataFrame, list[pd.DataFrame], set[int]]:
    """Years, names, corrections, scores and published results of every row; the quality parts and the
    corrections used. Every problem of every row is collected before one :class:`DataError`, each naming
    its column by the header of its file (``headers``: file -> canonical column -> header)."""
    problems: list[Problem] = []
    frame = rows.parse_years(raw, methods, problems)
    frame, used = fixes.correct_provinces(frame, decided, gazetteer)
    frame, former = rows.resolve_pemda(frame, gazetteer, problems)
    named = (frame["pemda"] != "") & (frame["method"] != "")  # rows with a problem already are read no further
    frame, unknown = rows.resolve_opd(frame[named], opd_names)
    frame, applied, notes = fixes.correct_values(frame, decided)
    rows.placeholder_opd(frame, problems)
    frame = results.read_results(rows.parse_scores(frame, problems), methods, problems)
    _stop([as_written(problem, headers) for problem in problems])
    empty = results.without_result(frame)
    nothing = quality.quality_rows(
        "no_result",
        frame.loc[empty, "raw_file"],
        frame.loc[empty, "raw_row"],
        column="pemda",
        value=frame.loc[empty, "pemda"],
        message="a name without a score, grade, zone or opinion: left out",
    )
    return frame[~empty], [former, unknown, *notes, nothing], used | applied


def _stop(problems: list[Problem]) -> None:
    if problems:
        raise DataError(problems)


def as_written(problem: Problem, headers: dict[str, dict[str, str]]) -> Problem:
    """The problem naming its column as the file's header does (``nilai``, not ``score``): the column the
    person who opens the file can find."""
    written = headers.get(str(problem.file), {}).get(problem.column or "")
    return replace(problem, column=written) if written else problem


#: How a file without the score columns starts its problems (a documentation file is then skipped, not an error).
NO_COLUMNS = ("missing required column(s)", "the file is empty", "the file has a header row but no data rows")


def read_all(files: list[tuple[Path, str]]) -> tuple[pd.DataFrame, list[Problem], dict[str, dict[str, str]]]:
    """Read every (file, label); collect the problems of all files before failing. Also each file's (or
    sheet's) headers by canonical column, for the messages."""
    tables, notes, problems, headers = [], [], [], {}
    for path, name in files:
        if path.suffix.lower() not in READABLE_SUFFIXES:
            kind = (
                "documentation"
                if is_documentation(path)
                else f"'{path.suffix or path.name}' is not a score file format (CSV, text or Excel)"
            )
            notes.append(
                Problem(f"file skipped: {kind}", file=name, hint="save the scores as CSV or Excel if it holds any")
            )
            continue
        try:
            found = read_raw_file(path, label=name)
        except DataError as exc:
            if is_documentation(path) and all(p.message.startswith(NO_COLUMNS) for p in exc.problems):
                notes.append(Problem("file skipped: documentation without score columns", file=name))
            else:
                problems.extend(exc.problems)
            continue
        for table in found:
            tables.append(table.frame)
            notes.extend(table.notes)
            headers[table.frame["raw_file"].iloc[0]] = table.headers
    if problems:
        raise DataError(problems)
    if not tables:
        raise DataError.single(
            "no score file could be read",
            file=files[0][0].parent,
            hint="put the scores as CSV or Excel in the raw folder",
        )
    frame = pd.concat(tables, ignore_index=True)
    for column in schema.columns("scores", source=schema.OPTIONAL):
        frame[column] = frame[column].fillna("") if column in frame else ""
    frame["corrected"] = ""
    empty = frame[["year", "pemda", *schema.columns("scores", result=True)]].eq("").all(axis=1)
    if empty.all():
        raise DataError.single(
            "no row has a year, a pemda or a result",
            file=files[0][0].parent,
            hint="check that the files hold the scores, not only notes",
        )
    return frame.loc[~empty].reset_index(drop=True), notes, headers
