"""Paths resolved from the project root, so nothing depends on the working directory."""

from __future__ import annotations

import csv
import functools
import inspect
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kepatuhan.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

#: The software's version: in every brief's footer, every manifest and every run record.
VERSION = "0.3.0"

#: The language of the briefs when none is asked for; a brief in another language sits beside it (``brief.en.html``).
DEFAULT_LANG = "id"

#: The project root: the folder holding ``pipeline.py``. ``KEPATUHAN_ROOT`` overrides it.
ROOT = Path(os.environ.get("KEPATUHAN_ROOT", Path(__file__).resolve().parent.parent))

CONFIG_DIR = ROOT / "config"
RAW_DIR = ROOT / "data" / "raw"
EXAMPLES_DIR = ROOT / "data" / "examples"
PROCESSED_DIR = ROOT / "data" / "processed"
GEO_DIR = ROOT / "data" / "geo"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"

GAZETTEER_FILE = CONFIG_DIR / "gazetteer.csv"
GAZETTEER_EXTRA_FILE = CONFIG_DIR / "gazetteer_extra.csv"
PROVINCE_CHANGES_FILE = CONFIG_DIR / "province_changes.csv"
REFERENCE_DIR = ROOT / "data" / "reference"
CODES_FILE = REFERENCE_DIR / "kode_wilayah_2025.csv"
OPD_ALIASES_FILE = CONFIG_DIR / "opd_aliases.csv"
METHODS_FILE = CONFIG_DIR / "methods.csv"
BANDS_FILE = CONFIG_DIR / "bands.csv"
ZONES_FILE = CONFIG_DIR / "zones.csv"
COLUMNS_FILE = CONFIG_DIR / "columns.csv"
OPD_PREFIXES_FILE = CONFIG_DIR / "opd_prefixes.csv"
CORRECTIONS_FILE = CONFIG_DIR / "corrections.csv"
UNNAMED_COLUMNS_FILE = CONFIG_DIR / "unnamed_columns.csv"
SET_ASIDE_FILE = CONFIG_DIR / "set_aside.csv"
OTHER_NAMES_FILE = REFERENCE_DIR / "nama_pemda_lain.csv"
BOUNDARIES_FILE = GEO_DIR / "batas_kabkota_2025.geojson"
#: Province outlines dissolved from ``BOUNDARIES_FILE`` by ``make outlines`` (scripts/build_outlines.py), with the
#: SHA-256 of the file they came from: used only while it matches (the national map is drawn 2 s sooner).
OUTLINES_FILE = GEO_DIR / "batas_provinsi_2025.parquet"

#: Name of the Jupyter kernel installed from the project's own environment.
KERNEL_NAME = "kepatuhan"


def display(path: Path | str) -> str:
    """A path as a person looks for it: relative to the project when inside it (``config/corrections.csv``)."""
    try:
        return Path(path).resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def reloaded_when_changed(loader=None, *, keep: int = 8):
    """Decorator for a loader of configuration files: load again only when a file it reads changed.

    The result is kept per arguments and per modification time and size of each file named in
    them (the last ``keep`` of them). A warm kernel renders hundreds of briefs in a row and each loads the
    gazetteer and the methods; an analyst who edits a file still gets it read afresh. Callers must not change
    the result.
    """
    if loader is None:  # used as ``@reloaded_when_changed(keep=32)``
        return functools.partial(reloaded_when_changed, keep=keep)
    signature, kept = inspect.signature(loader), {}

    @functools.wraps(loader)
    def load(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = tuple((name, str(value), _file_state(value)) for name, value in bound.arguments.items())
        if key not in kept:
            if len(kept) >= keep:
                kept.pop(next(iter(kept)))
            kept[key] = loader(*args, **kwargs)
        return kept[key]

    return load


def _file_state(value) -> tuple[int, int] | None:
    """Modification time and size of a file argument (None for other arguments and missing files)."""
    try:
        state = os.stat(value) if isinstance(value, str | os.PathLike) else None
    except OSError:
        return None
    return (state.st_mtime_ns, state.st_size) if state else None


def read_config_table(path: Path, required: list[str]) -> pd.DataFrame:
    """Read one analyst-edited configuration CSV as text (cells and headers trimmed), checking its columns
    (:func:`read_config_rows`); the index is each row's line number less 2."""
    import pandas as pd  # heavy

    header, numbered = _config_cells(path, required)
    return pd.DataFrame(
        [cells for _, cells in numbered], columns=header, dtype=object, index=[n - 2 for n, _ in numbered]
    )


def read_config_rows(path: Path, required: list[str]) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read one analyst-edited configuration CSV as text: its header, and each row that is not blank with its
    line number, as a dict of trimmed cells. Needs no pandas: the gazetteer is read this way by a run
    that has nothing to do.
    """
    header, numbered = _config_cells(path, required)
    return header, [(number, dict(zip(header, cells))) for number, cells in numbered]


def _config_cells(path: Path, required: list[str]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header of a configuration CSV and its rows that are not blank, with their line numbers, trimmed.

    Raises :class:`~kepatuhan.errors.DataError` naming the file (and the row) when it cannot be read,
    lacks a column, or has a row with more values than its header (a comma that was not quoted); a row
    with fewer values has its last cells empty.
    """
    try:
        rows = list(csv.reader(Path(path).read_text(encoding="utf-8-sig").splitlines()))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError.single(f"configuration file cannot be read: {exc}", file=path) from None
    header = [h.strip() for h in rows[0]] if rows else []
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError.single(f"configuration columns missing: {', '.join(missing)}", file=path, row=1)
    numbered = [(number, row) for number, row in enumerate(rows[1:], 2) if any(cell.strip() for cell in row)]
    uneven = [
        Problem(
            f"{len(row)} values where the header has {len(header)}",
            file=path,
            row=number,
            value=",".join(row),
            hint='put a value that holds a comma in double quotes ("like, this")',
        )
        for number, row in numbered
        if len(row) > len(header)
    ]
    if uneven:
        raise DataError(uneven)
    return header, [
        (number, [cell.strip() for cell in row] + [""] * (len(header) - len(row))) for number, row in numbered
    ]
