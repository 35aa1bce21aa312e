"""Command line of ``pipeline.py``: ``run``, ``ingest`` and ``status``.

The ``run`` options are built from :class:`~kepatuhan.pipeline.options.RunOptions`, so a default is declared
once. Exit codes: 0 ok, 1 failure, 2 bad input data or options, 3 busy, 128 + N stopped by signal N.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import MISSING
from pathlib import Path

from kepatuhan import settings
from kepatuhan.pipeline.options import RunOptions, option_fields
from kepatuhan.pipeline.runs import IsoFormatter


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """One argument per :class:`RunOptions` field, with the field's default and help."""
    for field in option_fields():
        meta = dict(field.metadata)
        flag, help_text = meta.pop("flag"), meta.pop("help")
        default = field.default if field.default is not MISSING else field.default_factory()
        kinds = {"int": int, "float": float, "Path": Path, "str": str}
        if field.type == "bool" and "action" not in meta:
            meta["action"] = "store_true"
        elif "action" not in meta or meta["action"] == "append":
            meta.setdefault("type", kinds.get(str(field.type).split("[")[-1].rstrip("]"), str))
        shown = "" if default in ([], "", 0, False, True) else f" (default: {default})"
        parser.add_argument(flag, dest=field.name, default=default, help=help_text + shown, **meta)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the defaults of the shipped project layout."""
    parser = argparse.ArgumentParser(prog="pipeline.py", description="Ombudsman RI compliance scores: ingest and yearly briefs.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest, analyse and write the briefs under reports/<year>/")
    add_run_options(run)
    ingest = commands.add_parser("ingest", help="validate data/raw and write data/processed")
    ingest.add_argument("--raw", type=Path, default=settings.RAW_DIR, help="folder of raw score files (default: data/raw)")
    ingest.add_argument("--processed", type=Path, default=settings.PROCESSED_DIR, help="processed tables (default: data/processed)")
    ingest.add_argument("--with-examples", action="store_true", help="also read the illustrative files of data/examples")
    status = commands.add_parser("status", help="the last runs, what is published and whether it is current")
    status.add_argument("--reports", type=Path, default=settings.REPORTS_DIR, help="reports folder (default: reports)")
    status.add_argument("--raw", type=Path, default=settings.RAW_DIR, help="folder of raw score files (default: data/raw)")
    status.add_argument("--processed", type=Path, default=settings.PROCESSED_DIR, help="processed tables (default: data/processed)")
    status.add_argument("--notebooks", type=Path, default=settings.NOTEBOOKS_DIR, help="notebooks (default: notebooks)")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    return parser


def configure_logging() -> None:
    """Log lines with ISO timestamps on stderr; papermill and nbclient only when they warn."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(IsoFormatter("%(asctime)s %(message)s"))
    package = logging.getLogger("kepatuhan")
    package.handlers[:] = [handler]
    package.setLevel(logging.INFO)
    package.propagate = False
    logging.getLogger("papermill").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the command and return its exit code."""
    configure_logging()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = vars(build_parser().parse_args(argv))
    command = args.pop("command")
    if command == "ingest":
        return run_ingest(args["raw"], args["processed"], args["with_examples"])
    if command == "status":
        from kepatuhan.pipeline.status import main as status

        return status(args)
    from kepatuhan.pipeline.run import run

    return run(RunOptions(**args), argv)


def run_ingest(raw_dir: Path, processed_dir: Path, with_examples: bool = False) -> int:
    """``python pipeline.py ingest``: validate the raw files and write the processed tables; return the exit code."""
    from kepatuhan import catalog
    from kepatuhan.errors import DataError, EnvironmentProblem
    from kepatuhan.pipeline.steps import run_step, writer

    log = logging.getLogger("kepatuhan")
    try:
        tables = run_step(writer("scores").name, raw_dir=str(raw_dir), examples_dir=str(settings.EXAMPLES_DIR) if with_examples else "",
                          processed_dir=str(processed_dir))  # fmt: skip
    except DataError as exc:
        log.error("%s", exc)
        return 2
    except OSError as exc:
        log.error("%s", EnvironmentProblem.from_os_error(exc, processed_dir, "write the processed tables"))
        return 1
    files = tables["scores"]["raw_file"].str.split(" [", regex=False).str[0].nunique()
    log.info("%d rows from %d files -> %s", len(tables["scores"]), files, processed_dir)
    if len(tables["quality"]):
        log.info("%d data-quality notes in %s", len(tables["quality"]), catalog.path("quality", processed_dir))
    return 0
