"""Charts that show wherever a person is: a matplotlib figure returned in a notebook displays as a picture.

The package draws its figures without pyplot (no global state in a scheduled run), so IPython has no
formatter for them until ``%matplotlib inline`` registers one. The exploring functions register the
PNG formatter themselves, as that magic does, without touching matplotlib's backend: a kernel keeps
its inline backend, and a person who chose other formats (``%config InlineBackend.figure_formats``)
keeps them.
"""

from __future__ import annotations


def shown(figure):
    """``figure``, after making sure the running IPython (if any) displays matplotlib figures as PNG."""
    try:
        from IPython import get_ipython  # heavy
    except ImportError:  # not in IPython: nothing displays anything
        return figure
    shell = get_ipython()
    if shell is not None and figure is not None and not _has_figure_formatter(shell):
        from IPython.core.pylabtools import select_figure_formats  # heavy

        select_figure_formats(shell, {"png"}, bbox_inches="tight")
    return figure


def _has_figure_formatter(shell) -> bool:
    """Whether any of IPython's formatters already shows a matplotlib ``Figure`` (inline support is on)."""
    from matplotlib.figure import Figure  # heavy

    formatters = shell.display_formatter.formatters.values()
    return any(Figure in getattr(f, "type_printers", {}) for f in formatters)
