"""Turning an executed brief notebook into files a reader opens: HTML without code, and an A4 PDF.

The HTML uses the ``brief`` template (the cells' output only, one stylesheet for screen and print,
nothing loaded from the network), so it reads offline; figures are embedded as PNG data. One
exporter is kept per process, because loading its templates is the slow part. The PDF is made from
that HTML by WeasyPrint (page numbers, a running footer, no chart split across pages): it installs
from the package index (and conda-forge), and needs no browser downloaded at run time. WeasyPrint is
given a lean copy of the page (:func:`printable`) and keeps its fonts and the parsed stylesheet per
process, and each font subset it embeds (:func:`remember_font_subsets`), and it takes a chart's compressed
pixels as they are (:func:`pass_pngs_through`); the PDF has the bytes it would have from the page itself.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import io
import os
import re
import struct
from collections import OrderedDict
from pathlib import Path

from fontTools.misc.timeTools import epoch_diff

from kepatuhan.writing import atomic_path

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@functools.cache
def relaxed_validator():
    """nbformat's schema validator for notebooks in conversion, compiled once.

    nbformat compiles it anew on every call with ``relax_add_props`` (about 30 ms a time), and
    nbconvert validates after each preprocessor: most of an export's time went there.
    """
    import nbformat.v4  # heavy
    from nbformat.validator import _get_schema_json, _relax_additional_properties, get_current_validator  # heavy

    return get_current_validator()(_relax_additional_properties(_get_schema_json(nbformat.v4)))


@functools.cache
def _exporter():
    """The HTML exporter of this process (templates compiled once, validation once per export)."""
    from nbconvert import HTMLExporter  # heavy

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
    import nbformat  # heavy

    node = copy.deepcopy(notebook) if isinstance(notebook, dict) else nbformat.read(str(notebook), as_version=4)
    for position, cell in enumerate(node.cells):
        cell["id"] = f"cell-{position}"
    exporter = _exporter()
    exporter.language_code = lang
    body, _ = exporter.from_notebook_node(node, resources={"metadata": {"name": title}})
    with atomic_path(Path(destination)) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return Path(destination)


# nbconvert's classic template wraps each cell's output in four <div>s. The innermost one is kept
# (``output_html``: its ``overflow-x`` makes a box of its own, which the page layout depends on); the
# three around it add nothing to the page, only layout work. Exactly as the ``brief`` template writes them.
_WRAPPER_OPEN = (
    '<div class="output_wrapper">\n<div class="output">\n<div class="output_area">\n<div class="output_html '
)
_WRAPPER_CLOSE = "</div>\n</div>\n</div>\n</div>"
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@functools.cache
def _font_config():
    """One WeasyPrint font configuration per process: building one per PDF cost time and leaked memory
    (a Pango font map a document, about a quarter of a megabyte each)."""
    from weasyprint.text.fonts import FontConfiguration  # heavy

    return FontConfiguration()


@functools.lru_cache(maxsize=4)
def _stylesheet(css: str):
    """The briefs' stylesheet parsed once (keyed by its text, so a changed stylesheet is parsed anew)."""
    import weasyprint  # heavy

    return weasyprint.CSS(string=css, font_config=_font_config())


# How many font subsets a process keeps: a pemda brief's two fonts (regular and bold) come in a few
# glyph sets that recur from brief to brief (17 sets for 78 subsets in a province's 39 briefs).
FONT_SUBSETS_KEPT = 64


@functools.cache
def remember_font_subsets() -> None:
    """Make WeasyPrint subset each (font, glyph set) once per process, as it embeds fonts in a PDF.

    WeasyPrint cuts every embedded font down to the glyphs the document uses, anew for every PDF; with
    fontTools (where HarfBuzz's subsetter is not installed) that is a third of a pemda brief's PDF. The
    result depends only on the font file, the glyphs, two flags and its date (:func:`_dated_as_the_font`),
    and briefs mostly use the same glyphs, so it is kept (:data:`FONT_SUBSETS_KEPT` at most) and given
    back: the PDF has the same bytes (a test). ``Font.subset`` sets the font's ``file_content`` only.
    """
    from weasyprint.pdf.fonts import Font  # heavy

    subset, kept = Font.subset, OrderedDict()

    @functools.wraps(subset)
    def remembered(font, to_unicode, hinting):
        key = (
            hashlib.sha256(font.file_content).digest(),
            font.index,
            tuple(sorted(to_unicode)),
            bool(hinting),
            bool(font.missing),
            os.environ.get("SOURCE_DATE_EPOCH"),
        )
        if key not in kept:
            with _dated_as_the_font(font.file_content, font.index):
                subset(font, to_unicode, hinting)
            kept[key] = font.file_content
            if len(kept) > FONT_SUBSETS_KEPT:
                kept.popitem(last=False)
        kept.move_to_end(key)
        font.file_content = kept[key]

    remembered.kept = kept  # for the tests
    Font.subset = remembered


