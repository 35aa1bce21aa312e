"""Turning an executed brief notebook into files a reader opens: HTML without code, and an A4 PDF.

The HTML uses the ``brief`` template (the cells' output only, one stylesheet for screen and print,
nothing loaded from the network), so it reads offline; figures are embedded as PNG data. One
exporter is kept per process, because loading its templates is the slow part. The PDF is made from
that HTML by WeasyPrint (page numbers, a running footer, no chart split across pages): it installs
from the package index (and conda-forge), and needs no browser downloaded at run time.
"""

from __future__ import annotations

import functools
from pathlib import Path

from kepatuhan.outputs import atomic_path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@functools.cache
def relaxed_validator():
    """nbformat's schema validator for notebooks in conversion, compiled once.

    nbformat compiles it anew on every call with ``relax_add_props`` (about 30 ms a time), and
    nbconvert validates after each preprocessor: most of an export's time went there.
    """
    import nbformat.v4
    from nbformat.validator import _get_schema_json, _relax_additional_properties, get_current_validator

    return get_current_validator()(_relax_additional_properties(_get_schema_json(nbformat.v4)))


@functools.cache
def _exporter():
    """The HTML exporter of this process (templates compiled once, validation once per export)."""
    from nbconvert import HTMLExporter

    class BriefExporter(HTMLExporter):
        def _validate_preprocessor(self, nbc, preprocessor):
            relaxed_validator().validate(nbc)

    return BriefExporter(
        template_name="brief",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,
    )


def export_html(notebook, destination: Path, title: str, lang: str = "id") -> Path:
    """Convert an executed notebook (a path, or the notebook itself) to HTML without code cells, atomically.

    Cell ids are renumbered, so the same notebook outputs always give the same HTML (papermill
    gives its injected cell a random id). ``title`` is the page title, ``lang`` the page language.
    """
    import copy

    import nbformat

    node = copy.deepcopy(notebook) if isinstance(notebook, dict) else nbformat.read(str(notebook), as_version=4)
    for position, cell in enumerate(node.cells):
        cell["id"] = f"cell-{position}"
    exporter = _exporter()
    exporter.language_code = lang
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": title}})
    with atomic_path(Path(destination)) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return Path(destination)


def export_pdf(html: Path, destination: Path) -> Path:
    """Print a brief's HTML to an A4 PDF with WeasyPrint, written atomically."""
    import weasyprint

    with atomic_path(Path(destination)) as tmp:
        weasyprint.HTML(filename=str(html), base_url=str(Path(html).parent)).write_pdf(str(tmp))
    return Path(destination)
