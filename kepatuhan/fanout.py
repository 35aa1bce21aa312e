"""Rendering many pemda briefs: in this process, in a pool of warm workers, or on a Dask cluster.

Each worker keeps one :class:`~kepatuhan.kernels.WarmKernel` and one HTML exporter for its whole
life, so a brief costs its analysis and drawing, not a kernel start, the imports and an exporter
start. Workers are separate processes (started with ``spawn``, never forked from a process that
holds kernels and sockets). On Dask, the processed tables and the notebook travel with the tasks,
so workers need the package installed but not this folder.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import sys
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from kepatuhan.brief import export_html
from kepatuhan.kernels import StepFailed, WarmKernel, execute
from kepatuhan.outputs import write_text

log = logging.getLogger("kepatuhan")


@dataclass(frozen=True)
class BriefTask:
    """One pemda brief to render: its notebook parameters and where its HTML goes."""

    pemda: str
    slug: str
    parameters: dict
    title: str


@dataclass
class BriefResult:
    """What became of one brief: seconds taken, or the failure and the partial notebook."""

    task: BriefTask
    seconds: float
    error: str = ""
    partial: str = ""  # the failed notebook's JSON, when it failed


def render(task: BriefTask, notebook: Path, folder: Path, timeout: int, cwd: Path, warm: WarmKernel | None) -> BriefResult:
    """Execute the brief notebook for one pemda and export ``<folder>/<slug>.html``."""
    t0 = time.perf_counter()
    executed = folder / f"{task.slug}.ipynb"
    try:
        execute(notebook, executed, task.parameters, timeout, cwd, warm=warm)
    except StepFailed as exc:
        partial = executed.read_text(encoding="utf-8") if executed.exists() else ""
        executed.unlink(missing_ok=True)
        return BriefResult(task, time.perf_counter() - t0, str(exc), partial)
    export_html(executed, folder / f"{task.slug}.html", title_text=task.title)
    executed.unlink()
    return BriefResult(task, time.perf_counter() - t0)


# ---- a pool of warm worker processes on this machine --------------------------------------------

_worker_kernel: WarmKernel | None = None


def _start_worker(timeout: int, cwd: str) -> None:
    """Pool initializer: one warm kernel per worker process, shut down when the worker exits."""
    global _worker_kernel
    _worker_kernel = WarmKernel(cwd=Path(cwd), timeout=timeout)
    atexit.register(_worker_kernel.shutdown)


def _render_in_worker(task: BriefTask, notebook: str, folder: str, timeout: int, cwd: str) -> BriefResult:
    return render(task, Path(notebook), Path(folder), timeout, Path(cwd), _worker_kernel)


def render_local(
    tasks: list[BriefTask], notebook: Path, folder: Path, jobs: int, timeout: int, cwd: Path,
    warm: WarmKernel | None, progress: bool = True,
) -> list[BriefResult]:  # fmt: skip
    """Render every brief with ``jobs`` warm workers (or on ``warm`` in this process when jobs is 1)."""
    if jobs <= 1 or len(tasks) <= 1:
        return list(_progress((render(t, notebook, folder, timeout, cwd, warm) for t in tasks), len(tasks), progress))
    context = get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context, initializer=_start_worker,
                             initargs=(timeout, str(cwd))) as pool:  # fmt: skip
        futures = [pool.submit(_render_in_worker, t, str(notebook), str(folder), timeout, str(cwd)) for t in tasks]
        try:
            return list(_progress((f.result() for f in as_completed(futures)), len(tasks), progress))
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def _progress(results: Iterable[BriefResult], total: int, shown: bool) -> Iterable[BriefResult]:
    """A progress bar over finished briefs (on stderr), counting failures as it goes."""
    from tqdm import tqdm

    with tqdm(total=total, desc="pemda briefs", unit="brief", disable=not shown, file=sys.stderr) as bar:
        failed = 0
        for result in results:
            failed += bool(result.error)
            bar.set_postfix(failed=failed)
            bar.update()
            yield result


# ---- a Dask cluster -----------------------------------------------------------------------------

_remote_kernel: WarmKernel | None = None


def _render_remote(task: BriefTask, notebook_json: str, processed: dict[str, bytes], timeout: int) -> BriefResult | tuple:
    """Run on a Dask worker: unpack the processed tables once per content, render, return the HTML."""
    global _remote_kernel
    digest = hashlib.sha256(b"".join(processed[name] for name in sorted(processed))).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / f"kepatuhan-worker-{digest}"
    data = base / "processed"
    if not data.exists():
        data.mkdir(parents=True, exist_ok=True)
        for name, content in processed.items():
            (data / name).write_bytes(content)
    notebook = base / "brief.ipynb"
    notebook.write_text(notebook_json, encoding="utf-8")
    if _remote_kernel is None:
        _remote_kernel = WarmKernel(cwd=base, timeout=timeout)
        atexit.register(_remote_kernel.shutdown)
    out = Path(tempfile.mkdtemp(dir=base))
    parameters = {**task.parameters, "processed_dir": str(data)}
    result = render(BriefTask(task.pemda, task.slug, parameters, task.title), notebook, out, timeout, base, _remote_kernel)
    html = (out / f"{task.slug}.html").read_text(encoding="utf-8") if not result.error else ""
    (out / f"{task.slug}.html").unlink(missing_ok=True)
    out.rmdir()
    return BriefResult(task, result.seconds, result.error, result.partial), html


def render_dask(
    tasks: list[BriefTask], notebook: Path, folder: Path, scheduler: str, timeout: int, processed_dir: Path,
    progress: bool = True,
) -> list[BriefResult]:  # fmt: skip
    """Render every brief on the Dask cluster at ``scheduler``; HTML comes back and is written here."""
    from distributed import Client
    from distributed import as_completed as dask_completed

    processed = {p.name: p.read_bytes() for p in sorted(Path(processed_dir).iterdir()) if p.is_file()}
    with Client(scheduler, timeout=30) as client:
        shared = client.scatter(processed, broadcast=True)
        text = notebook.read_text(encoding="utf-8")
        futures = [client.submit(_render_remote, t, text, shared, timeout, pure=False) for t in tasks]

        def finished():
            for future in dask_completed(futures):
                result, html = future.result()
                if not result.error:
                    write_text(html, folder / f"{result.task.slug}.html")
                yield result

        return list(_progress(finished(), len(tasks), progress))
