"""Benchmark: issue 37's synthetic country, the whole national run from scratch (prints figures; asserts nothing).

The 552 real pemda of the national gazetteer, each with its total and three OPDs, 2022-2024, as one
semicolon/decimal-comma CSV per year with names spelled the ways files spell them (seeded, the same
generator as ``bench_national.py``); then ``pipeline.py run --all-pemda --year 2024 --jobs 2`` from an
empty folder, with PDFs, the run's process tree sampled for memory (``bench_common.PeakMemory``).
``--against DIR`` runs the same command on the code of another checkout (``git worktree add DIR REV``)
right after, and again in the reverse order when ``--pairs`` is more than one, so a pair compares the
same hour of a machine whose speed drifts.

    python benchmarks/bench_country.py [--pairs 1] [--against /tmp/old]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_common import ROOT, PeakMemory, pipeline
from bench_national import national

YEAR, YEARS, OPDS = 2024, 3, 3


def run(code: Path, raw: Path, out: Path) -> tuple[float, PeakMemory, int]:
    """The national run of the code in ``code`` on ``raw`` into ``out``: (seconds, peak memory, PDFs written)."""
    seconds, memory = pipeline(raw, out, 2, None, "--year", str(YEAR), root=code)
    return seconds, memory, sum(1 for _ in (out / "reports").rglob("*.pdf"))


def line(name: str, seconds: float, memory: PeakMemory, pdfs: int) -> str:
    """One printed row: wall time, summed PSS peak, the largest process, PDFs written."""
    mib = 2**20
    return (
        f"{name:<28} {seconds:7.1f} s   {memory.peak_pss / mib:6,.0f} MiB PSS summed   "
        f"largest {memory.largest[0] / mib:4,.0f} MiB   {pdfs} PDFs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=1, help="runs of each code (alternating which goes first)")
    parser.add_argument("--against", type=Path, help="another checkout to run in turn with this one")
    args = parser.parse_args()
    codes = [("this code", ROOT)] + ([(str(args.against), args.against.resolve())] if args.against else [])
    print(f"synthetic country: 552 pemda, total + {OPDS} OPDs, {YEARS} years; run --all-pemda --year {YEAR} --jobs 2")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        national(folder, YEARS, seed=7, opds=OPDS, first_year=YEAR - YEARS + 1)
        for turn in range(args.pairs):
            for which, (name, code) in enumerate(codes if turn % 2 == 0 else codes[::-1]):
                out = folder / f"out_{turn}_{which}"
                print(line(name, *run(code, folder / "raw", out)), flush=True)


if __name__ == "__main__":
    main()
