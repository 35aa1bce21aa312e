"""What a run reads, hashed: raw files, examples, configuration, notebooks, package versions and code.

The hashes go into every task's fingerprint (through the planner) and each manifest lists the files
with their size and SHA-256, so anyone can tell what went into a brief. Light on purpose: a run with
nothing to do hashes its inputs and stops, without importing pandas.

A notebook counts as its recipe, not its file: its cells' kinds and sources, and the defaults of its
``parameters`` cell. Its outputs, execution counts, widget state and metadata are what a person's session
left in it (JupyterLab saves them on Ctrl+S and every two minutes): they change nothing the pipeline
runs, so they change no fingerprint and leave every published brief current.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from kepatuhan import settings
from kepatuhan.pipeline.planner import fingerprint
from kepatuhan.reading.files import find_raw_files, label
from kepatuhan.writing import sha256

#: Direct dependencies whose versions go into the manifest and into every fingerprint.
RECORDED_PACKAGES = (
    "kepatuhan",
    "pandas",
    "numpy",
    "pyarrow",
    "openpyxl",
    "python-calamine",
    "matplotlib",
    "seaborn",
    "geopandas",
    "shapely",
    "pyogrio",
    "pyproj",
    "papermill",
    "nbconvert",
    "nbformat",
    "nbclient",
    "ipykernel",
    "jupyter_client",
    "jinja2",
    "weasyprint",
    "xlsxwriter",
)


def file_entries(paths: list[Path], base: Path) -> list[dict]:
    """Path (relative to ``base`` where possible), size and SHA-256 of each readable file."""
    entries = []
    for path in sorted(paths):
        try:
            shown = label(path, base)
        except ValueError:
            shown = str(path)
        with contextlib.suppress(OSError):
            entries.append({"path": shown, "bytes": path.stat().st_size, "sha256": sha256(path)})
    return entries


def notebook_recipe(path: Path) -> tuple[str, dict]:
    """A notebook as the pipeline runs it: a hash of its cells' kinds and sources (the ``parameters`` cell left
    out) and that cell's defaults, ``{name: value}``; outputs, counts and metadata are left out."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    cells, defaults = [], {}
    for cell in notebook.get("cells", []):
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            defaults.update(parameter_defaults(source))
        else:
            cells.append([cell.get("cell_type", ""), source])
    return hashlib.sha256(json.dumps(cells).encode()).hexdigest(), defaults


def parameter_defaults(source: str) -> dict:
    """The defaults a ``parameters`` cell assigns (``year: int = 0  # ...``): literals as values, anything else as
    its source text; a cell that is not plain assignments counts as its whole text."""
    try:
        statements = ast.parse(source).body
    except SyntaxError:
        return {"(cell)": source}
    defaults = {}
    for statement in statements:
        target = (
            statement.target
            if isinstance(statement, ast.AnnAssign)
            else (statement.targets[0] if isinstance(statement, ast.Assign) and len(statement.targets) == 1 else None)
        )
        if not isinstance(target, ast.Name) or statement.value is None:
            return {"(cell)": source}
        try:
            defaults[target.id] = ast.literal_eval(statement.value)
        except ValueError:
            defaults[target.id] = ast.unparse(statement.value)
    return defaults


def config_files(root: Path = settings.ROOT) -> list[Path]:
    """The configuration an analyst edits, the other names of pemda (short forms, former names: they decide
    how a published name is read) and the map boundaries with their credits."""
    other_names = root / settings.OTHER_NAMES_FILE.relative_to(settings.ROOT)
    return (
        sorted((root / "config").glob("*.csv"))
        + [other_names]
        + sorted(p for p in (root / "data" / "geo").glob("*") if p.is_file())
    )


def code_files() -> list[Path]:
    """The package's own code, wording and templates: a change to them changes what a brief shows."""
    package = Path(__file__).resolve().parent.parent
    return sorted(p for p in package.rglob("*") if p.suffix in {".py", ".toml", ".j2", ".json", ".css"} and p.is_file())


def inputs(raw_dir: Path, examples_dir: Path | None, notebooks: list[Path]) -> dict[str, list[dict]]:
    """Every input file of a run, by kind, with size and hash; a notebook also with its recipe and defaults."""
    return {
        "raw": file_entries(find_raw_files(raw_dir), Path(raw_dir)),
        "examples": file_entries(find_raw_files(examples_dir), Path(examples_dir)) if examples_dir else [],
        "config": file_entries(config_files(), settings.ROOT),
        "notebooks": [
            {**entry, **dict(zip(("recipe", "defaults"), notebook_recipe(path)))}
            for path in notebooks
            if path.exists()
            for entry in file_entries([path], settings.ROOT)
        ],
    }


def package_versions() -> dict[str, str]:
    """Versions of the recorded packages (missing ones are left out)."""
    versions = {}
    for name in RECORDED_PACKAGES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[name] = metadata.version(name)
    return versions


def hashes(entries: dict[str, list[dict]], versions: dict[str, str]) -> dict[str, str]:
    """The source fingerprints the planner takes: one per kind, one per notebook, and the software."""
    found = {kind: fingerprint(entries[kind]) if entries[kind] else "" for kind in ("raw", "examples", "config")}
    for entry in entries["notebooks"]:
        name = Path(entry["path"]).name
        found[f"notebook:{name}"] = entry.get("recipe", entry["sha256"])
        found[f"notebook-defaults:{name}"] = json.dumps(entry.get("defaults", {}), sort_keys=True, default=str)
    found["versions"] = fingerprint(versions, file_entries(code_files(), settings.ROOT), platform.python_version())
    return found


def git_state(root: Path = settings.ROOT) -> dict:
    """The project's git commit and whether the work tree had changes (None outside git)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit.stdout.strip(), "dirty": bool(dirty.stdout.strip())}
