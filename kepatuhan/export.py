"""Turning an executed brief notebook into a file a reader opens: HTML without code.

The HTML uses the ``brief`` template (the lab template without anything loaded from the network),
so it reads offline; figures are embedded as PNG data. One exporter is kept per process, because
loading its templates is the slow part.
"""

from __future__ import annotations

import functools
from pathlib import Path

from kepatuhan.outputs import atomic_path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@functools.cache
def _exporter():
    """The HTML exporter of this process (templates compiled once)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="brief",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def export_html(notebook: Path, destination: Path, title: str, lang: str = "id") -> Path:
    """Convert an executed notebook to HTML without code cells, written atomically.

    Cell ids are renumbered, so the same notebook outputs always give the same HTML (papermill
    gives its injected cell a random id). ``title`` is the page title, ``lang`` the page language.
    """
    import nbformat

    node = nbformat.read(str(notebook), as_version=4)
    for position, cell in enumerate(node.cells):
        cell["id"] = f"cell-{position}"
    exporter = _exporter()
    exporter.language_code = lang
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": title}})
    with atomic_path(Path(destination)) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return Path(destination)
