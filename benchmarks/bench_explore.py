"""The speed of a question in JupyterLab (issue 33), on the shipped data: prints figures against the goals.

- ``kp.load_scores()`` in a fresh Python that has imported pandas (as every notebook's first cell does),
  from ``data/processed`` (built first when missing): goal under 0.5 s. Also printed: with the import of
  ``kepatuhan`` and pandas counted.
- The explorer: opening it, then a redraw after each kind of control change (year, pemda, two pemda, unit,
  province), the median of several changes each: goal under 0.2 s. A redraw works out every tab and
  serializes what it sends to the page as a kernel would (JSON), without a browser.

    python benchmarks/bench_explore.py [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan import settings

LOAD_GOAL, REDRAW_GOAL = 0.5, 0.2
LOAD = """
import time, pandas
started = time.perf_counter()
import kepatuhan as kp
imported = time.perf_counter()
kp.load_scores()
done = time.perf_counter()
print(done - imported, done - started)
"""


def load_times(runs: int) -> tuple[list[float], list[float]]:
    """``kp.load_scores()`` alone and with ``import kepatuhan``, each in a fresh process with pandas imported."""
    alone, with_import = [], []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", LOAD], capture_output=True, text=True, check=True)
        first, second = (float(v) for v in done.stdout.split())
        alone.append(first)
        with_import.append(second)
    return alone, with_import


def sent_as_a_kernel_would(*objects, raw: bool = False, **_) -> None:
    """What IPython's display does in a kernel, for the time it takes: the output serialized to JSON."""
    for shown in objects:
        json.dumps(shown if raw else repr(shown))


def redraw_times(runs: int) -> dict[str, list[float]]:
    """Seconds per redraw for each kind of control change, on the shipped data's Jambi."""
    import kepatuhan as kp
    from kepatuhan.explorer import widget

    widget.display = sent_as_a_kernel_would
    scores = kp.load_scores()
    started = time.perf_counter()
    explorer = kp.explore(scores, province="Jambi")
    times = {"open": [time.perf_counter() - started]}
    changes = {
        "year": lambda i: setattr(explorer.year, "value", (2023, 2024)[i % 2]),
        "pemda": lambda i: setattr(explorer.pemda, "value", (("Kabupaten Kerinci",), ("Kota Jambi",))[i % 2]),
        "two pemda": lambda i: setattr(
            explorer.pemda, "value", ("Kabupaten Kerinci", ("Kota Jambi", "Kota Sungai Penuh")[i % 2])
        ),
        "unit": lambda i: setattr(explorer.opd, "value", ("Dinas Sosial", "")[i % 2]),
        "province": lambda i: setattr(explorer.province, "value", ("Bengkulu", "Jambi")[i % 2]),
    }
    for name, change in changes.items():
        if name == "unit":
            explorer.pemda.value = ("Kabupaten Tanjung Jabung Barat",)
        times[name] = []
        for i in range(runs):
            started = time.perf_counter()
            change(i)
            times[name].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    if not (settings.PROCESSED_DIR / "scores.parquet").exists():
        subprocess.run([sys.executable, str(settings.ROOT / "pipeline.py"), "ingest"], check=True, capture_output=True)
    alone, with_import = load_times(runs)
    print(
        f"kp.load_scores(), pandas imported: median {statistics.median(alone):.3f} s (min {min(alone):.3f}, "
        f"max {max(alone):.3f}) against the goal of {LOAD_GOAL} s: {'met' if statistics.median(alone) < LOAD_GOAL else 'NOT met'}"
    )
    print(f"  with `import kepatuhan` counted: median {statistics.median(with_import):.3f} s")
    times = redraw_times(runs)
    print(f"explorer opened in {times.pop('open')[0]:.3f} s (its imports included)")
    for name, seconds in times.items():
        median = statistics.median(seconds)
        print(
            f"  redraw after a {name} change: median {median:.3f} s (min {min(seconds):.3f}, max {max(seconds):.3f}) "
            f"against the goal of {REDRAW_GOAL} s: {'met' if median < REDRAW_GOAL else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
