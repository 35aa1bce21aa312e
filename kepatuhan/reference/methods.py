"""Assessment methods, their years and score bands, read from editable data files.

``config/methods.csv`` says which method applies to which years (2020 has no assessment, so it is
in no period); ``config/bands.csv`` gives each method's bands as lower bounds (a score belongs to
the highest band whose ``min_score`` it reaches); ``config/zones.csv`` orders the zones.
When Ombudsman changes its method, an analyst adds rows there; no code changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from kepatuhan import settings
from kepatuhan.errors import DataError, Problem


@dataclass(frozen=True)
class Methods:
    """The method periods, bands and zones, with vectorised look-ups."""

    periods: pd.DataFrame
    bands: pd.DataFrame
    zones: pd.DataFrame

    def method_for_years(self, years: pd.Series) -> pd.Series:
        """The method of each year, or NaN for a year no method covers (e.g. 2020)."""
        result = pd.Series(np.nan, index=years.index, dtype=object)
        for period in self.periods.itertuples():
            last = np.inf if pd.isna(period.last_year) else period.last_year
            result[(years >= period.first_year) & (years <= last)] = period.method
        return result

    def known_years(self) -> str:
        """The covered years in words, for error messages (e.g. ``2015-2019, 2021, 2022-2024``)."""
        parts = []
        for p in self.periods.itertuples():
            if pd.isna(p.last_year):
                parts.append(f"{p.first_year}+")
            elif p.first_year == p.last_year:
                parts.append(str(p.first_year))
            else:
                parts.append(f"{p.first_year}-{int(p.last_year)}")
        return ", ".join(parts)

    def classify(self, scores: pd.Series, methods: pd.Series) -> pd.DataFrame:
        """Grade and zone of each score under its method, by the method's band lower bounds.

        Returns a frame with ``grade`` (empty where the method has no grades) and ``zone``.
        """
        grade = pd.Series("", index=scores.index, dtype=object)
        zone = pd.Series("", index=scores.index, dtype=object)
        for method, bands in self.bands.groupby("method", sort=False):
            mask = (methods == method).to_numpy()
            if not mask.any():
                continue
            bands = bands.sort_values("min_score")
            slot = np.searchsorted(bands["min_score"].to_numpy(), scores[mask].to_numpy(), side="right") - 1
            slot = np.clip(slot, 0, len(bands) - 1)
            grade[mask] = bands["grade"].to_numpy()[slot]
            zone[mask] = bands["zone"].to_numpy()[slot]
        return pd.DataFrame({"grade": grade, "zone": zone})

    @cached_property
    def zone_rank(self) -> dict[str, int]:
        """Zone -> rank, higher is better (hijau above kuning above merah)."""
        return dict(zip(self.zones["zone"], self.zones["rank"]))

    @cached_property
    def zone_colors(self) -> dict[str, str]:
        """Zone -> its colour (``config/zones.csv``), for the charts, the maps and the index."""
        return dict(zip(self.zones["zone"], self.zones["color"]))

    @cached_property
    def zone_hatches(self) -> dict[str, str]:
        """Zone -> its hatching (``config/zones.csv``; none when empty), so zones read without colour."""
        return dict(zip(self.zones["zone"], self.zones["hatch"].fillna("")))

    @cached_property
    def grade_rank(self) -> dict[str, int]:
        """Grade -> rank, higher is better (A highest). Grades share letters across methods."""
        graded = self.bands[self.bands["grade"] != ""]
        return graded.groupby("grade")["min_score"].max().rank(method="dense").astype(int).to_dict()

    @cached_property
    def zone_spans(self) -> dict[str, list[tuple[str, float, float]]]:
        """Method -> its zones as (zone, lowest score, highest score), lowest first: what charts shade.
        Worked out once (charts and the index ask for it per panel and per pemda)."""
        spans = {}
        for method, rows in self.bands.groupby("method", sort=False):
            lows = rows.groupby("zone")["min_score"].min().sort_values()
            highs = [*lows.tolist()[1:], 100.0]
            spans[method] = [(zone, low, high) for (zone, low), high in zip(lows.items(), highs)]
        return spans

    def zones_of(self, method: str) -> list[str]:
        """The zones a method uses, best first."""
        used = set(self.bands.loc[self.bands["method"] == method, "zone"])
        return [z for z in self.zones["zone"] if z in used]

    def grades_of(self, method: str) -> list[str]:
        """The grades a method uses, best first (empty for methods without grades)."""
        bands = self.bands[(self.bands["method"] == method) & (self.bands["grade"] != "")]
        return list(bands.sort_values("min_score", ascending=False)["grade"])

    def cut_points(self, method: str) -> list[float]:
        """The zone boundaries of a method (lower bounds of every zone but the lowest)."""
        bands = self.bands[self.bands["method"] == method]
        lows = bands.groupby("zone")["min_score"].min()
        return sorted(v for v in lows if v > 0)

    def bands_of(self, method: str, lang: str = "id") -> pd.DataFrame:
        """The bands of a method, best first: grade, lowest and highest score, zone, label in ``lang``."""
        bands = self.bands[self.bands["method"] == method].sort_values("min_score", ascending=False)
        upper = [100.0] + [v - 0.01 for v in bands["min_score"].iloc[:-1]]
        return pd.DataFrame(
            {
                "grade": bands["grade"].to_numpy(),
                "low": bands["min_score"].to_numpy(),
                "high": upper,
                "zone": bands["zone"].to_numpy(),
                "label": bands[f"label_{lang}"].to_numpy(),
            }
        )

    def info(self, method: str) -> dict:
        """The first period row of a method (names, provisional, opinion suffix, source)."""
        return self.periods[self.periods["method"] == method].iloc[0].to_dict()

    def name(self, method: str, lang: str = "id") -> str:
        """A method's name for readers (``Penilaian Maladministrasi (Opini Ombudsman)``), never its code."""
        return self.info(method)[f"name_{lang}"]

    def label(self, method: str, grade: str, lang: str = "id") -> str:
        """The label of a grade under a method (``Kualitas Rendah``), or the grade itself."""
        rows = self.bands[(self.bands["method"] == method) & (self.bands["grade"] == grade)]
        return rows.iloc[0]["label_id" if lang == "id" else "label_en"] if len(rows) else grade

    def provisional(self, method: str) -> bool:
        """Whether a method's cut points are provisional (not published)."""
        return str(self.info(method).get("provisional", "")).lower() == "yes"


