"""Executing notebooks with papermill, on warm kernels.

A plain papermill run pays for a new kernel and every import (pandas, matplotlib, seaborn, the
package) for each notebook: about two seconds before the first cell does any work. A
:class:`WarmKernel` is started once, imports what the notebooks need, and between two notebooks
is reset to the state it had right after that warm-up: user namespace cleared, figures closed,
matplotlib and pandas settings restored, working directory and execution counter reset. So a
notebook run on it gives the same outputs as on a fresh kernel (tests/test_fanout.py checks it).
A warm kernel watches the process that started it and ends when that process is gone.

The ``warm`` papermill engine (registered here) runs a notebook on a given warm kernel; without
one, :func:`execute` falls back to papermill's normal engine and a fresh kernel.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
from contextlib import asynccontextmanager
from pathlib import Path

import nbformat
import papermill as pm
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.iorw import load_notebook_node
from papermill.utils import merge_kwargs, remove_args

from kepatuhan import settings
from kepatuhan.pipeline.runtime.processes import end_processes
from kepatuhan.pipeline.runtime.signals import kept_handlers
from kepatuhan.pipeline.runtime.watchdog import kernel_watch_line

log = logging.getLogger("kepatuhan")
#: Where nbclient's per-notebook chatter goes: warnings and errors only.
client_log = logging.getLogger("kepatuhan.pipeline.runtime.kernels")
client_log.setLevel(logging.WARNING)
#: nbclient logs a kernel that did not start in English, without a time; the failure itself is raised,
#: and reported with the worker's jobs (see ``in_worker.start``).
client_log.addFilter(lambda record: not record.getMessage().startswith("Error occurred while starting new kernel"))

#: Run once when a warm kernel starts: the imports every notebook needs and a record of the settings a
#: notebook might change (:func:`.notebook_state.settle`), so that :data:`RESET` can put them back. (The kernel ends
#: with the process that started it from its own start: :func:`kernel_arguments`.)
WARM_UP = """
import kepatuhan, kepatuhan.pipeline.runtime.notebook_state as _state
kepatuhan._warm_state = _state.settle()
"""

#: Run between two notebooks: back to the state right after :data:`WARM_UP` (:func:`.notebook_state.put_back`),
#: then IPython's own namespace, history and counter. The record lives on the package module, which
#: ``%reset`` does not clear.
RESET = """
import kepatuhan as _k, kepatuhan.pipeline.runtime.notebook_state as _state
_state.put_back(_k._warm_state)
get_ipython().run_line_magic("reset", "-f")
get_ipython().history_manager.reset(new_session=True)
get_ipython().execution_count = 1
"""

#: Seconds the warm-up and a reset may take, whatever ``--cell-timeout`` says: a loaded machine imports
#: pandas, matplotlib and geopandas slowly, and that is not a notebook cell running too long.
WARM_UP_SECONDS = 300

#: No IPython history database: kernels running side by side would contend for it, and a reset
#: counter would collide with earlier line numbers (IPython then prints an error into the cell).
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]


def kernel_arguments() -> list[str]:
    """The kernel's command-line arguments: :data:`KERNEL_ARGUMENTS`, and a line it runs as it starts that
    makes it end with this process (its id passed in: read by the kernel later, it could already be 1)."""
    return [*KERNEL_ARGUMENTS, f"--IPKernelApp.exec_lines={kernel_watch_line(os.getpid())}"]


class StepFailed(Exception):
    """A notebook failed; the message names the notebook and cell, ``output`` is the partial notebook."""

    def __init__(self, message: str, output: Path):
        super().__init__(message)
        self.output = Path(output)


class KeepsSignalHandlers:
    """nbclient client mix-in: our stop-signal handlers stay in place while a notebook runs, and a
    kernel that never answered is cleaned up once, quietly."""

    async def _async_cleanup_kernel(self) -> None:
        """nbclient's clean-up, skipped when it already ran: after a kernel that did not answer at start
        (a stopped process), nbclient has dropped its manager, and its atexit call then printed an
        AssertionError traceback. A clean-up that fails is let go: a run stopped while the kernel starts may
        clean up twice at once (the second finds no manager), and the run ends the kernel's process itself."""
        if self.km is not None:
            with contextlib.suppress(Exception):
                await super()._async_cleanup_kernel()

    _cleanup_kernel = run_sync(_async_cleanup_kernel)

    @asynccontextmanager
    async def async_setup_kernel(self, **kwargs):
        with kept_handlers() as restore:
            async with super().async_setup_kernel(**kwargs):
                restore()  # nbclient just installed its own SIGTERM handler
                yield


