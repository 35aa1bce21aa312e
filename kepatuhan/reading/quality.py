"""The data-quality report: every finding of the ingest that is not an error, one row each, where it was found.

Kinds: ``skipped`` (every file or sheet not read, with why), ``reading_note`` (encoding, ignored headers), ``unknown_opd``, ``no_result`` (a row
with a name and nothing published), ``former_name``, ``partial_name`` and ``variant_spelling`` (a name read by
its province's one pemda so named), ``illustrative_left_out``, ``grade_mismatch`` and
``zone_mismatch`` (a published grade or zone that differs from the one its score gives, both kept),
``merged_duplicate``, ``correction`` and ``correction_unused`` (see :mod:`kepatuhan.reading.corrections`).
Rows that repeat a unit with different values are an error whose fix is the line to add to
``config/corrections.csv``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kepatuhan import schema
from kepatuhan.errors import DataError, Problem
from kepatuhan.reading.corrections import line as correction_line
from kepatuhan.reading.report_rows import quality_rows
from kepatuhan.schema import SOURCE_SEPARATOR, sources_of
from kepatuhan.translations import translate


def note_rows(notes: list[Problem]) -> pd.DataFrame:
    """Reading notes as quality-report rows: ``skipped`` for a file or sheet not read, else ``reading_note``
    (encoding fallback, ignored headers)."""
    parts = [
        quality_rows(
            kind, [str(n.file or "") for n in chosen], [n.row or 0 for n in chosen], message=[n.message for n in chosen]
        )
        for kind, chosen in (
            ("skipped", [n for n in notes if _skipped(n)]),
            ("reading_note", [n for n in notes if not _skipped(n)]),
        )
    ]
    return pd.concat(parts, ignore_index=True)


def _skipped(note: Problem) -> bool:
    return note.message.startswith(("file skipped", "sheet skipped"))


def not_read(quality: pd.DataFrame) -> list[tuple[str, str]]:
    """Each file or sheet the ingest did not read, with why (for the run log)."""
    rows = quality[quality["kind"] == "skipped"]
    return [(f, m.split(": ", 1)[-1]) for f, m in zip(rows["raw_file"], rows["message"])]


def report(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The quality report from its parts, sorted by kind, file and row; each message also in Bahasa Indonesia."""
    table = pd.concat(parts, ignore_index=True)[schema.columns("quality")]
    table["raw_row"] = table["raw_row"].fillna(0).astype("int64")
    table["pesan"] = table["message"].map(lambda message: translate(message, "id"))
    return table.sort_values(["kind", "raw_file", "raw_row"], kind="stable").reset_index(drop=True)


