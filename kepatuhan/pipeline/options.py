"""What a run was asked to do: the one place where every option and its default is declared.

The command line is built from :class:`RunOptions` (each field's metadata gives its flag and help),
and the notebooks' parameters cells use the same literal defaults (a test checks they agree). Every
option is checked before anything runs (:meth:`RunOptions.problems`): a bad value is a clear error
naming the option, never a late failure inside a notebook.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from kepatuhan import settings
from kepatuhan.analysis.parameters import DEFAULTS
from kepatuhan.brief.wording import LANGS
from kepatuhan.errors import DataError, Problem

#: Seconds an ``--on-failure`` command may take before it is stopped with what it started (a mail takes seconds).
ALERT_TIMEOUT = 120.0

#: Names of the executors a run can use (see :mod:`kepatuhan.pipeline.runtime.executors`).
EXECUTORS = ("pool", "warm", "dask")
#: Most worker processes a run starts on its own (each holds a warm kernel unless the run keeps one kernel
#: only: see BRIEFS_PER_KERNEL_NOTEBOOK).
MAX_AUTO_JOBS = 4
#: A run keeps a notebook kernel in one worker only (each other worker then saves a kernel's memory) when it
#: renders at least this many pemda briefs in the workers per notebook that needs a kernel: the whole country
#: saves the memory, while a few provinces' notebooks would be too much work for one worker (the figures
#: behind the choice are in benchmarks/RESULTS.md).
BRIEFS_PER_KERNEL_NOTEBOOK = 5


def option(flag: str, help: str, **extra) -> dict:
    """Field metadata: the command-line flag of an option, its help, and argparse extras."""
    return {"flag": flag, "help": help, **extra}


def scheduler_address_ok(address: str) -> bool:
    """Whether ``address`` is a Dask scheduler address: ``tcp://host:port`` (or ``tls://``; ``host:port`` is tcp),
    the port 1-65535."""
    try:
        parts = urlsplit(address if "://" in address else f"tcp://{address}")
        return (
            parts.scheme in ("tcp", "tls")
            and bool(parts.hostname)
            and parts.port is not None
            and 1 <= parts.port <= 65535
        )
    except ValueError:  # urlsplit refuses a port out of range or not a number
        return False


@dataclass
class RunOptions:
    """Options of ``python pipeline.py run``; the defaults are the defaults everywhere."""

    year: int = field(
        default=DEFAULTS.year, metadata=option("--year", "assessment year (default: each province's latest year)")
    )
    province: list[str] = field(
        default_factory=list,
        metadata=option(
            "--province",
            "brief of this province (any spelling; repeatable); 'nasional' for the national overview "
            "(default: the overview and every province with data)",
            action="append",
            metavar="NAME",
        ),
    )
    pemda: list[str] = field(
        default_factory=list,
        metadata=option(
            "--pemda", "also write this pemda's brief (any spelling; repeatable)", action="append", metavar="NAME"
        ),
    )
    all_pemda: bool = field(default=False, metadata=option("--all-pemda", "also write one brief per assessed pemda"))
    lang: str = field(
        default="id", metadata=option("--lang", "language of the briefs and of the messages", choices=LANGS)
    )
    min_drop: float = field(
        default=DEFAULTS.min_drop, metadata=option("--min-drop", "smallest fall in points that counts")
    )
    compare_across_methods: bool = field(
        default=DEFAULTS.compare_across_methods,
        metadata=option("--compare-across-methods", "also flag falls across a method change"),
    )
    with_examples: bool = field(
        default=False,
        metadata=option(
            "--with-examples", "also read the illustrative files of data/examples (marked as such everywhere)"
        ),
    )
    raw_dir: Path = field(
        default=settings.RAW_DIR, metadata=option("--raw", "folder of raw score files", metavar="DIR")
    )
    processed_dir: Path = field(
        default=settings.PROCESSED_DIR, metadata=option("--processed", "processed tables", metavar="DIR")
    )
    reports_dir: Path = field(
        default=settings.REPORTS_DIR, metadata=option("--reports", "reports folder", metavar="DIR")
    )
    notebooks_dir: Path = field(
        default=settings.NOTEBOOKS_DIR, metadata=option("--notebooks", "notebooks to run", metavar="DIR")
    )
    cell_timeout: int = field(default=600, metadata=option("--cell-timeout", "seconds a notebook cell may run"))
    wait: float = field(default=0.0, metadata=option("--wait", "seconds to wait for another run to finish"))
    progress: bool = field(
        default=True,
        metadata=option(
            "--no-progress",
            "no progress bar (there is none either when stderr is not a terminal)",
            action="store_false",
        ),
    )
    jobs: int = field(
        default=0,
        metadata=option(
            "--jobs",
            f"notebooks run side by side, each on a warm kernel (default 0: one per core, at most {MAX_AUTO_JOBS})",
        ),
    )
    executor: str = field(default="pool", metadata=option("--executor", "where notebooks run", choices=EXECUTORS))
    scheduler: str = field(default="", metadata=option("--scheduler", "Dask scheduler address, with --executor dask"))
    force: bool = field(default=False, metadata=option("--force", "re-run every step, even those up to date"))
    pdf: bool = field(
        default=True,
        metadata=option(
            "--no-pdf", "no PDF beside each brief's HTML (the HTML prints to A4 as well)", action="store_false"
        ),
    )
    svg: bool = field(
        default=False,
        metadata=option(
            "--svg", "also save each figure of a province or national brief as SVG beside its PNG (for print layouts)"
        ),
    )
    keep_notebooks: bool = field(
        default=False,
        metadata=option(
            "--keep-notebooks", "keep the executed notebook of every pemda brief (kept anyway when it fails)"
        ),
    )
    on_failure: str = field(
        default="",
        metadata=option(
            "--on-failure",
            "shell command run when the run fails, with its record on stdin (e.g. mail)",
            metavar="COMMAND",
        ),
    )
    on_failure_timeout: float = field(
        default=ALERT_TIMEOUT,
        metadata=option(
            "--on-failure-timeout",
            "seconds the --on-failure command may take; then it is stopped with what it started",
            metavar="SECONDS",
        ),
    )

    def problems(self) -> list[tuple[str, object, str]]:
        """What is wrong with these options: (option, value, what), empty when all is well."""
        found = []
        numbers = {
            "--min-drop": (self.min_drop, 0, 100),
            "--cell-timeout": (self.cell_timeout, 1, 86_400),
            "--wait": (self.wait, 0, 86_400),
            "--jobs": (self.jobs, 0, 256),
            "--on-failure-timeout": (self.on_failure_timeout, 1, 86_400),
        }
        for flag, (value, low, high) in numbers.items():
            if not (isinstance(value, int | float) and math.isfinite(value) and low <= value <= high):
                found.append((flag, value, f"must be a number from {low} to {high}"))
        if self.year and not 2000 <= self.year <= 2100:
            found.append(("--year", self.year, "must be an assessment year such as 2024"))
        if self.executor == "dask" and not self.scheduler:
            found.append(("--scheduler", "", "--executor dask needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)"))
        elif self.scheduler and not scheduler_address_ok(self.scheduler):
            found.append(
                (
                    "--scheduler",
                    self.scheduler,
                    "is not a scheduler address such as tcp://10.0.0.5:8786 (a host and a port from 1 to 65535)",
                )
            )
        return found + outputs_in_raw(self.raw_dir, {"--processed": self.processed_dir, "--reports": self.reports_dir})

    def absolute(self) -> RunOptions:
        """The same options with every folder made absolute (relative ones are taken from the working directory)."""
        folders = {f.name: Path(getattr(self, f.name)).absolute() for f in fields(self) if f.type == "Path"}
        return replace(self, **folders)

    def workers(self, tasks: int) -> int:
        """How many notebooks run side by side: as asked, else one per core; never more than tasks."""
        wanted = self.jobs or min(os.cpu_count() or 1, MAX_AUTO_JOBS)
        return max(1, min(wanted, tasks))


def outputs_in_raw(raw_dir: Path, outputs: dict[str, Path]) -> list[tuple[str, object, str]]:
    """The output folders that are the raw folder or inside it: the raw folder is only ever read (and the
    next ingest would read the outputs as data)."""
    raw = Path(raw_dir).resolve()
    return [
        (flag, str(folder), f"is inside the raw folder {raw_dir}: the raw data is only ever read")
        for flag, folder in outputs.items()
        if Path(folder).resolve().is_relative_to(raw)
    ]


def refused_outputs(raw_dir: Path, outputs: dict[str, Path]):
    """The error that refuses output folders inside the raw folder, naming each option (None when none is)."""
    inside = outputs_in_raw(raw_dir, outputs)
    return (
        DataError(
            [Problem(text, column=flag, value=value, hint=f"choose another {flag}") for flag, value, text in inside]
        )
        if inside
        else None
    )


def option_fields() -> list:
    """The fields of :class:`RunOptions` that are command-line options."""
    return [f for f in fields(RunOptions) if "flag" in f.metadata]
