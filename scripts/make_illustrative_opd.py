"""Write the illustrative OPD-level file into data/examples/ (seeded: the same file every time).

Usage: python scripts/make_illustrative_opd.py [--seed 2024]

It reads the real pemda totals through the normal ingest, invents OPD scores around them (see
kepatuhan.reading.illustrative), leaving out every (pemda, year) with real OPD scores, and writes data/examples/ilustrasi/ilustrasi_opd_jambi_2021_2023.csv. Runs read
it only when asked (`python pipeline.py run --with-examples`, or `make demo`); data/raw holds real data only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan import settings
from kepatuhan.reading.illustrative import SEED, illustrative_opd_scores
from kepatuhan.reading.ingest import ingest
from kepatuhan.writing import write_frames

TARGET = settings.EXAMPLES_DIR / "ilustrasi" / "ilustrasi_opd_jambi_2021_2023.csv"
#: The province the examples are about (its pemda have published totals for 2021-2023).
PROVINCE = "Jambi"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    scores = ingest(settings.RAW_DIR).scores  # real data only: data/raw holds no examples
    jambi = scores[scores["province"] == PROVINCE]
    frame = illustrative_opd_scores(jambi, seed=args.seed)
    write_frames(TARGET.parent, {TARGET.name: frame})
    print(f"wrote {len(frame)} illustrative OPD rows to {TARGET.relative_to(settings.ROOT)}")


if __name__ == "__main__":
    main()
