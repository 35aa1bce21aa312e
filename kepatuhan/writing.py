"""Writing outputs: atomically (temporary file, then rename), deterministically, spreadsheet-safe; and a
file's checksum, which says whether an output is still the one recorded.

A failed or interrupted run never leaves a half-written file where a good one was: each file is
written next to its destination under a temporary name and moved into place only when complete.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where frames are written: a run with nothing to do never needs it
    import pandas as pd

#: First characters that make Excel or LibreOffice treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Control characters a spreadsheet drops (tab and carriage return excepted: they are formula starts themselves).
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Numbers are left alone (a negative delta stays a number); only text columns change.
    """
    import pandas as pd  # heavy

    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype(str)
            cleaned = text.str.replace(CONTROL_CHARACTERS, "", regex=True)  # "\x01=1+1" is "=1+1" once opened
            risky = values.map(lambda v: isinstance(v, str)) & cleaned.str.startswith(FORMULA_STARTS)
            frame[column] = values.where(~risky, "'" + text)
    return frame


@contextmanager
def atomic_paths(destinations: list[Path]):
    """Yield a temporary path beside each destination; move them all into place only if the block succeeds.

    Every file of the project is written through here: all are complete on disk before the first is
    moved, and on any failure the temporary files are removed and the destinations are untouched.
    """
    temporaries: list[Path] = []
    try:
        for destination in destinations:
            Path(destination).parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(
                prefix=f".{Path(destination).name}.", suffix=".tmp", dir=Path(destination).parent
            )
            os.close(fd)
            temporaries.append(Path(tmp))
        yield temporaries
        for tmp, destination in zip(temporaries, destinations):
            os.chmod(tmp, 0o644)
            os.replace(tmp, destination)
    finally:
        for tmp in temporaries:
            tmp.unlink(missing_ok=True)


@contextmanager
def atomic_path(destination: Path):
    """Yield a temporary path beside ``destination``; move it into place only if the block succeeds."""
    with atomic_paths([Path(destination)]) as (tmp,):
        yield tmp


#: Characters taken out of a CSV cell: the control characters, and a carriage return, which the CSV writer leaves
#: unquoted (it quotes ``\n`` only) and a spreadsheet reads as the end of the row. The Parquet keeps them.
CSV_UNSAFE = r"[\x00-\x08\x0b-\x1f]"


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as a CSV file may hold it: every text cell without control characters or carriage returns (a
    file named ``dinas\r=1+1.csv`` would otherwise split its row and start a live formula), then formulas
    neutralised on what is left."""
    import pandas as pd  # heavy

    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            frame[column] = values.map(lambda v: re.sub(CSV_UNSAFE, "", v) if isinstance(v, str) else v)
    return neutralise_formulas(frame)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    csv_safe(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    plain_table(frame).to_parquet(path, index=False, engine="pyarrow")


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without ``attrs``: a table's file holds its data only, and pandas copies ``attrs`` deeply at
    every step, so anything left there (a reader's notes on how it read a file) slows every later step."""
    if not frame.attrs:
        return frame
    plain = frame.copy(deep=False)
    plain.attrs = {}
    return plain


WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {".csv": _write_csv, ".parquet": _write_parquet}


def write_frames(folder: Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """Write frames into ``folder`` (``{file name: frame}``, format by suffix), all or nothing."""
    destinations = [Path(folder) / name for name in frames]
    with atomic_paths(destinations) as temporaries:
        for tmp, destination, frame in zip(temporaries, destinations, frames.values()):
            WRITERS[destination.suffix](frame, tmp)
    return destinations


def write_bytes(content: bytes, destination: Path) -> Path:
    """Write a file's bytes atomically."""
    with atomic_path(destination) as tmp:
        tmp.write_bytes(content)
    return Path(destination)


def write_text(text: str, destination: Path) -> Path:
    """Write a text file atomically (UTF-8, the line endings as given)."""
    return write_bytes(text.encode("utf-8"), destination)


def csv_line(values: list, delimiter: str = ",") -> str:
    """``values`` as one CSV line, quoted where needed (a value holding the separator or a quote): the line a
    message tells a person to paste into a configuration file, or a row shown as its file writes it."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow(values)
    return buffer.getvalue()
