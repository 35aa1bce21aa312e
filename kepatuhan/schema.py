"""The tables, each declared once: its columns in order, their types, and what each is for.

Every table the pipeline writes is a pandera ``DataFrameSchema`` here (:func:`table`): the tidy ``scores``
and the data-quality report of the ingest, and the ``comparisons``, ``watch_list``, ``standing`` and zone
distributions of a brief. They are built with pandera's object API, not as ``DataFrameModel`` classes: a
model makes pandera import ``dask.dataframe`` (installed for ``--executor dask``), 0.6 s and 16 MB in every
process that reads a table. A column says in its metadata (see :func:`number` and :func:`text`):

- ``role``: ``shown`` (a reader sees it: it is in the workbook and in the fingerprint of every brief
  that shows its row) or ``provenance`` (where the row was read from: file and row);
- ``source``: for the scores table, how it gets there: ``required`` or ``optional`` (read from the
  raw files, by the header variants of ``config/columns.csv``) or ``derived`` (worked out by the ingest);
- ``words``: it holds words, never a number (a run of digits there is the decimals of a split score);
- ``strict``: a placeholder (``-``, ``n/a``) or a spreadsheet error in it changes what the row means;
- ``result``: it holds a published result (score, grade, zone or opinion label): a file needs one.

A column's header for readers is ``column.<name>`` in the wording files. Readers, the ingest,
fingerprints, the workbook and the API take their column lists from here (:func:`columns`), and
every step checks what it writes (:func:`validate`); adding a column is one line here, plus its
header variants in ``config/columns.csv`` and its header in the wording files (tests say which is
missing).
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

#: Where a scores column comes from.
REQUIRED, OPTIONAL, DERIVED = "required", "optional", "derived"
#: What a column is for.
SHOWN, PROVENANCE = "shown", "provenance"
TYPES = ("provinsi", "kabupaten", "kota")


#: The checks a column may declare, by keyword (pandera's names, as a ``pa.Field`` takes them).
CHECKS = {"ge": pa.Check.greater_than_or_equal_to, "le": pa.Check.less_than_or_equal_to, "isin": pa.Check.isin}


def number(
    dtype,
    role: str = SHOWN,
    source: str = DERIVED,
    words: bool = False,
    strict: bool = False,
    result: bool = False,
    nullable: bool = False,
    **checks,
) -> pa.Column:
    """A column of numbers or flags with this project's metadata, coerced to its declared type."""
    return _column(dtype, True, role, source, words, strict, result, nullable, checks)


def text(
    role: str = SHOWN, source: str = DERIVED, words: bool = False, strict: bool = False, result: bool = False, **checks
) -> pa.Column:
    """A text column: never coerced (a number where words belong is a bug, not something to convert)."""
    return _column(str, False, role, source, words, strict, result, False, checks)


def _column(dtype, coerce: bool, role, source, words, strict, result, nullable, checks: dict) -> pa.Column:
    """A pandera column with the metadata of :func:`columns` and the named ``checks`` (:data:`CHECKS`)."""
    meta = {"role": role, "source": source, "words": words, "strict": strict, "result": result}
    listed = [CHECKS[name](value) for name, value in checks.items()]
    return pa.Column(dtype, listed or None, nullable=nullable, coerce=coerce, metadata=meta)


def table(name: str, description: str, **columns: pa.Column) -> pa.DataFrameSchema:
    """A table: exactly these columns, in this order (a column more, less or moved is a violation)."""
    return pa.DataFrameSchema(columns, strict=True, ordered=True, name=name, description=description)


Scores = table(
    "Scores",
    """One row per (year, pemda, OPD) with a published result: ``opd`` empty is the pemda's own total.

    A result may be published without a score (a zone, a grade or a 2025 label only): ``score`` is then
    empty and ``score_published`` false, and the grade and zone are the published ones.
    """,
    year=number(int, source=REQUIRED, strict=True, ge=2000, le=2100),
    province=text(source=OPTIONAL, words=True, strict=True),
    kode=text(source=OPTIONAL, strict=True),
    pemda=text(source=REQUIRED, strict=True),
    pemda_type=text(isin=TYPES),
    opd=text(source=OPTIONAL, words=True, strict=True),
    score=number(float, source=OPTIONAL, strict=True, result=True, nullable=True, ge=0, le=100),
    score_published=number(bool),
    grade=text(),
    zone=text(),
    method=text(),
    published_grade=text(source=OPTIONAL, words=True, result=True),
    published_zone=text(source=OPTIONAL, words=True, result=True),
    published_label=text(source=OPTIONAL, words=True, result=True),
    tanpa_maladministrasi=number(pd.BooleanDtype(), nullable=True),
    service_quality=text(source=OPTIONAL, words=True, result=True),
    source=text(source=OPTIONAL, words=True),
    note=text(source=OPTIONAL, words=True),
    corrected=text(),
    illustrative=number(bool, source=OPTIONAL),
    raw_file=text(PROVENANCE),
    raw_row=number(int, PROVENANCE, ge=0),
)

Quality = table(
    "Quality",
    "The data-quality report: one finding per row, where it was found and what was expected.",
    kind=text(),
    raw_file=text(PROVENANCE),
    raw_row=number(int, PROVENANCE, ge=0),
    column=text(),
    value=text(),
    expected=text(),
    message=text(),
    pesan=text(),  # the message in Bahasa Indonesia (kepatuhan/brief/lang/messages.id.toml)
)

