"""The error raised for bad input data: it says where, what, and how to fix it."""

from __future__ import annotations

import contextlib
import errno
from dataclasses import dataclass, field
from pathlib import Path

from kepatuhan.translations import frame, translate


def spans(rows: list[int]) -> str:
    """Every row, runs of consecutive rows as one span: ``2-40, 43, 45``."""
    ordered, parts = sorted(set(rows)), []
    start = previous = ordered[0]
    for row in [*ordered[1:], None]:
        if row is not None and row == previous + 1:
            previous = row
            continue
        parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = row
    return ", ".join(parts)


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
        return self.render()

    def render(self, lang: str = "en", rows: list[int] | None = None, values: list | None = None) -> str:
        """The problem in ``lang``: where (file, row or rows, column or option), what, the value(s), the fix."""
        where = []
        if self.file is not None:
            where.append(f"{frame('file', lang)} {self.file}")
        if rows and len(rows) > 1:
            where.append(f"{len(rows)} {frame('rows', lang)} ({spans(rows)})")
        elif self.row is not None:
            where.append(f"{frame('row', lang)} {self.row}")
        if self.column is not None:
            option = str(self.column).startswith("--")
            where.append(
                f"{frame('option', lang)} {self.column}" if option else f"{frame('column', lang)} '{self.column}'"
            )
        text, message = ", ".join(where), translate(self.message, lang)
        text = f"{text}: {message}" if text else message
        values = values if values is not None else ([self.value] if self.value is not None else [])
        if values:
            listed = ", ".join(repr(str(v)[:200]) for v in values[:5]) + (", ..." if len(values) > 5 else "")
            text += f" ({frame('values' if len(values) > 1 else 'value', lang)}: {listed})"
        if self.hint:
            text += f"\n    {frame('fix', lang)}: {translate(self.hint, lang)}"
        return text


@dataclass(eq=False)
class DataError(Exception):
    """Bad input data. The pipeline prints it without a traceback and exits with code 2.

    It carries every problem found, not just the first, so an analyst can fix a file in one go.
    """

    problems: list[Problem] = field(default_factory=list)
    options: bool = False  # about the command line as a whole (a missing command), not one option or the data

    def __post_init__(self) -> None:
        super().__init__(str(self))

    @classmethod
    def single(cls, message: str, **where) -> DataError:
        """One problem, e.g. ``DataError.single("empty file", file=path, hint="...")``."""
        return cls([Problem(message, **where)])

    def __str__(self) -> str:
        return self.render()

    def about_options(self) -> bool:
        """Whether every problem is about a command-line option (``--year``), not the data."""
        return self.options or all(str(p.column or "").startswith("--") for p in self.problems)

    def render(self, lang: str = "en") -> str:
        """Every problem in ``lang``; the problems that differ only by their row are one line ("11 rows: ...")."""
        groups: dict[tuple, list[Problem]] = {}
        for problem in self.problems:
            groups.setdefault((str(problem.file), str(problem.column), problem.message, problem.hint), []).append(
                problem
            )
        shown = list(groups.values())[:50]
        heading = "the options" if self.about_options() else "the input data"
        lines = [translate(f"{len(self.problems)} problem(s) in {heading}:", lang)]
        for group in shown:
            rows = [p.row for p in group if p.row is not None]
            values = [p.value for p in group if p.value is not None]
            lines.append(
                "  - " + group[0].render(lang, rows if len(group) > 1 else None, values if len(group) > 1 else None)
            )
        if len(groups) > len(shown):
            lines.append(translate(f"  ... and {len(groups) - len(shown)} more", lang))
        return "\n".join(lines)


#: What an operating-system error means for the person running the pipeline, and what to do.
_OS_ERRORS = {
    "ENOSPC": ("the disk is full", "free some space, then run again"),
    "EDQUOT": ("the disk quota is used up", "free some space, then run again"),
    "EACCES": (
        "no permission to write there",
        "make the folder writable, or choose another with --reports/--processed",
    ),
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
        return self.render()

    def render(self, lang: str = "en") -> str:
        """The one line: the path, what went wrong and what to do, in ``lang``."""
        hint = translate(self.hint, lang) if self.hint else ""
        return f"{self.path}: {translate(self.problem, lang)}" + (f"; {hint}" if hint else "")

    @classmethod
    def from_os_error(cls, exc: OSError, path: str | Path, doing: str) -> EnvironmentProblem:
        """The problem an ``OSError`` raised while ``doing`` something to ``path`` stands for."""
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
