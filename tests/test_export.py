"""The PDF is printed from a lean copy of the brief's HTML (stylesheet parsed once per process, nbconvert's
wrapper <div>s dropped) and must come out exactly as WeasyPrint prints the published HTML itself."""

from __future__ import annotations

import os

import pytest

from kepatuhan.brief.export import export_pdf, printable, remember_font_subsets

STYLE = "<style>\nh2 { margin: 1rem 0; }\n.output_html { overflow-x: auto; }\n@media print { nav { display: none; } }\n</style>"


def page(*cells: str, style: str = STYLE) -> str:
    """A page shaped as the brief template writes it, with ``cells`` as the cells' outputs."""
    return f'<html><head>{style}</head><body><main class="brief">\n' + "".join(cells) + "</main></body></html>"


def cell(*outputs: str) -> str:
    areas = "".join(
        f'<div class="output_area">\n<div class="output_html rendered_html output_subarea output_execute_result">'
        f"{output}</div>\n</div>\n"
        for output in outputs
    )
    return f'<div class="cell">\n<div class="output_wrapper">\n<div class="output">\n{areas}</div>\n</div>\n</div>\n'


def test_the_wrappers_and_the_stylesheet_are_taken_out():
    lean, css = printable(page(cell("<h2>A</h2>"), '<div class="cell">\n</div>\n', cell("<p>B</p>")))
    assert css == STYLE.removeprefix("<style>").removesuffix("</style>")
    assert "<style>" not in lean and "output_wrapper" not in lean and "output_area" not in lean
    assert lean.count('<div class="output_html') == 2 and lean.count("<div") == lean.count("</div>") == 5
    assert (
        '<div class="output_html rendered_html output_subarea output_execute_result"><h2>A</h2></div>\n</div>' in lean
    )


@pytest.mark.parametrize(
    "html",
    [
        page(cell("<p>A</p>", "<p>B</p>")),  # a cell with two outputs
        page(cell("<p>A</p>"), style=""),  # no stylesheet
        page(cell("<p>A</p>"), style=STYLE + STYLE),  # two
        page(cell("<p>A</p>").replace("</div>\n</div>\n</div>\n</div>", "</div></div></div></div>")),
    ],
    ids=["two-outputs", "no-style", "two-styles", "other-markup"],
)
def test_html_of_another_shape_is_printed_as_it_is(html):
    assert printable(html) == (html, "")


def test_the_pdf_has_the_bytes_weasyprint_gives_for_the_page_itself(tmp_path):
    import weasyprint

    html = tmp_path / "brief.html"
    body = (
        "<h2>Judul</h2><p>"
        + "Kalimat panjang tentang nilai kepatuhan. " * 60
        + "</p><table><tr><td>1</td></tr></table>"
    )
    style = STYLE.replace(
        "}", "} @page { size: A4; @bottom-right { content: counter(page) ' / ' counter(pages); } }", 1
    )
    # Each output is a box of its own, even one whose content is not printed (the links): the margins of
    # the paragraph above and of the heading below do not collapse through it, so a lean copy that
    # dropped that box too would print the heading higher.
    cells = [
        cell("<p>Awal</p>"),
        cell("<nav>tautan</nav>"),
        cell(body),
        '<div class="cell">\n</div>\n',
        cell("<p>Akhir</p>"),
    ]
    html.write_text(page(*cells, style=style))
    remember_font_subsets()  # WeasyPrint's own print below subsets the fonts as export_pdf does
    plain = weasyprint.HTML(filename=str(html), base_url=str(tmp_path)).write_pdf()
    for attempt in range(2):  # the second with the stylesheet and fonts already loaded
        export_pdf(html, tmp_path / f"brief{attempt}.pdf")
        assert (tmp_path / f"brief{attempt}.pdf").read_bytes() == plain


