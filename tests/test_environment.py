"""The conda environment and the pip pins name the same packages and versions."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from kepatuhan import settings


def pip_pins() -> dict[str, str]:
    pins = {}
    for line in (settings.ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.lower()] = version
    return pins


def conda_pins() -> dict[str, str]:
    env = yaml.safe_load((settings.ROOT / "environment.yml").read_text())
    pins = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and "=" in item and not item.startswith("python="):
            name, version = item.split("=", 1)
            pins[name.lower()] = version
    return pins


def test_conda_and_pip_pin_the_same_versions():
    assert conda_pins() == pip_pins()


def test_lock_file_agrees_with_the_direct_pins():
    lock = dict(
        line.lower().split("==")
        for line in (settings.ROOT / "requirements-lock.txt").read_text().splitlines()
        if "==" in line
    )
    for name, version in pip_pins().items():
        assert lock.get(name) == version, name


def test_every_pin_is_exact():
    text = (settings.ROOT / "requirements.txt").read_text()
    assert not re.search(r"^[^#\s].*(>=|<=|~=|\*)", text, flags=re.M)


def test_the_pipeline_processes_skip_the_grammar_compiling_optional_import():
    """A worker unpickles its start function from ``runtime.executors``, the run imports the CLI: neither
    may load nbformat before ``runtime.skip_iri_checker`` blocked ``rfc3987_syntax`` (38 Lark grammars compiled at
    import, 0.75-2.2 s in every process). An import order change once let it back in unnoticed."""
    code = (
        "import sys, importlib; importlib.import_module(sys.argv[1]); "
        "assert 'nbformat' in sys.modules or sys.argv[1] == 'kepatuhan.pipeline.cli'; "
        "assert sys.modules.get('rfc3987_syntax', 'absent') in (None, 'absent'), sys.modules['rfc3987_syntax']"
    )
    for module in (
        "kepatuhan.pipeline.runtime.executors",
        "kepatuhan.pipeline.runtime.inprocess",
        "kepatuhan.pipeline.cli",
    ):
        subprocess.run([sys.executable, "-c", code, module], check=True, cwd=settings.ROOT)


def test_reading_and_checking_a_table_does_not_import_dask():
    """Dask is installed for ``--executor dask`` only. A pandera ``DataFrameModel`` imports ``dask.dataframe``
    whenever dask is installed (0.6 s and 16 MB in every process that reads a table), so the schemas are
    built with pandera's object API; a model put back would bring the import back unnoticed."""
    code = (
        "import sys; from kepatuhan import schema; "
        "[schema.validate(t, schema.empty(t)) for t in schema.TABLES]; schema.columns('scores', role='shown'); "
        "assert 'dask' not in sys.modules, sorted(m for m in sys.modules if m.startswith('dask'))[:5]"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=settings.ROOT)


def test_the_early_kernel_worker_is_started_without_importing_the_executors():
    """The run starts its first kernel worker before it reads its raw files, from ``runtime.workers``: that
    module must not load the executors (papermill, nbclient, nbformat: 0.9 s), which would hold the reading
    back by as much and make a run stopped by bad data pay for them."""
    code = (
        "import sys; import kepatuhan.pipeline.run, kepatuhan.pipeline.runtime.workers; "
        "heavy = ('papermill', 'nbclient', 'nbformat', 'kepatuhan.pipeline.runtime.executors'); "
        "loaded = [m for m in heavy if m in sys.modules]; assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=settings.ROOT)
