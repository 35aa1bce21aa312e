"""What the processed data holds: its years, provinces and pemda, and a fingerprint per pemda brief.

Computed once when the data is validated and kept in the ingest stamp, so a run can resolve its
parameters and plan without reading the tables again (a run with nothing to do imports no pandas).
A pemda's fingerprint for year Y covers exactly what its brief of year Y shows: its rows up to Y
and its standing (ranks) up to Y.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Inventory:
    """Years, provinces per year, pemda per year and province, and the pemda brief fingerprints."""

    years: list[int] = field(default_factory=list)
    provinces: dict[str, list[str]] = field(default_factory=dict)
    pemda: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    partitions: dict[str, str] = field(default_factory=dict)
    quality_notes: int = 0

    def to_json(self) -> dict:
        """A JSON-able dict (years as string keys)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Inventory:
        """Back from :meth:`to_json`."""
        return cls(**{k: data.get(k, v) for k, v in asdict(cls()).items()})

    def provinces_of(self, year: int) -> list[str]:
        """Provinces with data in ``year``."""
        return self.provinces.get(str(year), [])

    def pemda_of(self, year: int, province: str = "") -> list[str]:
        """Pemda with rows in ``year`` (in one province, or all)."""
        by_province = self.pemda.get(str(year), {})
        names = by_province.get(province, []) if province else [n for p in by_province.values() for n in p]
        return sorted(names)

    def latest_year(self, province: str = "") -> int:
        """The latest year with data (for one province, or any)."""
        years = [y for y in self.years if not province or province in self.provinces_of(y)]
        return max(years) if years else 0

    def partition(self, year: int, pemda: str) -> str:
        """The fingerprint of what the brief of ``pemda`` for ``year`` shows."""
        return self.partitions.get(f"{year}|{pemda}", "")


def take(scores: pd.DataFrame, quality_notes: int = 0) -> Inventory:
    """The inventory of a tidy scores table (and how many data-quality notes its ingest made)."""
    pairs = scores[["year", "province", "pemda"]].drop_duplicates().sort_values(["year", "province", "pemda"])
    inventory = Inventory(years=sorted(int(y) for y in pairs["year"].unique()), quality_notes=quality_notes)
    for (year, province), part in pairs.groupby(["year", "province"], sort=True):
        inventory.provinces.setdefault(str(year), []).append(str(province))
        inventory.pemda.setdefault(str(year), {})[province] = list(part["pemda"])
    inventory.partitions = partition_fingerprints(scores)
    return inventory


def partition_fingerprints(scores: pd.DataFrame) -> dict[str, str]:
    """``"year|pemda"`` -> a hash of that pemda's rows and standing up to that year (vectorised).

    A row's hash covers every column the scores schema marks as shown (what a brief shows, not where
    the row was read from). Each row is hashed (pandas' stable row hash); a pemda's hashes are summed per year and then
    accumulated over the years, so the fingerprint of year Y covers every row up to Y.
    """
    from kepatuhan import schema  # heavy
    from kepatuhan.analysis.standing import standing  # heavy

    parts = [_summed(scores[schema.columns("scores", role=schema.SHOWN)]), _summed(standing(scores))]
    both = parts[0].join(parts[1], how="left", rsuffix="_standing")
    both["hash_standing"] = both.groupby(level="pemda")["hash_standing"].ffill().fillna(0)
    return {
        f"{year}|{pemda}": f"{int(a):016x}{int(b):016x}"
        for (pemda, year), a, b in zip(both.index, both["hash"], both["hash_standing"])
    }


def _summed(frame: pd.DataFrame) -> pd.DataFrame:
    """Row hashes summed per (pemda, year), accumulated over the years of each pemda (modulo 2**64)."""
    import numpy as np  # heavy
    import pandas as pd  # heavy

    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64)
    per_year = pd.DataFrame({"pemda": frame["pemda"].to_numpy(), "year": frame["year"].to_numpy(), "hash": hashes})
    summed = per_year.groupby(["pemda", "year"], sort=True)["hash"].sum()
    with np.errstate(over="ignore"):
        cumulative = summed.groupby(level="pemda").cumsum()
    return cumulative.astype(np.uint64).to_frame("hash")
