"""``python pipeline.py status``: did the last runs succeed, and is what is published current?

Reads the run history (``reports/runs.jsonl``), the manifest of every published brief folder, and
today's raw files, configuration and notebooks. For each brief it works out the fingerprints its
tasks would have now (the planner, with the settings the brief was made with; no kernel is started)
and compares them with the recorded ones, naming what changed. Exit 0 when every published brief is
current and the last run succeeded; 1 otherwise, so a monitoring system can call it. ``--json`` prints
the same as JSON.
"""

from __future__ import annotations

import functools
import json
import sys
from dataclasses import fields, replace
from pathlib import Path

from kepatuhan import catalog
from kepatuhan.brief.wording import words
from kepatuhan.errors import DataError
from kepatuhan.pipeline import run_record
from kepatuhan.pipeline.options import RunOptions
from kepatuhan.pipeline.planner import Request, Scope, plan
from kepatuhan.pipeline.staging import MANIFEST, Staging, inside, manifest_problem, read_json
from kepatuhan.pipeline.steps import STEPS
from kepatuhan.settings import DEFAULT_LANG
from kepatuhan.translations import translate
from kepatuhan.writing import sha256

GOOD_OUTCOMES = ("success", "nothing_to_do")
#: The steps whose briefs are in a language (their records say which).
WORDED = {s.name for s in STEPS if s.per_language}


def published(reports: Path) -> list[tuple[Path, dict]]:
    """Every published brief folder with its manifest (``{}`` when it cannot be read), newest year first."""
    found = sorted([*reports.glob(f"*/nasional/{MANIFEST}"), *reports.glob(f"*/provinsi/*/{MANIFEST}")], reverse=True)
    return [(path.parent, read_json(path)) for path in found]


def damaged(folder: Path, manifest: dict, brief: bool = True) -> list[str]:
    """What is wrong with a published folder (a brief's, or the processed tables' with their ingest stamp): its
    manifest, or each output it lists that is missing or has changed since it was published (by its SHA-256)."""
    problem = manifest_problem(manifest, brief=brief)
    if problem:
        return [f"{MANIFEST if brief else catalog.relative('ingest_stamp')} ({problem})"]
    found = []
    for record in manifest["tasks"].values():
        for name, digest in record["outputs"].items():
            path = inside(folder, name)
            if path is None or not path.is_file() or sha256(path) != digest:
                found.append(name)
    return sorted(set(found))


def options_of(manifest: dict, base: RunOptions) -> RunOptions:
    """The run options a brief was made with (its recorded parameters), on today's folders."""
    known = {f.name for f in fields(RunOptions)}
    recorded = {
        k: v for k, v in manifest.get("parameters", {}).items() if k in known and k not in {"province", "pemda", "year"}
    }
    return replace(base, **recorded)


def changed_inputs(manifest: dict, resolved) -> list[str]:
    """Input files whose content differs from what the brief was made from (added, changed or removed)."""
    changes = []
    for kind in ("raw", "config", "notebooks"):
        then = {e["path"]: e["sha256"] for e in manifest.get("inputs", {}).get(kind, [])}
        now = {e["path"]: e["sha256"] for e in resolved.inputs.get(kind, [])}
        changes += [path for path in sorted(set(then) | set(now)) if then.get(path) != now.get(path)]
    return changes


def brief_state(manifest: dict, base: RunOptions, staging: Staging) -> dict:
    """Whether one published brief is current: its tasks' fingerprints now against the recorded ones."""
    from kepatuhan.pipeline.resolve import resolve  # heavy

    scope = Scope(int(manifest["year"]), manifest["scope"]["province"])
    options = options_of(manifest, replace(base, year=scope.year, province=[scope.province or "nasional"]))
    resolved = resolve(options, staging)
    present = set(resolved.inventory.pemda_of(scope.year, scope.province))
    pemda = tuple(
        sorted(
            {
                (r["pemda"], r.get("lang") or DEFAULT_LANG)
                for r in manifest["tasks"].values()
                if r.get("pemda") in present
            }
        )
    )
    langs = tuple(
        sorted({r.get("lang") or DEFAULT_LANG for r in manifest["tasks"].values() if r.get("step") in WORDED})
    )
    request = Request(
        (scope,),
        resolved.request.settings,
        resolved.request.sources,
        {(scope.year, p): resolved.inventory.partition(scope.year, p) for p, _ in pemda},
        {scope: pemda},
        {scope: langs},
    )
    now = {t.id: t.fingerprint for t in plan(STEPS, request, {})}
    recorded = {task: record["fingerprint"] for task, record in manifest["tasks"].items()}
    stale = sorted(task for task, fingerprint in recorded.items() if now.get(task) != fingerprint)
    return {
        "folder": scope.key,
        "year": scope.year,
        "province": scope.province or "nasional",
        "built": manifest.get("finished", ""),
        "current": not stale,
        "stale_tasks": stale,
        "changed_inputs": changed_inputs(manifest, resolved) if stale else [],
    }


