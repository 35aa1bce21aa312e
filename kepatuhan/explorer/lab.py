"""The published briefs inside JupyterLab, with links that work: ``/kepatuhan/reports/index.html``.

JupyterLab shows an HTML file in a sandboxed frame, and its ``/files/`` address refuses a request that
carries neither its XSRF token nor a referrer from the same server (its guard against another site
including a notebook's contents). A brief's links ("Semua ringkasan", the workbook, the pemda briefs)
are followed from such a frame or page with no referrer, so every one of them was refused. The briefs
are meant to be published, so this Jupyter server extension serves the ``reports/`` folder of the
server's root read-only to a signed-in person, as a static site: a brief opened there follows its links
as it does from disk or a web server. ``jupyter_server_config.py`` (``make lab``) loads it; the explorer
links to it.
"""

from __future__ import annotations

from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

from kepatuhan.explorer.views import REPORTS_ROUTE as ROUTE


class ReportsHandler(JupyterHandler, web.StaticFileHandler):
    """The files of the published set, for a signed-in person only, without the XSRF guard of ``/files/`` (the
    briefs are public documents: there is nothing in them another site could take)."""

    @web.authenticated
    async def get(self, path: str, include_body: bool = True) -> None:
        await web.StaticFileHandler.get(self, path, include_body)

    def compute_etag(self) -> str | None:
        return web.StaticFileHandler.compute_etag(self)


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "kepatuhan.explorer.lab"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """Serve ``<root>/reports`` at ``<base url>/kepatuhan/reports/`` and say where in the server's log."""
    folder = Path(serverapp.root_dir) / "reports"
    route = url_path_join(serverapp.web_app.settings["base_url"], ROUTE, "(.*)")
    serverapp.web_app.add_handlers(
        ".*$", [(route, ReportsHandler, {"path": str(folder), "default_filename": "index.html"})]
    )
    serverapp.log.info(
        "published briefs of %s: %s", folder, url_path_join(serverapp.connection_url, ROUTE, "index.html")
    )
