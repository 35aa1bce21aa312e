"""Command line of ``pipeline.py``: ``run``, ``ingest`` and ``status``.

The ``run`` options are built from :class:`~kepatuhan.pipeline.options.RunOptions`, so a default is declared
once. Exit codes: 0 ok, 1 failure, 2 bad input data or options, 3 busy, 128 + N stopped by signal N.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from dataclasses import MISSING
from datetime import date
from pathlib import Path

from kepatuhan import catalog, settings
from kepatuhan.brief.wording import LANGS, words
from kepatuhan.errors import DataError, EnvironmentProblem, Problem
from kepatuhan.pipeline.options import RunOptions, option_fields, refused_outputs
from kepatuhan.pipeline.run_record import IsoFormatter, RunRecord
from kepatuhan.pipeline.runtime.signals import Interrupted, stop_on_signals
from kepatuhan.pipeline.status import main as status
from kepatuhan.translations import translate


class OptionsRejected(Exception):
    """A command line argparse rejects (unknown option, a word where a number belongs...)."""

    def __init__(self, parser: argparse.ArgumentParser, message: str):
        super().__init__(message)
        self.parser, self.message = parser, message


class Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so a rejected command line is reported and recorded like any bad option."""

    def error(self, message: str):
        raise OptionsRejected(self, message)


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
    parser = Parser(prog="pipeline.py", description="Ombudsman RI compliance scores: ingest and yearly briefs.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="ingest, analyse and write the briefs under reports/<year>/")
    add_run_options(run)
    ingest = commands.add_parser("ingest", help="validate data/raw and write data/processed")
    ingest.add_argument(
        "--raw", type=Path, default=settings.RAW_DIR, help="folder of raw score files (default: data/raw)"
    )
    ingest.add_argument(
        "--processed", type=Path, default=settings.PROCESSED_DIR, help="processed tables (default: data/processed)"
    )
    ingest.add_argument(
        "--with-examples", action="store_true", help="also read the illustrative files of data/examples"
    )
    ingest.add_argument("--lang", choices=LANGS, default="id", help="language of the messages (default: id)")
    status = commands.add_parser("status", help="the last runs, what is published and whether it is current")
    status.add_argument("--reports", type=Path, default=settings.REPORTS_DIR, help="reports folder (default: reports)")
    status.add_argument(
        "--raw", type=Path, default=settings.RAW_DIR, help="folder of raw score files (default: data/raw)"
    )
    status.add_argument(
        "--processed", type=Path, default=settings.PROCESSED_DIR, help="processed tables (default: data/processed)"
    )
    status.add_argument("--notebooks", type=Path, default=settings.NOTEBOOKS_DIR, help="notebooks (default: notebooks)")
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    status.add_argument(
        "--lang", choices=LANGS, default="id", help="language of the report (default: id; JSON keys stay)"
    )
    template = commands.add_parser(
        "template", help="write a workbook to type a release into (every pemda of a province for a year)"
    )
    template.add_argument("--province", required=True, help="province, any spelling (for example Maluku or Sumbar)")
    template.add_argument(
        "--year", type=int, required=True, help="assessment year (its method gives the drop-down lists)"
    )
    template.add_argument(
        "--out", type=Path, default=None, help="where to write it (default: templat_<province>_<year>.xlsx here)"
    )
    template.add_argument(
        "--lang", choices=LANGS, default="id", help="language of the notes in the workbook and of the messages"
    )
    template.add_argument(
        "--force", action="store_true", help="write over an existing file (never over a published file in data/raw)"
    )
    return parser


def configure_logging(lang: str = "id") -> None:
    """Log lines with ISO timestamps on stderr, in ``lang``; papermill and nbclient only when they warn."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(IsoFormatter("%(asctime)s %(message)s", lang))
    package = logging.getLogger("kepatuhan")
    package.handlers[:] = [handler]
    package.setLevel(logging.INFO)
    package.propagate = False
    logging.getLogger("papermill").setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments, run the command and return its exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = vars(build_parser().parse_args(argv))
    except OptionsRejected as exc:
        return rejected(exc, argv)
    command = args.pop("command")
    configure_logging(args.get("lang", "id"))
    if command == "run":  # the run acts on a stop signal itself, once it can record it
        from kepatuhan.pipeline.run import run  # heavy

        return run(RunOptions(**args), argv)
    try:
        with stop_on_signals():
            return other_command(command, args)
    except Interrupted as exc:
        logging.getLogger("kepatuhan").error("%s", translate(f"stopped by signal {exc.signum}", args.get("lang", "id")))
        return exc.exit_code


def other_command(command: str, args: dict) -> int:
    """``ingest``, ``template`` or ``status``: its exit code."""
    if command == "ingest":
        return run_ingest(args["raw"], args["processed"], args["with_examples"])
    if command == "template":
        return write_template(args["province"], args["year"], args["out"], args["lang"], args["force"])
    if command == "status":
        return status(args)
    raise ValueError(f"unknown command {command}")


def template_target_problems(target: Path, force: bool) -> list:
    """Why the template may not be written at ``target``: a file there (kept unless ``force``), and never a file of
    the raw folder, which holds what was published."""
    if not target.exists():
        return []
    if target.resolve().is_relative_to(settings.RAW_DIR.resolve()):
        return [
            Problem(
                "a published file is there: the raw folder is never written over",
                column="--out",
                value=str(target),
                hint="write the template elsewhere (or under a new name), fill it in, then put it in data/raw/",
            )
        ]
    if not force:
        return [
            Problem(
                "a file is there already; the template does not write over it",
                column="--out",
                value=str(target),
                hint="choose another --out, or add --force to replace it",
            )
        ]
    return []


def rejected(exc: OptionsRejected, argv: list[str]) -> int:
    """Exit 2 for a command line argparse rejects, with its usage; a rejected ``run`` is recorded (outcome
    ``bad_options``) and alerts with its ``--on-failure`` command, as a cron job's operator needs to know."""
    lang = argv_value(argv, "--lang", settings.DEFAULT_LANG)
    lang = lang if lang in LANGS else settings.DEFAULT_LANG
    configure_logging(lang)
    sys.stderr.write(exc.parser.format_usage())
    option = next((word.split("/")[0] for word in exc.message.replace(":", " ").split() if word.startswith("--")), None)
    message = re.sub(r"^argument \S+: ", "", exc.message)
    command = argv[0] if argv and argv[0] in ("run", "ingest", "status", "template") else ""
    hint = f"see `python pipeline.py {command} --help`".replace("  ", " ")
    error = DataError([Problem(message, column=option, hint=hint)], options=True)
    if command != "run":
        logging.getLogger("kepatuhan").error("%s", error)
        return 2
    reports = Path(argv_value(argv, "--reports", str(settings.REPORTS_DIR)))
    with RunRecord(reports, argv, argv_value(argv, "--on-failure", ""), lang=lang) as record:
        raise error
    return record.exit_code


def argv_value(argv: list[str], flag: str, default: str) -> str:
    """The value given to ``flag`` in a command line argparse could not parse (``--flag v`` or ``--flag=v``)."""
    for index, word in enumerate(argv):
        if word == flag and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith(flag + "="):
            return word.split("=", 1)[1]
    return default


def run_ingest(raw_dir: Path, processed_dir: Path, with_examples: bool = False) -> int:
    """``python pipeline.py ingest``: validate the raw files and write the processed tables; return the exit code."""
    from kepatuhan.reading.ingest import ingest_step  # heavy
    from kepatuhan.reading.quality import not_read  # heavy

    log = logging.getLogger("kepatuhan")
    refused = refused_outputs(raw_dir, {"--processed": processed_dir})
    if refused:
        log.error("%s", refused)
        return 2
    try:
        tables = ingest_step(raw_dir, settings.EXAMPLES_DIR if with_examples else "", processed_dir)
    except DataError as exc:
        log.error("%s", exc)
        return 2
    except OSError as exc:
        log.error("%s", EnvironmentProblem.from_os_error(exc, processed_dir, "write the processed tables"))
        return 1
    files = tables["scores"]["raw_file"].str.split(" [", regex=False).str[0].nunique()
    log.info("%d rows from %d files -> %s", len(tables["scores"]), files, processed_dir)
    for name, reason in not_read(tables["quality"]):
        log.info("not read: %s (%s)", name, reason)
    if len(tables["quality"]):
        log.info("%d data-quality notes in %s", len(tables["quality"]), catalog.path("quality", processed_dir))
    return 0


def write_template(province: str, year: int, out: Path | None, lang: str, force: bool = False) -> int:
    """``python pipeline.py template``: the workbook to type a release into; exit 2 for an unknown province or year."""
    import pandas as pd  # heavy

    from kepatuhan.brief import entry_workbook  # heavy
    from kepatuhan.reference.gazetteer import load_gazetteer  # start
    from kepatuhan.reference.methods import load_methods  # heavy

    log = logging.getLogger("kepatuhan")
    gazetteer, methods = load_gazetteer(), load_methods()
    found = gazetteer.asked_province(province)
    problems = (
        [Problem(found.message, column="--province", value=province, hint=found.hint)]
        if isinstance(found, Problem)
        else []
    )
    if not problems and methods.method_for_years(pd.Series([year])).isna().iloc[0]:
        problems.append(
            Problem(
                f"no assessment method covers {year} (known: {methods.known_years()}; none in 2020)",
                column="--year",
                value=year,
            )
        )
    if not problems and year > date.today().year:
        problems.append(
            Problem(
                f"{year} is later than this year: no assessment of it can have been published "
                f"(known: {methods.known_years()}, up to {date.today().year})",
                column="--year",
                value=year,
            )
        )
    target = Path(out or f"templat_{catalog.slugify(found) if isinstance(found, str) else 'x'}_{year}.xlsx")
    problems += [] if problems else template_target_problems(target, force)
    if problems:
        log.error("%s", DataError(problems))
        return 2
    try:
        with EnvironmentProblem.about(target, "write the template"):
            entry_workbook.write(target, found, year, gazetteer, methods, lang)
    except EnvironmentProblem as exc:
        log.error("%s", exc)
        return 1
    log.info("%s", words("template.done", lang, path=target, n=len(gazetteer.pemda_in(found, year))))
    return 0
