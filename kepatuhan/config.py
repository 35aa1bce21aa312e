"""Paths resolved from the project root, so nothing depends on the working directory."""

from __future__ import annotations

import os
from pathlib import Path

#: The project root: the folder holding ``pipeline.py``. ``KEPATUHAN_ROOT`` overrides it.
ROOT = Path(os.environ.get("KEPATUHAN_ROOT", Path(__file__).resolve().parent.parent))

CONFIG_DIR = ROOT / "config"
RAW_DIR = ROOT / "data" / "raw"
PROCESSED_DIR = ROOT / "data" / "processed"
GEO_DIR = ROOT / "data" / "geo"
NOTEBOOKS_DIR = ROOT / "notebooks"
REPORTS_DIR = ROOT / "reports"

GAZETTEER_FILE = CONFIG_DIR / "gazetteer.csv"
OPD_ALIASES_FILE = CONFIG_DIR / "opd_aliases.csv"
METHODS_FILE = CONFIG_DIR / "methods.csv"
BANDS_FILE = CONFIG_DIR / "bands.csv"
ZONES_FILE = CONFIG_DIR / "zones.csv"
GEOJSON_FILE = GEO_DIR / "jambi_kabkota.geojson"

#: Name of the Jupyter kernel installed from the project's own environment.
KERNEL_NAME = "kepatuhan"
