"""The error raised for bad input data: it says where, what, and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Problem:
    """One problem found in one place of an input file."""

    message: str
    file: str | Path | None = None
    row: int | None = None
    column: str | None = None
    value: object = None
    hint: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = ", ".join(where)
        text = f"{text}: {self.message}" if text else self.message
        if self.value is not None:
            text += f" (value: {str(self.value)[:200]!r})"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text


@dataclass(eq=False)
class DataError(Exception):
    """Bad input data. The pipeline prints it without a traceback and exits with code 2.

    It carries every problem found, not just the first, so an analyst can fix a file in one go.
    """

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    @classmethod
    def single(cls, message: str, **where) -> DataError:
        """One problem, e.g. ``DataError.single("empty file", file=path, hint="...")``."""
        return cls([Problem(message, **where)])

    def __str__(self) -> str:
        shown = self.problems[:50]
        lines = [f"{len(self.problems)} problem(s) in the input data:"]
        lines += [f"  - {p}" for p in shown]
        if len(self.problems) > len(shown):
            lines.append(f"  ... and {len(self.problems) - len(shown)} more")
        return "\n".join(lines)
