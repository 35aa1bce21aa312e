"""The explorer as an analyst meets it: a real JupyterLab server (127.0.0.1, a token, bounded in time) started as
``make lab`` starts it, driven in Chromium with Playwright.

It opens ``04_explore.ipynb``, runs it, changes every control (province, pemda, a second pemda, unit, year,
tab) and reads from the page what each view shows; it saves a pipeline notebook through JupyterLab after a
session and checks that ``pipeline.py status`` still says current; it follows a brief's links inside the
server. Screenshots are kept in ``build/screenshots/`` for a person to look at.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import pipeline, sharing
from test_reader_view import CHROMIUM_FLAGS, SCREENSHOTS, chromium_path

from kepatuhan import settings

pytestmark = [pytest.mark.e2e, sharing("lab")]  # every test here uses the module's one JupyterLab server
#: How long the server, the kernel and a redraw may take on a busy machine before the test gives up.
START_SECONDS, KERNEL_MS, VIEW_MS = 90, 120_000, 60_000


@dataclass(frozen=True)
class Lab:
    root: Path
    url: str
    token: str


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, published):
    """JupyterLab on a copy of the project's notebooks and a published set, with the project's own config."""
    root = published.copy(tmp_path_factory.mktemp("lab"))
    shutil.copytree(settings.NOTEBOOKS_DIR, root / "notebooks")
    token, port = secrets.token_hex(16), free_port()
    jupyter = Path(sys.executable).with_name("jupyter")
    log = (root / "server.log").open("w")
    server = subprocess.Popen(
        [
            str(jupyter),
            "lab",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--config={settings.ROOT / 'jupyter_server_config.py'}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=root,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(url, token, server)
        yield Lab(root, url, token)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def wait_for_server(url: str, token: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"JupyterLab ended with {server.returncode} before it answered")
        try:
            with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer within {START_SECONDS} s")


@pytest.fixture(scope="module")
def page(lab):
    path = chromium_path()
    if path is None:
        pytest.skip("headless Chromium is not installed here: the JupyterLab checks were skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        tab = browser.new_page(viewport={"width": 1400, "height": 1000})
        tab.set_default_timeout(VIEW_MS)
        yield tab
        browser.close()


def open_notebook(page, lab: Lab, notebook: str) -> None:
    """Open a notebook in JupyterLab and wait until it is loaded and its kernel idle."""
    page.goto(f"{lab.url}/lab/tree/{notebook}?token={lab.token}")
    page.wait_for_function(
        f"() => {{ const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        f" return w && w.context && w.context.path === '{notebook}' && w.context.isReady && w.sessionContext"
        f" && w.sessionContext.session && w.sessionContext.session.kernel"
        f" && w.sessionContext.session.kernel.status === 'idle'; }}",
        timeout=KERNEL_MS,
    )


def open_and_run(page, lab: Lab, notebook: str) -> None:
    """Open a notebook in JupyterLab, run every cell and wait until every cell ran."""
    open_notebook(page, lab, notebook)
    run_all(page)


def run_all(page) -> None:
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget; return w.content.widgets.every("
        "c => c.model.type !== 'code' || (c.model.executionCount !== null && c.promptNode.textContent.indexOf('*') < 0)); }",
        timeout=KERNEL_MS,
    )


#: The legend of the chart the explorer shows now (the charts of the other tabs are in the page, hidden).
LEGEND = (
    "Array.from(document.querySelectorAll('.widget-tab .js-plotly-plot')).filter(p => p.offsetParent !== null)"
    ".flatMap(p => Array.from(p.querySelectorAll('.legendtext')).map(e => e.textContent))"
)


def visible_panel(page):
    """The tab panel the explorer shows now."""
    return page.locator(".widget-tab .widget-tab-contents > .lm-Widget").filter(has=page.locator("h3:visible")).first


def wait_legend(page, test: str) -> list[str]:
    """Wait until the shown chart's legend passes ``test`` (JavaScript on ``names``); its names."""
    page.wait_for_function(f"() => {{ const names = {LEGEND}; return names.length > 0 && ({test}); }}")
    return page.evaluate(f"() => {LEGEND}")


def choose(page, label: str, *values: str) -> None:
    """Choose in the explorer's control labelled ``label`` (a dropdown or the multiple pemda list)."""
    control = page.locator(f".widget-inline-hbox:has(> label:text-is('{label}')) select").first
    control.select_option(list(values))


def wait_text(page, text: str) -> None:
    """Wait until the explorer shows ``text`` (in a heading, a sentence, a chart or a table of the shown tab)."""
    page.locator(".widget-tab").get_by_text(text, exact=False).locator("visible=true").first.wait_for(state="visible")


def show_tab(page, title: str) -> None:
    page.locator(".widget-tab .lm-TabBar-tab", has_text=title).first.click()


