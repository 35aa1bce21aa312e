"""From what a run was asked (options) to the briefs it makes, all checked before any notebook starts.

- Options are checked (a bad number, an unknown executor) and the raw data validated, unless the
  processed tables are current for exactly these inputs (then the ingest stamp says what they hold).
- ``--province`` (any spelling, repeatable; ``nasional`` for the national overview) and ``--pemda``
  are resolved with the gazetteer; an unknown name is an error listing the closest known ones.
- Without ``--year``, each province's brief is of the latest year that province has data for, and
  the national overview of the latest year in the data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kepatuhan import settings
from kepatuhan.errors import DataError, EnvironmentProblem, Problem
from kepatuhan.pipeline import sources
from kepatuhan.pipeline.inventory import Inventory, take
from kepatuhan.pipeline.options import RunOptions
from kepatuhan.pipeline.planner import Request, RunSettings, Scope, plan, recorded
from kepatuhan.pipeline.staging import STAMP, Staging, read_json
from kepatuhan.pipeline.steps import STEPS
from kepatuhan.settings import DEFAULT_LANG

#: Ways to ask for the national overview with ``--province``.
NATIONAL_NAMES = frozenset({"nasional", "national", "indonesia", "semua", "all"})


@dataclass
class Resolved:
    """The briefs of a run and everything the planner needs, with what the run was asked for."""

    request: Request
    asked: dict[Scope, set[str]]
    inventory: Inventory
    inputs: dict[str, list[dict]]
    versions: dict[str, str]
    previous: dict[str, dict] = field(default_factory=dict)
    tables: dict | None = None  # the ingest step's tables when this run read the raw files (the ingest saves them)


def examples_dir(options: RunOptions) -> Path | None:
    """The illustrative files' folder when the run asked for them."""
    return settings.EXAMPLES_DIR if options.with_examples else None


def run_settings(options: RunOptions) -> RunSettings:
    """The run settings steps take as parameters (what a brief shows, not where files are)."""
    return RunSettings(
        lang=options.lang,
        min_drop=float(options.min_drop),
        compare_across_methods=options.compare_across_methods,
        pdf=options.pdf,
        svg=options.svg,
    )


def check_options(options: RunOptions) -> None:
    """Raise :class:`DataError` naming every bad option, and :class:`EnvironmentProblem` for missing folders."""
    problems = [
        Problem(text, column=flag, value=value if value != "" else None, hint="see `python pipeline.py run --help`")
        for flag, value, text in options.problems()
    ]
    if problems:
        raise DataError(problems)
    for folder, what in ((options.raw_dir, "raw score files"), (options.notebooks_dir, "notebooks")):
        if not Path(folder).is_dir():
            raise EnvironmentProblem(
                folder, f"the folder of {what} does not exist", "check the path, or the --raw/--notebooks option"
            )


def resolve(options: RunOptions, staging: Staging, before_reading: Callable[[], None] = lambda: None) -> Resolved:
    """Check the options and the data, and work out the briefs (scopes) and pemda briefs of the run.

    ``before_reading`` is called just before the raw files are read, which happens only when the ingest is
    not up to date (or the last run recorded no inventory): the run then has a notebook to run.
    """
    check_options(options)
    notebooks = [Path(options.notebooks_dir) / s.notebook for s in STEPS]
    inputs = sources.inputs(options.raw_dir, examples_dir(options), notebooks)
    versions = sources.package_versions()
    request = Request((), run_settings(options), sources.hashes(inputs, versions))
    run_tasks = plan(STEPS, request, recorded(staging.previous([])), options.force)
    stamp = read_json(staging.published("processed") / STAMP)
    if all(t.up_to_date for t in run_tasks) and "inventory" in stamp:
        inventory, tables = Inventory.from_json(stamp["inventory"]), None
    else:
        before_reading()
        inventory, tables = validate(options)
    asked = choose(options, inventory, gazetteer_if_named(options))
    previous = staging.previous([scope.key for scope in asked])
    langs = {scope: tuple(sorted({options.lang} | published_langs(previous, scope))) for scope in asked}
    pemda = {
        scope: tuple(sorted({(name, options.lang) for name in names} | published_pemda(previous, scope, inventory)))
        for scope, names in asked.items()
    }
    partitions = {(s.year, p): inventory.partition(s.year, p) for s, pairs in pemda.items() for p, _ in pairs}
    request = Request(tuple(asked), request.settings, request.sources, partitions, pemda, langs)
    return Resolved(request, asked, inventory, inputs, versions, previous, tables)


def gazetteer_if_named(options: RunOptions):
    """The gazetteer when ``--province`` or ``--pemda`` names something to resolve, else None: reading its three
    files and indexing every spelling is about 0.1 s, a third of a run with nothing to do."""
    if not options.province and not options.pemda:
        return None
    from kepatuhan.reference.gazetteer import load_gazetteer  # start

    return load_gazetteer()


def validate(options: RunOptions):
    """Read and check every raw file (a :class:`DataError` stops the run); the inventory, and the ingest step's
    tables (``scores``, ``quality``), which the ingest saves rather than reading the files a second time."""
    from kepatuhan.reading.ingest import ingest  # heavy
    from kepatuhan.reading.quality import not_read  # heavy

    result = ingest(Path(options.raw_dir), examples_dir=examples_dir(options))
    for name, reason in not_read(result.quality):
        logging.getLogger("kepatuhan").info("not read: %s (%s)", name, reason)
    return take(result.scores, len(result.quality)), result.tables()


