"""The tables, each declared once: its columns in order, their types, and what each is for.

Every table the pipeline writes is a pandera ``DataFrameModel`` here: the tidy ``scores`` and the
data-quality report of the ingest, and the ``comparisons``, ``watch_list``, ``standing`` and zone
distributions of a brief. A column says in its metadata (see :func:`column`):

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

import functools

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

#: Where a scores column comes from.
REQUIRED, OPTIONAL, DERIVED = "required", "optional", "derived"
#: What a column is for.
SHOWN, PROVENANCE = "shown", "provenance"
TYPES = ("provinsi", "kabupaten", "kota")


def number(role: str = SHOWN, source: str = DERIVED, words: bool = False, strict: bool = False, result: bool = False,
           **checks):  # fmt: skip
    """A pandera field with this project's metadata; numbers and flags are coerced to their declared type."""
    numeric = not checks.pop("text", False)
    meta = {"role": role, "source": source, "words": words, "strict": strict, "result": result}
    return pa.Field(metadata=meta, coerce=numeric, **checks)


def text(role: str = SHOWN, source: str = DERIVED, words: bool = False, strict: bool = False, result: bool = False,
         **checks):  # fmt: skip
    """A text column: never coerced (a number where words belong is a bug, not something to convert)."""
    return number(role, source, words, strict, result, text=True, **checks)


class Table(pa.DataFrameModel):
    """Every table: exactly its columns, in its order."""

    class Config:
        strict = True
        ordered = True


class Scores(Table):
    """One row per (year, pemda, OPD) with a published result: ``opd`` empty is the pemda's own total.

    A result may be published without a score (a zone, a grade or a 2025 label only): ``score`` is then
    empty and ``score_published`` false, and the grade and zone are the published ones.
    """

    year: Series[int] = number(source=REQUIRED, strict=True, ge=2000, le=2100)
    province: Series[str] = text(source=OPTIONAL, words=True, strict=True)
    kode: Series[str] = text(source=OPTIONAL, strict=True)
    pemda: Series[str] = text(source=REQUIRED, strict=True)
    pemda_type: Series[str] = text(isin=TYPES)
    opd: Series[str] = text(source=OPTIONAL, words=True, strict=True)
    score: Series[float] = number(source=OPTIONAL, strict=True, result=True, nullable=True, ge=0, le=100)
    score_published: Series[bool] = number()
    grade: Series[str] = text()
    zone: Series[str] = text()
    method: Series[str] = text()
    published_grade: Series[str] = text(source=OPTIONAL, words=True, result=True)
    published_zone: Series[str] = text(source=OPTIONAL, words=True, result=True)
    published_label: Series[str] = text(source=OPTIONAL, words=True, result=True)
    tanpa_maladministrasi: Series[pd.BooleanDtype] = number(nullable=True)
    service_quality: Series[str] = text(source=OPTIONAL, words=True, result=True)
    source: Series[str] = text(source=OPTIONAL, words=True)
    note: Series[str] = text(source=OPTIONAL, words=True)
    corrected: Series[str] = text()
    illustrative: Series[bool] = number(source=OPTIONAL)
    raw_file: Series[str] = text(PROVENANCE)
    raw_row: Series[int] = number(PROVENANCE, ge=0)


class Quality(Table):
    """The data-quality report: one finding per row, where it was found and what was expected."""

    kind: Series[str] = text()
    raw_file: Series[str] = text(PROVENANCE)
    raw_row: Series[int] = number(PROVENANCE, ge=0)
    column: Series[str] = text()
    value: Series[str] = text()
    expected: Series[str] = text()
    message: Series[str] = text()
    pesan: Series[str] = text()  # the message in Bahasa Indonesia (kepatuhan/brief/lang/messages.id.toml)


