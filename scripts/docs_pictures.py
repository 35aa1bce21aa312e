"""The pictures of the README (`make docs-pictures`): a province brief and the index, as a reader's browser
shows them, from the briefs `make brief` published (headless Chromium through Playwright)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "reports" / "2024" / "provinsi" / "jambi" / "brief.html"
INDEX = ROOT / "reports" / "index.html"


def main() -> int:
    """Write docs/brief.png and docs/index.png (a first screen of each, 1100 px wide)."""
    chromium = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
    if not BRIEF.exists() or not INDEX.exists() or chromium is None:
        print("run `make brief` first, with Chromium installed", file=sys.stderr)
        return 1
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1100, "height": 820})
        page.goto(BRIEF.as_uri())
        page.screenshot(path=str(ROOT / "docs" / "brief.png"))
        page.goto(INDEX.as_uri())
        page.fill("#search", "sulsel")  # a short name finds the province's pemda
        page.evaluate("document.getElementById('search').scrollIntoView()")
        page.screenshot(path=str(ROOT / "docs" / "index.png"))
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
