"""The briefs as a reader sees them: headless Chromium renders a province brief and a pemda brief to PNG;
every figure loads, the page has a sensible height and no horizontal scrollbar; the PDF is A4 with page
numbers and no chart split across pages.

Chromium is Debian's (``make test`` installs it when it can); where there is none the browser tests
are skipped with a message saying so. Screenshots are kept in ``build/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from kepatuhan import settings

pytestmark = pytest.mark.e2e
SCREENSHOTS = settings.ROOT / "build" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {"province": "2023/provinsi/jambi/brief", "pemda": "2023/provinsi/jambi/pemda/kabupaten-kerinci"}


def chromium_path() -> str | None:
    """Debian's Chromium, or the one ``KEPATUHAN_CHROMIUM`` names."""
    return os.environ.get("KEPATUHAN_CHROMIUM") or next(
        (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None
    )


@pytest.fixture(scope="module")
def briefs(published):
    return published.base / "reports"


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip(
            "headless Chromium is not installed here (Debian: apt-get install chromium; `make test` installs it "
            "when it runs as root with apt): the browser checks were skipped"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.mark.parametrize("which", list(PAGES))
@pytest.mark.parametrize("width", [1280, 760])
def test_the_brief_renders_whole_in_a_browser(briefs, browser, which, width):
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto((briefs / f"{PAGES[which]}.html").as_uri())
    page.wait_for_load_state("load")
    height = page.evaluate("document.documentElement.scrollHeight")
    images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.alt])")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{which}-{width}.png"), full_page=True)
    page.close()
    assert 1200 < height < 25_000, height
    assert images and all(done and natural > 0 for done, natural, _ in images), images
    assert overflow <= 0, f"horizontal scrollbar: {overflow} px too wide"
    if which == "province":
        assert len(images) >= 5 and any("Provinsi Jambi" in alt for _, _, alt in images)


@pytest.mark.parametrize("which", list(PAGES))
def test_the_pdf_is_a4_with_page_numbers_and_whole_charts(briefs, which):
    import weasyprint

    html = briefs / f"{PAGES[which]}.html"
    pdf = html.with_suffix(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    document = weasyprint.HTML(filename=str(html)).render()
    first = document.pages[0]
    assert (round(first.width * 25.4 / 96), round(first.height * 25.4 / 96)) == (210, 297)
    numbers = [text for page in document.pages for text in texts(page._page_box) if re.fullmatch(r"\d+ / \d+", text)]
    assert numbers == [f"{i} / {len(document.pages)}" for i in range(1, len(document.pages) + 1)]
    for page in document.pages:
        bottom = page.height - page._page_box.margin_bottom
        assert all(box.position_y + box.height <= bottom + 1 for box in images(page._page_box)), (
            "a chart runs off a page"
        )
    ends = [last_block(page._page_box) for page in document.pages]
    assert not [i for i, box in enumerate(ends, 1) if box.element_tag in ("h2", "h3")], "a heading ends a page"
    assert {box.element_tag for box in flow_blocks(document.pages[-1]._page_box)} - {"p"}, (
        "the last page holds only text"
    )


def flow_blocks(page_box) -> list:
    """The blocks of a page's own content (headings, paragraphs, figures, tables, lists), not its margins'."""

    def walk(box):
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    roots = [c for c in page_box.children if type(c).__name__ != "MarginBox"]
    return [
        b
        for r in roots
        for b in walk(r)
        if getattr(b, "element_tag", None) in ("h2", "h3", "p", "figure", "table", "ul")
        and b.height > 0
        and "running" not in (b.element.get("class") or "")
    ]


def last_block(page_box):
    """The block lowest on a page."""
    return max(flow_blocks(page_box), key=lambda b: b.position_y + b.height)


@pytest.mark.parametrize("which", list(PAGES))
def test_the_pdf_is_printed_from_a_lean_copy_with_the_bytes_of_the_page_itself(briefs, which):
    """The pipeline prints a lean copy of the brief (``export.printable``): a real brief takes that path,
    and its PDF is byte for byte what WeasyPrint makes from the published HTML as it is."""
    import weasyprint

    from kepatuhan.brief.export import printable, remember_font_subsets

    html = briefs / f"{PAGES[which]}.html"
    lean, css = printable(html.read_text(encoding="utf-8"))
    assert css and "output_wrapper" not in lean and "<style>" not in lean
    remember_font_subsets()  # WeasyPrint's own print subsets the fonts as the pipeline's did (same date)
    plain = weasyprint.HTML(filename=str(html), base_url=str(html.parent)).write_pdf()
    assert html.with_suffix(".pdf").read_bytes() == plain


def texts(box):
    """Every text in a WeasyPrint box tree."""
    if hasattr(box, "text"):
        yield box.text.strip()
    for child in getattr(box, "children", []):
        yield from texts(child)


def images(box):
    """Every image box in a WeasyPrint box tree."""
    if type(box).__name__.endswith("ReplacedBox"):
        yield box
    for child in getattr(box, "children", []):
        yield from images(child)


@pytest.fixture(scope="module")
def national_552(tmp_path_factory):
    """A synthetic year with every one of the 552 pemda (seeded scores), briefed nationally with its PDF."""
    import numpy as np
    import pandas as pd
    from conftest import pipeline

    from kepatuhan.reference.gazetteer import load_gazetteer

    base = tmp_path_factory.mktemp("national552")
    names = load_gazetteer().table[["pemda", "province"]]
    scores = np.random.default_rng(552).normal(82, 9, len(names)).clip(20, 100).round(2)
    (base / "raw").mkdir()
    pd.DataFrame({"tahun": 2024, "provinsi": names["province"], "pemda": names["pemda"], "nilai": scores}).to_csv(
        base / "raw" / "semua.csv", index=False
    )
    done = pipeline(
        "run",
        "--raw",
        str(base / "raw"),
        "--province",
        "nasional",
        "--reports",
        str(base / "r"),
        "--processed",
        str(base / "p"),
    )
    assert done.returncode == 0, done.stderr
    return base / "r" / "2024" / "nasional"


def test_no_chart_of_the_national_pdf_runs_off_its_page(national_552):
    import weasyprint

    document = weasyprint.HTML(filename=str(national_552 / "brief.html")).render()
    assert (national_552 / "brief.pdf").read_bytes().startswith(b"%PDF")
    seen = 0
    for page in document.pages:
        top, bottom = page._page_box.margin_top, page.height - page._page_box.margin_bottom
        for box in images(page._page_box):
            seen += 1
            assert top - 1 <= box.position_y and box.position_y + box.height <= bottom + 1, "a chart runs off its page"
    assert seen >= 3  # ranking, map and zones (no trend for 552 pemda, no OPD or declines in one year)


def local_links(page) -> list[str]:
    """Every link of a page that points at a file of the published set (not a web address)."""
    hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))")
    return [h for h in hrefs if not h.startswith(("http://", "https://", "#", "mailto:", "data:"))]


