"""Corrections: what a person decided about the published data, kept beside it and never in it.

``config/corrections.csv`` has one line per decision: ``year, pemda, opd, column, value, reason, source``.
It picks one of two sources that disagree (the rows whose value is the chosen one are kept, the others
are left out), fixes a typo of a release (the value is set), or sets the province of a pemda that a
release lists under the wrong one. ``pemda`` and ``opd`` take any known spelling (``opd`` empty: the
pemda's own total; for a province, all its rows); ``reason`` is required. Every correction applied,
and every line that matched no row, is listed in the quality report, and the rows it changed say so
in the scores' ``corrected`` column; the briefs and the workbook show them with their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kepatuhan import schema, settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.reading.readers import parse_decimal
from kepatuhan.reading.report_rows import quality_rows
from kepatuhan.reference.gazetteer import Gazetteer
from kepatuhan.reference.names import OpdNames
from kepatuhan.writing import csv_line

COLUMNS = ["year", "pemda", "opd", "column", "value", "reason", "source"]
#: The columns a correction may set: what the published files say, not the unit they are about; ``opd`` too,
#: for a row whose OPD cell holds a placeholder (``-``) that the release means as the pemda's own total.
CORRECTABLE = tuple(
    c
    for c in schema.columns("scores", source=(schema.REQUIRED, schema.OPTIONAL))
    if c not in ("year", "pemda", "illustrative")
)


@dataclass(frozen=True)
class Correction:
    """One line of the corrections file (``row``: its line number), with canonical names."""

    row: int
    year: int
    pemda: str
    opd: str
    column: str
    value: str
    reason: str
    source: str


def line(year: int, pemda: str, opd: str, column: str, value: str, reason: str, source: str) -> str:
    """The exact line of ``config/corrections.csv`` that makes a correction (CSV-quoted where needed)."""
    return csv_line([year, pemda, opd, column, value, reason, source])


def load_corrections(gazetteer: Gazetteer, opd_names: OpdNames, path: Path | None = None) -> list[Correction]:
    """The corrections of ``path`` (``config/corrections.csv``; none when it does not exist), each line checked;
    a :class:`DataError` names bad lines."""
    path = Path(path or settings.CORRECTIONS_FILE)
    if not path.exists():
        return []
    table = settings.read_config_table(path, COLUMNS)
    found, problems = [], []
    for index, row in table.iterrows():
        checked = _checked(row, int(index) + 2, path, gazetteer, opd_names)
        (problems if isinstance(checked, Problem) else found).append(checked)
    problems += _conflicts(found, path)
    if problems:
        raise DataError(problems)
    return found


def _conflicts(corrections: list[Correction], path: Path) -> list[Problem]:
    """Two lines that set one cell (year, pemda, OPD, column) to different values: neither may silently win."""
    first: dict[tuple, Correction] = {}
    problems = []
    for fix in corrections:
        cell = (fix.year, fix.pemda, fix.opd, fix.column)
        earlier = first.setdefault(cell, fix)
        if earlier is not fix and earlier.value != fix.value:
            problems.append(
                Problem(
                    f"line {earlier.row} already sets this cell ({fix.year}, {fix.pemda}"
                    f"{', ' + fix.opd if fix.opd else ''}, {fix.column}) to {earlier.value!r}",
                    file=path,
                    row=fix.row,
                    column="value",
                    value=fix.value,
                    hint=f"keep one of lines {earlier.row} and {fix.row}, the one whose source holds",
                )
            )
    return problems


def _checked(
    row: pd.Series, number: int, path: Path, gazetteer: Gazetteer, opd_names: OpdNames
) -> Correction | Problem:
    """One line as a :class:`Correction`, or the :class:`Problem` with it."""

    def problem(column: str, message: str, hint: str = "") -> Problem:
        return Problem(message, file=path, row=number, column=column, value=row[column], hint=hint or None)

    if not row["year"].isdigit():
        return problem("year", "the year is not a whole number")
    pemda = gazetteer.resolve(row["pemda"])
    if isinstance(pemda, Problem):
        return problem("pemda", pemda.message, pemda.hint or "")
    if row["column"] not in CORRECTABLE:
        return problem("column", f"this column cannot be corrected; it can be one of {', '.join(CORRECTABLE)}")
    if not row["reason"]:
        return problem("reason", "every correction needs its reason", "say why, e.g. which source holds and why")
    opd = opd_names.canonical(pd.Series([row["opd"]]))[0].iloc[0]
    return Correction(number, int(row["year"]), pemda, opd, row["column"], row["value"], row["reason"], row["source"])


def correct_provinces(
    frame: pd.DataFrame, corrections: list[Correction], gazetteer: Gazetteer
) -> tuple[pd.DataFrame, set[int]]:
    """Set the province of the rows a province correction is about (before names are resolved); the lines used."""
    frame, used = frame.copy(), set()
    for fix in (c for c in corrections if c.column == "province"):
        rows = (frame["year"] == fix.year) & frame["pemda"].map(
            lambda name, p=fix.pemda: p in gazetteer.candidates(name)
        )
        if rows.any():
            frame.loc[rows, "province"] = fix.value
            frame.loc[rows, "corrected"] = _with(frame.loc[rows, "corrected"], "province")
            used.add(fix.row)
    return frame, used


def correct_values(
    frame: pd.DataFrame, corrections: list[Correction]
) -> tuple[pd.DataFrame, set[int], list[pd.DataFrame]]:
    """Apply the other corrections to the rows of their unit and year (canonical names, text values).

    A value that some of the rows publish keeps those rows and leaves the others out (two sources
    disagreed); a value none publishes is set on all of them (a typo). Returns the frame, the lines
    used and the quality rows saying what changed.
    """
    notes, used = [], set()
    for fix in (c for c in corrections if c.column != "province"):
        rows = (frame["year"] == fix.year) & (frame["pemda"] == fix.pemda) & (frame["opd"] == fix.opd)
        if rows.any():
            frame, note = _apply(frame, rows, fix)
            notes.append(note)
            used.add(fix.row)
    return frame, used, notes


def _apply(frame: pd.DataFrame, rows: pd.Series, fix: Correction) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One correction on its rows: keep the rows that publish its value, or set the value on all of them."""
    same = rows & _same(frame[fix.column], fix)
    hit = frame[rows]
    if same.any() and not same.equals(rows):
        frame = frame[~(rows & ~same)].copy()
        message = f"kept the row(s) with this value, left out the other(s): {fix.reason} (source: {fix.source or '-'})"
    else:
        frame = frame.copy()
        frame.loc[rows, fix.column] = fix.value
        message = f"corrected: {fix.reason} (source: {fix.source or '-'})"
    frame.loc[same if same.any() else rows, "corrected"] = _with(
        frame.loc[same if same.any() else rows, "corrected"], fix.column
    )
    note = quality_rows(
        "correction",
        hit["raw_file"],
        hit["raw_row"],
        column=fix.column,
        value=hit[fix.column].astype(str),
        expected=fix.value,
        message=f"config/corrections.csv row {fix.row}: {message}",
    )
    return frame, note


