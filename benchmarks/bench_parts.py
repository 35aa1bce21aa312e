"""The parts of a brief that issue 21 measured, timed in this process (``make bench``): prints figures.

- reading a pemda brief's tables and preparing what it shows (``load_inputs`` + ``prepare``),
  the first time and then per brief (a worker renders many briefs from the same tables);
- the province trend chart (12 panels) and the province map, laid out and drawn to PNG;
- one pemda brief's PDF from its HTML, and a province's pemda PDFs in turn with the fonts' subsets kept
  and made anew (which subsetter WeasyPrint uses, HarfBuzz or fontTools, is printed).

Each figure is the best of several runs, on the shipped data (built first when missing).

    python benchmarks/bench_parts.py [--runs 5]
"""

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepatuhan import settings


def best(work, runs: int) -> float:
    """The shortest of ``runs`` timings of ``work()``, in seconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def published(folder: Path) -> Path:
    """The Jambi 2024 brief folder of a fresh run on the shipped data (its pemda briefs included)."""
    command = [
        sys.executable,
        str(settings.ROOT / "pipeline.py"),
        "run",
        "--year",
        "2024",
        "--province",
        "Jambi",
        "--all-pemda",
        "--no-progress",
        "--reports",
        str(folder / "reports"),
        "--processed",
        str(folder / "processed"),
    ]
    subprocess.run(command, check=True, capture_output=True)
    return folder / "reports" / "2024" / "provinsi" / "jambi"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    from kepatuhan.brief import charts, maps
    from kepatuhan.brief.data import load_inputs, prepare
    from kepatuhan.brief.export import export_pdf

    with tempfile.TemporaryDirectory() as scratch:
        brief = published(Path(scratch))
        processed = str(Path(scratch) / "processed")

        def tables(pemda: str = ""):
            found = load_inputs(
                processed_dir=processed,
                out_dir=str(brief),
                year=2024,
                province="Jambi",
                min_drop=0.01,
                compare_across_methods=False,
            )
            return prepare(found, year=2024, province="Jambi", pemda=pemda)

        def tables_and_prepare():
            return tables("Kabupaten Tebo")

        first = best(tables_and_prepare, 1)
        data = tables()
        print(f"pemda brief tables + prepare, first     {first:7.3f} s")
        print(f"pemda brief tables + prepare, per brief {best(tables_and_prepare, runs):7.3f} s")
        trend = best(lambda: charts.png_bytes(charts.trend_chart(data.scores, year=2024)), runs)
        print(f"province trend chart (12 panels)        {trend:7.3f} s")
        zone_map = best(lambda: charts.png_bytes(maps.zone_map(data.scores, 2024, "Jambi")), runs)
        print(f"province map                            {zone_map:7.3f} s")
        html = brief / "pemda" / "kabupaten-tebo.html"
        pdf = best(lambda: export_pdf(html, Path(scratch) / "tebo.pdf"), runs)
        print(f"pemda brief PDF                         {pdf:7.3f} s")
        pdf_fonts(sorted((brief / "pemda").glob("*.html")), Path(scratch), runs)


def pdf_fonts(pages: list[Path], scratch: Path, runs: int) -> None:
    """The PDFs of a province's pemda briefs in turn, as a worker prints them, with the fonts' subsets kept
    (``export.remember_font_subsets``, none kept at the start) and made anew for every PDF (WeasyPrint's way)."""
    from weasyprint.pdf import fonts

    from kepatuhan.brief.export import export_pdf, remember_font_subsets

    remember_font_subsets()
    kept = fonts.Font.subset

    def print_all(subset) -> None:
        kept.kept.clear()
        fonts.Font.subset = subset
        for page in pages:
            export_pdf(page, scratch / "each.pdf")
        fonts.Font.subset = kept

    subsetter = "HarfBuzz" if fonts.harfbuzz_subset else "fontTools"
    for name, subset in (("subsets kept", kept), ("subsets anew", kept.__wrapped__)):
        each = best(functools.partial(print_all, subset), runs) / len(pages)
        print(f"{len(pages)} pemda PDFs, {subsetter}, {name:<13}{each:7.3f} s a PDF")


if __name__ == "__main__":
    main()
