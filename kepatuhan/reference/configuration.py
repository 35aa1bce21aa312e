"""The configuration files analysts edit, checked like data: one pandera schema per ``config/*.csv``.

A configuration file is read as text (:func:`kepatuhan.settings.read_config_table`) and checked against its
schema here before any raw file is read or any notebook starts: the types of its cells, its required cells,
its keys (an alias on two lines would silently move rows from one OPD to another), years in order and not
overlapping (two methods for one year), cut points that differ (two bands from one score). A damaged file
stops the run with its name, the line as a text editor counts it, the column, the value and the fix.

Each rule is a pandera check whose ``error`` is the message a reader sees; :data:`FIXES` gives its fix.
Checks that compare rows return one flag per row, so each problem names its own line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from kepatuhan import settings
from kepatuhan.errors import DataError, Problem
from kepatuhan.schema import TYPES, columns

YEAR = r"^\d{4}$"


def _repeated(*keys: str, skip_empty: bool = False) -> Callable[[pd.DataFrame], pd.Series]:
    """A row check: False on every row whose ``keys`` (lower case) another row holds too."""

    def check(frame: pd.DataFrame) -> pd.Series:
        key = frame[list(keys)].apply(lambda column: column.str.strip().str.casefold())
        repeated = key.duplicated(keep=False)
        if skip_empty:
            repeated &= key.ne("").all(axis=1)
        return ~repeated

    return check


def _aliases_once(frame: pd.DataFrame) -> pd.Series:
    """A row check: False on a row that gives an alias another row gives too (or names another row's OPD)."""
    owners: dict[str, set[int]] = {}
    for index, row in frame.iterrows():
        for name in {row["opd"], *row["aliases"].split("|")}:
            if name.strip():
                owners.setdefault(name.strip().casefold(), set()).add(index)
    shared = {index for rows in owners.values() if len(rows) > 1 for index in rows}
    return pd.Series([index not in shared for index in frame.index], index=frame.index)


def _years_in_order(frame: pd.DataFrame) -> pd.Series:
    """A row check: False where ``last_year`` comes before ``first_year``."""
    first, last = (
        pd.to_numeric(frame["first_year"], errors="coerce"),
        pd.to_numeric(frame["last_year"], errors="coerce"),
    )
    return ~(last < first)


def _years_apart(frame: pd.DataFrame) -> pd.Series:
    """A row check: False on a method period whose years overlap another line's (each year has one method)."""
    first = pd.to_numeric(frame["first_year"], errors="coerce")
    last = pd.to_numeric(frame["last_year"], errors="coerce").fillna(9999)
    spans = list(zip(frame.index, first, last))
    return pd.Series(
        [not any(j != i and a <= e and s <= b for j, s, e in spans) for i, a, b in spans], index=frame.index
    )


def _row_or_name(frame: pd.DataFrame) -> pd.Series:
    """A row check of ``set_aside.csv``: a line names a row or a name (else it would set aside a whole file)."""
    return frame["row"].ne("") | frame["name"].ne("")


def _text(*checks: pa.Check, required: bool = True) -> pa.Column:
    """A text column (every cell is text here), non-empty when ``required``, with ``checks``."""
    filled = [pa.Check(lambda s: s.str.strip() != "", error="empty cell")] if required else []
    return pa.Column(str, [*filled, *checks], required=True)


def _matches(pattern: str, error: str, empty: bool = False) -> pa.Check:
    """Cells that match ``pattern`` (or are empty, when ``empty``)."""
    return pa.Check(lambda s: s.str.fullmatch(pattern) | (s.eq("") if empty else False), error=error)


NUMBER = _matches(r"-?\d+(\.\d+)?", "not a number (write it with a decimal point, e.g. 80.5)")
A_YEAR = _matches(YEAR, "not a year (four digits, e.g. 2024)")


def _row(check, error: str) -> pa.Check:
    """A check across columns that flags each failing row."""
    return pa.Check(check, error=error)


#: The schema of each configuration file, by file name.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "methods.csv": pa.DataFrameSchema(
        {
            "method": _text(),
            "first_year": _text(A_YEAR),
            "last_year": _text(
                _matches(YEAR, "not a year (four digits, or empty for no end)", empty=True), required=False
            ),
            "name_id": _text(),
            "name_en": _text(),
            "provisional": _text(_matches("yes|no", "neither yes nor no", empty=True), required=False),
        },
        checks=[
            _row(_years_in_order, "last_year comes before first_year"),
            _row(_years_apart, "its years overlap another line's: each year has one method"),
        ],
    ),
    "bands.csv": pa.DataFrameSchema(
        {
            "method": _text(),
            "grade": _text(_matches(r"[A-Z]", "not one capital letter", empty=True), required=False),
            "min_score": _text(NUMBER),
            "zone": _text(),
            "label_id": _text(required=False),
            "label_en": _text(required=False),
        },
        checks=[
            _row(_repeated("method", "min_score"), "the same min_score is on another line of this method"),
            _row(_repeated("method", "grade", skip_empty=True), "the same grade is on another line of this method"),
        ],
    ),
    "zones.csv": pa.DataFrameSchema(
        {
            "zone": _text(),
            "rank": _text(_matches(r"\d+", "not a whole number")),
            "color": _text(_matches(r"#[0-9a-fA-F]{6}", "not a colour written #rrggbb")),
            "label_id": _text(),
            "label_en": _text(),
        },
        checks=[
            _row(_repeated("zone"), "the same zone is on another line"),
            _row(_repeated("rank"), "the same rank is on another line"),
        ],
    ),
    "columns.csv": pa.DataFrameSchema(
        {"column": _text(), "headers": _text()},
        checks=[_row(_repeated("column"), "the same column is on another line")],
    ),
    "gazetteer.csv": pa.DataFrameSchema(
        {
            "pemda": _text(),
            "type": _text(pa.Check.isin(TYPES, error=f"not one of {', '.join(TYPES)}")),
            "province": _text(),
            "kode": _text(required=False),
            "former_until": _text(_matches(YEAR, "not a year (four digits, e.g. 2022)", empty=True), required=False),
        },
        checks=[
            _row(_repeated("pemda"), "the same pemda is on another line"),
            _row(_repeated("kode", skip_empty=True), "the same kode is on another line"),
        ],
    ),
    "gazetteer_extra.csv": pa.DataFrameSchema({"pemda": _text(), "aliases": _text(required=False)}),
    "opd_aliases.csv": pa.DataFrameSchema(
        {"opd": _text(), "aliases": _text(required=False)},
        checks=[_row(_aliases_once, "a name on this line is on another line too")],
    ),
    "opd_prefixes.csv": pa.DataFrameSchema(
        {"prefix": _text(), "canonical": _text()},
        checks=[_row(_repeated("prefix"), "the same prefix is on another line")],
    ),
    "province_changes.csv": pa.DataFrameSchema(
        {
            "province": _text(),
            "former_province": _text(),
            "until_year": _text(A_YEAR),
        },
        checks=[_row(_repeated("province"), "the same province is on another line")],
    ),
    "set_aside.csv": pa.DataFrameSchema(
        {
            "file": _text(),
            "row": _text(_matches(r"\d+", "not a row number", empty=True), required=False),
            "name": _text(required=False),
            "reason": _text(),
        },
        checks=[
            _row(_repeated("file", "row", "name"), "the same row is set aside on another line"),
            _row(_row_or_name, "neither a row nor a name: the line would set aside the whole file"),
        ],
    ),
    "unnamed_columns.csv": pa.DataFrameSchema(
        {
            "file": _text(),
            "column": _text(_matches(r"[A-Za-z]{1,3}", "not a column letter (A, B, ... AA)")),
            "header": _text(),
        },
        checks=[_row(_repeated("file", "column"), "the same file and column are on another line")],
    ),
}

