"""Which files of a raw folder the ingest reads: every regular file below it, at any depth, in a fixed order.

Nothing is left out silently: hidden files, Excel's ``~$`` lock files and anything that is not a regular
file (a pipe, a socket) are *skipped* with their reason, for the quality report and the run log; a link to
nothing and a link to a folder are errors naming the file. Files named as documentation (README, SOURCE,
LICENSE...) are read like any other when they hold score columns.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from kepatuhan.errors import DataError, Problem

#: Files in a raw folder that document the data (by name: README.md, SOURCE.txt...): skipped, not an error,
#: when they hold no score columns.
DOCUMENTATION_NAMES = ("README", "SOURCE", "SOURCES", "LICENSE", "LICENCE", "NOTICE")


@dataclass
class RawScan:
    """The files of a raw folder to read, and the entries skipped with why (label, reason)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def label(path: Path, base: Path) -> str:
    """How a raw file is named in messages and tables: relative to its folder, ``/``-separated, and always
    valid text (a name that is not UTF-8 keeps its odd bytes as ``\\xff``)."""
    shown = path.relative_to(base).as_posix()
    return shown.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def is_documentation(path: Path) -> bool:
    """Whether the file is named as documentation (``README.md``, ``LICENSE.csv``)."""
    return path.name.upper().split(".")[0] in DOCUMENTATION_NAMES


def scan_raw(raw_dir: Path) -> RawScan:
    """Every entry below ``raw_dir`` sorted by label: the files to read and the ones skipped; a
    :class:`DataError` names every link to nothing and every link to a folder."""
    raw_dir, scan, problems = Path(raw_dir), RawScan(), []
    if not raw_dir.is_dir():
        return scan
    for path in sorted(_walk(raw_dir, problems), key=lambda p: label(p, raw_dir)):
        reason = _skip_reason(path, raw_dir)
        if isinstance(reason, Problem):
            problems.append(reason)
        elif reason:
            scan.skipped.append((label(path, raw_dir), reason))
        elif reason is None:
            scan.files.append(path)
    if problems:
        raise DataError(problems)
    return scan


def _walk(raw_dir: Path, problems: list[Problem]) -> list[Path]:
    """Every file and folder below ``raw_dir``; a folder that cannot be listed is a problem (its files would
    otherwise be left out without a word), named relative to ``raw_dir``."""

    def refused(exc: OSError) -> None:
        problems.append(
            Problem(
                f"the folder cannot be read: {exc.strerror or exc}",
                file=label(Path(exc.filename), raw_dir) + "/",
                hint="give your user permission to read the folder, or move its files out",
            )
        )

    found = []
    for folder, folders, files in os.walk(raw_dir, onerror=refused):
        found += [Path(folder) / name for name in folders + files]
    return found


def _skip_reason(path: Path, raw_dir: Path) -> str | Problem | None:
    """None: a file to read; "": not a file at all (a folder, walked into); else why it is skipped, or the error."""
    name = label(path, raw_dir)
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return Problem("the file is a link to a file that does not exist", file=name, hint="copy the real file here")
    if stat.S_ISDIR(mode):
        if path.is_symlink():
            return Problem(
                "the file is a link to a folder", file=name, hint="copy the files themselves into the raw folder"
            )
        return ""
    if any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
        return "hidden file"
    if path.name.startswith("~$"):
        return "Excel lock file (a workbook open in Excel)"
    if not stat.S_ISREG(mode):
        return "not a regular file (a pipe, socket or device)"
    return None


def find_raw_files(raw_dir: Path) -> list[Path]:
    """The files below ``raw_dir`` (any depth) the ingest reads, in a fixed order (see :func:`scan_raw`)."""
    return scan_raw(raw_dir).files
