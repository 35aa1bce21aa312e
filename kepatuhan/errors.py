"""The error raised for bad input data: it says where, what, and how to fix it."""

from __future__ import annotations

import contextlib
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


#: What an operating-system error means for the person running the pipeline, and what to do.
_OS_ERRORS = {
    "ENOSPC": ("the disk is full", "free some space, then run again"),
    "EDQUOT": ("the disk quota is used up", "free some space, then run again"),
    "EACCES": ("no permission to write there", "make the folder writable, or choose another with --reports/--processed"),
    "EPERM": ("no permission to write there", "make the folder writable, or choose another with --reports/--processed"),
    "EROFS": ("the folder is on a read-only disk", "choose a writable folder with --reports/--processed"),
    "ENOTDIR": ("a file is in the way where a folder should be", "move or rename that file, then run again"),
    "EEXIST": ("a file is in the way where a folder should be", "move or rename that file, then run again"),
    "EISDIR": ("a folder is in the way where a file should be", "move or rename that folder, then run again"),
    "ENOENT": ("it does not exist", "check the path"),
}


class EnvironmentProblem(Exception):
    """Something about the machine, not the data: a folder that cannot be written, a full disk, a file
    in the way. The pipeline prints it as one line naming the path and what to do, and exits 1."""

    def __init__(self, path: str | Path, problem: str, hint: str = ""):
        self.path, self.problem, self.hint = str(path), problem, hint
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}" + (f"; {self.hint}" if self.hint else "")

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | Path, doing: str) -> EnvironmentProblem:
        """The problem an ``OSError`` raised while ``doing`` something to ``path`` stands for."""
        import errno

        name = errno.errorcode.get(exc.errno or 0, "")
        problem, hint = _OS_ERRORS.get(name, (exc.strerror or str(exc), "check the folder and the disk"))
        return cls(exc.filename or path, f"cannot {doing}: {problem}", hint)

    @classmethod
    @contextlib.contextmanager
    def about(cls, path: str | Path, doing: str):
        """Turn an ``OSError`` in the block into an :class:`EnvironmentProblem` about ``path``."""
        try:
            yield
        except OSError as exc:
            raise cls.from_os_error(exc, path, doing) from None
