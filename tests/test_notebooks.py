"""Notebooks: committed without outputs, one tagged parameters cell whose defaults are the run's defaults,
only the parameters the pipeline passes, and no file names of their own (they come from the catalog)."""

from __future__ import annotations

import ast
import re
from dataclasses import MISSING, fields

import nbformat
import papermill as pm
import pytest

from kepatuhan import catalog, settings
from kepatuhan.pipeline.options import RunOptions
from kepatuhan.pipeline.steps import FOLDER_PARAMETERS, STEPS

NOTEBOOKS = sorted(settings.NOTEBOOKS_DIR.glob("*.ipynb"))


def code(path) -> str:
    return "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {s.notebook for s in STEPS} | {"03_zone_charts.ipynb", "04_explore.ipynb"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: clear the outputs"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell_with_literal_documented_defaults(path):
    notebook = nbformat.read(path, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    parameters = pm.inspect_notebook(str(path))
    assert parameters, path.name
    for name, info in parameters.items():
        assert info["help"], f"{path.name}: parameter {name} needs a comment"
        assert info["inferred_type_name"] in {"str", "int", "float", "bool"}, name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_defaults_are_the_run_defaults(path):
    """A parameter that is also a run option has the option's default (declared once, in RunOptions).

    Folders are the exception: "" in a notebook means the project's own folder, whatever the run's.
    """
    options = {f.name: f.default for f in fields(RunOptions) if f.default is not MISSING and f.type != "Path"}
    for name, info in pm.inspect_notebook(str(path)).items():
        if name in options and not isinstance(options[name], list):
            assert ast.literal_eval(info["default"]) == options[name], f"{path.name}: {name}"


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_pipeline_passes_only_declared_parameters(step):
    declared = set(pm.inspect_notebook(str(settings.NOTEBOOKS_DIR / step.notebook)))
    roots = {catalog.dataset(d).root for d in (*step.reads, *step.writes)}
    assert set(step.parameters) | {FOLDER_PARAMETERS[r] for r in roots if r in FOLDER_PARAMETERS} <= declared


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_name_no_files_of_their_own(path):
    """File names come from the catalog: a notebook holds no ``.csv``/``.png``/``.html``... literal."""
    literals = re.findall(r"[\"']([^\"'\n]*\.(?:csv|parquet|png|svg|html|xlsx|json|ipynb|pdf))[\"']", code(path))
    assert not literals, f"{path.name} names files: {literals}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_the_package_not_each_other(path):
    source = code(path)
    assert "from kepatuhan" in source or "import kepatuhan" in source
    assert "def " not in source and "class " not in source, "logic belongs in the package"


def imported_modules(source: str) -> set[str]:
    """Every module a piece of code imports (``%`` magics left out: they are not Python)."""
    tree = ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%")))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_call_the_stages_never_the_orchestrator(path):
    """A notebook imports the reading, analysis and brief layers (or the API), never ``kepatuhan.pipeline``:
    the pipeline calls down into what the notebooks call (the import-linter contracts keep the package so)."""
    modules = imported_modules(code(path))
    assert any(m.startswith("kepatuhan") for m in modules), path.name
    assert not [m for m in modules if m == "kepatuhan.pipeline" or m.startswith("kepatuhan.pipeline.")], path.name


def test_the_import_check_sees_an_import_of_the_orchestrator():
    assert "kepatuhan.pipeline.steps" in imported_modules("%matplotlib inline\nfrom kepatuhan.pipeline import steps")
    assert "kepatuhan.pipeline.steps" in imported_modules("import kepatuhan.pipeline.steps as s")
