"""The catalog: every dataset the pipeline reads or writes, named once, with where it lives.

A dataset lives under one *root*:

- ``raw``: the published score files (only ever read); ``examples``: illustrative files, read when asked;
- ``config``: the analyst-edited configuration (``config/``) and the map boundaries (``data/geo``);
- ``processed``: the tidy tables (``data/processed``);
- ``run``: the reports folder itself (run history, logs);
- ``scope``: the folder of one brief, ``reports/<year>/nasional`` or ``reports/<year>/provinsi/<slug>``.

Notebooks, the ingest, the steps and the tests take file names from here (:func:`path`) and read and
write tables with :func:`load` and :func:`save`; no file name is written anywhere else. A table is
saved as Parquet (what later steps read, types intact) with a CSV copy beside it for people.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kepatuhan.errors import DataError
from kepatuhan.settings import DEFAULT_LANG
from kepatuhan.writing import plain_table, write_frames

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Dataset:
    """One named dataset: its root, its path below the root, and what it holds.

    ``path`` may hold ``{year}``, ``{slug}`` and ``{lang}`` (the briefs of each language sit side by side:
    ``brief.html``, ``brief.en.html``); ``csv_copy`` says whether a CSV copy for people is written beside
    a Parquet table.
    """

    name: str
    root: str
    path: str
    description: str
    csv_copy: bool = False

    @property
    def table(self) -> bool:
        """Whether the dataset is a table (Parquet or CSV), whose columns :mod:`kepatuhan.schema` declares."""
        return self.path.endswith((".parquet", ".csv"))


DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset("raw", "raw", "", "the published score files, as published"),
        Dataset("examples", "examples", "", "illustrative files, read only when asked (--with-examples)"),
        Dataset("config", "config", "", "configuration (config/*.csv) and map boundaries (data/geo)"),
        Dataset("scores", "processed", "scores.parquet", "one row per (year, pemda, OPD)", csv_copy=True),
        Dataset("quality", "processed", "quality.csv", "data-quality report of the ingest"),
        Dataset("ingest_stamp", "processed", "ingest-stamp.json", "which inputs made the processed tables"),
        Dataset("ingest_notebook", "processed", "01_ingest.ipynb", "the executed ingest notebook"),
        Dataset("runs", "run", "runs.jsonl", "one line per run, whatever its outcome"),
        Dataset("logs", "run", "logs", "the log of each run"),
        Dataset(
            "comparisons", "scope", "comparisons.parquet", "each unit against its previous assessment", csv_copy=True
        ),
        Dataset("watch_list", "scope", "watch_list.parquet", "units with a decline flag, worst first", csv_copy=True),
        Dataset("standing", "scope", "standing.parquet", "each pemda's rank in its province and type", csv_copy=True),
        Dataset("zone_distribution", "scope", "zone_distribution.parquet", "OPD zones per pemda", csv_copy=True),
        Dataset(
            "pemda_zone_distribution",
            "scope",
            "pemda_zone_distribution.parquet",
            "pemda zones per province",
            csv_copy=True,
        ),
        Dataset("figures", "scope", "figures{lang}", "the brief's charts as PNG (and SVG with --svg)"),
        Dataset("declines_notebook", "scope", "notebooks/02_declines.ipynb", "the executed declines notebook"),
        Dataset("brief_notebook", "scope", "notebooks/brief{lang}.ipynb", "the executed brief notebook"),
        Dataset("brief", "scope", "brief{lang}.html", "the brief, HTML without code"),
        Dataset("brief_pdf", "scope", "brief{lang}.pdf", "the brief as an A4 PDF"),
        Dataset("workbook", "scope", "ringkasan_{year}{lang}.xlsx", "every table of the brief, for spreadsheets"),
        Dataset(
            "pemda_notebook", "scope", "pemda/{slug}{lang}.ipynb", "an executed pemda brief (kept when asked or failed)"
        ),
        Dataset("pemda_brief", "scope", "pemda/{slug}{lang}.html", "the brief of one pemda"),
        Dataset("pemda_brief_pdf", "scope", "pemda/{slug}{lang}.pdf", "the brief of one pemda as an A4 PDF"),
        Dataset("manifest", "scope", "manifest.json", "what went into this brief and what came out"),
        Dataset("failed", "scope", "failed", "notebooks of a failed run, executed up to the error"),
    )
}


def slugify(name: str) -> str:
    """A file-name-safe slug: ``"Kota Sungai Penuh"`` -> ``"kota-sungai-penuh"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "pemda"


