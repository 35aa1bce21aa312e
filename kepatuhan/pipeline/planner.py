"""The planner: which tasks a run has and which of them are up to date. Pure: no files, no kernels.

``plan(steps, request, previous)`` expands each step into tasks (once, per brief, or per pemda
brief), orders them by what they read, and gives each a fingerprint of everything it depends on:

- its *definition*: step name, notebook recipe (its cells' sources, and the defaults of the parameters it
  is not given; never its outputs or metadata), the run settings it takes, the configuration, the package
  versions, and the definitions of the steps that write what it reads;
- its *data*: for a task run once or per brief, the fingerprints of the tasks that wrote what it
  reads (so fingerprints chain along declared reads, as OWID's etl does); for a pemda brief, the
  fingerprint of that pemda's part of the data (its rows and standing up to the brief's year).

A task is up to date when its fingerprint equals the one recorded when its outputs were published.
So changing one raw file, one band, one parameter, one notebook or one pemda's rows re-plans exactly
what depends on it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields

from kepatuhan.catalog import dataset, slugify, suffix
from kepatuhan.pipeline.steps import Step, passed, writer

#: Roots whose content is data (a pemda brief follows only its own part of it); other sources
#: (configuration, boundaries) are part of every definition.
DATA_ROOTS = frozenset({"raw", "examples"})
NATIONAL = "nasional"


def fingerprint(*parts: object) -> str:
    """A short hash of JSON-able parts (sorted keys)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Scope:
    """One brief: the national overview (``province == ""``) or one province, for one year."""

    year: int
    province: str = ""

    @property
    def key(self) -> str:
        """Its folder below the reports folder: ``2024/nasional`` or ``2024/provinsi/sumatera-barat``."""
        where = f"provinsi/{slugify(self.province)}" if self.province else NATIONAL
        return f"{self.year}/{where}"


@dataclass(frozen=True)
class RunSettings:
    """The run's settings that steps take as parameters: what a brief shows, not where its files are."""

    #: The language of the briefs asked for (and of a scope with none published before).
    lang: str
    #: The smallest fall in points that counts as "turun".
    min_drop: float
    #: Also flag falls across a change of method.
    compare_across_methods: bool
    #: Whether the briefs are also printed as PDF.
    pdf: bool
    #: Whether a brief's figures are also saved as SVG (a format no brief reader opens: asked for, not by default).
    svg: bool

    def value(self, name: str):
        """The setting ``name`` (a step parameter that is not a setting is not asked for here)."""
        return getattr(self, name)

    def names(self) -> tuple[str, ...]:
        """The settings' names."""
        return tuple(f.name for f in fields(self))


@dataclass(frozen=True)
class Request:
    """What to plan: the briefs asked for and the fingerprints of everything they can read.

    ``sources`` maps each source dataset (``raw``, ``config``, ...) and ``notebook:<file>`` and
    ``versions`` to a hash; ``partitions`` maps ``(year, pemda)`` to the hash of that pemda's data.
    ``langs`` lists the languages of each scope's briefs (asked for, or published before; the run's
    ``settings.lang`` when none); ``pemda`` the pemda briefs of each scope, as names (in the run's
    language) or ``(name, lang)`` pairs.
    """

    scopes: tuple[Scope, ...]
    settings: RunSettings
    sources: dict[str, str]
    partitions: dict[tuple[int, str], str] = field(default_factory=dict)
    pemda: dict[Scope, tuple] = field(default_factory=dict)
    langs: dict[Scope, tuple[str, ...]] = field(default_factory=dict)

    def languages(self, scope: Scope) -> tuple[str, ...]:
        """The languages of a scope's briefs."""
        return self.langs.get(scope) or (self.settings.lang,)

    def pemda_briefs(self, scope: Scope) -> list[tuple[str, str]]:
        """The (pemda, language) briefs of a scope."""
        default = self.settings.lang
        return [entry if isinstance(entry, tuple) else (entry, default) for entry in self.pemda.get(scope, ())]


@dataclass(frozen=True)
class Task:
    """One execution of one step: for the run, for one brief, or for one pemda brief."""

    id: str
    step: Step
    scope: Scope | None
    pemda: str
    parameters: dict
    fingerprint: str
    needs: tuple[str, ...]
    up_to_date: bool
    lang: str = ""

    @property
    def slug(self) -> str:
        """The pemda's file-name slug (empty for other tasks)."""
        return slugify(self.pemda) if self.pemda else ""


