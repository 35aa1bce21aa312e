"""An interactive explorer for JupyterLab: pick a province, a pemda and an OPD from dropdowns (ipywidgets);
the trend chart, the comparison with the previous assessment and the watch list follow the choice.

Every control refreshes every view: a new province fills the pemda list, a new pemda the unit list, and
the views are drawn once for the new choice (``shown`` holds what they show, so a test can read it).
Headless (papermill, nbval) the widget is simply displayed with its first choice drawn; nothing here
needs a browser to run.
"""

from __future__ import annotations

import pandas as pd

from kepatuhan import api, schema
from kepatuhan.brief.wording import words

#: Columns of the comparison shown for the chosen unit: all but those the dropdowns already say.
SHOWN = [c for c in schema.columns("comparisons") if c not in ("province", "pemda")]


class Explorer:
    """Three dropdowns and three views (trend, comparison, watch list) that follow them."""

    def __init__(self, scores: pd.DataFrame, province: str = "", pemda: str = "", opd: str = "", lang: str = "id"):
        import ipywidgets as widgets

        from kepatuhan.reference.gazetteer import canonical_pemda, canonical_province

        self.scores, self.lang, self.shown, self._filling = scores, lang, {}, False
        self.province = widgets.Dropdown(
            description=words("explore.province", lang), options=sorted(set(scores["province"]))
        )
        self.pemda = widgets.Dropdown(description=words("explore.pemda", lang))
        self.opd = widgets.Dropdown(description=words("explore.opd", lang))
        self.views = {name: widgets.Output() for name in ("trend", "history", "watch")}
        first = canonical_pemda(pemda) if pemda else ""
        wanted = canonical_province(province) or (
            scores.loc[scores["pemda"] == first, "province"].iloc[0] if first else ""
        )
        self._choose(wanted or self.province.options[0], first, opd)
        for control in (self.province, self.pemda, self.opd):
            control.observe(self._changed, names="value")
        self.widget = widgets.VBox([widgets.HBox([self.province, self.pemda, self.opd]), *self.views.values()])

    def _choose(self, province: str, pemda: str = "", opd: str = "") -> None:
        """Set the three controls (each list filled for the choice above it), then draw the views once."""
        self._filling = True
        try:
            self.province.value = province
            names = sorted(set(self.scores.loc[self.scores["province"] == province, "pemda"]))
            self.pemda.options = names
            self.pemda.value = pemda if pemda in names else names[0]
            units = sorted(set(self.scores.loc[self.scores["pemda"] == self.pemda.value, "opd"]))
            self.opd.options = [(words("chart.pemda_total", self.lang) if u == "" else u, u) for u in units]
            self.opd.value = opd if opd in units else units[0]
        finally:
            self._filling = False
        self.refresh()

    def _changed(self, change) -> None:
        """A control changed: keep the choices below it when they still exist, and redraw."""
        if not self._filling:
            self._choose(self.province.value, self.pemda.value, self.opd.value)

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget)

    def refresh(self) -> None:
        """Work out and draw the three views for the current choice."""
        from IPython.display import display

        history = api.history(self.scores, self.pemda.value, self.opd.value)
        self.shown = {"trend": api.trend_chart(self.scores, self.pemda.value, lang=self.lang), "history": history[SHOWN],
                      "watch": api.watch_list(self.scores, province=self.province.value, pemda=self.pemda.value)[
                          ["rank", "opd", "delta", f"reason_{self.lang}"]]}  # fmt: skip
        for name, view in self.views.items():
            view.clear_output(wait=True)
            with view:
                display(self.shown[name])


def explore(scores: pd.DataFrame, province: str = "", pemda: str = "", opd: str = "", lang: str = "id") -> Explorer:
    """Dropdowns to pick a province, a pemda and an OPD; the trend, comparison and watch list follow.

    >>> kp.explore(scores, province="Jambi")
    """
    return Explorer(scores, province=province, pemda=pemda, opd=opd, lang=lang)
