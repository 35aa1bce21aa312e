"""Writing outputs: atomically (temporary file, then rename), deterministically, spreadsheet-safe.

A failed or interrupted run never leaves a half-written file where a good one was: each file is
written next to its destination under a temporary name and moved into place only when complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

#: First characters that make Excel or LibreOffice treat a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Numbers are left alone (a negative delta stays a number); only text columns change.
    """
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype(str)
            risky = values.map(lambda v: isinstance(v, str)) & text.str.startswith(FORMULA_STARTS)
            frame[column] = values.where(~risky, "'" + text)
    return frame


@contextmanager
def atomic_path(destination: Path):
    """Yield a temporary path beside ``destination``; move it into place only if the block succeeds."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, destination)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    neutralise_formulas(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    frame.to_parquet(path, index=False, engine="pyarrow")


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    safe = neutralise_formulas(frame)
    for column in safe.columns:
        if safe[column].dtype == object:
            safe[column] = safe[column].map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v)
    safe.to_excel(path, index=False, engine="openpyxl")


WRITERS: dict[str, Callable[[pd.DataFrame, Path], None]] = {
    ".csv": _write_csv,
    ".parquet": _write_parquet,
    ".xlsx": _write_xlsx,
}


def write_frame(frame: pd.DataFrame, destination: Path) -> Path:
    """Write one frame atomically, in the format its suffix names."""
    destination = Path(destination)
    with atomic_path(destination) as tmp:
        WRITERS[destination.suffix](frame, tmp)
    return destination


def write_text(text: str, destination: Path) -> Path:
    """Write a text file atomically (UTF-8, ``\\n`` line endings)."""
    destination = Path(destination)
    with atomic_path(destination) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return destination


def write_frames_atomically(folder: Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """Write several frames into ``folder``: all are complete on disk before any is moved into place."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for name, frame in frames.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
            os.close(fd)
            staged.append((Path(tmp), folder / name))
            WRITERS[Path(name).suffix](frame, Path(tmp))
        for tmp, destination in staged:
            os.chmod(tmp, 0o644)
            os.replace(tmp, destination)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()
    return [destination for _, destination in staged]


def export_tables(out_dir: str | Path, frames: dict[str, pd.DataFrame]) -> list[Path]:
    """Write report tables (``name.csv``/``name.xlsx``) into ``out_dir``; nothing when it is empty.

    Notebooks call this with their ``out_dir`` parameter, which is empty when an analyst explores.
    """
    if not out_dir:
        return []
    return [write_frame(frame, Path(out_dir) / name) for name, frame in frames.items()]
