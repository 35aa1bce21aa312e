"""The direct-call baseline of a brief: its notebook's code run in this process, without a kernel.

The same cells, the same parameters, the same package calls, exported by the same HTML exporter and
printed to PDF by WeasyPrint: what a brief costs without papermill, a kernel and nbclient. Used by
``bench_briefs.py`` (benchmark 4) to print, per pemda brief, the pipeline's time against this one,
after checking that both briefs show the same text, tables and images. Not used by the pipeline.
"""

from __future__ import annotations

import ast
import functools
import time
from pathlib import Path


@functools.cache
def shell():
    """This process's IPython shell (made once): it formats values as the kernel's display hook does."""
    from IPython.core.interactiveshell import InteractiveShell

    class Shell(InteractiveShell):
        def enable_gui(self, gui=None):
            """``%matplotlib inline`` needs no event loop."""

    return Shell.instance()


def run_cell(source: str, namespace: dict) -> list:
    """Run one code cell; its display calls and the value of its last expression, as notebook outputs."""
    import nbformat
    from IPython.utils.capture import capture_output

    code = shell().transform_cell(source)
    tree = ast.parse(code)
    last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    with capture_output() as captured:
        exec(compile(tree, "<cell>", "exec"), namespace)  # noqa: S102 - the project's own notebook
        value = eval(compile(ast.Expression(last.value), "<cell>", "eval"), namespace) if last else None  # noqa: S307
    outputs = [nbformat.v4.new_output("display_data", data=o.data, metadata=o.metadata) for o in captured.outputs]
    if value is not None:
        data, metadata = shell().display_formatter.format(value)
        outputs.append(nbformat.v4.new_output("execute_result", data=data, metadata=metadata, execution_count=1))
    return outputs


def render(job: dict, html: Path, pdf: Path) -> float:
    """Render ``job``'s brief by running its notebook's cells here; seconds taken (HTML and PDF included)."""
    import nbformat

    from kepatuhan.brief.export import export_html, export_pdf

    started = time.perf_counter()
    node = nbformat.read(job["notebook"], as_version=4)
    namespace = shell().user_ns
    namespace.clear()
    namespace.update({"get_ipython": shell, **job["parameters"]})
    for cell in node.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            cell.outputs = run_cell(cell.source, namespace)
    export_html(node, html, job["title"], job["lang"])
    export_pdf(html, pdf)
    return time.perf_counter() - started
