"""The planner, without a kernel: what re-runs after each kind of change, and the stale-brief case."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from kepatuhan.pipeline.planner import Request, RunSettings, Scope, ordered, plan, recorded
from kepatuhan.pipeline.run import Work
from kepatuhan.pipeline.steps import STEPS, Step

JAMBI, NATIONAL = Scope(2023, "Jambi"), Scope(2023)
PEMDA = ("Kabupaten Kerinci", "Kota Jambi", "Kabupaten Tebo")


def request(**changes) -> Request:
    """A request for the Jambi and national briefs of 2023 with three pemda briefs."""
    base = Request(
        scopes=(NATIONAL, JAMBI),
        settings=RunSettings(lang="id", min_drop=0.01, compare_across_methods=False, pdf=True, svg=False),
        sources={
            "raw": "r1",
            "examples": "",
            "config": "c1",
            "versions": "v1",
            **{f"notebook:{s.notebook}": f"n-{s.name}" for s in STEPS},
        },
        partitions={(2023, p): f"part-{p}" for p in PEMDA},
        pemda={JAMBI: PEMDA},
    )
    return replace(base, **changes)


def replanned(changed: Request, steps=STEPS) -> set[str]:
    """Ids of the tasks that are not up to date after ``changed``, against a plan of :func:`request`."""
    before = {t.id: t.fingerprint for t in plan(steps, request(), {})}
    return {t.id for t in plan(steps, changed, before) if not t.up_to_date}


def ids(*names: str) -> set[str]:
    return set(names)


SCOPE_TASKS = ids(
    "declines@2023/nasional", "declines@2023/provinsi/jambi", "brief@2023/nasional", "brief@2023/provinsi/jambi"
)
PEMDA_TASKS = {
    f"pemda_brief@2023/provinsi/jambi/{slug}" for slug in ("kabupaten-kerinci", "kota-jambi", "kabupaten-tebo")
}


def test_tasks_and_order():
    tasks = plan(STEPS, request(), {})
    assert {t.id for t in tasks} == {"ingest"} | SCOPE_TASKS | PEMDA_TASKS
    position = {t.id: i for i, t in enumerate(tasks)}
    assert all(position[need] < position[t.id] for t in tasks for need in t.needs)
    brief = next(t for t in tasks if t.id == "pemda_brief@2023/provinsi/jambi/kota-jambi")
    assert brief.needs == ("ingest", "declines@2023/provinsi/jambi")
    assert brief.parameters == {
        "year": 2023,
        "province": "Jambi",
        "lang": "id",
        "min_drop": 0.01,
        "compare_across_methods": False,
        "pemda": "Kota Jambi",
    }


def test_nothing_changed_nothing_replanned_and_force_replans_all():
    assert replanned(request()) == set()
    before = {t.id: t.fingerprint for t in plan(STEPS, request(), {})}
    assert not any(t.up_to_date for t in plan(STEPS, request(), before, force=True))


def test_a_raw_file_replans_ingest_and_every_brief_but_no_pemda_brief_whose_data_is_the_same():
    assert replanned(request(sources={**request().sources, "raw": "r2"})) == {"ingest"} | SCOPE_TASKS


def test_one_pemdas_rows_replan_exactly_its_brief():
    partitions = {**request().partitions, (2023, "Kota Jambi"): "changed"}
    changed = request(sources={**request().sources, "raw": "r2"}, partitions=partitions)
    assert replanned(changed) == {"ingest"} | SCOPE_TASKS | {"pemda_brief@2023/provinsi/jambi/kota-jambi"}


def test_a_band_replans_everything():
    assert replanned(request(sources={**request().sources, "config": "c2"})) == {"ingest"} | SCOPE_TASKS | PEMDA_TASKS


def test_a_parameter_replans_what_takes_it():
    assert replanned(request(settings=replace(request().settings, min_drop=0.5))) == SCOPE_TASKS | PEMDA_TASKS


@pytest.mark.parametrize(
    ("notebook", "expected"),
    [
        ("brief.ipynb", ids("brief@2023/nasional", "brief@2023/provinsi/jambi")),
        ("brief_pemda.ipynb", PEMDA_TASKS),
        ("02_declines.ipynb", SCOPE_TASKS | PEMDA_TASKS),
        ("01_ingest.ipynb", {"ingest"} | SCOPE_TASKS | PEMDA_TASKS),
    ],
)
def test_one_notebook_replans_its_step_and_what_reads_from_it(notebook, expected):
    assert replanned(request(sources={**request().sources, f"notebook:{notebook}": "edited"})) == expected


def test_a_new_brief_is_planned_and_the_others_stay():
    changed = request(scopes=(NATIONAL, JAMBI, Scope(2023, "Bengkulu")))
    assert replanned(changed) == ids("declines@2023/provinsi/bengkulu", "brief@2023/provinsi/bengkulu")


def test_steps_are_ordered_by_what_they_read_not_by_position():
    names = [s.name for s in ordered(tuple(reversed(STEPS)))]
    assert names[:2] == ["ingest", "declines"] and set(names[2:]) == {"brief", "pemda_brief"}
    loop = (
        Step("a", "a.ipynb", "run", (), ("comparisons",), ("scores",), "ingest_notebook"),
        Step("b", "b.ipynb", "run", (), ("scores",), ("comparisons",), "ingest_notebook"),
    )
    with pytest.raises(ValueError, match="cycle"):
        ordered(loop)


def test_a_changed_pemda_brief_is_rendered_again_whether_asked_or_not():
    """Run all pemda, change Kota Jambi's score, then ask for Kerinci only: what was published stays published
    and current (resolve plans every published pemda brief; the planner runs the one whose data changed)."""
    first = plan(STEPS, request(), {})
    previous = {
        t.id: {"fingerprint": t.fingerprint, "unit": t.scope.key if t.scope else "processed", "pemda": t.pemda}
        for t in first
    }
    partitions = {**request().partitions, (2023, "Kota Jambi"): "45.09"}
    changed = request(sources={**request().sources, "raw": "r2"}, partitions=partitions)
    tasks = plan(STEPS, changed, recorded(previous))
    resolved = SimpleNamespace(asked={NATIONAL: set(), JAMBI: {"Kabupaten Kerinci"}}, previous=previous)
    work = Work.of(tasks, resolved)
    assert work.removed == {}
    assert {t.id for t in work.carried} == {
        "pemda_brief@2023/provinsi/jambi/kabupaten-kerinci",
        "pemda_brief@2023/provinsi/jambi/kabupaten-tebo",
    }
    assert {t.id for t in work.to_run} == {"ingest", "pemda_brief@2023/provinsi/jambi/kota-jambi"} | SCOPE_TASKS
    assert work.units == [NATIONAL.key, JAMBI.key]


def test_a_published_pemda_brief_whose_pemda_left_the_data_is_removed():
    first = plan(STEPS, request(), {})
    previous = {t.id: {"fingerprint": t.fingerprint, "unit": t.scope.key if t.scope else "processed"} for t in first}
    fewer = request(pemda={JAMBI: ("Kabupaten Kerinci", "Kabupaten Tebo")})
    work = Work.of(
        plan(STEPS, fewer, recorded(previous)),
        SimpleNamespace(asked={NATIONAL: set(), JAMBI: set()}, previous=previous),
    )
    assert work.removed == {JAMBI.key: ["pemda_brief@2023/provinsi/jambi/kota-jambi"]}
    assert [t.id for t in work.to_run] == ["brief@2023/provinsi/jambi"]  # its links to the pemda briefs changed


def test_a_national_step_runs_once_for_the_national_overview_not_per_province():
    national = Step(
        "index", "brief.ipynb", "national", ("year",), reads=("scores",), writes=(), notebook_output="brief_notebook"
    )
    tasks = plan((*STEPS, national), request(), {})
    assert [t.id for t in tasks if t.step.name == "index"] == ["index@2023/nasional"]


def test_the_other_names_of_pemda_are_among_the_inputs_that_re_run_a_brief(tmp_path):
    """A short form or former name added to ``data/reference/nama_pemda_lain.csv`` changes how a published
    name is read: the file is hashed with the configuration, so the briefs made before are not current."""
    from kepatuhan import settings
    from kepatuhan.pipeline import sources

    assert settings.OTHER_NAMES_FILE in sources.config_files()
    names = tmp_path / settings.OTHER_NAMES_FILE.relative_to(settings.ROOT)
    names.parent.mkdir(parents=True)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "bands.csv").write_text("x\n", encoding="utf-8")
    fingerprints = []
    for text in (
        "pemda,nama,jenis,tahun,sumber\n",
        "pemda,nama,jenis,tahun,sumber\nKabupaten Kerinci,Krc,singkatan,,x\n",
    ):
        names.write_text(text, encoding="utf-8")
        found = {
            "raw": [],
            "examples": [],
            "config": sources.file_entries(sources.config_files(tmp_path), tmp_path),
            "notebooks": [],
        }
        fingerprints.append(sources.hashes(found, {})["config"])
    assert fingerprints[0] != fingerprints[1]


def test_asking_for_svg_renders_the_province_and_national_briefs_again_and_passes_it_to_them():
    """SVG figures are written by the province and national briefs only: ``--svg`` re-renders those (their
    outputs differ) and nothing else, and their notebooks are given it."""
    changed = request(settings=replace(request().settings, svg=True))
    assert replanned(changed) == ids("brief@2023/nasional", "brief@2023/provinsi/jambi")
    briefs = [t for t in plan(STEPS, changed, {}) if t.step.name == "brief"]
    assert briefs and all(t.parameters["svg"] is True for t in briefs)


def test_files_a_brief_made_before_and_not_now_are_named_for_the_log():
    from kepatuhan.pipeline.run import no_longer_made

    previous = {"brief@x": {"outputs": {"figures/map.png": "a", "figures/map.svg": "b"}}, "pemda@y": {"outputs": {}}}
    records = {"2023/provinsi/jambi": {"brief@x": {"outputs": {"figures/map.png": "c"}}, "new@z": {"outputs": {}}}}
    assert no_longer_made(records, previous) == ["2023/provinsi/jambi/figures/map.svg"]