def published_pemda(previous: dict[str, dict], scope: Scope, inventory: Inventory) -> set[tuple[str, str]]:
    """(pemda, language) of the pemda briefs published before in this brief's folder whose pemda is still in the
    data: what was published stays published, and current (re-rendered when its inputs changed)."""
    present = set(inventory.pemda_of(scope.year, scope.province))
    return {
        (r["pemda"], r.get("lang") or DEFAULT_LANG)
        for r in previous.values()
        if r.get("unit") == scope.key and r.get("pemda") in present
    }


def published_langs(previous: dict[str, dict], scope: Scope) -> set[str]:
    """The languages of the briefs published before in this brief's folder (a record without one: the default)."""
    worded = {s.name for s in STEPS if s.per_language}
    return {
        r.get("lang") or DEFAULT_LANG
        for r in previous.values()
        if r.get("unit") == scope.key and r.get("step") in worded
    }


def choose(options: RunOptions, inventory: Inventory, gazetteer) -> dict[Scope, set[str]]:
    """The briefs of the run (national overview and provinces, each with its year) and the pemda asked for."""
    provinces, national = provinces_asked(options, inventory, gazetteer)
    pemda = pemda_asked(options, gazetteer)
    for name in pemda:
        province = gazetteer.info(name)["province"]
        if province not in provinces:
            provinces.append(province)
    scopes: dict[Scope, set[str]] = {}
    if national and year_for(options, inventory, ""):
        scopes[Scope(year_for(options, inventory, ""))] = set()
    for province in provinces:
        year = year_for(options, inventory, province)
        if year:
            scopes[Scope(year, province)] = set(inventory.pemda_of(year, province)) if options.all_pemda else set()
    for name in pemda:
        add_pemda(scopes, name, gazetteer.info(name)["province"], inventory, options.year)
    if not scopes:
        raise DataError([no_year(options.year, inventory.years)])
    return scopes


def no_year(year: int, years: list[int]) -> Problem:
    """The problem of an asked ``--year`` the data has no scores for (saying so when no method covers it)."""
    import pandas as pd  # heavy

    from kepatuhan.reference.methods import load_methods  # heavy

    methods = load_methods()
    if methods.method_for_years(pd.Series([year])).isna().iloc[0]:
        return Problem(
            f"no assessment method covers {year} (known: {methods.known_years()}; none in 2020); years in the data: {listed(years)}",
            column="--year",
            value=year,
            hint="choose one of the years in the data",
        )
    return Problem(
        f"no results for year {year}; years in the data: {listed(years)}",
        column="--year",
        value=year,
        hint="choose another --year or add that year's file",
    )


def provinces_asked(options: RunOptions, inventory: Inventory, gazetteer) -> tuple[list[str], bool]:
    """Canonical provinces named by ``--province`` (all with data when none), and whether the overview is asked."""
    if not options.province:
        years = [options.year] if options.year else inventory.years
        return sorted({p for y in years for p in inventory.provinces_of(y)}), True
    names, national, problems = [], False, []
    for text in options.province:
        if text.strip().lower() in NATIONAL_NAMES or not text.strip():
            national = True
            continue
        found = gazetteer.asked_province(text)
        if isinstance(found, Problem):
            problems.append(Problem(found.message, column="--province", value=text, hint=found.hint))
        elif not inventory.latest_year(found):
            problems.append(
                Problem(
                    f"no results for {found} in the data",
                    column="--province",
                    value=text,
                    hint=f"provinces with data: {', '.join(sorted({p for y in inventory.years for p in inventory.provinces_of(y)}))}",
                )
            )
        else:
            names.append(found)
    if problems:
        raise DataError(problems)
    return list(dict.fromkeys(names)), national


def pemda_asked(options: RunOptions, gazetteer) -> list[str]:
    """Canonical names of the pemda named by ``--pemda``."""
    names, problems = [], []
    for text in options.pemda:
        found = gazetteer.asked(text)
        if isinstance(found, Problem):
            problems.append(Problem(found.message, column="--pemda", value=text, hint=found.hint))
        else:
            names.append(found)
    if problems:
        raise DataError(problems)
    return list(dict.fromkeys(names))


def listed(years: list[int]) -> str:
    """Years as a reader writes them in a message (``2023, 2025``)."""
    return ", ".join(str(y) for y in years)


def year_for(options: RunOptions, inventory: Inventory, province: str) -> int:
    """The year of a brief: the asked one if that brief has data then, else its latest (0: no data)."""
    if options.year:
        has = options.year in inventory.years if not province else province in inventory.provinces_of(options.year)
        if not has and province and options.province:
            years = [y for y in inventory.years if province in inventory.provinces_of(y)]
            raise DataError.single(
                f"no results for {province} in {options.year}; its years: {listed(years)}",
                column="--year",
                value=options.year,
                hint="choose one of its years",
            )
        return options.year if has else 0
    return inventory.latest_year(province)


def add_pemda(scopes: dict[Scope, set[str]], name: str, province: str, inventory: Inventory, asked_year: int) -> None:
    """Add a pemda brief to its province's brief, checking that the pemda was assessed that year
    (``asked_year``: the ``--year`` asked, 0 for each province's latest, named when the province has no brief)."""
    scope = next((s for s in scopes if s.province == province), None)
    if scope is None or name not in inventory.pemda_of(scope.year, province):
        years = [y for y in inventory.years if name in inventory.pemda_of(y, province)]
        when = scope.year if scope else asked_year
        if when and years:
            raise DataError.single(
                f"no results for {name} in {when}; its years: {listed(years)}",
                column="--pemda",
                value=name,
                hint="choose a pemda assessed that year, or another --year",
            )
        raise DataError.single(
            f"no results for {name} in the data",
            column="--pemda",
            value=name,
            hint="choose a pemda the data holds, or add the release that has it",
        )
    scopes[scope].add(name)
