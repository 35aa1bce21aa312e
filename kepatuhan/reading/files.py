"""Which files of a raw folder the ingest reads: every file below it, at any depth, in a fixed order."""

from __future__ import annotations

from pathlib import Path

#: Files in a raw folder that document the data (by name: README.md, SOURCE.txt...), not data.
DOCUMENTATION_NAMES = ("README", "SOURCE", "SOURCES", "LICENSE", "LICENCE", "NOTICE")


def find_raw_files(raw_dir: Path) -> list[Path]:
    """The files below ``raw_dir`` (any depth) that may hold scores, in a fixed order.

    Hidden files, Excel's ``~$`` lock files and documentation (README, SOURCE...) are left out. Files
    of other formats are returned too, so that the ingest names them as skipped instead of ignoring them.
    """
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        return []
    files = [
        p for p in raw_dir.rglob("*")
        if (p.is_file() or p.is_symlink()) and not any(part.startswith((".", "~$")) for part in p.relative_to(raw_dir).parts)
        and p.name.upper().split(".")[0] not in DOCUMENTATION_NAMES
    ]  # fmt: skip
    return sorted(files, key=lambda p: p.relative_to(raw_dir).as_posix())