class Comparisons(Table):
    """Each unit of a year against its previous assessment, with its flags (``tanda``, ``;``-separated)."""

    year: Series[int] = number()
    province: Series[str] = text()
    pemda: Series[str] = text()
    opd: Series[str] = text()
    prev_year: Series[pd.Int64Dtype] = number(nullable=True)
    gap: Series[pd.Int64Dtype] = number(nullable=True)
    prev_score: Series[float] = number(nullable=True)
    score: Series[float] = number(nullable=True)
    delta: Series[float] = number(nullable=True)
    prev_grade: Series[str] = text()
    grade: Series[str] = text()
    prev_zone: Series[str] = text()
    zone: Series[str] = text()
    method: Series[str] = text()
    prev_method: Series[str] = text()
    comparable: Series[bool] = number()
    tanda: Series[str] = text()
    illustrative: Series[bool] = number()


class WatchList(Comparisons):
    """The units with a decline flag, worst first (``rank``), with the reason in each language."""

    rank: Series[int] = number(ge=1)
    reason_id: Series[str] = text()
    reason_en: Series[str] = text()


class Standing(Table):
    """Each pemda total's rank in its province and among pemda of its type in the data, with the group sizes."""

    year: Series[int] = number()
    province: Series[str] = text()
    pemda: Series[str] = text()
    pemda_type: Series[str] = text(isin=TYPES)
    score: Series[float] = number(nullable=True)
    grade: Series[str] = text()
    zone: Series[str] = text()
    method: Series[str] = text()
    rank_province: Series[int] = number(ge=1)
    n_province: Series[int] = number(ge=1)
    rank_type: Series[int] = number(ge=1)
    n_type: Series[int] = number(ge=1)


class OpdZones(Table):
    """Per pemda and year, how many of its OPDs are in each zone of the year's method, with shares."""

    year: Series[int] = number()
    province: Series[str] = text()
    pemda: Series[str] = text()
    method: Series[str] = text()
    zone: Series[str] = text()
    count: Series[int] = number(ge=0)
    share: Series[float] = number(ge=0, le=1)
    illustrative: Series[bool] = number()


class PemdaZones(Table):
    """Per province and year, how many pemda are in each zone of the year's method, with shares."""

    year: Series[int] = number()
    province: Series[str] = text()
    method: Series[str] = text()
    zone: Series[str] = text()
    count: Series[int] = number(ge=0)
    share: Series[float] = number(ge=0, le=1)
    illustrative: Series[bool] = number()


#: Every table by the name its dataset has in the catalog.
TABLES: dict[str, type[Table]] = {
    "scores": Scores, "quality": Quality, "comparisons": Comparisons, "watch_list": WatchList, "standing": Standing,
    "zone_distribution": OpdZones, "pemda_zone_distribution": PemdaZones,
}  # fmt: skip


class SchemaViolation(Exception):
    """A step wrote a table that breaks its declared schema: a bug in the step, named by table and column."""


@functools.cache
def _schema(table: str) -> pa.DataFrameSchema:
    return TABLES[table].to_schema()


def columns(table: str, **wanted) -> list[str]:
    """The columns of a table in order; ``wanted`` keeps those whose metadata match (``role="shown"``...).

    A metadata value may be a tuple of accepted values: ``columns("scores", source=(REQUIRED, OPTIONAL))``.
    """
    found = []
    for name, spec in _schema(table).columns.items():
        meta = spec.metadata or {}
        if all(meta.get(k) in (v if isinstance(v, tuple) else (v,)) for k, v in wanted.items()):
            found.append(name)
    return found


def dtypes(table: str) -> dict[str, str]:
    """Each column's pandas dtype, as declared."""
    return {name: str(spec.dtype) for name, spec in _schema(table).columns.items()}


def empty(table: str) -> pd.DataFrame:
    """A table without rows, every column of its declared type."""
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes(table).items()})


def validate(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame, checked against its table's schema (numbers coerced to their type); raises :class:`SchemaViolation`.

    The message names the table and each column that breaks it, with an example value and row.
    """
    try:
        return _schema(table).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise SchemaViolation(_explain(table, exc.failure_cases)) from None


#: What a table-level failure means for the column it names.
TABLE_CHECKS = {"column_in_dataframe": "is missing", "column_in_schema": "is not declared",
                "column_ordered": "is not in the declared order"}  # fmt: skip


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
