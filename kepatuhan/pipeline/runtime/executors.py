"""Where notebooks run: executors, looked up by name in a registry (as papermill keeps its engines).

- ``warm``: in this process, on one warm kernel, one notebook at a time;
- ``pool``: worker processes on this machine, each with its own warm kernel and HTML exporter,
  started at once so they warm up while the first notebook runs;
- ``dask``: the workers of a Dask cluster; a job's input files travel with it and its output
  files come back, so workers need the package installed, not this folder.

Every executor takes jobs with :meth:`Executor.submit` and hands back finished ones with
:meth:`Executor.finished`; the run does not know which one it is using.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import hashlib
import logging
import os
import socket
import tempfile
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from kepatuhan.errors import EnvironmentProblem
from kepatuhan.pipeline.runtime import in_worker
from kepatuhan.pipeline.runtime.jobs import Job, JobResult, run_job
from kepatuhan.pipeline.runtime.kernels import WarmKernel
from kepatuhan.pipeline.runtime.signals import raise_if_stopped
from kepatuhan.pipeline.runtime.workers import started_pool
from kepatuhan.writing import write_bytes

log = logging.getLogger("kepatuhan")

EXECUTORS: dict[str, type[Executor]] = {}


def register(cls: type[Executor]) -> type[Executor]:
    """Class decorator: make an executor available under its ``name``."""
    EXECUTORS[cls.name] = cls
    return cls


def executor(
    name: str,
    workers: int,
    timeout: int,
    cwd: Path,
    scheduler: str = "",
    kernels: int = 0,
    started: ProcessPoolExecutor | None = None,
) -> Executor:
    """The executor called ``name``; a ``KeyError`` names the known ones. ``kernels``: how many of its
    workers keep a notebook kernel (0: all; only the ``pool`` executor tells them apart); ``started``: a
    kernel worker started before (:func:`.workers.kernel_worker`), which the ``pool`` executor makes one
    of its own."""
    if name not in EXECUTORS:
        raise KeyError(f"no executor {name!r}; known: {', '.join(EXECUTORS)}")
    return EXECUTORS[name](
        workers=workers, timeout=timeout, cwd=Path(cwd), scheduler=scheduler, kernels=kernels, started=started
    )


class Executor:
    """Runs jobs somewhere. Subclasses set ``name`` and implement the four methods."""

    name = ""

    def __init__(
        self,
        workers: int,
        timeout: int,
        cwd: Path,
        scheduler: str = "",
        kernels: int = 0,
        started: ProcessPoolExecutor | None = None,
    ):
        self.workers, self.timeout, self.cwd, self.scheduler, self.kernels = workers, timeout, cwd, scheduler, kernels
        self.started = started

    def start(self) -> None:
        """Get ready (start kernels or workers); called once, before the first job."""

    def submit(self, job: Job):
        """Start a job; return a handle for :meth:`finished`."""
        raise NotImplementedError

    def finished(self, handles: list) -> list[tuple[object, JobResult]]:
        """Wait until at least one of ``handles`` is done; return those done with their results."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop what :meth:`start` started."""

    def close_meanwhile(self) -> Callable[[], None]:
        """Start stopping what :meth:`start` started and return what waits until it stopped: the run publishes
        meanwhile. Here it stops at once."""
        self.close()
        return lambda: None


@register
class WarmExecutor(Executor):
    """One warm kernel in this process; a job runs when it is submitted."""

    name = "warm"

    def start(self) -> None:
        self.kernel = WarmKernel(cwd=self.cwd, timeout=self.timeout)
        self.results: dict[str, JobResult] = {}

    def submit(self, job: Job):
        self.results[job.task_id] = run_job(job, self.kernel)
        return job.task_id

    def finished(self, handles: list) -> list[tuple[object, JobResult]]:
        return [(h, self.results.pop(h)) for h in handles if h in self.results]

    def close(self) -> None:
        if getattr(self, "kernel", None) is not None:
            self.kernel.shutdown()


# ---- a pool of warm worker processes on this machine --------------------------------------------

