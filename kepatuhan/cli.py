"""Command line of ``pipeline.py``: ``ingest`` and ``run``. Exit codes: 0 ok, 1 failure, 2 bad data, 3 busy."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from kepatuhan import config
from kepatuhan.runner import EXIT_DATA, Run, RunOptions, run_ingest
from kepatuhan.text import LANGS


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the defaults of the shipped project layout."""
    parser = argparse.ArgumentParser(prog="pipeline.py", description="Ombudsman RI compliance scores: ingest and yearly brief.")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="validate data/raw and write data/processed")
    run = commands.add_parser("run", help="ingest, analyse and write the yearly brief under reports/<year>/")
    for sub in (ingest, run):
        sub.add_argument("--raw", type=Path, default=config.RAW_DIR, help="folder of raw score files (default: data/raw)")
        sub.add_argument("--processed", type=Path, default=config.PROCESSED_DIR, help="processed tables (default: data/processed)")
    run.add_argument("--year", type=int, help="assessment year (default: the latest year in the data)")
    run.add_argument("--lang", choices=LANGS, default="id", help="language of the brief (default: id)")
    run.add_argument("--min-drop", type=float, default=0.01, help="smallest fall in points that counts (default: 0.01)")
    run.add_argument("--compare-across-methods", action="store_true", help="also flag falls across a method change")
    run.add_argument("--province", help="province of the brief (default: the only one in the data)")
    run.add_argument("--pemda", action="append", default=[], metavar="NAME", help="also write this pemda's brief (repeatable)")
    run.add_argument("--all-pemda", action="store_true", help="also write one brief per pemda assessed that year")
    run.add_argument("--reports", type=Path, default=config.REPORTS_DIR, help="reports folder (default: reports)")
    run.add_argument("--notebooks", type=Path, default=config.NOTEBOOKS_DIR, help="notebooks to run (default: notebooks)")
    run.add_argument("--cell-timeout", type=int, default=600, help="seconds a notebook cell may run (default: 600)")
    run.add_argument("--wait", type=float, default=0.0, help="seconds to wait for another run to finish (default: 0)")
    run.add_argument("--no-progress", action="store_true", help="no progress bar (logs still show each step)")
    run.add_argument("--jobs", type=int, default=1, help="pemda briefs rendered in parallel, each on a warm kernel (default: 1)")
    run.add_argument("--executor", choices=["local", "dask"], default="local", help="where pemda briefs run (default: local)")
    run.add_argument("--scheduler", help="Dask scheduler address, with --executor dask (e.g. tcp://10.0.0.5:8786)")
    run.add_argument("--force", action="store_true", help="re-run every step, even those whose inputs did not change")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the command and return its exit code (no traceback for bad data)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    logging.getLogger("papermill").setLevel(logging.WARNING)
    args = build_parser().parse_args(argv)
    if args.command == "ingest":
        return run_ingest(args.raw, args.processed)
    if args.executor == "dask" and not args.scheduler:
        logging.getLogger("kepatuhan").error("--executor dask needs --scheduler ADDRESS")
        return EXIT_DATA
    if args.min_drop < 0:
        logging.getLogger("kepatuhan").error("--min-drop must be 0 or more, not %s", args.min_drop)
        return EXIT_DATA
    options = RunOptions(
        year=args.year, lang=args.lang, min_drop=args.min_drop, compare_across_methods=args.compare_across_methods,
        province=args.province, pemda=args.pemda, all_pemda=args.all_pemda, raw_dir=args.raw,
        processed_dir=args.processed, reports_dir=args.reports, notebooks_dir=args.notebooks, cell_timeout=args.cell_timeout, wait=args.wait,
        progress=not args.no_progress, jobs=max(1, args.jobs), executor=args.executor, scheduler=args.scheduler,
        force=args.force,
    )  # fmt: skip
    return Run(options)()
