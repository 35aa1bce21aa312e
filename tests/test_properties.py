"""Property-based tests: no malformed CSV makes the reader crash with a traceback."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kepatuhan.errors import DataError
from kepatuhan.reading.ingest import ingest
from kepatuhan.reading.readers import parse_decimal

CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["2023", "2020", "Tebo", "Jambi", "89,62", "89.62", "-5", "1e3", "=1+1", '"', ";", "\t", ""]),
)
HEADERS = st.lists(st.sampled_from(["tahun", "pemda", "nilai", "opd", "zona", "x", "Skor", ""]), min_size=1, max_size=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=HEADERS,
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=6),
    sep=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_any_csv_is_read_or_rejected_with_a_data_error(headers, rows, sep, bom):
    text = sep.join(headers) + "\n" + "\n".join(sep.join(r) for r in rows)
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x.csv").write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        try:
            result = ingest(Path(folder))
        except DataError as exc:
            assert str(exc).strip()
        else:
            assert result.scores["score"].between(0, 100).all()
            assert result.scores["pemda"].ne("").all()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_read_or_rejected_with_a_data_error(data):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "x.csv").write_bytes(data)
        with contextlib.suppress(DataError):
            ingest(Path(folder))


@given(st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: round(v, 2)))
def test_decimal_comma_and_point_parse_alike(value):
    import pandas as pd

    point = f"{value:.2f}"
    parsed = parse_decimal(pd.Series([point, point.replace(".", ",")]))
    assert parsed.iloc[0] == parsed.iloc[1] == float(point)
