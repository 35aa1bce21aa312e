#!/usr/bin/env python3
"""Ombudsman RI compliance scores: the scheduled job.

    python pipeline.py ingest                     # validate data/raw, write data/processed
    python pipeline.py run [--year 2023] [...]    # ingest + notebooks + yearly brief in reports/<year>/

Exit codes: 0 success, 1 failure (a notebook failed), 2 bad input data, 3 another run is busy;
128 + the signal's number when stopped by one (130 for Ctrl-C, 143 for SIGTERM).
See `python pipeline.py run --help`.
"""

import signal
import sys

# From the first line, a stop signal is held until the run can stop cleanly and record it (not a traceback
# from the middle of an import, nor a death without a record).
_held = []
for _name in ("SIGTERM", "SIGINT", "SIGHUP"):
    if hasattr(signal, _name):
        signal.signal(getattr(signal, _name), lambda signum, frame: _held.append(signum))

from kepatuhan.pipeline.runtime import signals  # noqa: E402 - after the handlers above, on purpose

signals.HELD = _held  # the run acts on them when it can record them (stop_on_signals)

from kepatuhan.pipeline import marks  # noqa: E402

if __name__ == "__main__":
    # A run is marked under way before its modules load: killed from here on (kill -9), the next run records it.
    _mark = marks.early(sys.argv[1:])
    try:
        from kepatuhan.pipeline.cli import main

        code = main()
    finally:  # ended without its record (help, a bad option, another command): no mark is left behind
        marks.remove(_mark)
    if hasattr(signal, "pthread_sigmask"):  # recorded: a stop signal now must not kill the exit (Python's own
        signal.pthread_sigmask(signal.SIG_BLOCK, signals.STOP_SIGNALS)  # clean-up resets the handlers at its end)
    sys.exit(code)