#: The error of a job whose worker process ended under it (or before it started).
WORKER_DIED = (
    "the worker process ended unexpectedly (killed, or out of memory); its brief was not published: "
    "run again, with fewer --jobs if memory is short"
)


@dataclass
class Lane:
    """Worker processes of one kind: ``pool`` of ``size`` workers, which start a kernel when ``kernel``;
    ``running`` maps each of its jobs' futures to the handle the run holds; ``shell``: whether it was given
    a brief to render in its own process (and so made its in-process shell)."""

    pool: ProcessPoolExecutor
    size: int
    kernel: bool
    running: dict = field(default_factory=dict)
    shell: bool = False


#: A kernel worker beside workers without one makes its in-process shell (about 2 s) for a pemda brief only
#: when at least this many pemda briefs wait; with fewer, the others (already warm, 0.2-0.4 s a brief) are
#: done with them about as soon, and the kernel renders the one it takes (about 0.15 s more than in process,
#: the same HTML and PDF). At the end of a one-province run, the last brief otherwise waited for a shell:
#: 1.9 s, one run in two (benchmarks/RESULTS.md, 2026-12-02).
BRIEFS_WORTH_A_SHELL = 8


@register
class PoolExecutor(Executor):
    """Warm worker processes (started with ``spawn``), all started at once (one of them may have been
    started before, while the run read its raw files: ``started``).

    ``kernels`` of them (all when 0) start a notebook kernel and take the jobs that need one first, then
    briefs rendered in the worker; the others take only those briefs. A kernel holds as much memory as a
    worker (about 300 MB), so a run of hundreds of pemda briefs and a few dozen notebooks needs one, not
    one per worker. Jobs wait here, not in the pools, so each goes to the first worker that is free and
    may take it.
    """

    name = "pool"

    def start(self) -> None:
        kernels = min(self.kernels or self.workers, self.workers)
        self.lanes = [Lane(self.started, 1, kernel=True)] if self.started else []
        if kernels > len(self.lanes):
            self.lanes.append(self._lane(kernels - len(self.lanes), kernel=True))
        if kernels < self.workers:
            self.lanes.append(self._lane(self.workers - kernels, kernel=False))
            log.info(
                "%d workers, %d with a notebook kernel (the others render pemda briefs only)", self.workers, kernels
            )
        self.waiting: deque[Future] = deque()  # handles of jobs no worker has taken yet, in the order they came
        self.jobs: dict[Future, Job] = {}  # each pending handle's job, to name it if its worker dies

    def _lane(self, size: int, kernel: bool) -> Lane:
        return Lane(started_pool(size, kernel, self.timeout, self.cwd), size, kernel)

    def submit(self, job: Job):
        handle = Future()
        self.jobs[handle] = job
        self.waiting.append(handle)
        self._dispatch()
        return handle

    def _dispatch(self) -> None:
        """Give each free worker the next job it may take (:meth:`_next_for`)."""
        for lane in self.lanes:
            while len(lane.running) < lane.size and (handle := self._next_for(lane)) is not None:
                self.waiting.remove(handle)
                try:
                    future = lane.pool.submit(in_worker.run, self._as_run_by(lane, self.jobs[handle]))
                except BrokenProcessPool:  # a worker died earlier: this job fails with the reason, the run goes on
                    future = Future()
                    future.set_exception(BrokenProcessPool())
                lane.running[future] = handle

    def _as_run_by(self, lane: Lane, job: Job) -> Job:
        """The job as ``lane`` runs it: a pemda brief goes to the lane's kernel when the lane has a kernel but no
        shell yet, works beside workers without a kernel, and fewer than :data:`BRIEFS_WORTH_A_SHELL` briefs
        wait; otherwise the job is run as it came (in the worker's process)."""
        if not (job.in_process and lane.kernel) or lane.shell:
            return job
        briefs = 1 + sum(1 for handle in self.waiting if self.jobs[handle].in_process)
        if all(other.kernel for other in self.lanes) or briefs >= BRIEFS_WORTH_A_SHELL:
            lane.shell = True
            return job
        return replace(job, in_process=False)

    def _next_for(self, lane: Lane) -> Future | None:
        """The waiting job ``lane`` takes next, the first that came of those it may take. Beside workers
        without a kernel, a kernel worker takes the jobs that need one first (only it can); when every
        worker has a kernel, jobs go in the order they came, as in one pool."""

        def first(may_take) -> Future | None:
            return next((handle for handle in self.waiting if may_take(self.jobs[handle])), None)

        if not lane.kernel:
            return first(lambda job: job.in_process)
        if any(not other.kernel for other in self.lanes):
            return first(lambda job: not job.in_process) or first(lambda job: True)
        return first(lambda job: True)

    def finished(self, handles: list) -> list[tuple[object, JobResult]]:
        running = [future for lane in self.lanes for future in lane.running]
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        raise_if_stopped()
        for lane in self.lanes:
            for future in [f for f in lane.running if f in done]:
                handle = lane.running.pop(future)
                handle.set_result(self._result(future, self.jobs[handle]))
        self._dispatch()
        finished = [handle for handle in handles if handle.done()]
        for handle in finished:
            del self.jobs[handle]
        return [(handle, handle.result()) for handle in finished]

    def _result(self, future: Future, job: Job) -> JobResult:
        """The job's result; a worker that died (killed, out of memory) fails its job with one clear line."""
        try:
            return future.result()
        except BrokenProcessPool:
            return JobResult(job.task_id, 0.0, WORKER_DIED)

    def close(self) -> None:
        self.close_meanwhile()()

    def close_meanwhile(self) -> Callable[[], None]:
        """Stop every lane's workers at once, each in a thread: a worker ends its kernel and exits in about
        0.3 s, which the run spends publishing and writing the index instead of waiting."""
        stopping = [
            threading.Thread(target=lane.pool.shutdown, kwargs={"wait": True, "cancel_futures": True})
            for lane in getattr(self, "lanes", [])
        ]
        for thread in stopping:
            thread.start()

        def stopped() -> None:
            for thread in stopping:
                thread.join()

        return stopped


