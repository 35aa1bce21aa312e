"""Rows that are not a pemda, set aside by a line of ``config/set_aside.csv``; the rest of the file is read.

A release sometimes has a row that names no regional government (a ministry, a *kantor wilayah*, a
heading or a sum written as a name). Such a row stops the run as an unknown name, and the published file
is kept as it is: one line of ``config/set_aside.csv`` (``file,row,name,reason``) sets it aside, by its file
and row, or by its file and the name as written (every row of that file so named). Each row set aside is
listed in ``quality.csv`` (kind ``set_aside``, with the reason) and under the brief's sources; a line that
matched no row is listed too (``set_aside_unused``), so a stale line is seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kepatuhan import settings
from kepatuhan.reading.report_rows import quality_rows
from kepatuhan.reference.configuration import check_file
from kepatuhan.reference.names import tidy
from kepatuhan.writing import csv_line

COLUMNS = ["file", "row", "name", "reason"]


@dataclass(frozen=True)
class SetAside:
    """One line of ``config/set_aside.csv``: a file's row (or every row of the file with that name) and why."""

    line: int
    file: str
    row: int | None
    name: str
    reason: str

    def matches(self, raw_file: pd.Series, raw_row: pd.Series, written: pd.Series) -> pd.Series:
        """Which rows (by file as messages name it, row number, and name as written) this line sets aside."""
        found = raw_file.eq(self.file)
        if self.row is not None:
            found &= raw_row.eq(self.row)
        if self.name:
            found &= written.map(lambda v: tidy(v).casefold()).eq(tidy(self.name).casefold())
        return found


def line(file: str, row: int | None, name: str, reason: str = "<alasan / reason>") -> str:
    """The exact line of ``config/set_aside.csv`` that sets a row aside (CSV-quoted where needed)."""
    return csv_line([file, "" if row is None else row, name, reason])


def load_set_aside(path: Path | None = None) -> list[SetAside]:
    """The lines of ``config/set_aside.csv`` (none when it does not exist), checked by its schema
    (:func:`~kepatuhan.reference.configuration.check_file`: a row number or a name on each line)."""
    path = Path(path or settings.SET_ASIDE_FILE)
    if not path.exists():
        return []
    check_file(path, kind="set_aside.csv")
    table = settings.read_config_table(path, COLUMNS)
    return [
        SetAside(int(index) + 2, row["file"], int(row["row"]) if row["row"] else None, row["name"], row["reason"])
        for index, row in table.iterrows()
    ]


def set_aside(raw: pd.DataFrame, lines: list[SetAside]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw rows without those the lines set aside, and the quality rows that list them (and unused lines)."""
    if raw.empty or not lines:
        return raw, quality_rows("set_aside", [], [])
    written = raw["pemda"] if "pemda" in raw else pd.Series("", index=raw.index)
    aside, parts = pd.Series(False, index=raw.index), []
    for entry in lines:
        hit = entry.matches(raw["raw_file"], raw["raw_row"], written) & ~aside
        aside |= hit
        rows = raw[hit]
        parts.append(
            quality_rows(
                "set_aside",
                rows["raw_file"],
                rows["raw_row"],
                column="pemda",
                value=written[hit],
                message=f"set aside: {entry.reason}",
            )
        )
        if not hit.any():
            parts.append(
                quality_rows(
                    "set_aside_unused",
                    [settings.display(settings.SET_ASIDE_FILE)],
                    [entry.line],
                    value=entry.name or str(entry.row),
                    message="this line sets no row aside",
                )
            )
    return raw[~aside], pd.concat(parts, ignore_index=True)


def aside_behind(scores: pd.DataFrame, path: Path | None = None) -> list[SetAside]:
    """The lines that set rows aside from the files the rows of ``scores`` come from (for a brief's sources)."""
    files = {str(f).split(" [")[0] for f in scores["raw_file"]} if "raw_file" in scores else set()
    return [entry for entry in load_set_aside(path) if entry.file.split(" [")[0] in files]
