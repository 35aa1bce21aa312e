"""Illustrative OPD-level scores around published pemda totals, for demonstrations.

Few OPD-level scores are published, but the product is about OPDs. This module invents plausible
ones, seeded so they are the same every time: each pemda's usual lokus (DOMAIN.md) gets a score drawn
around that pemda's published total. Every row is marked ``ilustrasi = ya`` and its ``sumber`` says
it is invented; real pemda totals are never changed, and a (pemda, year) with real OPD scores gets
no invented ones. The files live in ``data/examples/`` and enter a run only when asked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEED = 2024
YEARS = (2021, 2022, 2023)
SOURCE = "ILUSTRASI: nilai rekaan untuk demonstrasi, bukan publikasi Ombudsman RI (scripts/make_illustrative_opd.py)"
NOTE = "illustrative, invented around the published pemda total; seed {seed}"

#: Lokus of a kabupaten/kota since 2022 (DOMAIN.md): Dinkes with two Puskesmas, Disdik, Dinsos,
#: DPMPTSP and Disdukcapil. Spellings vary on purpose, as in real files.
LOKUS_KABKOTA_2022 = (
    "Dinas Kesehatan",
    "Puskesmas Lokus 1",
    "Puskesmas Lokus 2",
    "Dinas Pendidikan",
    "Dinas Sosial",
    "DPMPTSP",
    "Disdukcapil",
)
#: Before 2022, four units as in the Kota Magelang 2021 results.
LOKUS_KABKOTA_2021 = ("DPMPTSP", "Dinas Pendidikan", "Disdukcapil", "Dinas Kesehatan")
#: A provincial government's units (as assessed for one province in 2023, DOMAIN.md), for every year.
LOKUS_PROVINSI = ("DPMPTSP", "Dinas Sosial", "RSUD Provinsi", "Dinas Kesehatan", "Dinas Pendidikan")


def lokus(pemda_type: str, year: int) -> tuple[str, ...]:
    """The assessed units of a pemda of this type in this year."""
    if pemda_type == "provinsi":
        return LOKUS_PROVINSI
    return LOKUS_KABKOTA_2021 if year < 2022 else LOKUS_KABKOTA_2022


def illustrative_opd_scores(totals: pd.DataFrame, seed: int = SEED, spread: float = 6.0) -> pd.DataFrame:
    """Invent OPD scores around each published pemda total (rows with an empty ``opd``).

    ``totals`` needs ``year, province, pemda, pemda_type, opd, score`` (tidy scores); a (pemda, year)
    that has real OPD rows in it gets none. Scores are normal around the total with standard deviation
    ``spread``, clipped to 20-100 and rounded to two decimals. Returns a raw-format frame
    (``tahun, provinsi, pemda, opd, nilai, sumber, catatan, ilustrasi``).
    """
    rng = np.random.default_rng(seed)
    real = set(zip(totals.loc[totals["opd"] != "", "pemda"], totals.loc[totals["opd"] != "", "year"]))
    chosen = totals[totals["year"].isin(YEARS) & (totals["opd"] == "")]
    chosen = chosen[[(p, y) not in real for p, y in zip(chosen["pemda"], chosen["year"])]]
    chosen = chosen.sort_values(["year", "pemda"], kind="stable")
    rows = []
    for total in chosen.itertuples():
        units = lokus(total.pemda_type, total.year)
        scores = np.clip(rng.normal(total.score, spread, size=len(units)), 20, 100).round(2)
        rows += [(total.year, total.province, total.pemda, unit, score) for unit, score in zip(units, scores)]
    frame = pd.DataFrame(rows, columns=["tahun", "provinsi", "pemda", "opd", "nilai"])
    frame["sumber"] = SOURCE
    frame["catatan"] = NOTE.format(seed=seed)
    frame["ilustrasi"] = "ya"
    return frame