def disagreements(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows whose published grade or zone differs from the one its score gives (both are kept)."""
    parts = []
    scored = frame[frame["score_published"]]
    for published, computed, kind in [
        ("published_grade", "grade", "grade_mismatch"),
        ("published_zone", "zone", "zone_mismatch"),
    ]:
        bad = scored[(scored[published] != "") & (scored[published] != scored[computed])]
        message = [
            f"published {computed} differs from the one computed from score {score:g} with the {method} bands; both are kept"
            for score, method in zip(bad["score"], bad["method"])
        ]
        parts.append(
            quality_rows(
                kind,
                bad["raw_file"],
                bad["raw_row"],
                column=published,
                value=bad[published],
                expected=bad[computed],
                message=message,
            )
        )
    if "label_grade" in scored:  # a label printed where no letter was: the grade it names
        bad = scored[
            (scored["published_grade"] == "")
            & (scored["label_grade"] != "")
            & (scored["label_grade"] != scored["grade"])
        ]
        parts.append(
            quality_rows(
                "grade_mismatch",
                bad["raw_file"],
                bad["raw_row"],
                column="published_label",
                value=bad["published_label"],
                expected=bad["grade"],
                message=[
                    f"published label names grade {g}, not the {c} computed from score {s:g} with the "
                    f"{m} bands; both are kept"
                    for g, c, s, m in zip(bad["label_grade"], bad["grade"], bad["score"], bad["method"])
                ],
            )
        )
    return pd.concat(parts, ignore_index=True)


#: What two rows of one unit and year publish: they are one result when no column holds two different values.
RESULT = ["score", "published_grade", "published_zone", "published_label", "service_quality"]
KEY = ["year", "pemda", "opd"]


def merge_duplicates(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge the rows of one (year, pemda, OPD) into one: each result column takes the value they published
    (a zone-only release and a scored one complete each other). Two different values of one column are an
    error whose fix is a line of ``config/corrections.csv``: the published files are kept as they are."""
    repeated = frame[frame.duplicated(KEY, keep=False)]
    if repeated.empty:
        return frame, quality_rows("merged_duplicate", [], [])
    published = repeated[RESULT].where(repeated[RESULT] != "").groupby([repeated[k] for k in KEY])
    bad = published.nunique().gt(1).any(axis=1)
    if bad.any():
        groups = repeated.groupby(KEY)
        raise DataError([_conflict(groups.get_group(key)) for key in bad.index[bad]])
    first = frame.index[~frame.duplicated(KEY, keep="first") & frame.duplicated(KEY, keep=False)]
    combined = published.first().reindex(pd.MultiIndex.from_frame(frame.loc[first, KEY]))
    frame = frame.copy()
    for column in RESULT:
        frame.loc[first, column] = combined[column].fillna("" if column != "score" else np.nan).to_numpy()
    cited = repeated.groupby(KEY, sort=False)["source"].agg(
        lambda cells: SOURCE_SEPARATOR.join(sources_of(SOURCE_SEPARATOR.join(cells)))
    )  # every source that printed the result keeps its credit
    frame.loc[first, "source"] = cited.reindex(pd.MultiIndex.from_frame(frame.loc[first, KEY])).to_numpy()
    return frame[~frame.duplicated(KEY, keep="first")], _merged(frame)


def _merged(frame: pd.DataFrame) -> pd.DataFrame:
    """The quality rows of the rows merged into an earlier one."""
    dropped = frame[frame.duplicated(KEY, keep="first")]
    kept = frame[~frame.duplicated(KEY, keep="first")].set_index(KEY)
    first = kept.loc[pd.MultiIndex.from_frame(dropped[KEY])]
    return quality_rows(
        "merged_duplicate",
        dropped["raw_file"],
        dropped["raw_row"],
        column="score",
        value=[_shown(score) for score in dropped["score"]],
        message=[f"the same result as {f} row {r}; merged" for f, r in zip(first["raw_file"], first["raw_row"])],
    )


def _conflict(group: pd.DataFrame) -> Problem:
    """Two rows of one unit and year that publish different results, and the correction line that picks one."""
    row = group.iloc[0]
    column = next(c for c in RESULT if group[c].where(group[c] != "").nunique() > 1)
    shown = "score_written" if column == "score" and "score_written" in group else column  # 80,85 as written
    places = "; ".join(
        f"{f} row {r}: {_shown(v)}" for f, r, v in group[["raw_file", "raw_row", shown]].itertuples(index=False)
    )
    unit = f"{row['pemda']}{' / ' + row['opd'] if row['opd'] else ''}"
    pick = correction_line(
        int(row["year"]),
        row["pemda"],
        row["opd"],
        column,
        _shown(row[shown]),
        "dua sumber berbeda; nilai sumber ini yang dipakai",
        row["source"],
    )
    return Problem(
        f"{unit} {row['year']} has different values in this column in several rows ({places})",
        file=row["raw_file"],
        row=int(row["raw_row"]),
        column=column,
        hint=f"the published files are kept as they are: say which holds in config/corrections.csv, for example "
        f"with the line  {pick}  (change the value and the reason if another source holds)",
    )


def _shown(value) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and pd.isna(value))
        else (f"{value:g}" if isinstance(value, float) else str(value))
    )