def damaged_state(folder: Path, base: RunOptions, broken: list[str]) -> dict:
    """A published folder that is not current whatever the data says: its manifest cannot be read, or today's
    data cannot (what it names is taken from its place, not from the manifest)."""
    key = folder.relative_to(base.reports_dir).as_posix()
    manifest = read_json(folder / MANIFEST)
    scope = manifest.get("scope") if isinstance(manifest.get("scope"), dict) else {}
    named = scope.get("province") if isinstance(scope.get("province"), str) else folder.name
    year, province = key.split("/")[0], named if "/provinsi/" in f"/{key}" else "nasional"
    return {
        "folder": key,
        "year": int(year) if year.isdigit() else 0,
        "province": province,
        "built": str(manifest.get("finished", "")),
        "current": False,
        "stale_tasks": [],
        "changed_inputs": [],
        "damaged": broken,
    }


def collect(base: RunOptions) -> dict:
    """The whole status: last runs, published briefs and their state, failures since the last success."""
    history = run_record.read(base.reports_dir)
    last_good = max((i for i, r in enumerate(history) if r.get("outcome") in GOOD_OUTCOMES), default=-1)
    staging = Staging(base.reports_dir, base.processed_dir)
    folders = published(base.reports_dir)
    broken = {folder: damaged(folder, manifest) for folder, manifest in folders}
    try:
        briefs = [
            damaged_state(f, base, broken[f])
            if broken[f] and broken[f][0].startswith(MANIFEST)
            else {**brief_state(m, base, staging), "damaged": broken[f]}
            for f, m in folders
        ]
        problem = ""
    except DataError as exc:  # today's raw data does not read: nothing built from it can be current
        briefs = [damaged_state(f, base, broken[f]) for f, _ in folders]
        problem = str(exc).splitlines()[0] + " (run `python pipeline.py ingest` to see every problem)"
    for brief in briefs:
        brief["current"] = brief["current"] and not brief["damaged"]
    last = history[-1] if history else {}
    tables = damaged(base.processed_dir, read_json(base.processed_dir / catalog.relative("ingest_stamp")), brief=False)
    ok = (
        bool(briefs)
        and all(b["current"] for b in briefs)
        and last.get("outcome") in GOOD_OUTCOMES
        and not problem
        and not tables
    )
    return {
        "ok": ok,
        "last_runs": history[-10:][::-1],
        "briefs": briefs,
        "failures_since_last_success": history[last_good + 1 :],
        "data_problem": problem,
        "processed_damaged": tables,
    }


def report(state: dict, lang: str = DEFAULT_LANG) -> str:
    """The status in words, for a person reading a terminal or a mail, in ``lang`` (the run log's language)."""
    say = functools.partial(status_words, lang=lang)
    lines = [say("last_runs")]
    for record in state["last_runs"][:5]:
        ran = record.get("ran", [])
        counts = say("counts", ran=len(ran) if isinstance(ran, list) else ran, up_to_date=record.get("up_to_date", 0))
        lines.append(
            f"  {record.get('started', '?')}  {record.get('outcome', '?'):<14} exit {record.get('exit_code', '?')}  "
            f"{counts}  {translate(str(record.get('message', '')), lang)[:90]}"
        )
    lines.append(say("published") if state["briefs"] else say("published_none"))
    for brief in state["briefs"]:
        what = (
            say("current")
            if brief["current"]
            else say("damaged", what=", ".join(brief["damaged"][:4]))
            if brief["damaged"]
            else say("stale", what=", ".join(brief["changed_inputs"][:4]) or say("stale_other"))
        )
        lines.append(f"  {brief['folder']:<36} {say('built')} {brief['built'] or '?':<26} {what}")
    failures = state["failures_since_last_success"]
    lines.append(say("failures", n=len(failures)))
    for failure in failures:
        lines.append(
            f"  {failure.get('started')}  {failure.get('outcome')}: {translate(str(failure.get('message', '')), lang)[:120]}"
        )
        for key, word in (("failed_briefs", "not_published"), ("failed_pemda_briefs", "pemda_not_made")):
            if isinstance(failure.get(key), list) and failure[key]:
                lines.append(f"    {say(word, briefs=', '.join(map(str, failure[key])))}")
    if state.get("processed_damaged"):
        lines.append(say("processed_damaged", what=", ".join(state["processed_damaged"][:4])))
    if state["data_problem"]:
        lines.append(say("data_problem", problem=translate(state["data_problem"], lang)))
    lines.append(say("ok") if state["ok"] else say("not_ok"))
    return "\n".join(lines)


def status_words(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """A word of the status report in ``lang`` (``[status]`` of the wording files)."""
    return words(f"status.{key}", lang, **values)


def main(args: dict) -> int:
    """``python pipeline.py status [--json]``; exit 0 when all is current and the last run succeeded, else 1."""
    base = RunOptions(
        raw_dir=args["raw"],
        processed_dir=args["processed"],
        reports_dir=args["reports"],
        notebooks_dir=args["notebooks"],
    ).absolute()
    state = collect(base)
    print(
        json.dumps(state, indent=2, ensure_ascii=False, default=str)
        if args["json"]
        else report(state, args.get("lang") or DEFAULT_LANG),
        file=sys.stdout,
    )
    return 0 if state["ok"] else 1