def dataset(name: str) -> Dataset:
    """The declared dataset ``name``; a ``KeyError`` names the known ones."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"no dataset {name!r} in the catalog; known: {', '.join(DATASETS)}") from None


def suffix(lang: str) -> str:
    """What a brief's files add for a language beside the default one: ``""`` for ``id``, ``".en"`` for ``en``."""
    return "" if not lang or lang == DEFAULT_LANG else f".{lang}"


def relative(name: str, **fields) -> str:
    """The path of a dataset below its root, ``{year}``, ``{slug}`` and ``{lang}`` (a language code) filled in."""
    return dataset(name).path.format(**{**fields, "lang": suffix(fields.get("lang", ""))})


def path(name: str, root: str | Path, **fields) -> Path:
    """Where dataset ``name`` lives below the folder ``root`` of its kind."""
    return Path(root) / relative(name, **fields)


def csv_copy(target: Path) -> Path:
    """The CSV copy people read beside a Parquet table."""
    return Path(target).with_suffix(".csv")


def save(name: str, frame: pd.DataFrame, root: str | Path, **fields) -> list[Path]:
    """Write one table dataset below ``root`` (see :func:`save_all`); nothing when ``root`` is empty."""
    return save_all({name: frame}, root, **fields)


def save_all(frames: dict[str, pd.DataFrame], root: str | Path, **fields) -> list[Path]:
    """Write table datasets (``{name: frame}``) below ``root``, all or nothing; nothing when ``root`` is empty.

    Each is first checked against its schema (:mod:`kepatuhan.schema`), so a step never writes a table
    that breaks it, and saved as Parquet with its CSV copy where it has one. Notebooks call this with
    their ``out_dir`` parameter, which is empty when an analyst explores.
    """
    from kepatuhan import schema  # heavy

    if not root:
        return []
    files = {}
    for name, frame in frames.items():
        target, checked = path(name, root, **fields), schema.validate(name, frame)
        files[target] = checked
        if dataset(name).csv_copy:
            files[csv_copy(target)] = checked
    folders = {target.parent for target in files}
    return [
        written
        for folder in sorted(folders)
        for written in write_frames(folder, {t.name: f for t, f in files.items() if t.parent == folder})
    ]


def load(name: str, root: str | Path, check: bool = True, **fields) -> pd.DataFrame:
    """Read a table dataset written by :func:`save_all`, checked against its schema (numbers in their types).

    ``check=False`` reads a Parquet table as written, without checking it again: :func:`save_all` checked it
    before writing, and its types are stored with it (an analyst's ``kp.load_scores()``, where loading the
    checks costs more than reading the table)."""
    target = path(name, root, **fields)
    if not target.exists():
        raise DataError.single(
            f"dataset '{name}' not found", file=target, hint="run `python pipeline.py run`, which writes it"
        )
    if not check and target.suffix == ".parquet":
        import pandas as pd  # heavy

        return plain_table(pd.read_parquet(target))
    state = target.stat()
    return _read_checked(name, target, (state.st_ino, state.st_mtime_ns, state.st_size)).copy()


@functools.lru_cache(maxsize=8)
def _read_checked(name: str, target: Path, state: tuple[int, int, int]) -> pd.DataFrame:
    """One table file read and checked, kept while the file is unchanged (``state``: inode, time, size).

    A worker renders many briefs of one province from the same tables; reading and checking the
    national scores again for each cost more than the brief's own work. Tables are replaced by a
    rename, so a new version has a new inode and is read afresh; callers get a copy.
    """
    import pandas as pd  # heavy

    from kepatuhan import schema  # heavy

    frame = (
        plain_table(pd.read_parquet(target))  # a table written before with attrs in its file: without them
        if target.suffix == ".parquet"
        else pd.read_csv(target, dtype=str, keep_default_na=False)
    )
    return schema.validate(name, frame)
