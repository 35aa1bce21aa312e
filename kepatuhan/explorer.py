"""An interactive explorer for JupyterLab: pick a province, a pemda and an OPD from dropdowns (ipywidgets);
the trend chart, the comparison with the previous assessment and the watch list follow the choice.

Headless (papermill, nbval) the widget is simply displayed with its first choice drawn; nothing here
needs a browser to run.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan import api
from kepatuhan.brief.wording import words

#: Columns of the comparison shown for the chosen unit.
SHOWN = ["year", "opd", "score", "grade", "zone", "prev_year", "prev_score", "delta", "comparable", "tanda"]


class Explorer:
    """Three dropdowns and three views that follow them."""

    def __init__(self, scores: pd.DataFrame, province: str = "", pemda: str = "", opd: str = "", lang: str = "id"):
        import ipywidgets as widgets

        from kepatuhan.reference.names import canonical_pemda, canonical_province

        self.scores, self.lang = scores, lang
        self.province = widgets.Dropdown(description=words("explore.province", lang), options=sorted(set(scores["province"])))
        self.pemda = widgets.Dropdown(description=words("explore.pemda", lang))
        self.opd = widgets.Dropdown(description=words("explore.opd", lang))
        self.views = [widgets.Output() for _ in range(3)]
        first = canonical_pemda(pemda) if pemda else ""
        wanted = canonical_province(province) or (self.scores.loc[self.scores["pemda"] == first, "province"].iloc[0] if first else "")
        self.province.value = wanted or self.province.options[0]
        self._fill_pemda(first)
        self._fill_opd(opd)
        self.province.observe(lambda change: self._fill_pemda(""), names="value")
        self.pemda.observe(lambda change: self._fill_opd(""), names="value")
        self.opd.observe(lambda change: self.refresh(), names="value")
        self.widget = widgets.VBox([widgets.HBox([self.province, self.pemda, self.opd]), *self.views])
        self.refresh()

    def _fill_pemda(self, chosen: str) -> None:
        names = sorted(set(self.scores.loc[self.scores["province"] == self.province.value, "pemda"]))
        self.pemda.options = names
        self.pemda.value = chosen if chosen in names else names[0]

    def _fill_opd(self, chosen: str) -> None:
        units = sorted(set(self.scores.loc[self.scores["pemda"] == self.pemda.value, "opd"]))
        total = words("chart.pemda_total", self.lang)
        self.opd.options = [(total if u == "" else u, u) for u in units]
        self.opd.value = chosen if chosen in units else ""

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def refresh(self) -> None:
        """Draw the three views for the current choice."""
        from IPython.display import display

        trend, comparison, watch = self.views
        for view in self.views:
            view.clear_output(wait=True)
        with trend:
            display(api.trend_chart(self.scores, self.pemda.value, lang=self.lang))
        with comparison:
            rows = api.history(self.scores, self.pemda.value, self.opd.value)
            display(rows[[c for c in SHOWN if c in rows.columns]])
        with watch:
            display(api.watch_list(self.scores, province=self.province.value, pemda=self.pemda.value)[
                ["rank", "opd", "delta", f"reason_{self.lang}"]])