def test_each_font_subset_is_made_once_a_process_and_the_pdf_keeps_its_bytes(tmp_path, monkeypatch):
    """WeasyPrint subsets each font for each PDF; the PDF module keeps the subsets (same font, same glyphs)."""
    import weasyprint
    from weasyprint.pdf.fonts import Font

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # fontTools stamps each subset it makes with the time
    same, other = tmp_path / "same.html", tmp_path / "other.html"
    same.write_text(page(cell("<h2>Nilai kepatuhan</h2><p>Kabupaten Kerinci 71,5</p>")))
    other.write_text(page(cell("<h2>Zona hijau</h2><p>Kota Jambi 88,2; Quxy</p>")))
    export_pdf(same, tmp_path / "1.pdf")
    kept = dict(Font.subset.kept)
    export_pdf(same, tmp_path / "2.pdf")
    assert Font.subset.kept == kept, "the second PDF of the same page made a subset again"
    export_pdf(other, tmp_path / "3.pdf")
    assert len(Font.subset.kept) > len(kept), "other glyphs were given a subset made for the first page"
    monkeypatch.setattr(Font, "subset", Font.subset.__wrapped__)  # WeasyPrint as it is
    for html, pdf in ((same, "1.pdf"), (same, "2.pdf"), (other, "3.pdf")):
        assert (tmp_path / pdf).read_bytes() == weasyprint.HTML(filename=str(html), base_url=str(tmp_path)).write_pdf()


def test_a_page_printed_twice_gives_the_same_pdf_where_fontTools_subsets_the_fonts(tmp_path, monkeypatch):
    """fontTools (used where HarfBuzz's subsetter is not installed) dates each subset with the time it was made."""
    import time

    from weasyprint.pdf import fonts

    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a machine without libharfbuzz-subset
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    html = tmp_path / "brief.html"
    html.write_text(page(cell("<h2>Nilai kepatuhan</h2><p>Kabupaten Kerinci 71,5 (zona hijau)</p>")))
    export_pdf(html, tmp_path / "first.pdf")
    fonts.Font.subset.kept.clear()  # the subsets made anew, a second later
    time.sleep(1.1)
    export_pdf(html, tmp_path / "second.pdf")
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_charts_compressed_pixels_go_into_the_pdf_as_they_are_with_the_bytes_weasyprint_makes(tmp_path, monkeypatch):
    """A chart's PNG (8-bit RGB, written by Pillow) is embedded without being decoded and compressed again: the PDF
    has the bytes WeasyPrint makes by re-encoding it. An interlaced PNG and one with an alpha channel, whose data a
    PDF cannot hold as it is, go WeasyPrint's own way, and their pictures are kept too."""
    import base64
    import io

    import PIL.Image
    import weasyprint
    from matplotlib.figure import Figure
    from weasyprint.images import RasterImage

    from kepatuhan.brief.charts import png_bytes

    fig = Figure(figsize=(3, 2), layout="constrained")
    fig.add_subplot().bar(["Kerinci", "Tebo"], [75.03, 88.85], color=["#f4a52a", "#2e7d32"])
    chart = png_bytes(fig)
    assert PIL.Image.open(io.BytesIO(chart)).mode == "RGB"
    others = []
    for mode, size in (("RGB", (1, 1)), ("RGBA", (40, 30))):
        buffer = io.BytesIO()
        PIL.Image.open(io.BytesIO(chart)).convert(mode).resize(size).save(buffer, format="png")
        others.append(buffer.getvalue())
    others[0] = interlaced(others[0])
    images = "".join(f'<img src="data:image/png;base64,{base64.b64encode(b).decode()}">' for b in (chart, *others))
    html = tmp_path / "brief.html"
    html.write_text(page(cell(f"<h2>Peringkat</h2>{images}")))
    export_pdf(html, tmp_path / "brief.pdf")
    taken, saved = RasterImage._get_png_data, []
    monkeypatch.setattr(PIL.Image.Image, "save", lambda image, *a, **k: saved.append(image.mode))
    for data in (chart, *others):
        taken(PIL.Image.open(io.BytesIO(data)))
    assert saved == ["RGB", "RGBA"], "only the interlaced PNG and the one with an alpha channel are encoded again"
    monkeypatch.undo()
    monkeypatch.setattr(RasterImage, "_get_png_data", staticmethod(taken.__wrapped__))  # WeasyPrint as it is
    assert (tmp_path / "brief.pdf").read_bytes() == weasyprint.HTML(
        filename=str(html), base_url=str(tmp_path)
    ).write_pdf()


def interlaced(one_pixel: bytes) -> bytes:
    """A PNG of one pixel marked interlaced (Adam7), which Pillow reads but does not write: one pixel is the same
    data either way, so only the header's flag and its checksum change."""
    import struct
    import zlib

    header = bytearray(one_pixel[12:29])  # the IHDR chunk's type and data
    header[-1] = 1
    return one_pixel[:12] + bytes(header) + struct.pack("!I", zlib.crc32(header)) + one_pixel[33:]
