"""Staging: carry-over of up-to-date outputs only, recovery after a kill, publishing as one unit."""

from __future__ import annotations

import errno
import json
import os
import shutil
from types import SimpleNamespace

import pytest

from kepatuhan.errors import EnvironmentProblem
from kepatuhan.pipeline.planner import Request, RunSettings, Scope, plan, recorded
from kepatuhan.pipeline.run import Work, carry_over
from kepatuhan.pipeline.staging import PROCESSED, Staging, locked
from kepatuhan.pipeline.steps import STEPS
from kepatuhan.writing import sha256

JAMBI = Scope(2023, "Jambi")


def published_unit(reports, tasks) -> dict:
    """A published Jambi folder with one file per task and a manifest recording them."""
    folder = reports / JAMBI.key
    records = {}
    for task in tasks:
        if task.scope != JAMBI:
            continue
        name = f"pemda/{task.slug}.html" if task.pemda else f"{task.step.name}.out"
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(task.id)
        records[task.id] = {
            "fingerprint": task.fingerprint,
            "outputs": {name: sha256(folder / name)},
            "pemda": task.pemda,
        }
    (folder / "manifest.json").write_text(json.dumps({"tasks": records}))
    return records


def request(partitions: dict) -> Request:
    sources = {"raw": "r", "examples": "", "config": "c", "versions": "v"}
    return Request(
        (JAMBI,),
        RunSettings(lang="id", min_drop=0.01, compare_across_methods=False, pdf=True, svg=False),
        sources,
        partitions,
        {JAMBI: tuple(p for _, p in partitions)},
    )


def test_carry_over_never_copies_an_output_whose_inputs_changed(tmp_path):
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    parts = {(2023, "Kota Jambi"): "a", (2023, "Kabupaten Kerinci"): "b"}
    published_unit(reports, plan(STEPS, request(parts), {}))
    staging = Staging(reports, processed)
    previous = staging.previous([JAMBI.key])
    changed = plan(STEPS, request({**parts, (2023, "Kota Jambi"): "changed"}), recorded(previous))
    work = Work.of(changed, SimpleNamespace(asked={JAMBI: set()}, previous=previous))
    staging.open()
    carry_over(work, staging, SimpleNamespace(previous=previous))
    staged = {
        p.relative_to(staging.staged(JAMBI.key)).as_posix() for p in staging.staged(JAMBI.key).rglob("*") if p.is_file()
    }
    assert staged == {"declines.out", "brief.out", "pemda/kabupaten-kerinci.html"}
    assert work.removed == {} and [t.id for t in work.to_run if t.scope] == [
        "pemda_brief@2023/provinsi/jambi/kota-jambi"
    ]
    staging.close()
    assert not staging.root.exists()


def test_a_missing_output_or_an_edited_processed_table_drops_the_record(tmp_path):
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    records = published_unit(reports, plan(STEPS, request({(2023, "Kota Jambi"): "a"}), {}))
    processed.mkdir()
    (processed / "scores.parquet").write_bytes(b"tables")
    stamp = {
        "tasks": {"ingest": {"fingerprint": "f", "outputs": {"scores.parquet": sha256(processed / "scores.parquet")}}}
    }
    (processed / "ingest-stamp.json").write_text(json.dumps(stamp))
    staging = Staging(reports, processed)
    assert set(staging.previous([JAMBI.key])) == set(records) | {"ingest"}
    (reports / JAMBI.key / "pemda" / "kota-jambi.html").unlink()
    (processed / "scores.parquet").write_bytes(b"edited by hand")
    assert set(staging.previous([JAMBI.key])) == set(records) - {"pemda_brief@2023/provinsi/jambi/kota-jambi"}


def test_recovery_restores_a_half_done_swap_and_removes_leftovers(tmp_path):
    reports = tmp_path / "reports"
    trash = reports / ".trash-999999" / JAMBI.key
    trash.mkdir(parents=True)
    (trash / "manifest.json").write_text("{}")
    (reports / ".staging-999999" / "2023").mkdir(parents=True)
    (tmp_path / "processed").mkdir()
    (tmp_path / "processed" / ".scores.parquet.999999.tmp").write_text("half")
    Staging(reports, tmp_path / "processed").recover()
    assert (reports / JAMBI.key / "manifest.json").exists()
    assert not list(reports.glob(".trash-*")) and not list(reports.glob(".staging-*"))
    assert not list((tmp_path / "processed").iterdir())


def test_publish_swaps_units_and_writes_processed_tables_all_or_nothing(tmp_path, monkeypatch):
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    processed.mkdir()
    for name in ("scores.parquet", "quality.csv", "ingest-stamp.json"):
        (processed / name).write_text("old")
    staging = Staging(reports, processed)
    staging.open()
    for name in ("scores.parquet", "quality.csv", "ingest-stamp.json"):
        (staging.staged(PROCESSED) / name).write_text("new")
    copies, real_copy = [], shutil.copyfile

    def disk_fills(source, target, **kwargs):
        copies.append(target)
        if len(copies) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real_copy(source, target, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", disk_fills)
    with pytest.raises(EnvironmentProblem, match="the disk is full"):
        staging.publish([], processed=True)
    assert {p.name: p.read_text() for p in processed.iterdir()} == dict.fromkeys(
        ("scores.parquet", "quality.csv", "ingest-stamp.json"), "old"
    )
    monkeypatch.undo()
    (staging.staged(JAMBI.key)).mkdir(parents=True)
    (staging.staged(JAMBI.key) / "brief.html").write_text("new brief")
    staging.publish([JAMBI.key], processed=True)
    assert (processed / "scores.parquet").read_text() == "new" and (reports / JAMBI.key / "brief.html").exists()
    assert not list(reports.glob(".trash-*"))


def test_a_file_where_a_folder_should_be_is_a_clear_problem(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "2023").write_text("not a folder")
    with pytest.raises(EnvironmentProblem, match="is a file, not a folder"):
        Staging(reports, tmp_path / "p").check_folders([JAMBI.key])


def test_the_lock_is_exclusive_and_says_who_holds_it(tmp_path):
    from multiprocessing import get_context

    with locked(tmp_path):
        assert (tmp_path / ".lock-holder").read_text() == str(os.getpid())
        context = get_context("spawn")
        with context.Pool(1) as pool:
            message = pool.apply(_try_lock, (str(tmp_path),))
        assert "another run is using" in message and str(os.getpid()) in message


def _try_lock(folder: str) -> str:
    from kepatuhan.pipeline.staging import Busy, locked

    try:
        with locked(folder):
            return "got it"
    except Busy as exc:
        return str(exc)


def test_a_stop_signal_that_lands_in_a_finaliser_is_not_printed_and_still_stops_the_run(capsys):
    """Python drops an exception raised in a weak reference's callback (pandera registers some): the signal
    was lost, and its traceback printed. Now it is quiet there and raised where the run next looks."""
    import os
    import signal
    import weakref

    from kepatuhan.pipeline.runtime.signals import Interrupted, stop_on_signals

    class Table:
        pass

    def cleanup(_):
        os.kill(os.getpid(), signal.SIGINT)
        [i for i in range(100)]  # the handler runs here, inside the callback

    with pytest.raises(Interrupted) as stopped, stop_on_signals():
        table = Table()
        kept = weakref.ref(table, cleanup)
        del table
        assert kept() is None
    assert stopped.value.exit_code == 130
    assert "Traceback" not in capsys.readouterr().err
