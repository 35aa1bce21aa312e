"""The explorer for JupyterLab: controls for province, pemda (several at once), unit and year, and five tabs.

Tabs: the trend of the chosen pemda (overlaid, one unit of each when chosen), every pemda of the province
in the chosen year (a sortable, searchable table), the province map, the OPD heatmap of the first chosen
pemda, and the watch list of the year. Every view has a heading, a sentence when it is empty, hover values
(plotly) and a CSV download of its rows; the charts download as PNG from their own toolbar.

Libraries, chosen because JupyterLab renders them offline from what pip installs: ipywidgets for the
controls and tabs, plotly (its JupyterLab extension ships with it) for hover and zoom, itables' widget
(DataTables through anywidget) for tables that sort, search and export. Headless (papermill, nbval) the
explorer is displayed with its first view drawn; ``shown`` holds what each view shows, for tests.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
from IPython.display import display

from kepatuhan.api import load_scores, nothing_fell
from kepatuhan.api.lookup import Finder
from kepatuhan.brief.wording import words
from kepatuhan.catalog import slugify
from kepatuhan.explorer import figures, views
from kepatuhan.explorer.choice import Choice, first_choice, settle, units_of
from kepatuhan.reference.methods import load_methods

TABS = ("trend", "table", "map", "opd", "watch")
#: What every table of the explorer offers: paging, a search box, sorting, copy and CSV buttons, scrolling sideways.
TABLE_OPTIONS = {
    "buttons": ["copyHtml5", "csvHtml5"],
    "scrollX": True,
    "pageLength": 25,
    "classes": "display compact",
    "lengthMenu": [10, 25, 50, 100],
    "showIndex": False,
    "layout": {"topStart": {"features": ["pageLength", "buttons"]}, "topEnd": "search"},
}


class Explorer:
    """Four controls and five tabs that follow them (see the module's text)."""

    def __init__(
        self,
        scores: pd.DataFrame,
        province: str = "",
        pemda: str | list[str] = "",
        opd: str = "",
        year: int = 0,
        lang: str = "id",
    ):
        self.scores, self.lang, self.methods = scores, lang, load_methods()
        self.finder = Finder(scores, lang)
        self.shown: dict = {}
        self._filling = False
        choice, notices = first_choice(self.finder, province, pemda, opd, year)
        self._controls()
        self._tabs()
        self._apply(choice)
        for control in (self.province, self.pemda, self.opd, self.year):
            control.observe(self._changed, names="value")
        self.widget = widgets.VBox(
            [
                widgets.HBox(
                    [self.province, self.pemda, self.opd, self.year],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
                ),
                self.notice,
                self.tab,
                self.briefs,
            ],
            layout=widgets.Layout(width="100%"),
        )
        self.refresh(notices)

    def _controls(self) -> None:
        """The province, pemda, unit and year controls, their labels in the reader's language, names never cut."""
        style, say = {"description_width": "initial"}, self.say
        self.province = widgets.Dropdown(
            description=say("explore.province"),
            options=self.finder.provinces,
            style=style,
            layout=widgets.Layout(width="auto"),
        )
        self.pemda = widgets.SelectMultiple(
            description=say("explore.pemda"),
            style=style,
            rows=6,
            tooltip=say("explore.pemda_hint"),
            layout=widgets.Layout(width="auto"),
        )
        self.opd = widgets.Dropdown(description=say("explore.opd"), style=style, layout=widgets.Layout(width="auto"))
        self.year = widgets.Dropdown(description=say("explore.year"), style=style, layout=widgets.Layout(width="auto"))
        self.notice = widgets.HTML(layout=widgets.Layout(display="none"))
        self.briefs = widgets.HTML(
            f'<a style="{views.LINK_STYLE}" href="/{views.REPORTS_ROUTE}/index.html" target="_blank" rel="noopener">'
            f"{html.escape(say('explore.all_briefs'))}</a>"
        )

    def _tabs(self) -> None:
        """Each tab: a heading with its sentence, the view (a chart or a table), and its download links."""
        from itables.widget import ITable  # heavy

        self.headings = {name: widgets.HTML() for name in TABS}
        self.charts = {name: widgets.Output() for name in ("trend", "map", "opd")}
        self.tables = {name: ITable(**TABLE_OPTIONS, language=self.table_words()) for name in ("table", "watch")}
        self.downloads = {name: widgets.HTML() for name in TABS}
        views_of = {**self.charts, **self.tables}
        self.tab = widgets.Tab(
            children=[widgets.VBox([self.headings[n], views_of[n], self.downloads[n]]) for n in TABS]
        )
        self.tab.titles = [self.say(f"explore.tab_{name}") for name in TABS]

    def say(self, key: str, **values) -> str:
        return words(key, self.lang, **values)

    def table_words(self) -> dict:
        """DataTables' own words (search box, paging) in the reader's language."""
        keys = ("search", "info", "info_empty", "info_filtered", "length_menu", "zero_records")
        names = ("search", "info", "infoEmpty", "infoFiltered", "lengthMenu", "zeroRecords")
        return {
            **{name: self.say(f"explore.table_{key}") for key, name in zip(keys, names)},
            "decimal": "," if self.lang == "id" else ".",
        }

    @property
    def choice(self) -> Choice:
        """What the controls show now."""
        return Choice(self.province.value, tuple(self.pemda.value), self.opd.value or "", int(self.year.value or 0))

    def _apply(self, choice: Choice) -> None:
        """Set the controls to ``choice``, each list filled for the choices above it (no redraw meanwhile)."""
        self._filling = True
        try:
            self.province.value = choice.province
            self.pemda.options = self.finder.pemda_of(choice.province)
            self.pemda.value = choice.pemda
            self.opd.options = [
                (self.say("explore.all_units"), ""),
                *((u, u) for u in units_of(self.scores, choice.pemda)),
            ]
            self.opd.value = choice.opd
            self.year.options = self.finder.years_of(choice.province)[::-1]
            self.year.value = choice.year
        finally:
            self._filling = False

    def _changed(self, change) -> None:
        """A control changed: a new province starts on its pemda with the longest series (and keeps the year when it
        has results then); other changes keep the rest."""
        if self._filling:
            return
        choice = self.choice
        if change.owner is self.province:
            choice = Choice(change.new, (), choice.opd, choice.year)
        self._apply(settle(self.finder, choice))
        self.refresh()

    def _ipython_display_(self) -> None:
        display(self.widget)

    def figure(self, tab: str = "trend"):
        """The chart of a tab (``trend``, ``map`` or ``opd``) as a ``plotly.graph_objects.Figure``, to save
        (``.write_html(...)``) or change; None when the tab shows no chart."""
        spec = self.shown.get(tab, {}).get("figure")
        return go.Figure(spec) if spec else None

    def refresh(self, notices: list[str] | tuple[str, ...] = ()) -> None:
        """Work out and draw every view for the current choice; ``notices`` say what could not be shown as asked."""
        choice = self.choice
        self.shown = {"choice": choice, "notices": list(notices)}
        self.notice.value = "".join(f'<p class="kp-notice">{html.escape(n)}</p>' for n in notices)
        self.notice.layout.display = "block" if notices else "none"
        rows = views.province_rows(self.scores, choice)
        self._trend(choice)
        self._province_table(choice, rows)
        self._map(choice, rows)
        self._opd(choice)
        self._watch(choice, rows)

    def _show(self, name: str, heading: str, sentence: str, frame: pd.DataFrame, figure=None) -> None:
        """One tab: its heading and sentence, its chart (or table) and the CSV of its rows."""
        self.headings[name].value = f"<h3>{html.escape(heading)}</h3>" + (
            f"<p>{html.escape(sentence)}</p>" if sentence else ""
        )
        self.shown[name] = {"heading": heading, "sentence": sentence, "rows": frame, "figure": figure}
        stem = f"{self.say(f'explore.tab_{name}')} {self.choice.province} {self.choice.year}"
        link = views.download_link(frame, stem, self.lang) if len(frame) else ""
        png = (
            f'<span class="kp-hint">{html.escape(self.say("explore.download_png"))}</span>'
            if figure is not None
            else ""
        )
        self.downloads[name].value = " · ".join(part for part in (link, png) if part)
        if name in self.charts:
            output = self.charts[name]
            output.clear_output(wait=True)
            if figure is not None:
                with output:
                    display(plotly_bundle(figure, stem), raw=True)

    def _trend(self, choice: Choice) -> None:
        names = ", ".join(choice.pemda)
        figure = figures.trend_figure(self.scores, list(choice.pemda), choice.opd, choice.year, self.lang, self.methods)
        sentence = (
            self.say("explore.trend_note") if figure else self.say("explore.no_trend", names=names, year=choice.year)
        )
        self._show(
            "trend",
            self.say("explore.heading_trend", names=names),
            sentence,
            views.trend_table(self.scores, choice, self.lang),
            figure,
        )

    def _province_table(self, choice: Choice, rows: pd.DataFrame) -> None:
        table = views.province_table(rows, self.lang)
        total = len(self.finder.gazetteer.pemda_in(choice.province, choice.year))
        method = self.methods.name(str(rows["method"].iloc[0]), self.lang) if len(rows) else ""
        sentence = (
            self.say(
                "explore.table_note",
                n=len(table),
                total=total,
                province=choice.province,
                year=choice.year,
                method=method,
            )
            if len(table)
            else self.say("explore.no_table", province=choice.province, year=choice.year)
        )
        self._show(
            "table", self.say("explore.heading_table", province=choice.province, year=choice.year), sentence, table
        )
        self.tables["table"].update(df=views.for_display(table, self.lang))
        self.tables["table"].layout.display = "block" if len(table) else "none"

    def _map(self, choice: Choice, rows: pd.DataFrame) -> None:
        figure = figures.map_figure(self.scores, choice.province, choice.year, self.lang, self.methods)
        sentence = figures.map_sentence(self.scores, choice, self.lang) if figure else self.say("brief.no_map")
        table = views.province_table(rows, self.lang)
        self._show(
            "map", self.say("explore.heading_map", province=choice.province, year=choice.year), sentence, table, figure
        )

    def _opd(self, choice: Choice) -> None:
        pemda = choice.pemda[0]
        figure = figures.opd_figure(self.scores, pemda, choice.year, self.lang, self.methods)
        sentence = "" if figure else self.say("ask.no_opd_data", pemda=pemda)
        rows = (
            views.opd_table(self.scores, choice, self.lang)
            if figure
            else views.opd_table(self.scores, choice, self.lang).iloc[0:0]
        )
        self._show("opd", self.say("explore.heading_opd", pemda=pemda, year=choice.year), sentence, rows, figure)

    def _watch(self, choice: Choice, rows: pd.DataFrame) -> None:
        table = views.watch_table(rows, self.lang)
        asked = {"pemda": "", "province": choice.province, "year": choice.year}
        sentence = "" if len(table) else nothing_fell(rows, asked, self.lang)
        self._show(
            "watch", self.say("explore.heading_watch", province=choice.province, year=choice.year), sentence, table
        )
        self.tables["watch"].update(df=views.for_display(table, self.lang))
        self.tables["watch"].layout.display = "block" if len(table) else "none"


def plotly_bundle(figure: dict, name: str) -> dict:
    """A figure (plotly's JSON) as the output JupyterLab's plotly extension renders offline, its PNG named after
    the view; the title as text where nothing renders it."""
    config = {
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {"format": "png", "filename": slugify(name), "scale": 2},
    }
    title = figure["layout"].get("title", {}).get("text", "")
    return {"application/vnd.plotly.v1+json": {**figure, "config": config}, "text/plain": title}


def explore(
    scores: pd.DataFrame | None = None,
    province: str = "",
    pemda: str | list[str] = "",
    opd: str = "",
    year: int = 0,
    lang: str = "id",
) -> Explorer:
    """The explorer: province, pemda (several), unit and year controls; trend, table, map, OPD and watch-list tabs.

    >>> kp.explore(scores, province="Jambi", pemda=["Kerinci", "Kota Sungai Penuh"])
    """
    if scores is None:
        scores = load_scores()
    return Explorer(scores, province=province, pemda=pemda, opd=opd, year=year, lang=lang)
