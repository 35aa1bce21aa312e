"""The rows of the raw files, made tidy: years and scores as numbers, pemda and OPD by their canonical names.

Each function takes the frame of text cells and a list to add :class:`~kepatuhan.errors.Problem` to, so
that one run names every problem. Messages never ask to edit a published file or to type a number that
was not published: they name the configuration file and the line to add, or say that an empty cell is fine.
"""

from __future__ import annotations

import datetime
import re

import numpy as np
import pandas as pd

from kepatuhan import settings
from kepatuhan.errors import Problem
from kepatuhan.reading.corrections import line as correction_line
from kepatuhan.reading.readers import PLACEHOLDERS, parse_decimal
from kepatuhan.reading.report_rows import quality_rows
from kepatuhan.reading.set_aside import line as set_aside_line
from kepatuhan.reference.gazetteer import Gazetteer
from kepatuhan.reference.methods import Methods
from kepatuhan.reference.names import OpdNames, name_key, tidy

TRUTHY = {"ya", "y", "yes", "true", "1", "benar", "x"}
#: Text columns kept as published, whitespace tidied.
TIDIED = ("source", "note", "published_grade", "published_zone", "published_label", "service_quality", "kode")


def row_problems(frame: pd.DataFrame, mask: pd.Series, column: str, message: str, hint: str) -> list[Problem]:
    """One :class:`Problem` per masked row, naming file, row, column and raw value."""
    rows = frame.loc[mask, ["raw_file", "raw_row", column]]
    return [
        Problem(message, file=f, row=int(r), column=column, value=v, hint=hint)
        for f, r, v in rows.itertuples(index=False)
    ]


#: A year as releases write it: four digits, optionally after ``TA`` or ``tahun`` (an Excel number ``2023.0`` too).
YEAR = r"^\s*(?:(?:TA|tahun)\s+)?(\d{4})(?:\.0+)?\s*$"


def parse_years(frame: pd.DataFrame, methods: Methods, problems: list[Problem]) -> pd.DataFrame:
    """The year of each row as a whole number, and the method of that year; other years are problems: text
    that is not a year (``2023%``), a year after the current one, a year no method covers."""
    frame = frame.copy()
    year = pd.to_numeric(frame["year"].str.extract(YEAR, flags=re.IGNORECASE, expand=False), errors="coerce")
    bad = year.isna()
    problems += row_problems(frame, bad, "year", "the year is not a year", "a year is read as 2023 or TA 2023")
    this_year = datetime.date.today().year
    future = ~bad & (year > this_year)
    problems += row_problems(
        frame,
        future,
        "year",
        f"the year is after this year ({this_year}): no assessment has it yet",
        "check the release: an assessment is published after its year",
    )
    bad |= future
    frame["year"] = year.where(~bad, -1).astype("int64")
    method = methods.method_for_years(frame["year"])
    none = method.isna() & ~bad
    problems += row_problems(
        frame,
        none,
        "year",
        f"no assessment method covers this year (known: {methods.known_years()}; none in 2020)",
        "if the Ombudsman assessed that year, add its method to config/methods.csv and its bands to config/bands.csv",
    )
    frame["method"] = method.fillna("")
    return frame


def parse_scores(frame: pd.DataFrame, problems: list[Problem]) -> pd.DataFrame:
    """Scores as numbers; an empty cell is a result published without a score. Text that is no number,
    a score beyond 0-100 and a file of fractions are problems."""
    frame = frame.copy()
    frame["score_written"] = frame["score"].str.strip()  # as the file writes it (80,85), for messages
    score = parse_decimal(frame["score"])
    written = frame["score"].str.strip() != ""
    hint = (
        "if the release prints it so, write the score it means in config/corrections.csv (column score, with the reason "
        "and the source); if no score was published, an empty cell is fine"
    )
    problems += row_problems(frame, written & score.isna(), "score", "the score is not a number", hint)
    comma_files = set(frame.loc[frame["score"].str.fullmatch(r"\s*\d+,\d+\s*"), "raw_file"])
    dotted = frame["raw_file"].isin(comma_files) & frame["score"].str.fullmatch(r"\s*\d{1,3}\.\d{3}\s*")
    problems += row_problems(
        frame,
        dotted,
        "score",
        "a dot then three digits, in a file that writes decimals with a comma: "
        "a thousands separator (8.510 is 8510) or a decimal point (8.51)? The score is not read",
        hint,
    )
    score = score.mask(dotted)
    out = score.notna() & ((score < 0) | (score > 100))
    problems += row_problems(frame, out, "score", "the score is outside 0-100", hint)
    fractions = score.groupby(frame["raw_file"]).transform("max") <= 1.0
    first = fractions & ~frame["raw_file"].duplicated()
    problems += row_problems(
        frame,
        first,
        "score",
        "every score of this file is 1 or less: they look like fractions "
        "(a cell formatted as a percentage shows 89.62% but holds 0.8962)",
        "read the .xlsx the release came as (its percent formats are read), not a CSV export of it",
    )
    frame["score"] = score
    return frame


