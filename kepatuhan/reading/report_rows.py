"""Rows of the data-quality report, made the one way every reader of the raw files makes them.

Its own module so that what writes a finding (reading rows, corrections, set-aside rows) and the report
itself (:mod:`kepatuhan.reading.quality`) import it without importing each other.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan import schema


def quality_rows(kind: str, raw_file, raw_row, column: str = "", value="", expected="", message="") -> pd.DataFrame:
    """Rows of the data-quality report, one per (raw_file, raw_row); other fields are one value or one per row.

    Columns are aligned by position, whatever index the Series passed in carry; values are kept as text.
    """

    def values(v):
        return v.to_numpy() if isinstance(v, pd.Series) else v

    fields = {
        "kind": kind,
        "raw_file": values(raw_file),
        "raw_row": values(raw_row),
        "column": column,
        "value": values(value),
        "expected": values(expected),
        "message": values(message),
        "pesan": "",
    }
    frame = pd.DataFrame(fields, columns=schema.columns("quality"), index=pd.RangeIndex(len(fields["raw_file"])))
    return frame.astype({c: str for c in ("kind", "raw_file", "column", "value", "expected", "message")})
