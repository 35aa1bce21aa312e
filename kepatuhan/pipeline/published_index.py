"""The index of the published set, written by every run that publishes: ``reports/index.html`` (and
``index.en.html``), from the manifests of every published brief folder and the published scores.

What it links is what the manifests say was published, so a link never points at a file that is not
there (a test follows every one). The page itself is :mod:`kepatuhan.brief.index_page`'s.
"""

from __future__ import annotations

from pathlib import Path

from kepatuhan import catalog
from kepatuhan.brief.index_page import Brief, pemda_facts, render
from kepatuhan.brief.wording import LANGS, zone_name
from kepatuhan.pipeline.staging import MANIFEST, read_json
from kepatuhan.pipeline.steps import STEPS
from kepatuhan.reference.gazetteer import load_gazetteer
from kepatuhan.reference.methods import load_methods
from kepatuhan.settings import DEFAULT_LANG
from kepatuhan.writing import write_text

#: The datasets of a brief folder the index links, by what they are.
LINKED = {"html": ("brief", "pemda_brief"), "pdf": ("brief_pdf",), "workbook": ("workbook",)}


def briefs(reports: Path) -> list[Brief]:
    """Every published brief folder, with the files its manifest lists (by language)."""
    found = []
    for path in sorted([*reports.glob(f"*/nasional/{MANIFEST}"), *reports.glob(f"*/provinsi/*/{MANIFEST}")]):
        manifest = read_json(path)
        if manifest.get("tasks"):
            found.append(brief_of(manifest, path.parent.relative_to(reports).as_posix()))
    return found


def brief_of(manifest: dict, folder: str) -> Brief:
    """One folder's :class:`Brief`: its brief, PDF and workbook in each language, and its pemda briefs."""
    brief = Brief(int(manifest["year"]), manifest["scope"]["province"], data=data_links(manifest, folder))
    worded = {s.name: s for s in STEPS if s.per_language}
    for record in manifest["tasks"].values():
        step = worded.get(record.get("step", ""))
        if step is None:
            continue
        lang = record.get("lang") or DEFAULT_LANG
        fields = {"year": brief.year, "slug": catalog.slugify(record.get("pemda", "")), "lang": lang}
        files = set(record.get("outputs", {}))
        if record.get("pemda"):
            name = catalog.relative(step.html, **fields)
            if name in files:
                brief.pemda[(record["pemda"], lang)] = f"{folder}/{name}"
            continue
        for kind, names in LINKED.items():
            for dataset in names:
                name = catalog.relative(dataset, **fields)
                if name in files and dataset in (step.html, step.pdf, *step.writes):
                    getattr(brief, kind)[lang] = f"{folder}/{name}"
    return brief


def data_links(manifest: dict, folder: str) -> list[tuple[str, str]]:
    """The data behind a brief folder, as the index links it: its comparisons (CSV, Parquet), its executed brief
    notebook and its manifest (each only when the manifest lists it)."""
    outputs = {name for record in manifest["tasks"].values() for name in record.get("outputs", {})}
    table, notebook = catalog.relative("comparisons"), catalog.relative("brief_notebook", lang=DEFAULT_LANG)
    found = [("CSV", catalog.csv_copy(Path(table)).as_posix()), ("Parquet", table)] if table in outputs else []
    found += [("notebook", notebook)] if notebook in outputs else []
    return [(kind, f"{folder}/{name}") for kind, name in [*found, ("manifest", catalog.relative("manifest"))]]


def zone_counts(scores, brief: Brief, lang: str) -> str:
    """``12 hijau, 0 kuning`` of the pemda totals of a province's year."""
    rows = scores[(scores["year"] == brief.year) & (scores["province"] == brief.province) & (scores["opd"] == "")]
    counts = rows[rows["zone"] != ""]["zone"].value_counts()
    return ", ".join(f"{int(n)} {zone_name(zone, lang)}" for zone, n in counts.items())


def write_index(reports: Path, processed: Path) -> list[Path]:
    """Write the index in each language (``index.html``, ``index.en.html``); nothing when nothing is published."""
    found = briefs(Path(reports))
    scores_path = catalog.path("scores", processed)
    if not found or not scores_path.exists():
        return []
    scores, written = catalog.load("scores", processed), []
    facts = pemda_facts(scores, load_methods(), load_gazetteer())
    for lang in LANGS:
        for brief in found:
            brief.zones = zone_counts(scores, brief, lang) if brief.province else ""
        other = next(f"index{catalog.suffix(o)}.html" for o in LANGS if o != lang)
        written.append(
            write_text(render(found, facts, lang, other), Path(reports) / f"index{catalog.suffix(lang)}.html")
        )
    return written