def _numbers(frame: pd.DataFrame, column: str, path: Path, allow_empty: bool = False) -> pd.Series:
    """Parse a numeric configuration column, naming each bad cell."""
    values = pd.to_numeric(frame[column].where(frame[column] != ""), errors="coerce")
    bad = values.isna() & ((frame[column] != "") | (not allow_empty))
    if bad.any():
        raise DataError(
            [
                Problem("not a number", file=path, row=int(i) + 2, column=column, value=frame.at[i, column])
                for i in frame.index[bad]
            ]
        )
    return values


@settings.reloaded_when_changed
def load_methods(
    methods_file: Path = settings.METHODS_FILE,
    bands_file: Path = settings.BANDS_FILE,
    zones_file: Path = settings.ZONES_FILE,
) -> Methods:
    """Load and check the methods, bands and zones configuration files."""
    periods = settings.read_config_table(
        methods_file, ["method", "first_year", "last_year", "name_id", "name_en", "source"]
    )
    periods["opinion_suffix"] = periods.get("opinion_suffix", "")
    periods["provisional"] = periods.get("provisional", "no")
    periods["first_year"] = _numbers(periods, "first_year", methods_file).astype(int)
    periods["last_year"] = _numbers(periods, "last_year", methods_file, allow_empty=True)
    bands = settings.read_config_table(bands_file, ["method", "grade", "min_score", "zone", "label_id", "label_en"])
    bands["min_score"] = _numbers(bands, "min_score", bands_file)
    zones = settings.read_config_table(zones_file, ["zone", "rank", "color", "label_id", "label_en"])
    zones["rank"] = _numbers(zones, "rank", zones_file).astype(int)
    zones = zones.sort_values("rank", ascending=False, kind="stable").reset_index(drop=True)
    problems = [
        Problem(f"method '{m}' has no bands", file=bands_file, hint="add its bands")
        for m in sorted(set(periods["method"]) - set(bands["method"]))
    ]
    problems += [
        Problem(f"zone '{z}' is not in {zones_file.name}", file=bands_file, value=z)
        for z in sorted(set(bands["zone"]) - set(zones["zone"]))
    ]
    problems += [
        Problem(f"method '{m}' has no band starting at 0", file=bands_file, hint="add a band with min_score 0")
        for m, b in bands.groupby("method")
        if b["min_score"].min() != 0
    ]
    if problems:
        raise DataError(problems)
    return Methods(periods=periods, bands=bands, zones=zones)
