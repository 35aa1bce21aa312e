"""Notebooks: committed without outputs, one tagged parameters cell, parameters the pipeline passes."""

from __future__ import annotations

import nbformat
import papermill as pm
import pytest

from kepatuhan import config
from kepatuhan.runner import STEPS

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.name for p in NOTEBOOKS} >= {s.notebook for s in STEPS} | {"04_explore.ipynb"}


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


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_pipeline_passes_only_declared_parameters(step):
    declared = set(pm.inspect_notebook(str(config.NOTEBOOKS_DIR / step.notebook)))
    assert set(step.parameters) <= declared


def test_brief_takes_a_pemda():
    assert "pemda" in pm.inspect_notebook(str(config.NOTEBOOKS_DIR / "brief.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_import_the_package_not_each_other(path):
    source = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code")
    assert "from kepatuhan" in source
    assert "def " not in source and "class " not in source, "logic belongs in the package"
