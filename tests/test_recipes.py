"""A notebook is its recipe: what a person's session leaves in it (outputs, counts, widget state, metadata,
a parameter the pipeline sets anyway) changes no fingerprint, so saving it in JupyterLab leaves every
published brief current; a change to what the pipeline runs re-plans what depends on it."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from kepatuhan import settings
from kepatuhan.pipeline import sources
from kepatuhan.pipeline.planner import Request, RunSettings, Scope, plan
from kepatuhan.pipeline.steps import STEPS, passed, step

JAMBI = Scope(2023, "Jambi")


@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(settings.NOTEBOOKS_DIR, folder)
    return folder


def fingerprints(folder) -> dict[str, str]:
    """The fingerprint of every task of a Jambi brief with one pemda brief, planned from ``folder``'s notebooks."""
    entries = sources.inputs(settings.RAW_DIR, None, [folder / s.notebook for s in STEPS])
    hashes = sources.hashes(entries, {"pandas": "x"})
    request = Request(
        (JAMBI,),
        RunSettings(lang="id", min_drop=0.01, compare_across_methods=False, pdf=True, svg=False),
        hashes,
        {(2023, "Kota Jambi"): "p"},
        {JAMBI: ("Kota Jambi",)},
    )
    return {t.id: t.fingerprint for t in plan(STEPS, request, {})}


def as_a_session_saves_it(path, province: str = "Bengkulu") -> None:
    """What running and saving a notebook in JupyterLab leaves in it: outputs, counts, widget state, kernel
    metadata, and an edited parameter the pipeline sets anyway."""
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells):
        if cell.cell_type == "code":
            cell.execution_count = number
            cell.outputs = [nbformat.v4.new_output("stream", text="printed\n")]
            cell.metadata["execution"] = {"iopub.status.busy": "2026-12-07T05:00:00"}
            if "parameters" in cell.metadata.get("tags", []):
                cell.source = cell.source.replace('province: str = ""', f'province: str = "{province}"')
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    notebook.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    nbformat.write(notebook, path)


def test_saving_a_notebook_after_a_session_changes_no_fingerprint(notebooks):
    before = fingerprints(notebooks)
    for name in ("brief.ipynb", "brief_pemda.ipynb", "02_declines.ipynb", "01_ingest.ipynb"):
        as_a_session_saves_it(notebooks / name)
    assert (notebooks / "brief.ipynb").read_bytes() != (settings.NOTEBOOKS_DIR / "brief.ipynb").read_bytes()
    assert fingerprints(notebooks) == before


def test_a_change_to_what_runs_replans_what_depends_on_it(notebooks):
    before = fingerprints(notebooks)
    path = notebooks / "brief_pemda.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[-1].source += "\n# a new line of code"
    nbformat.write(notebook, path)
    after = fingerprints(notebooks)
    assert {task for task in after if after[task] != before[task]} == {"pemda_brief@2023/provinsi/jambi/kota-jambi"}


def test_a_default_the_pipeline_keeps_counts(notebooks):
    """The declines notebook's ``lang`` is not set by the run: its default decides the executed notebook."""
    assert "lang" not in passed(step("declines"))
    before = fingerprints(notebooks)
    path = notebooks / "02_declines.ipynb"
    path.write_text(
        path.read_text(encoding="utf-8").replace('lang: str = \\"id\\"', 'lang: str = \\"en\\"'), encoding="utf-8"
    )
    after = fingerprints(notebooks)
    assert after["declines@2023/provinsi/jambi"] != before["declines@2023/provinsi/jambi"]


def test_the_recipe_reads_the_parameters_cell_as_values():
    recipe, defaults = sources.notebook_recipe(settings.NOTEBOOKS_DIR / "brief.ipynb")
    assert len(recipe) == 64 and defaults["year"] == 0 and defaults["min_drop"] == 0.01 and defaults["province"] == ""
    assert sources.parameter_defaults("x = 1\nprint(x)") == {"(cell)": "x = 1\nprint(x)"}  # not plain assignments


def test_the_pipeline_passes_what_the_planner_leaves_out(tmp_path):
    """``steps.passed`` (what a fingerprint leaves to the task's own parameters) is what a job really gets."""
    from types import SimpleNamespace

    from kepatuhan.pipeline.options import RunOptions
    from kepatuhan.pipeline.task_jobs import job_for

    options = RunOptions(reports_dir=tmp_path / "r", processed_dir=tmp_path / "p").absolute()
    staging = SimpleNamespace(staged=lambda unit: tmp_path / "staged" / str(unit))
    request = Request(
        (JAMBI,),
        RunSettings(lang="id", min_drop=0.01, compare_across_methods=False, pdf=True, svg=False),
        {},
        {(2023, "Kota Jambi"): "p"},
        {JAMBI: ("Kota Jambi",)},
    )
    for task in plan(STEPS, request, {}):
        assert set(job_for(task, staging, options).parameters) == passed(task.step), task.id


def test_jupyterlab_saves_recipes_without_outputs(tmp_path):
    """The pre-save hook of ``make lab`` (jupyter_server_config.py) strips notebooks under notebooks/ only."""
    config = {}
    code = (settings.ROOT / "jupyter_server_config.py").read_text()
    exec(
        compile(code, "jupyter_server_config.py", "exec"),
        {"get_config": lambda: _Config(config), "__file__": str(settings.ROOT / "jupyter_server_config.py")},
    )
    hook = config["FileContentsManager.pre_save_hook"]
    path = tmp_path / "brief.ipynb"
    shutil.copy(settings.NOTEBOOKS_DIR / "brief.ipynb", path)
    as_a_session_saves_it(path)
    for where, stripped in (("notebooks/brief.ipynb", True), ("scratch/brief.ipynb", False)):
        model = {"type": "notebook", "content": json.loads(path.read_text())}
        hook(model, where)
        outputs = [c.get("outputs") for c in model["content"]["cells"] if c["cell_type"] == "code"]
        assert all(o == [] for o in outputs) is stripped, where
        assert ("widgets" in model["content"]["metadata"]) is not stripped


class _Config:
    """Enough of Jupyter's config object to read the project's config file: ``c.Section.name = value``."""

    def __init__(self, found: dict):
        object.__setattr__(self, "found", found)

    def __getattr__(self, section: str):
        found = self.found

        class Section:
            def __setattr__(self, name, value):
                found[f"{section}.{name}"] = value

        return Section()
