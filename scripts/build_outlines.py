"""Build data/geo/batas_provinsi_2025.parquet: the 38 province outlines dissolved from the kabupaten/kota polygons.

Usage: python scripts/build_outlines.py        (or: make outlines)

Dissolving 514 kabupaten/kota into provinces takes about 2 s, a third of the national map; the map reads
this file instead (0.1 s), with the same coordinates to the last bit. Each row records the SHA-256 of the
boundary file it was dissolved from: when that file is replaced, the map dissolves the new one itself
until this script is run again, so outlines never come from other boundaries than the areas drawn.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan import settings
from kepatuhan.brief.maps import dissolved_outlines
from kepatuhan.writing import sha256, write_bytes


def main() -> None:
    outlines = dissolved_outlines(settings.BOUNDARIES_FILE).assign(source_sha256=sha256(settings.BOUNDARIES_FILE))
    buffer = io.BytesIO()
    outlines.to_parquet(buffer, index=False)
    write_bytes(buffer.getvalue(), settings.OUTLINES_FILE)
    print(
        f"wrote {len(outlines)} province outlines to {settings.OUTLINES_FILE.relative_to(settings.ROOT)} "
        f"(from {settings.BOUNDARIES_FILE.name})"
    )


if __name__ == "__main__":
    main()