# ---- a Dask cluster -----------------------------------------------------------------------------

_remote_kernels: dict[str, WarmKernel] = {}


def mirrored(base: Path, path: str | Path) -> Path:
    """Where an absolute path of the client lives below ``base`` on a worker."""
    path = Path(path)
    return base / path.relative_to(path.anchor)


def _relocate(job: Job, base: Path) -> Job:
    """The job with every absolute path of the client moved below ``base``."""

    def move(value):
        return str(mirrored(base, value)) if isinstance(value, str) and value and Path(value).is_absolute() else value

    parameters = {k: move(v) for k, v in job.parameters.items()}
    # in_process off: the shipped configuration is read by the worker's kernel (KEPATUHAN_ROOT), not by the worker
    return replace(
        job,
        notebook=move(job.notebook),
        parameters=parameters,
        executed=move(job.executed),
        html=move(job.html),
        pdf=move(job.pdf),
        cwd=move(job.cwd),
        in_process=False,
    )


def place(target: Path, content: bytes) -> None:
    """Write a shipped file unless it is already there, atomically: workers on one machine share the folder."""
    if not (target.exists() and target.read_bytes() == content):
        write_bytes(content, target)


def _run_remote(job: Job, files: dict[str, bytes]) -> tuple[JobResult, dict[str, bytes]]:
    """On a Dask worker: write the shipped files, run the relocated job, return its result and output files."""
    digest = hashlib.sha256(repr(sorted((k, hashlib.sha256(v).hexdigest()) for k, v in files.items())).encode())
    base = Path(tempfile.gettempdir()) / f"kepatuhan-worker-{digest.hexdigest()[:16]}"
    for name, content in files.items():
        place(mirrored(base, name), content)
    root = str(mirrored(base, job.root))
    if root not in _remote_kernels:
        _remote_kernels[root] = WarmKernel(
            cwd=mirrored(base, job.cwd), timeout=job.timeout, env={**os.environ, "KEPATUHAN_ROOT": root}
        )
        atexit.register(_remote_kernels[root].shutdown)
    result = run_job(_relocate(job, base), _remote_kernels[root])
    outputs = {}
    if result.partial:
        outputs[job.executed] = Path(result.partial).read_bytes()
        result.partial = job.executed
    for wanted in job.collect:
        local = mirrored(base, wanted)
        for path in [local] if local.is_file() else sorted(p for p in local.rglob("*") if p.is_file()):
            outputs[str(Path(wanted) / path.relative_to(local)) if path != local else wanted] = path.read_bytes()
    return result, outputs