def task_id(step: Step, scope: Scope | None, pemda: str = "", lang: str = "") -> str:
    """``ingest``, ``declines@2024/provinsi/sumatera-barat``, ``pemda_brief@2024/provinsi/sumatera-barat/kota-padang``;
    a brief in another language than the default ends with its suffix (``brief@2024/nasional.en``)."""
    if step.scope == "run":
        return step.name
    return (
        f"{step.name}@{scope.key}"
        + (f"/{slugify(pemda)}" if pemda else "")
        + (suffix(lang) if step.per_language else "")
    )


def ordered(steps: tuple[Step, ...]) -> list[Step]:
    """Steps ordered so that each comes after the steps writing what it reads."""
    done: list[Step] = []
    waiting = list(steps)
    while waiting:
        ready = [s for s in waiting if all(w is None or w in done for w in (writer(r, steps) for r in s.reads))]
        if not ready:
            raise ValueError(f"steps read each other's outputs in a cycle: {[s.name for s in waiting]}")
        done += ready
        waiting = [s for s in waiting if s not in ready]
    return done


def definition(step: Step, steps: tuple[Step, ...], request: Request) -> str:
    """Everything about a step except its data: notebook, settings, configuration, versions, upstream definitions."""
    sources = {
        r: request.sources.get(r, "")
        for r in step.reads
        if writer(r, steps) is None and dataset(r).root not in DATA_ROOTS
    }
    upstream = [definition(w, steps, request) for w in (writer(r, steps) for r in step.reads) if w is not None]
    names = request.settings.names()
    settings = {k: request.settings.value(k) for k in step.parameters if k in names and k != "lang"}  # a task's own
    if step.pdf:  # whether the PDF is made changes what the task leaves behind
        settings["pdf"] = request.settings.pdf
    notebook = request.sources.get(f"notebook:{step.notebook}", "")
    kept_defaults = {
        name: value
        for name, value in json.loads(request.sources.get(f"notebook-defaults:{step.notebook}") or "{}").items()
        if name not in passed(step)
    }
    return fingerprint(
        step.name, notebook, kept_defaults, settings, sources, request.sources.get("versions", ""), upstream
    )


def instances(step: Step, request: Request) -> list[tuple[Scope | None, str, str]]:
    """The (scope, pemda, language) a step runs for; the language is empty for a step whose output has no words."""
    if step.scope == "run":
        return [(None, "", "")]
    if step.scope == "pemda":
        return [(scope, name, lang) for scope in request.scopes for name, lang in request.pemda_briefs(scope)]
    scopes = [s for s in request.scopes if step.scope == "scope" or not s.province]  # "national": the overview only
    return [
        (scope, "", lang) for scope in scopes for lang in (request.languages(scope) if step.per_language else ("",))
    ]


def parameters(step: Step, scope: Scope | None, pemda: str, lang: str, request: Request) -> dict:
    """The run parameters a step's notebook takes, for one task (folders are added when it runs).

    ``pemda_briefs`` names the pemda briefs of the task's folder in its language (';'-separated), which a
    province brief links to.
    """
    briefs = ";".join(sorted(name for name, other in request.pemda_briefs(scope) if other == lang)) if scope else ""
    own = {
        "year": scope.year if scope else 0,
        "province": scope.province if scope else "",
        "pemda": pemda,
        "lang": lang,
        "pemda_briefs": briefs,
    }
    return {name: own[name] if name in own else request.settings.value(name) for name in step.parameters}


def recorded(records: dict[str, dict]) -> dict[str, str]:
    """Task id -> fingerprint, from the task records of published manifests."""
    return {task: record["fingerprint"] for task, record in records.items() if "fingerprint" in record}


def plan(steps: tuple[Step, ...], request: Request, previous: dict[str, str], force: bool = False) -> list[Task]:
    """Every task of the run, in an order that respects reads, each marked up to date or not.

    ``previous`` maps task ids to the fingerprints recorded with their published outputs (only
    for tasks whose outputs are all still there). ``force`` marks every task as not up to date.
    """
    tasks: dict[str, Task] = {}
    for step in ordered(steps):
        defined = definition(step, steps, request)
        for scope, pemda, lang in instances(step, request):
            needs = tuple(
                dict.fromkeys(task_id(w, scope) for w in (writer(r, steps) for r in step.reads) if w is not None)
            )
            if step.scope == "pemda":
                data = request.partitions.get((scope.year, pemda), "")
            else:
                sources = [request.sources.get(r, "") for r in step.reads if dataset(r).root in DATA_ROOTS]
                data = fingerprint(sources, [tasks[n].fingerprint for n in needs])
            identifier, own = task_id(step, scope, pemda, lang), parameters(step, scope, pemda, lang, request)
            print_ = fingerprint(defined, identifier, own, data)
            tasks[identifier] = Task(
                identifier,
                step,
                scope,
                pemda,
                own,
                print_,
                needs,
                not force and previous.get(identifier) == print_,
                lang,
            )
    return list(tasks.values())