class Client(KeepsSignalHandlers, NotebookClient):
    """nbclient's client, keeping our signal handlers."""


class PapermillClient(KeepsSignalHandlers, PapermillNotebookClient):
    """papermill's client, keeping our signal handlers."""


def kernel_name() -> str:
    """The project's kernel if installed (``make setup`` does), else the current Python's."""
    return settings.KERNEL_NAME if settings.KERNEL_NAME in KernelSpecManager().find_kernel_specs() else "python3"


class WarmKernel:
    """A kernel started once, warmed up with the notebooks' imports, reset between notebooks."""

    def __init__(
        self, name: str | None = None, cwd: Path = settings.NOTEBOOKS_DIR, timeout: int = 600, env: dict | None = None
    ):
        self.name = name or kernel_name()
        self.cwd = Path(cwd)
        self.km = AsyncKernelManager(kernel_name=self.name)
        # Interrupted by a message, not SIGINT: jupyter_client interrupts a kernel before every shutdown, and a
        # kernel stopped that way while it still imports prints a KeyboardInterrupt traceback into the run's log.
        self.km.kernel_spec.interrupt_mode = "message"
        self.kc = None
        self.timeout = timeout
        self.runs = 0
        self._env = env
        self._run_code(WARM_UP, start=True)
        self.reset()  # the first notebook then starts exactly like every later one

    def _run_code(self, code: str, start: bool = False) -> None:
        """Execute one code cell on this kernel (starting it the first time)."""
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
        client = Client(
            notebook,
            km=self.km,
            kernel_name=self.name,
            timeout=max(self.timeout, WARM_UP_SECONDS),
            allow_errors=False,
            log=client_log,
            extra_arguments=kernel_arguments(),
        )
        client.kc = self.kc
        if start:
            client.execute(cwd=str(self.cwd), **({"env": self._env} if self._env else {}))
        else:
            client.execute()
        self.kc = client.kc

    def reset(self) -> None:
        """Put the kernel back in its just-warmed-up state."""
        self._run_code(RESET)

    @property
    def pid(self) -> int | None:
        """The kernel's process id (None before it started or after it ended)."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(process, "pid", None)

    def shutdown(self) -> None:
        """Stop the kernel and its client; kill its process if it does not stop."""
        pid = self.pid
        with contextlib.suppress(Exception):
            if self.kc is not None:
                self.kc.stop_channels()
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        if pid is not None:
            end_processes([pid])

    def __enter__(self) -> WarmKernel:
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()


#: The notebook of the last execution in this process, finished or not (papermill keeps it to itself).
_last: dict = {}


class SavesOnce:
    """papermill engine mix-in: no rewrite of the whole notebook at every cell start and end.

    papermill saves the notebook about twice per cell (most of its own overhead for a brief). Here
    the notebook is kept in memory; :func:`execute` writes it once, when it is kept or when it failed.
    """

    @classmethod
    def execute_notebook(
        cls, nb, kernel_name, output_path=None, progress_bar=True, log_output=False, autosave_cell_every=30, **kwargs
    ):
        nb_man = NotebookExecutionManager(
            nb, output_path=None, progress_bar=progress_bar, log_output=log_output, autosave_cell_every=0
        )
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
        finally:
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
            _last["notebook"] = nb_man.nb
        return nb_man.nb


class WarmEngine(SavesOnce, NBClientEngine):
    """papermill engine that runs the notebook on a :class:`WarmKernel` passed as ``warm=``."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        warm: WarmKernel | None = None,
        **kwargs,
    ):
        client = PapermillClient(
            nb_man,
            km=warm.km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=warm.name,
            log=client_log,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client.kc = warm.kc
        return client.execute()


class ColdEngine(SavesOnce, NBClientEngine):
    """papermill's own engine (a fresh kernel per notebook), keeping our signal handlers."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        safe = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        final = merge_kwargs(
            safe,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=client_log,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
            extra_arguments=kernel_arguments(),
        )
        return PapermillClient(nb_man, **final).execute()


papermill_engines.register("warm", WarmEngine)
papermill_engines.register("cold", ColdEngine)


@settings.reloaded_when_changed
def _parsed(path: str):
    return load_notebook_node(path)


def source_notebook(path: Path):
    """The parsed notebook at ``path`` (parsed once per process and version of the file), as a fresh copy."""
    return copy.deepcopy(_parsed(str(path)))


def execute(
    notebook: Path,
    output: Path,
    parameters: dict,
    timeout: int,
    cwd: Path,
    warm: WarmKernel | None = None,
    keep: bool = True,
):
    """Execute a notebook with papermill, on ``warm`` if given; return the executed notebook.

    The executed notebook is written to ``output`` when ``keep`` is true, and always when it failed
    (executed up to the error); on failure :class:`StepFailed` names the notebook and the cell. A warm
    kernel is reset before the notebook, so nothing from the previous notebook leaks in.
    """
    engine = {"engine_name": "cold"}
    if warm is not None:
        if warm.runs:
            warm.reset()
        warm.runs += 1
        engine = {"engine_name": "warm", "warm": warm}
    _last.clear()
    try:
        done = pm.execute_notebook(
            source_notebook(notebook),
            None,
            parameters=parameters,
            kernel_name=warm.name if warm else kernel_name(),
            execution_timeout=timeout,
            progress_bar=False,
            cwd=str(cwd),
            log_output=False,
            request_save_on_cell_execute=False,
            **engine,
        )
    except pm.PapermillExecutionError as exc:
        write_notebook(_last.get("notebook"), output)
        first = exc.source.strip().splitlines()[0] if exc.source.strip() else ""
        raise StepFailed(
            f"{notebook.name} failed in cell {exc.cell_index} ({first[:80]!r}): {exc.ename}: {exc.evalue}", output
        ) from None
    except Exception as exc:  # the kernel died, a cell timed out, the kernel is missing
        write_notebook(_last.get("notebook"), output)
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
        raise StepFailed(
            f"{notebook.name} stopped in {last_started_cell(_last.get('notebook'))}: {type(exc).__name__}: {reason}",
            output,
        ) from None
    if keep:
        write_notebook(done, output)
    return done


def write_notebook(node, output: Path) -> None:
    """Write an executed notebook (nothing when there is none)."""
    if node is not None:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(node, str(output))


def last_started_cell(node) -> str:
    """``cell N ('first line')`` of the last cell that started executing in a partial notebook (or None).

    papermill stamps ``metadata.papermill.start_time`` on each cell as it starts, even when the
    kernel dies before the cell gets an execution count.
    """
    if node is None:
        return "an unknown cell (no partial notebook)"
    cells = node.cells
    started = [
        i for i, c in enumerate(cells) if c.cell_type == "code" and c.metadata.get("papermill", {}).get("start_time")
    ]
    if not started:
        return "its first cell (the kernel did not start)"
    index = started[-1]
    first = cells[index].source.strip().splitlines()[0] if cells[index].source.strip() else ""
    return f"cell {index} ({first[:80]!r})"