#: The fix a reader is told for each rule, by its message.
FIXES = {
    "empty cell": "fill in the cell, or remove the line",
    "last_year comes before first_year": "swap the two years",
    "its years overlap another line's: each year has one method": "end one line's years before the next line's begin",
    "the same min_score is on another line of this method": "give each band of a method its own min_score",
    "the same grade is on another line of this method": "keep one line for each grade",
    "neither a row nor a name: the line would set aside the whole file": "give the row number, or the name as the file writes it",
    "a name on this line is on another line too": "keep each name on one line only: remove it from the others",
}


@settings.reloaded_when_changed(keep=32)  # checked again only when the file changed: every ingest checks them all
def check_file(path: Path, kind: str = "") -> None:
    """Check one configuration file against its schema (a file without a schema, or absent, passes); ``kind``:
    the file name whose schema applies, when the file has another name.

    Raises :class:`DataError` naming each bad line (the header is line 1), column and value, with the fix.
    """
    path = Path(path)
    kind = kind or path.name
    schema = SCHEMAS.get(kind)
    if schema is None or not path.exists():
        return
    table = settings.read_config_table(path, list(schema.columns))
    try:
        schema.validate(table, lazy=True)
        problems = []
    except pa.errors.SchemaErrors as errors:
        problems = _problems(errors.failure_cases, table, path)
    if kind == "columns.csv":
        problems += _columns_without_line(table, path)
    if problems:
        raise DataError(problems)


