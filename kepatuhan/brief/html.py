"""HTML fragments of the briefs, rendered from Jinja2 templates with autoescape.

Every text that comes from data (names, notes, sources) is escaped by the template engine, so a
name such as ``<script>`` is shown as text. Links are only made from web addresses
(:func:`safe_url`). The templates live in ``kepatuhan/templates/html/``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent / "templates" / "html"


@functools.cache
def environment():
    """The Jinja2 environment of the fragments (autoescape on, compiled templates kept)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # heavy

    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context) -> str:
    """One fragment as HTML text."""
    return environment().get_template(f"{template}.html.j2").render(**context)


def shown(template: str, **context):
    """One fragment as an IPython ``HTML`` object, for a notebook cell to display."""
    from IPython.display import HTML  # heavy

    return HTML(render(template, **context))


def safe_url(text: str) -> str:
    """The web address a source starts with (``https://`` added to bare domains), or "" when it has none."""
    first = str(text).split(" ")[0]
    if re.fullmatch(r"https?://[^\s\"'<>]+", first):
        return first
    if re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+(/[^\s\"'<>]*)?", first, flags=re.I):
        return "https://" + first
    return ""
