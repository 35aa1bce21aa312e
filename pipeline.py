#!/usr/bin/env python3
"""Ombudsman RI compliance scores: the scheduled job.

    python pipeline.py ingest                     # validate data/raw, write data/processed
    python pipeline.py run [--year 2023] [...]    # ingest + notebooks + yearly brief in reports/<year>/

Exit codes: 0 success, 1 failure (a notebook failed), 2 bad input data, 3 another run is busy.
See `python pipeline.py run --help`.
"""

import sys

from kepatuhan.pipeline.cli import main

if __name__ == "__main__":
    sys.exit(main())