def test_the_index_finds_sorts_and_links_every_brief(published, browser):
    """As a journalist would: open the index from disk, search a pemda, sort by score, follow the links to a
    province brief, a pemda brief and a PDF; no link is broken and no script fails."""
    from urllib.parse import urljoin
    from urllib.request import url2pathname

    index = published.base / "reports" / "index.html"
    page, errors = browser.new_page(viewport={"width": 1280, "height": 900}), []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(index.as_uri())
    assert index.stat().st_size < 1_000_000
    page.fill("#search", "kerinci")
    visible = page.evaluate(
        "Array.from(document.querySelectorAll('#pemda tbody tr')).filter(r => r.style.display !== 'none').map(r => r.cells[0].textContent)"
    )
    assert visible == ["Kabupaten Kerinci"] and page.inner_text("#count").startswith("1 /")
    for typed, expected in (
        ("tanjabbar", "Kabupaten Tanjung Jabung Barat"),
        ("tanjungjabungbarat", "Kabupaten Tanjung Jabung Barat"),
        ("kota  jambi", "Kota Jambi"),
    ):  # a short form, a name without its spaces, spaces doubled
        page.fill("#search", typed)
        found = page.evaluate(
            "Array.from(document.querySelectorAll('#pemda tbody tr')).filter(r => r.style.display !== 'none').map(r => r.cells[0].textContent)"
        )
        assert expected in found, (typed, found)
    page.fill("#search", "")
    page.click("#pemda th:nth-child(4)")  # score, highest first
    scores = page.evaluate(
        "Array.from(document.querySelectorAll('#pemda tbody tr')).map(r => r.cells[3].getAttribute('data-value')).filter(v => v)"
    )
    assert [float(s) for s in scores] == sorted((float(s) for s in scores), reverse=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
    seen = {}
    for start in [index]:
        page.goto(start.as_uri())
        for href in local_links(page):
            seen[href] = url2pathname(urljoin(start.as_uri(), href)[len("file://") :])
    assert all(os.path.exists(path) for path in seen.values()), [h for h, p in seen.items() if not os.path.exists(p)]
    pdf = next(p for h, p in seen.items() if h.endswith(".pdf"))
    assert Path(pdf).read_bytes()[:4] == b"%PDF"
    province = next(p for h, p in seen.items() if h.endswith("provinsi/jambi/brief.html"))
    pemda = follow(page, province, "province")["pemda/kabupaten-kerinci.html"]
    back = follow(page, pemda, "pemda")
    assert any(h.endswith("brief.html") for h in back) and any(h.endswith("index.html") for h in back)
    page.close()
    assert not errors, errors


def follow(page, path: str, name: str) -> dict[str, str]:
    """Open a published page, check that every link of it leads to a file, keep a screenshot; its links."""
    from urllib.parse import urljoin
    from urllib.request import url2pathname

    page.goto("file://" + path)
    links = {href: url2pathname(urljoin("file://" + path, href)[len("file://") :]) for href in local_links(page)}
    assert all(os.path.exists(target) for target in links.values()), (
        name,
        [h for h, t in links.items() if not os.path.exists(t)],
    )
    page.screenshot(path=str(SCREENSHOTS / f"index-{name}.png"), full_page=True)
    return links