def _columns_without_line(table: pd.DataFrame, path: Path) -> list[Problem]:
    """A column every raw file needs (year, pemda) without its line in ``columns.csv``: no file could be read."""
    return [
        Problem(
            f"no line for the column '{name}', which every raw file needs",
            file=settings.display(path),
            hint=f"add the line: {name},{name}|<the header your files give it>",
        )
        for name in columns("scores", source="required")
        if name not in set(table["column"])
    ]


def _problems(cases: pd.DataFrame, table: pd.DataFrame, path: Path) -> list[Problem]:
    """One problem per failing line and rule, naming the column and value (a row check: the line as written)."""
    problems, seen = [], set()
    for case in cases.itertuples(index=False):
        row_check = case.schema_context == "DataFrameSchema"
        key = (case.check, case.index, None if row_check else case.column)
        if key in seen:
            continue
        seen.add(key)
        line = None if pd.isna(case.index) else int(case.index) + 2
        value = ",".join(table.loc[case.index]) if row_check and line else (None if row_check else case.failure_case)
        problems.append(
            Problem(
                str(case.check),
                file=settings.display(path),
                row=line,
                column=None if row_check else case.column,
                value=value,
                hint=FIXES.get(case.check),
            )
        )
    return problems


#: The settings (``<NAME>_FILE``) that name the configuration files a run reads and checks here.
CHECKED = (
    "METHODS",
    "BANDS",
    "ZONES",
    "COLUMNS",
    "GAZETTEER",
    "GAZETTEER_EXTRA",
    "OPD_ALIASES",
    "OPD_PREFIXES",
    "PROVINCE_CHANGES",
    "UNNAMED_COLUMNS",
    "SET_ASIDE",
)


def configuration_files() -> list[Path]:
    """The configuration files a run reads, as :mod:`kepatuhan.settings` names them now (a test may point one
    elsewhere)."""
    names = CHECKED
    return [Path(getattr(settings, f"{name}_FILE")) for name in names]


def check_configuration(files: list[Path] | None = None) -> None:
    """Check every configuration file a run reads (or ``files``); every problem of every file at once."""
    problems = []
    for path in configuration_files() if files is None else files:
        try:
            check_file(path)
        except DataError as error:
            problems += error.problems
    if problems:
        raise DataError(problems)