def test_the_explorer_in_jupyterlab_follows_every_control(page, lab):
    open_and_run(page, lab, "notebooks/04_explore.ipynb")
    names = wait_legend(page, "true")
    first = page.locator(".widget-select-multiple select option:checked").first.inner_text().replace("\xa0", " ")
    assert names[0] == first and first.startswith(("Kabupaten", "Kota", "Provinsi"))
    choose(page, "Provinsi", "Bengkulu")
    wait_legend(page, "names.join('|') === 'Kabupaten Bengkulu Selatan'")  # its pemda with the longest series
    wait_text(page, "Tren nilai: Kabupaten Bengkulu Selatan")
    choose(page, "Pemda", "Kota Bengkulu")
    wait_legend(page, "names.join('|') === 'Kota Bengkulu'")
    choose(page, "Pemda", "Kota Bengkulu", "Provinsi Bengkulu")  # a second pemda, overlaid
    wait_legend(page, "names.join('|') === 'Kota Bengkulu|Provinsi Bengkulu'")
    page.locator(".js-plotly-plot:visible .scatterlayer .point").first.hover(
        force=True
    )  # plotly listens above: hover: the pemda, its year, score and source
    hover = page.locator(".js-plotly-plot:visible .hoverlayer .hovertext").first
    hover.wait_for(state="visible")
    said = hover.text_content()  # an SVG text: its words, without the line breaks
    assert "Kota Bengkulu" in said and "Nilai: " in said and "Sumber: " in said, said
    page.screenshot(path=str(SCREENSHOTS / "lab-explorer-trend.png"))
    choose(page, "Provinsi", "Jambi")
    choose(page, "Pemda", "Kabupaten Tanjung Jabung Barat")
    choose(page, "Unit", "Dinas Sosial")
    wait_legend(page, "names.includes('Dinas Sosial, Kabupaten Tanjung Jabung Barat')")
    show_tab(page, "OPD")
    wait_text(page, "Nilai OPD per tahun: Kabupaten Tanjung Jabung Barat")
    assert "Dinas Sosial" in visible_panel(page).inner_text()
    choose(page, "Tahun", "2023")
    show_tab(page, "Daftar pantau")
    wait_text(page, "Daftar pantau Provinsi Jambi, 2023")
    watch = visible_panel(page).inner_text().replace("\xa0", " ")
    assert "Kabupaten Kerinci" in watch and "-12,28" in watch and "zona turun dari hijau ke kuning" in watch
    show_tab(page, "Tabel")
    wait_text(page, "Semua pemda Provinsi Jambi, 2023")
    page.locator(".widget-tab input[type=search]:visible").first.fill("Kerinci")  # the table searches
    table = visible_panel(page).inner_text().replace("\xa0", " ")
    assert "Kabupaten Kerinci" in table and "75,03" in table and "Kota Jambi" not in table
    show_tab(page, "Peta")
    wait_text(page, "Zona kepatuhan kabupaten/kota, Provinsi Jambi 2023")
    assert "Unduh CSV" in visible_panel(page).inner_text()
    visible_panel(page).scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "lab-explorer-map.png"))


def test_saving_a_pipeline_notebook_in_jupyterlab_keeps_the_published_set_current(page, lab):
    notebook = lab.root / "notebooks" / "brief.ipynb"
    status = (
        "status",
        "--reports",
        str(lab.root / "reports"),
        "--processed",
        str(lab.root / "processed"),
        "--notebooks",
        str(lab.root / "notebooks"),
        "--json",
    )
    before = pipeline(*status)
    assert before.returncode == 0, before.stdout[-2000:]
    open_notebook(page, lab, "notebooks/brief.ipynb")
    page.evaluate("""() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells;
        for (let i = 0; i < cells.length; i++) { const cell = cells.get(i);
          if ((cell.getMetadata('tags') || []).includes('parameters')) {
            cell.sharedModel.setSource(cell.sharedModel.getSource().replace('province: str = ""', 'province: str = "Bengkulu"')); } } }""")
    run_all(page)
    page.keyboard.press("Control+s")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    saved = json.loads(notebook.read_text(encoding="utf-8"))
    assert 'province: str = \\"Bengkulu\\"' in json.dumps(saved) and all(
        c.get("outputs", []) == [] for c in saved["cells"] if c["cell_type"] == "code"
    )
    after = pipeline(*status)
    state = json.loads(after.stdout)
    assert after.returncode == 0 and all(brief["current"] for brief in state["briefs"]), after.stdout[-2000:]


def test_a_briefs_links_work_inside_the_server(page, lab):
    page.goto(f"{lab.url}/lab?token={lab.token}")
    page.goto(f"{lab.url}/kepatuhan/reports/2023/provinsi/jambi/brief.html")
    assert "Jambi" in page.title() and page.evaluate("Array.from(document.images).every(i => i.naturalWidth > 0)")
    page.locator("nav.links a").first.click()
    page.wait_for_url("**/kepatuhan/reports/index.html")
    page.locator("a[href$='2023/provinsi/jambi/brief.html']").first.click()  # a province brief
    page.wait_for_url("**/2023/provinsi/jambi/brief.html")
    page.locator("nav.links details summary").first.click()
    page.locator("nav.links a", has_text="Kabupaten Kerinci").first.click()  # one of its pemda briefs
    page.wait_for_url("**/2023/provinsi/jambi/pemda/kabupaten-kerinci.html")
    page.locator("nav.links a").nth(1).click()  # back to the province brief
    page.wait_for_url("**/2023/provinsi/jambi/brief.html")
    with page.expect_download() as download:  # the data behind it: the comparisons as CSV
        page.locator("details.data-links summary").click()
        page.locator("details.data-links a", has_text="CSV").first.click()
    assert Path(download.value.path()).read_text(encoding="utf-8").startswith("year,province,pemda,opd")
