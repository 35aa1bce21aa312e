"""Benchmark: national-scale ingest and decline detection (prints figures; asserts nothing).

The real 552 pemda of the national gazetteer, seven OPDs each plus the pemda total, over ten
assessment years (44,160 rows), written as semicolon/decimal-comma CSV files (one per year) with the
names spelled the ways files spell them (``Kab. X``, ``Pemkot X``, ``Pemerintah Provinsi X``, province
short forms), resolved with the national gazetteer; seeded. ``synthetic()`` writes an invented
province or country with its own gazetteer, for the brief benchmarks.

    python benchmarks/bench_national.py [--seed 7] [--years 10]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan.analysis.declines import compare_with_previous, watch_list
from kepatuhan.reading.ingest import ingest
from kepatuhan.reference.gazetteer import load_gazetteer

OPD = ["Dinas Kesehatan", "Puskesmas A", "Puskesmas B", "Dinas Pendidikan", "Dinas Sosial", "DPMPTSP", "Disdukcapil"]
YEARS = [2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023, 2024, 2025]


def synthetic(folder: Path, n_pemda: int, n_years: int, seed: int, n_provinces: int = 34) -> Path:
    """Write a gazetteer and one raw CSV per year into ``folder/raw``; return the gazetteer path."""
    rng = np.random.default_rng(seed)
    provinces = [f"Provinsi Sintetis {i:02d}" for i in range(n_provinces)]
    rows = []
    for i in range(n_pemda):
        province = provinces[i % n_provinces]
        kind = "provinsi" if i < n_provinces else ("kota" if i % 5 == 0 else "kabupaten")
        name = province if kind == "provinsi" else f"{kind.capitalize()} Sintetis {i:03d}"
        rows.append((name, kind, province.replace("Provinsi ", ""), f"{i:04d}", ""))
    gazetteer = pd.DataFrame(rows, columns=["pemda", "type", "province", "kode", "aliases"])
    gazetteer_path = folder / "gazetteer.csv"
    gazetteer.to_csv(gazetteer_path, index=False)
    raw = folder / "raw"
    raw.mkdir()
    base = rng.uniform(40, 95, size=(n_pemda, len(OPD) + 1))
    for year in YEARS[:n_years]:
        scores = np.clip(base + rng.normal(0, 5, size=base.shape), 0, 100).round(2)
        frame = pd.DataFrame(
            {
                "tahun": year,
                "provinsi": np.repeat(gazetteer["province"].to_numpy(), len(OPD) + 1),
                "pemda": np.repeat(gazetteer["pemda"].to_numpy(), len(OPD) + 1),
                "opd": np.tile([""] + OPD, n_pemda),
                "nilai": [f"{v:.2f}".replace(".", ",") for v in scores.ravel()],
            }
        )
        frame.to_csv(raw / f"nilai_{year}.csv", sep=";", index=False)
    return gazetteer_path


#: How files spell each type of pemda (``{}`` is the name without its type word).
SPELLINGS = {
    "provinsi": ("Provinsi {}", "Pemprov {}", "Pemerintah Provinsi {}"),
    "kabupaten": ("Kabupaten {}", "Kab. {}", "Pemkab {}", "Pemerintah Kabupaten {}"),
    "kota": ("Kota {}", "Pemkot {}", "Pemerintah Kota {}"),
}


def national(folder: Path, n_years: int, seed: int, opds: int = len(OPD), first_year: int = YEARS[0]) -> None:
    """Write one raw CSV per year into ``folder/raw`` for every real pemda, names spelled in the usual variants.

    ``opds``: how many of :data:`OPD` each pemda has beside its total; ``first_year``: the first of the
    ``n_years`` assessment years of :data:`YEARS` written."""
    from kepatuhan.reference.wilayah import core, province_short_forms

    table = load_gazetteer().table
    rng = np.random.default_rng(seed)
    raw = folder / "raw"
    raw.mkdir()
    units = OPD[:opds]
    base = rng.uniform(40, 95, size=(len(table), len(units) + 1))
    names = [
        SPELLINGS[t][i % len(SPELLINGS[t])].format(core(p))
        for i, (p, t) in enumerate(zip(table["pemda"], table["type"]))
    ]
    short = {p: province_short_forms(p) for p in set(table["province"])}
    provinces = [
        short[p][0] if i % 3 == 0 and short[p] else p for i, p in enumerate(table["province"])
    ]  # Sumbar, NTT...
    start = YEARS.index(first_year)
    for year in YEARS[start : start + n_years]:
        scores = np.clip(base + rng.normal(0, 5, size=base.shape), 0, 100).round(2)
        frame = pd.DataFrame(
            {
                "tahun": year,
                "provinsi": np.repeat(provinces, len(units) + 1),
                "pemda": np.repeat(names, len(units) + 1),
                "opd": np.tile([""] + units, len(table)),
                "nilai": [f"{v:.2f}".replace(".", ",") for v in scores.ravel()],
            }
        )
        frame.to_csv(raw / f"nilai_{year}.csv", sep=";", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        national(folder, args.years, args.seed)
        t0 = time.perf_counter()
        gazetteer = load_gazetteer()
        scores = ingest(folder / "raw", gazetteer=gazetteer).scores
        t1 = time.perf_counter()
        comparisons = compare_with_previous(scores, year=YEARS[max(args.years - 2, 0)])
        everything = compare_with_previous(scores)
        watch = watch_list(comparisons)
        t2 = time.perf_counter()
        # A second pass only for memory: tracemalloc slows allocation-heavy code, so it is not timed.
        tracemalloc.start()
        watch_list(
            compare_with_previous(
                ingest(folder / "raw", gazetteer=gazetteer).scores, year=YEARS[max(args.years - 2, 0)]
            )
        )
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows ingested            {len(scores):>10,}")
    print(f"comparisons (all years)  {len(everything):>10,}")
    print(f"watch list ({YEARS[max(args.years - 2, 0)]})        {len(watch):>10,}")
    print(f"ingest                   {t1 - t0:>10.2f} s")
    print(f"declines + watch list    {t2 - t1:>10.2f} s")
    print(f"total                    {t2 - t0:>10.2f} s")
    print(f"peak traced memory       {peak / 2**20:>10.1f} MB")
    print(f"peak process RSS         {rss:>10.1f} MB")


if __name__ == "__main__":
    main()
