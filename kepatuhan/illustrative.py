"""Illustrative OPD-level scores for the twelve Jambi pemda, 2021-2023.

No OPD-level scores have been published for Jambi, but the product is about OPDs. This module
invents plausible ones, seeded so they are the same every time: each pemda's real lokus (DOMAIN.md)
gets a score drawn around that pemda's published total. Every row is marked ``ilustrasi = ya`` and
its ``sumber`` says it is invented; real pemda totals are never changed.
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
#: Pemprov Jambi 2023 (DOMAIN.md), used for every year.
LOKUS_PROVINSI = (
    "DPMPTSP",
    "Dinas Sosial Kependudukan dan Pencatatan Sipil",
    "RSUD Raden Mattaher",
    "Dinas Kesehatan",
    "Dinas Pendidikan",
)


def lokus(pemda_type: str, year: int) -> tuple[str, ...]:
    """The assessed units of a pemda of this type in this year."""
    if pemda_type == "provinsi":
        return LOKUS_PROVINSI
    return LOKUS_KABKOTA_2021 if year < 2022 else LOKUS_KABKOTA_2022


def illustrative_opd_scores(totals: pd.DataFrame, seed: int = SEED, spread: float = 6.0) -> pd.DataFrame:
    """Invent OPD scores around each published pemda total (rows with an empty ``opd``).

    ``totals`` needs ``year, province, pemda, pemda_type, score``. Scores are normal around the
    total with standard deviation ``spread``, clipped to 20-100 and rounded to two decimals.
    Returns a raw-format frame (``tahun, provinsi, pemda, opd, nilai, sumber, catatan, ilustrasi``).
    """
    rng = np.random.default_rng(seed)
    chosen = totals[totals["year"].isin(YEARS) & (totals["opd"] == "")]
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
