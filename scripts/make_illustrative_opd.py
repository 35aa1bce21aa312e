"""Write the illustrative OPD-level file into data/examples/ (seeded: the same file every time).

Usage: python scripts/make_illustrative_opd.py [--seed 2024]

It reads the real pemda totals through the normal ingest, invents OPD scores around them (see
kepatuhan.illustrative) and writes data/examples/ilustrasi/ilustrasi_opd_jambi_2021_2023.csv. Runs read
it only when asked (`python pipeline.py run --with-examples`, or `make demo`); data/raw holds real data only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan import config  # noqa: E402
from kepatuhan.illustrative import SEED, illustrative_opd_scores  # noqa: E402
from kepatuhan.ingest import ingest  # noqa: E402
from kepatuhan.outputs import write_frame  # noqa: E402

TARGET = config.EXAMPLES_DIR / "ilustrasi" / "ilustrasi_opd_jambi_2021_2023.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as real_only:
        shutil.copytree(config.RAW_DIR / "ombudsman_jambi", Path(real_only) / "ombudsman_jambi")
        totals = ingest(Path(real_only)).scores
    frame = illustrative_opd_scores(totals, seed=args.seed)
    write_frame(frame, TARGET)
    print(f"wrote {len(frame)} illustrative OPD rows to {TARGET.relative_to(config.ROOT)}")


if __name__ == "__main__":
    main()