def reachable(address: str, seconds: float = 5.0) -> None:
    """Fail at once, with one clear line, when the Dask scheduler does not answer at ``address``."""
    parsed = urlparse(address if "://" in address else f"tcp://{address}")
    try:
        socket.create_connection((parsed.hostname or "localhost", parsed.port or 8786), timeout=seconds).close()
    except OSError as exc:
        raise EnvironmentProblem(
            address,
            f"cannot reach the Dask scheduler ({exc.strerror or exc})",
            "start it (dask scheduler) or check --scheduler",
        ) from None


#: Seconds to wait for a Dask scheduler's handshake (an address that answers but is no scheduler fails then).
DASK_CONNECT_SECONDS = 15


def connect(client_class, address: str):
    """A Dask client of the scheduler at ``address``, or one clear line when what answers there is no Dask
    scheduler (a silent port, a web proxy that sends a page): never a hang, never an internal error.

    The scheduler is first asked who it is, within :data:`DASK_CONNECT_SECONDS` (the client's own timeout
    does not bound a handshake that never ends)."""
    try:
        identity = asyncio.run(asyncio.wait_for(_identity(address), DASK_CONNECT_SECONDS))
        if not isinstance(identity, dict) or "Scheduler" not in str(identity.get("type", "")):
            raise TypeError(f"it answers as {str(identity)[:60]!r}")
        return client_class(address, timeout=DASK_CONNECT_SECONDS)
    except (Exception, MemoryError) as exc:
        reason = "no answer" if isinstance(exc, TimeoutError | asyncio.TimeoutError) else type(exc).__name__
        raise EnvironmentProblem(
            address, f"no Dask scheduler at {address} ({reason})", "start one (dask scheduler) or check --scheduler"
        ) from None


async def _identity(address: str) -> object:
    """What the Dask server at ``address`` says it is (its ``identity`` reply)."""
    from distributed.comm import connect as dask_connect  # heavy

    comm = await dask_connect(address, timeout=DASK_CONNECT_SECONDS)
    try:
        await comm.write({"op": "identity", "reply": True})
        return await comm.read()
    finally:
        comm.abort()


def _files(paths: tuple[str, ...]) -> dict[str, bytes]:
    """The bytes of every file at or below the given absolute paths."""
    files = {}
    for name in paths:
        path = Path(name)
        for item in [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file()):
            files[str(item)] = item.read_bytes()
    return files


@register
class DaskExecutor(Executor):
    """Jobs on a Dask cluster: inputs travel with each job, outputs come back and are written here."""

    name = "dask"

    def start(self) -> None:
        from distributed import Client  # heavy

        reachable(self.scheduler)
        self.client = connect(Client, self.scheduler)

    def submit(self, job: Job):
        return self.client.submit(_run_remote, job, _files(job.ship), pure=False)

    def finished(self, handles: list) -> list[tuple[object, JobResult]]:
        from distributed import wait as dask_wait  # heavy

        done = []
        for future in dask_wait(handles, return_when="FIRST_COMPLETED").done:
            result, outputs = future.result()
            for name, content in outputs.items():
                Path(name).parent.mkdir(parents=True, exist_ok=True)
                Path(name).unlink(missing_ok=True)  # never write through a hard link to a published file
                Path(name).write_bytes(content)
            done.append((future, result))
        return done

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
