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

import pytest

from kepatuhan import settings

pytestmark = pytest.mark.e2e
SCREENSHOTS = settings.ROOT / "build" / "screenshots"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]  # fmt: skip
PAGES = {"province": "2023/provinsi/jambi/brief", "pemda": "2023/provinsi/jambi/pemda/kabupaten-kerinci"}


def chromium_path() -> str | None:
    """Debian's Chromium, or the one ``KEPATUHAN_CHROMIUM`` names."""
    return os.environ.get("KEPATUHAN_CHROMIUM") or next(
        (found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))), None)


@pytest.fixture(scope="module")
def briefs(published):
    return published.base / "reports"


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("headless Chromium is not installed here (Debian: apt-get install chromium; `make test` installs it "
                    "when it runs as root with apt): the browser checks were skipped")  # fmt: skip
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
        assert all(box.position_y + box.height <= bottom + 1 for box in images(page._page_box)), "a chart runs off a page"


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