def _same(values: pd.Series, fix: Correction) -> pd.Series:
    """Which cells already say the correction's value (numbers compared as numbers)."""
    if fix.column == "score":
        target = parse_decimal(pd.Series([fix.value])).iloc[0]
        return parse_decimal(values).eq(target)
    return values.str.strip().str.lower().eq(fix.value.strip().lower())


def _with(marks: pd.Series, column: str) -> pd.Series:
    """The ``corrected`` marks with ``column`` added (``score;province``)."""
    return marks.map(lambda m: ";".join(sorted({*filter(None, m.split(";")), column})))


def behind(scores: pd.DataFrame, gazetteer: Gazetteer, opd_names: OpdNames, path: Path | None = None) -> pd.DataFrame:
    """The corrections behind the rows of ``scores`` marked ``corrected`` (columns of the corrections file)."""
    marks = {
        (y, p, o if c != "province" else "", c)
        for y, p, o, m in zip(scores["year"], scores["pemda"], scores["opd"], scores["corrected"])
        for c in m.split(";")
        if c
    }
    rows = [c for c in load_corrections(gazetteer, opd_names, path) if (c.year, c.pemda, c.opd, c.column) in marks]
    return pd.DataFrame(
        [[c.year, c.pemda, c.opd, c.column, c.value, c.reason, c.source] for c in rows], columns=COLUMNS
    )


def unused(corrections: list[Correction], used: set[int]) -> pd.DataFrame:
    """Quality rows for the corrections that matched no row (a name or a year that is not in the data)."""
    idle = [c for c in corrections if c.row not in used]
    return quality_rows(
        "correction_unused",
        [settings.display(settings.CORRECTIONS_FILE)] * len(idle),
        [c.row for c in idle],
        column=[c.column for c in idle],
        value=[c.value for c in idle],
        message=[
            f"no row of {c.pemda}{' / ' + c.opd if c.opd else ''} in {c.year}: the line was not used" for c in idle
        ],
    )