@functools.cache
def pass_pngs_through() -> None:
    """Make WeasyPrint embed the compressed pixels of a plain RGB PNG as they are, instead of decoding the PNG
    and compressing its pixels anew for the PDF.

    A PDF image with the PNG predictor holds exactly a PNG's ``IDAT`` data when the PNG is 8-bit RGB and not
    interlaced, the shape of every chart a brief embeds (:func:`kepatuhan.brief.charts.png_bytes`). WeasyPrint
    (``RasterImage._get_png_data``) saves the decoded image with Pillow's defaults and keeps that ``IDAT``; the
    charts were written by Pillow with the same defaults, so the PDF has the same bytes (a test), without a
    decoding and a compression per chart. Any other image goes WeasyPrint's own way.
    """
    from weasyprint.images import RasterImage  # heavy

    encoded = RasterImage._get_png_data

    @functools.wraps(encoded)
    def passed_through(pillow_image):
        source = getattr(pillow_image, "fp", None)
        if pillow_image.format == "PNG" and pillow_image.mode == "RGB" and isinstance(source, io.BytesIO):
            data = source.getvalue()
            if data[24:26] == bytes((8, 2)) and data[28] == 0:  # IHDR: 8 bits, RGB, not interlaced
                return png_pixels(data)
        return encoded(pillow_image)

    RasterImage._get_png_data = staticmethod(passed_through)


def png_pixels(data: bytes) -> bytes:
    """The ``IDAT`` data of a PNG (its compressed, filtered rows), joined: what a PDF image with the PNG
    predictor holds."""
    position, pixels = 8, []
    while position < len(data):
        length, kind = struct.unpack("!I4s", data[position : position + 8])
        if kind == b"IDAT":
            pixels.append(data[position + 8 : position + 8 + length])
        position += 12 + length
    return b"".join(pixels)


@contextlib.contextmanager
def _dated_as_the_font(content: bytes, index: int):
    """Let a font subset made within keep the date of its font, as HarfBuzz's subsetter does.

    fontTools dates each subset it makes with the time it is made (``head.modified``), so where it
    subsets the fonts the same brief printed twice gave two different PDFs. It takes that time from
    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set: it is set to the font's own
    date for the call, unless the user has set it.
    """
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    from fontTools.ttLib import TTFont  # heavy

    dated = TTFont(io.BytesIO(content), fontNumber=index, lazy=True)["head"].modified  # seconds since 1904
    os.environ["SOURCE_DATE_EPOCH"] = str(dated + epoch_diff)
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def printable(html: str) -> tuple[str, str]:
    """A brief's HTML as WeasyPrint lays it out fastest, and its stylesheet's text.

    The page lays out the same (the PDF has the same bytes): the stylesheet is taken out of the page to
    be parsed once per process, and nbconvert's wrapper ``<div>``s around each output are dropped. HTML
    of another shape (not one ``<style>``, a cell with several outputs, wrappers not as the template
    writes them) is returned as it is, with an empty stylesheet.
    """
    styles = _STYLE.findall(html)
    head, *cells = html.split(_WRAPPER_OPEN)
    lean = [head]
    for cell in cells:
        if cell.count(_WRAPPER_CLOSE) != 1 or "output_area" in cell.split(_WRAPPER_CLOSE)[0]:
            return html, ""
        lean.append('<div class="output_html ' + cell.replace(_WRAPPER_CLOSE, "</div>"))
    if len(styles) != 1:
        return html, ""
    return _STYLE.sub("", "".join(lean), count=1), styles[0]


def export_pdf(html: Path, destination: Path) -> Path:
    """Print a brief's HTML to an A4 PDF with WeasyPrint, written atomically (see :func:`printable`)."""
    import weasyprint  # heavy

    remember_font_subsets()
    pass_pngs_through()
    page, css = printable(Path(html).read_text(encoding="utf-8"))
    stylesheets = [_stylesheet(css)] if css else []
    document = weasyprint.HTML(string=page, base_url=str(Path(html).parent))
    with atomic_path(Path(destination)) as tmp:
        document.write_pdf(str(tmp), stylesheets=stylesheets, font_config=_font_config())
    return Path(destination)
