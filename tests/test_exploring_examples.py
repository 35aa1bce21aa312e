"""The exploring examples of docs/exploring.md (and the README's), as a new analyst runs them: in a new notebook on the project's kernel, with
no ``%matplotlib`` magic; every chart shows as a picture, every table as a table, the explorer as a widget."""

from __future__ import annotations

import re

import nbformat
import pytest
from nbclient import NotebookClient

from kepatuhan import settings

pytestmark = pytest.mark.e2e


def readme_examples() -> list[str]:
    """The lines of the first Python block of docs/exploring.md, then those of the README's section on exploring
    that it does not hold."""
    guide = (settings.ROOT / "docs" / "exploring.md").read_text(encoding="utf-8")
    readme = (settings.ROOT / "README.md").read_text(encoding="utf-8")
    readme = readme[readme.index("## Exploring in JupyterLab") :]
    lines = []
    for text in (guide, readme):
        block = re.search(r"```python\n(.*?)```", text, re.S).group(1)
        lines += [line for line in block.splitlines() if line.strip() and line not in lines]
    return lines


def test_the_readme_examples_show_their_charts_with_no_magic(tmp_path):
    lines = readme_examples()
    assert not any("%matplotlib" in line for line in lines) and len(lines) >= 7
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(line) for line in lines])
    NotebookClient(
        notebook, kernel_name=settings.KERNEL_NAME, timeout=600, resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    for cell in notebook.cells:
        kinds = {kind for output in cell.outputs for kind in output.get("data", {})}
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
        if re.search(r"kp\.(trend_chart|opd_chart)\(", cell.source):
            assert "image/png" in kinds, (cell.source, kinds)
        elif re.search(r"kp\.(history|compare|watch_list)\(", cell.source):
            assert "text/html" in kinds, (cell.source, kinds)
        elif "kp.explore(" in cell.source:
            assert "application/vnd.jupyter.widget-view+json" in kinds, (cell.source, kinds)