def resolve_pemda(
    frame: pd.DataFrame, gazetteer: Gazetteer, problems: list[Problem]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical pemda, type, code and province from the gazetteer; notes for names written the old way.

    An unknown or ambiguous name, or a province column that contradicts the pemda, is an error naming
    the row (with the line of ``config/corrections.csv`` that sets the province). Each distinct
    (name, province, year) is resolved once.
    """
    codes, keys = pd.MultiIndex.from_frame(frame[["pemda", "province", "year"]]).factorize()
    found = [gazetteer.resolve(name, province, int(year)) for name, province, year in keys]
    wrong = np.isin(codes, [i for i, f in enumerate(found) if isinstance(f, Problem)])
    for row, code in zip(frame[wrong].itertuples(), codes[wrong]):
        problems.append(_name_problem(found[code], row, gazetteer))
    info = [gazetteer.info(f) if isinstance(f, str) else {"type": "", "province": "", "kode": ""} for f in found]
    frame = frame.assign(
        pemda=np.array([f if isinstance(f, str) else "" for f in found], dtype=object)[codes],
        pemda_type=np.array([i["type"] for i in info], dtype=object)[codes],
        province=np.array([i["province"] for i in info], dtype=object)[codes],
        written_kode=frame["kode"],
        kode=np.array([i["kode"] for i in info], dtype=object)[codes],
    )
    problems += _kode_problems(frame)
    return frame.drop(columns="written_kode"), _former_names(frame, keys, found, codes, gazetteer)


def _name_problem(problem: Problem, row, gazetteer: Gazetteer) -> Problem:
    """A name problem of one row; a contradicting province gets the correction line that sets it."""
    hint = problem.hint
    candidates = sorted(gazetteer.candidates(row.pemda))
    if row.province and len(candidates) == 1 and "province column says" in problem.message:
        pemda = candidates[0]
        fix = correction_line(
            int(row.year),
            pemda,
            "",
            "province",
            gazetteer.info(pemda)["province"],
            "the release lists it under another province",
            row.source,
        )
        hint = f"if the release has the wrong province, add the line  {fix}  to config/corrections.csv (the file is kept as published)"
    if problem.message.startswith("unknown pemda name"):
        aside = set_aside_line(row.raw_file, int(row.raw_row), tidy(row.pemda))
        hint = f"{hint}; or, if the row is not a pemda, set it aside with the line  {aside}  in {settings.display(settings.SET_ASIDE_FILE)}"
    return Problem(problem.message, file=row.raw_file, row=int(row.raw_row), column="pemda", value=row.pemda, hint=hint)


def _kode_problems(frame: pd.DataFrame) -> list[Problem]:
    """A Kemendagri code written in the file must be the code of the pemda the row's name is."""
    written = frame["written_kode"].map(tidy)
    bad = (written != "") & (frame["pemda"] != "") & (written != frame["kode"])
    return [
        Problem(
            f"the code {w} is not the code of {p} ({k})",
            file=f,
            row=int(r),
            column="kode",
            value=w,
            hint="check the name and the code against the release; config/gazetteer.csv has every code",
        )
        for w, p, k, f, r in zip(
            written[bad],
            frame.loc[bad, "pemda"],
            frame.loc[bad, "kode"],
            frame.loc[bad, "raw_file"],
            frame.loc[bad, "raw_row"],
        )
    ]


def _former_names(frame: pd.DataFrame, keys, found: list, codes, gazetteer: Gazetteer) -> pd.DataFrame:
    """Quality notes for rows that name a pemda by a former name (read as the pemda it became) or by part of its
    name within their province (``Selayar``)."""
    notes = {
        i: gazetteer.reading_note(name, province, int(year))
        for i, (name, province, year) in enumerate(keys)
        if isinstance(found[i], str)
    }
    first = pd.Series(codes, index=frame.index).drop_duplicates()
    rows = [
        (frame.at[index, "raw_file"], frame.at[index, "raw_row"], keys[code][0], *notes[code])
        for index, code in first.items()
        if notes.get(code, ("", ""))[0]
    ]
    return pd.concat(
        [
            quality_rows(
                kind,
                [r[0] for r in rows if r[3] == kind],
                [r[1] for r in rows if r[3] == kind],
                column="pemda",
                value=[r[2] for r in rows if r[3] == kind],
                message=[r[4] for r in rows if r[3] == kind],
            )
            for kind in ("former_name", "partial_name", "variant_spelling")
        ],
        ignore_index=True,
    )


#: What an OPD cell says when its row is the pemda's own total (``Total``, ``Nilai Pemda``...), compared by name key.
TOTAL_WORDS = frozenset(
    {
        "total",
        "jumlah",
        "nilaitotal",
        "totalnilai",
        "nilaipemda",
        "pemda",
        "keseluruhan",
        "nilaiakhir",
        "ratarata",
        "totalpemda",
        "nilaikeseluruhan",
        "overall",
    }
)


def resolve_opd(frame: pd.DataFrame, opd_names: OpdNames) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical OPD names (unknown ones kept as written, and reported); an OPD cell that names the pemda's own
    total (``Total``) is that total, noted, never an OPD called Total; published texts tidied."""
    frame = frame.copy()
    total = frame["opd"].map(lambda name: name_key(name) in TOTAL_WORDS)
    totals = frame.loc[total].drop_duplicates("opd")
    noted = quality_rows(
        "opd_total",
        totals["raw_file"],
        totals["raw_row"],
        column="opd",
        value=totals["opd"],
        message="the OPD cell names the pemda's own total; read as the pemda's total",
    )
    frame.loc[total, "opd"] = ""
    canonical, unknown = opd_names.canonical(frame["opd"])
    first = frame.loc[unknown].drop_duplicates("opd")
    report = quality_rows(
        "unknown_opd",
        first["raw_file"],
        first["raw_row"],
        column="opd",
        value=first["opd"],
        message="OPD name not in config/opd_aliases.csv; kept as written (add an alias there if it is a variant)",
    )
    frame["opd"] = canonical
    for column in TIDIED:
        frame[column] = frame[column].map({value: tidy(value) for value in frame[column].unique()})
    frame["illustrative"] = frame["illustrative"].str.strip().str.lower().isin(TRUTHY)
    return frame, pd.concat([noted, report], ignore_index=True)


def prefer_real(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Leave out illustrative OPD rows of a (pemda, year) that has real OPD rows: real data always wins."""
    opd = frame["opd"] != ""
    real = set(zip(frame.loc[opd & ~frame["illustrative"], "pemda"], frame.loc[opd & ~frame["illustrative"], "year"]))
    clash = (
        opd
        & frame["illustrative"]
        & pd.Series([key in real for key in zip(frame["pemda"], frame["year"])], index=frame.index)
    )
    left = frame[clash]
    report = quality_rows(
        "illustrative_left_out",
        left["raw_file"],
        left["raw_row"],
        column="opd",
        value=left["opd"],
        message="illustrative row left out: real OPD scores of this pemda and year exist",
    )
    return frame[~clash], report


def placeholder_opd(frame: pd.DataFrame, problems: list[Problem]) -> None:
    """Rows whose OPD cell holds a placeholder (``-``, ``n/a``): neither an OPD nor surely the pemda's own total.

    The fix is a line of ``config/corrections.csv`` saying what the row is (applied before this check).
    """
    holders = frame[frame["opd"].astype(str).str.strip().str.lower().isin(PLACEHOLDERS)]
    for row in holders.itertuples(index=False):
        fix = correction_line(
            int(row.year),
            row.pemda,
            row.opd,
            "opd",
            "",
            "the release writes this row as the pemda's own total",
            row.source,
        )
        problems.append(
            Problem(
                "the OPD cell holds a placeholder, not a name",
                file=row.raw_file,
                row=int(row.raw_row),
                column="opd",
                value=row.opd,
                hint=f"if the row is the pemda's own total, add the line  {fix}  to config/corrections.csv "
                "(or write the OPD's name as the value; the file is kept as published)",
            )
        )