Comparisons = table(
    "Comparisons",
    "Each unit of a year against its previous assessment, with its flags (``tanda``, ``;``-separated).",
    year=number(int),
    province=text(),
    pemda=text(),
    opd=text(),
    prev_year=number(pd.Int64Dtype(), nullable=True),
    gap=number(pd.Int64Dtype(), nullable=True),
    prev_score=number(float, nullable=True),
    score=number(float, nullable=True),
    delta=number(float, nullable=True),
    prev_grade=text(),
    grade=text(),
    prev_zone=text(),
    zone=text(),
    method=text(),
    prev_method=text(),
    comparable=number(bool),
    tanda=text(),
    illustrative=number(bool),
)

WatchList = table(
    "WatchList",
    "The units with a decline flag, worst first (``rank``), with the reason in each language.",
    **Comparisons.columns,
    rank=number(int, ge=1),
    reason_id=text(),
    reason_en=text(),
)

Standing = table(
    "Standing",
    "Each pemda total's rank in its province and among pemda of its type in the data, with the group sizes.",
    year=number(int),
    province=text(),
    pemda=text(),
    pemda_type=text(isin=TYPES),
    score=number(float, nullable=True),
    grade=text(),
    zone=text(),
    method=text(),
    rank_province=number(int, ge=1),
    n_province=number(int, ge=1),
    rank_type=number(int, ge=1),
    n_type=number(int, ge=1),
)


def zone_counts() -> dict[str, pa.Column]:
    """The columns after the grouping of a zone distribution: per zone of the year's method, its count and
    share (both distributions are made by one function, ``analysis.distribution``)."""
    return {
        "method": text(),
        "zone": text(),
        "count": number(int, ge=0),
        "share": number(float, ge=0, le=1),
        "illustrative": number(bool),
    }


OpdZones = table(
    "OpdZones",
    "Per pemda and year, how many of its OPDs are in each zone of the year's method, with shares.",
    year=number(int),
    province=text(),
    pemda=text(),
    **zone_counts(),
)

PemdaZones = table(
    "PemdaZones",
    "Per province and year, how many pemda are in each zone of the year's method, with shares.",
    year=number(int),
    province=text(),
    **zone_counts(),
)


#: Every table by the name its dataset has in the catalog.
TABLES: dict[str, pa.DataFrameSchema] = {
    "scores": Scores,
    "quality": Quality,
    "comparisons": Comparisons,
    "watch_list": WatchList,
    "standing": Standing,
    "zone_distribution": OpdZones,
    "pemda_zone_distribution": PemdaZones,
}


class SchemaViolation(Exception):
    """A step wrote a table that breaks its declared schema: a bug in the step, named by table and column."""


#: How a ``source`` cell lists several sources (a release's cell ``url1; url2``, or rows merged from two files).
SOURCE_SEPARATOR = "; "


def sources_of(cell: object) -> list[str]:
    """The sources a ``source`` cell names, in order, each once: ``"a.id/x; b.id/y"`` is two, and a ``;`` inside
    brackets is part of one source's note (``"bungo.go.id (publikasi 549; 2018)"`` is one)."""
    parts, depth, current = [], 0, []
    for char in str(cell or ""):
        depth += (char == "(") - (char == ")")
        if char == ";" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return list(dict.fromkeys(part.strip() for part in parts if part.strip()))


def columns(table: str, **wanted) -> list[str]:
    """The columns of a table in order; ``wanted`` keeps those whose metadata match (``role="shown"``...).

    A metadata value may be a tuple of accepted values: ``columns("scores", source=(REQUIRED, OPTIONAL))``.
    """
    found = []
    for name, spec in TABLES[table].columns.items():
        meta = spec.metadata or {}
        if all(meta.get(k) in (v if isinstance(v, tuple) else (v,)) for k, v in wanted.items()):
            found.append(name)
    return found


def dtypes(table: str) -> dict[str, str]:
    """Each column's pandas dtype, as declared."""
    return {name: str(spec.dtype) for name, spec in TABLES[table].columns.items()}


def empty(table: str) -> pd.DataFrame:
    """A table without rows, every column of its declared type."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes(table).items()})


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame, checked against its table's schema (numbers coerced to their type); raises :class:`SchemaViolation`.

    The message names the table and each column that breaks it, with an example value and row.
    """
    try:
        return TABLES[table].validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise SchemaViolation(_explain(table, exc.failure_cases)) from None


#: What a table-level failure means for the column it names.
TABLE_CHECKS = {
    "column_in_dataframe": "is missing",
    "column_in_schema": "is not declared",
    "column_ordered": "is not in the declared order",
}


def _explain(table: str, cases: pd.DataFrame) -> str:
    """One line per broken column: what is wrong, how many rows, one example."""
    lines = [f"table '{table}' does not match its schema (kepatuhan/schema.py):"]
    for row in cases[cases["schema_context"] == "DataFrameSchema"].itertuples():
        lines.append(f"  - column '{row.failure_case}' {TABLE_CHECKS.get(row.check, 'fails ' + str(row.check))}")
    columns = cases[cases["schema_context"] != "DataFrameSchema"]
    for (name, check), group in columns.groupby(["column", "check"], dropna=False, sort=False):
        first = group.iloc[0]
        example = f" at row {first['index']}" if pd.notna(first["index"]) else ""
        lines.append(
            f"  - column '{name}': fails {check} ({len(group)} value(s); e.g. {first['failure_case']!r}{example})"
        )
    return "\n".join(lines)
