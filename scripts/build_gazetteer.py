"""Build config/gazetteer.csv (all 552 pemda) from the Kemendagri codes, with aliases made by rule.

Usage: python scripts/build_gazetteer.py        (or: make gazetteer)

Reads data/reference/kode_wilayah_2025.csv (see its SOURCE.md), the hand-kept aliases of
config/gazetteer_extra.csv and the province changes of config/province_changes.csv, and writes
config/gazetteer.csv. The rules are in kepatuhan/wilayah.py. Re-run it after editing either config
file: a rebuild never loses an alias kept in gazetteer_extra.csv (the pipeline also reads that file
directly, so a new alias works before the rebuild too).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan import settings
from kepatuhan.reference.wilayah import build, read_sources
from kepatuhan.writing import write_frames


def main() -> None:
    codes, extras, changes = read_sources()
    table = build(codes, extras, changes)
    write_frames(settings.GAZETTEER_FILE.parent, {settings.GAZETTEER_FILE.name: table})
    kinds = table["type"].value_counts().to_dict()
    print(
        f"wrote {len(table)} pemda ({kinds}) with {table['aliases'].str.count('[|]').add(1).sum()} aliases "
        f"to {settings.GAZETTEER_FILE.relative_to(settings.ROOT)}"
    )


if __name__ == "__main__":
    main()
