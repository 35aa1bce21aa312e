"""The cases a hostile sweep still broke (issue 20): silent misreads, files that are not files, outputs aimed
at the raw folder, options that are no numbers, a Dask address that is no scheduler, raw files that change
during a run, and faults of the machine. Each is read as a person reading the file sees it, or stopped with
one clear message; never an internal error (part of the reliability suite: ``make faults``)."""

from __future__ import annotations

import errno
import json
import os
import socket
import threading
import types
from pathlib import Path

import openpyxl
import pytest

from kepatuhan import catalog
from kepatuhan.errors import DataError, EnvironmentProblem
from kepatuhan.pipeline import cli, sources
from kepatuhan.pipeline.run import raw_unchanged
from kepatuhan.pipeline.run_record import classify
from kepatuhan.reading.ingest import ingest

pytestmark = pytest.mark.faults


def folder_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for name, content in files.items():
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        (raw / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return raw


def problems(raw: Path) -> str:
    with pytest.raises(DataError) as info:
        ingest(raw)
    return str(info.value)


def book(
    path: Path,
    rows: list[list],
    formats: dict[str, str] | None = None,
    hidden: list[list] | None = None,
    merge: str = "",
) -> Path:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    for cell, number_format in (formats or {}).items():
        workbook.active[cell].number_format = number_format
    if merge:
        workbook.active.merge_cells(merge)
    if hidden:
        sheet = workbook.create_sheet("lama")
        for row in hidden:
            sheet.append(row)
        sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


# ---- 3. a column with values and no header ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "letter"),
    [
        ("tahun,provinsi,pemda,,nilai\n2023,Jambi,Kab. Tebo,Dinas A,80\n2023,Jambi,Kab. Tebo,,75\n", "D"),
        ("tahun;pemda;;nilai\n2023;Kab. Tebo;Dinas A;80\n", "C"),
        ("tahun,pemda,nilai,\n2023,Kab. Tebo,80,catatan penting\n", "D"),
    ],
    ids=["over-the-opd", "semicolon-file", "after-the-score"],
)
def test_a_column_with_values_and_no_header_is_an_error_naming_its_letter(tmp_path, text, letter):
    text_of = problems(folder_with(tmp_path, {"a.csv": text}))
    assert f"column {letter} has values but no header" in text_of and "config/unnamed_columns.csv" in text_of


def test_a_header_merged_across_the_opd_column_is_an_error(tmp_path):
    raw = folder_with(tmp_path, {})
    book(
        raw / "a.xlsx",
        [["tahun", "pemda", "unit layanan", None, "nilai"], [2023, "Kab. Tebo", "Dinas", "Dinas A", 80]],
        merge="C1:D1",
    )
    assert "column D has values but no header" in problems(raw)


def test_the_line_the_error_gives_names_the_column_and_the_file_is_read(tmp_path, monkeypatch):
    raw = folder_with(
        tmp_path, {"a.csv": "tahun,provinsi,pemda,,nilai\n2023,Jambi,Kab. Tebo,Dinas A,80\n2023,Jambi,Kab. Tebo,,75\n"}
    )
    line = problems(raw).split("with the line  ")[1].split("  (")[0]
    config = tmp_path / "unnamed_columns.csv"
    config.write_text("file,column,header\n" + line + "\n")
    monkeypatch.setattr("kepatuhan.settings.UNNAMED_COLUMNS_FILE", config)
    scores = ingest(raw).scores.set_index("opd")["score"].to_dict()
    assert scores == {"Dinas A": 80.0, "": 75.0}


# ---- 4. formulas without their value ---------------------------------------------------------------


@pytest.mark.parametrize(
    "row",
    [[2023, "Kab. Tebo", '="Dinas "&"A"', 80], [2023, "Kab. Tebo", "Dinas B", "=70+5"], [2023, "=B1", "=C1", "=D1"]],
    ids=["in-the-opd", "in-the-score", "a-whole-row"],
)
def test_a_formula_saved_without_its_value_is_an_error(tmp_path, row):
    raw = folder_with(tmp_path, {})
    book(raw / "a.xlsx", [["tahun", "pemda", "opd", "nilai"], [2023, "Kab. Bungo", "", 81], row])
    text = problems(raw)
    assert "formula saved without its value" in text and "row 3" in text


# ---- 5. a decimal comma that split the score -------------------------------------------------------


@pytest.mark.parametrize("digits", ["6", "62", "625"])
def test_a_split_score_with_one_to_three_decimals_is_caught(tmp_path, digits):
    raw = folder_with(
        tmp_path, {"a.csv": f"tahun,provinsi,pemda,nilai,catatan\n2023,Bali,Kabupaten Badung,89,{digits}\n"}
    )
    assert "decimal comma probably split the score" in problems(raw)


def test_a_split_score_with_a_field_too_many_is_caught(tmp_path):
    raw = folder_with(tmp_path, {"a.csv": "tahun,pemda,nilai,catatan\n2023,Kab. Tebo,89,625,catatan asli\n"})
    assert "decimal comma probably split the score" in problems(raw)


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "tahun,Nama Pemda,Nilai Akhir\n2023,Kab. Tebo,abc\n",
            "row 2, column 'Nilai Akhir': the score is not a number",
        ),
        ("tahun,pemda,NILAI\n2023,Kab. Tebo,#VALUE!\n", "row 2, column 'NILAI': the cell shows a spreadsheet error"),
        ("tahun,pemda,nilai,catatan\n2023,Kab. Tebo,89,62\n", "row 2, column 'nilai': a decimal comma probably split"),
        ("tahun,Kabupaten/Kota,nilai\n2023,Kab. Tebbo,80\n", "row 2, column 'Kabupaten/Kota': unknown pemda name"),
    ],
)
def test_a_problem_names_its_column_by_the_files_own_header(tmp_path, text, said):
    """The person fixing the file looks for the column it has (``Nilai Akhir``), not the one the tool reads
    it into (``score``)."""
    raw = folder_with(tmp_path, {"a.csv": text})
    assert f"file a.csv, {said}" in problems(raw)


# ---- 6. invisible characters -----------------------------------------------------------------------


@pytest.mark.parametrize("invisible", ["\u200b", "\u00a0", "\ufeff", "\u2060", "\u200d", "\u00ad", " \u200b\u00a0 "])
def test_an_opd_cell_of_invisible_characters_is_empty(tmp_path, invisible):
    raw = folder_with(tmp_path, {"a.csv": f"tahun,pemda,opd,nilai\n2023,Kab. Tebo,{invisible},80\n"})
    scores = ingest(raw).scores
    assert scores["opd"].tolist() == [""] and scores["score"].tolist() == [80.0]


# ---- 7. years ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("year", ["2023%", "20233", "2023-2024", "dua ribu", "2023,5", "'2023", "2023 TA"])
def test_text_that_is_not_a_year_is_an_error(tmp_path, year):
    raw = folder_with(tmp_path, {"a.csv": f"tahun;pemda;nilai\n{year};Kab. Tebo;80\n"})
    assert "the year is not a year" in problems(raw)


@pytest.mark.parametrize("year", ["2023", "TA 2023", "Tahun 2023", "ta 2023", " 2023 "])
def test_a_year_written_as_releases_write_it_is_read(tmp_path, year):
    raw = folder_with(tmp_path, {"a.csv": f"tahun;pemda;nilai\n{year};Kab. Tebo;80\n"})
    assert ingest(raw).scores["year"].tolist() == [2023]


def test_a_year_after_this_one_is_an_error(tmp_path):
    import datetime

    future = datetime.date.today().year + 1
    raw = folder_with(tmp_path, {"a.csv": f"tahun;pemda;nilai\n{future};Kab. Tebo;80\n"})
    assert f"after this year ({future - 1})" in problems(raw)


# ---- 8-11. files that are documentation, hidden sheets, links, pipes ------------------------------------


@pytest.mark.parametrize("name", ["LICENSE.csv", "Sources.xlsx", "README.csv", "notice.txt"])
def test_a_score_file_named_like_documentation_is_read(tmp_path, name):
    raw = folder_with(tmp_path, {"b.csv": "tahun,pemda,nilai\n2023,Kab. Bungo,81\n"})
    if name.endswith(".xlsx"):
        book(raw / name, [["tahun", "pemda", "nilai"], [2023, "Kab. Tebo", 80]])
    else:
        (raw / name).write_text("tahun,pemda,nilai\n2023,Kab. Tebo,80\n")
    assert sorted(ingest(raw).scores["pemda"]) == ["Kabupaten Bungo", "Kabupaten Tebo"]


def test_every_file_not_read_is_listed_with_why(tmp_path, capsys):
    raw = folder_with(
        tmp_path,
        {
            "b.csv": "tahun,pemda,nilai\n2023,Kab. Bungo,81\n",
            "README.md": "# sumber",
            "LICENSE.txt": "CC BY 4.0",
            ".catatan.csv": "x",
            "~$b.xlsx": "x",
            "foto.png": "x",
        },
    )
    os.mkfifo(raw / "pipa.csv")
    book(
        raw / "c.xlsx",
        [["tahun", "pemda", "nilai"], [2023, "Kab. Tebo", 80]],
        hidden=[["tahun", "pemda", "nilai"], [2023, "Kab. Bungo", 10]],
    )
    quality = ingest(raw).quality
    skipped = dict(
        zip(quality.loc[quality["kind"] == "skipped", "raw_file"], quality.loc[quality["kind"] == "skipped", "message"])
    )
    assert set(skipped) == {
        "README.md",
        "LICENSE.txt",
        ".catatan.csv",
        "~$b.xlsx",
        "foto.png",
        "pipa.csv",
        "c.xlsx [lama]",
    }
    assert "hidden sheet" in skipped["c.xlsx [lama]"] and "not a regular file" in skipped["pipa.csv"]
    assert cli.main(["ingest", "--raw", str(raw), "--processed", str(tmp_path / "p")]) == 0
    err = capsys.readouterr().err
    assert (
        "tidak dibaca: pipa.csv (bukan berkas biasa" in err
        and "tidak dibaca: c.xlsx [lama] (lembar tersembunyi)" in err
    )


def test_a_hidden_sheet_is_not_read(tmp_path):
    raw = folder_with(tmp_path, {})
    book(
        raw / "a.xlsx",
        [["tahun", "pemda", "nilai"], [2023, "Kab. Tebo", 80]],
        hidden=[["tahun", "pemda", "nilai"], [2023, "Kab. Tebo", 10]],
    )
    assert ingest(raw).scores["score"].tolist() == [80.0]


@pytest.mark.parametrize("kind", ["to-nothing", "to-a-folder"])
@pytest.mark.parametrize("command", ["ingest", "run"])
def test_a_link_to_nothing_or_to_a_folder_stops_both_commands_naming_it(tmp_path, capsys, kind, command):
    raw = folder_with(tmp_path, {"b.csv": "tahun,pemda,nilai\n2023,Kab. Bungo,81\n"})
    target = tmp_path / "hilang.csv" if kind == "to-nothing" else (tmp_path / "folder")
    if kind == "to-a-folder":
        target.mkdir()
    os.symlink(target, raw / "x.csv")
    args = ["--raw", str(raw), "--processed", str(tmp_path / "p")] + (
        ["--reports", str(tmp_path / "r")] if command == "run" else []
    )
    assert cli.main([command, *args, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "file x.csv: the file is a link to" in err and "Traceback" not in err
    assert not (tmp_path / "p").exists()


# ---- 14. separators, percent formats, long cells -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "tahun;pemda;nilai;catatan\n2023;Kab. Tebo;80,5;a, b, c, d, e, f, g\n2023;Kab. Bungo;81,25;h, i, j, k, l, m\n",
        'tahun,pemda,nilai,catatan\n2023,Kab. Tebo,80.5,"a;b;c;d;e;f;g"\n2023,Kab. Bungo,81.25,"h;i;j;k;l;m"\n',
        "tahun\tpemda\tnilai\tcatatan\n2023\tKab. Tebo\t80,5\ta, b; c, d\n2023\tKab. Bungo\t81,25\te, f; g\n",
        "Rekap nilai kepatuhan; Provinsi Jambi; 2023\ntahun;pemda;nilai\n2023;Kab. Tebo;80,5\n2023;Kab. Bungo;81,25\n",
    ],
    ids=["semicolon-with-commas-in-notes", "comma-with-semicolons-in-notes", "tab-with-both", "title-line-first"],
)
def test_the_separator_is_the_one_that_gives_the_known_headers(tmp_path, text):
    raw = folder_with(tmp_path, {"a.csv": text})
    assert ingest(raw).scores.set_index("pemda")["score"].to_dict() == {
        "Kabupaten Bungo": 81.25,
        "Kabupaten Tebo": 80.5,
    }


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [('0.00" %"', 88.5), ('#,##0.00" persen"', 88.5), ("0.00\\%", 88.5), ("0.00%", 8850.0)],
)
def test_only_a_real_percent_format_multiplies_by_100(tmp_path, number_format, expected):
    raw = folder_with(tmp_path, {})
    book(raw / "a.xlsx", [["tahun", "pemda", "nilai"], [2023, "Kab. Tebo", 88.5]], {"C2": number_format})
    if expected > 100:
        assert "outside 0-100" in problems(raw)
    else:
        assert ingest(raw).scores["score"].tolist() == [expected]


def test_a_one_megabyte_note_is_read(tmp_path):
    raw = folder_with(tmp_path, {"a.csv": 'tahun,pemda,nilai,catatan\n2023,Kab. Tebo,80,"' + "x" * 1_100_000 + '"\n'})
    assert len(ingest(raw).scores["note"].iloc[0]) == 1_100_000


def test_a_one_megabyte_line_without_columns_is_rejected(tmp_path):
    raw = folder_with(tmp_path, {"a.csv": "y" * 1_100_000})
    assert "missing required column(s)" in problems(raw)


# ---- 15. a file name that is not UTF-8 ---------------------------------------------------------------------


def test_a_file_name_that_is_not_utf8_is_read_and_named(tmp_path):
    raw = folder_with(tmp_path, {})
    with open(os.path.join(os.fsencode(raw), b"nilai_\xff\xfe.csv"), "w") as handle:
        handle.write("tahun,pemda,nilai\n2023,Kab. Tebo,80\n")
    result = ingest(raw)
    assert result.scores["raw_file"].tolist() == ["nilai_\\xff\\xfe.csv"]
    assert json.dumps(sources.inputs(raw, None, [])["raw"], ensure_ascii=False).encode("utf-8")


# ---- 2 and 13. options ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "flag"),
    [
        (["--processed", "{raw}"], "--processed"),
        (["--processed", "{raw}/olahan"], "--processed"),
        (["--reports", "{raw}/laporan"], "--reports"),
        (["--reports", "{raw}"], "--reports"),
    ],
)
def test_outputs_inside_the_raw_folder_are_refused_before_anything_is_written(tmp_path, capsys, options, flag):
    raw = folder_with(tmp_path, {"b.csv": "tahun,pemda,nilai\n2023,Kab. Bungo,81\n"})
    before = sorted(p.relative_to(raw) for p in raw.rglob("*"))
    defaults = {"--processed": str(tmp_path / "p"), "--reports": str(tmp_path / "r")}
    given = [option.format(raw=raw) for option in options]
    extra = [item for key, value in defaults.items() if key not in given for item in (key, value)]
    assert cli.main(["run", "--raw", str(raw), *given, *extra]) == 2
    assert f"opsi {flag}: ada di dalam folder data mentah" in capsys.readouterr().err
    assert sorted(p.relative_to(raw) for p in raw.rglob("*")) == before


def test_ingest_refuses_processed_tables_inside_the_raw_folder(tmp_path, capsys):
    raw = folder_with(tmp_path, {"b.csv": "tahun,pemda,nilai\n2023,Kab. Bungo,81\n"})
    assert cli.main(["ingest", "--raw", str(raw), "--processed", str(raw / "p")]) == 2
    assert not (raw / "p").exists() and "opsi --processed" in capsys.readouterr().err


@pytest.mark.parametrize(
    "option",
    [
        ["--wait", "nan"],
        ["--wait", "inf"],
        ["--wait", "-1"],
        ["--jobs", "-1"],
        ["--jobs", "257"],
        ["--cell-timeout", "nan"],
        ["--min-drop", "-0.5"],
        ["--year", "abc"],
        ["--jobs", "abc"],
        ["--lang", "xx"],
        ["--executor", "ray"],
        ["--tidak-ada"],
    ],
)
def test_every_bad_option_is_exit_2_and_recorded_before_the_lock(tmp_path, capsys, option):
    reports = tmp_path / "r"
    reports.mkdir()
    (reports / ".lock").write_text("held by nobody")
    assert cli.main(["run", *option, "--reports", str(reports), "--processed", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    record = json.loads(catalog.path("runs", reports).read_text().splitlines()[-1])
    assert record["outcome"] == "bad_options" and record["exit_code"] == 2


# ---- 12. an address that is no Dask scheduler ----------------------------------------------------------------


def serve(reply: bytes | None) -> int:
    """A local TCP server that stays silent (``None``) or answers ``reply`` to anything, like a proxy."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)

    def answer():
        while True:
            connection, _ = server.accept()
            if reply is not None:
                connection.recv(65536)
                connection.sendall(reply)

    threading.Thread(target=answer, daemon=True).start()
    return server.getsockname()[1]


@pytest.mark.parametrize(
    "reply",
    [None, b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 4, b"\xff" * 64],
    ids=["silent", "http", "noise"],
)
def test_an_address_that_is_no_dask_scheduler_is_one_line(reply, monkeypatch):
    from distributed import Client

    from kepatuhan.pipeline.runtime import executors

    monkeypatch.setattr(executors, "DASK_CONNECT_SECONDS", 3)
    address = f"tcp://127.0.0.1:{serve(reply)}"
    with pytest.raises(EnvironmentProblem) as info:
        executors.connect(Client, address)
    assert f"no Dask scheduler at {address}" in str(info.value)


# ---- 16-17. faults of the machine and of workers ------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_a_full_or_read_only_disk_anywhere_is_one_line_with_the_path(code):
    outcome, exit_code, message = classify(OSError(code, os.strerror(code), "/srv/reports/2023/x.html"), "id")
    assert outcome == "environment" and exit_code == 1
    assert message.startswith("/srv/reports/2023/x.html: tidak dapat menulis hasil: ") and "\n" not in message


def test_a_worker_that_dies_fails_its_brief_not_the_run(monkeypatch):
    from concurrent.futures import Future
    from concurrent.futures.process import BrokenProcessPool

    from kepatuhan.pipeline.runtime import executors, workers

    class BrokenPool:
        """A pool whose worker died after it started: every job submitted to it is refused."""

        def __init__(self, **_):
            pass

        def submit(self, function, *args):
            if function is workers.worker_ready:
                return Future()
            raise BrokenProcessPool()

        def shutdown(self, **_):
            pass

    monkeypatch.setattr(workers, "ProcessPoolExecutor", BrokenPool)
    pool = executors.PoolExecutor(workers=2, timeout=60, cwd=Path("."), kernels=1)
    pool.start()
    handles = [
        pool.submit(types.SimpleNamespace(task_id=task, in_process=here))
        for task, here in (("brief@2023/provinsi/jambi", False), ("pemda_brief@2023/provinsi/jambi/kota-jambi", True))
    ]
    assert all(isinstance(handle, Future) for handle in handles)
    results = pool.finished(handles)
    assert sorted((r.task_id, r.error) for _, r in results) == [
        ("brief@2023/provinsi/jambi", executors.WORKER_DIED),
        ("pemda_brief@2023/provinsi/jambi/kota-jambi", executors.WORKER_DIED),
    ]
    pool.close()


# ---- 20. raw files that change during a run --------------------------------------------------------------------


@pytest.mark.parametrize("change", ["edited", "added", "removed"])
def test_a_raw_file_changed_during_the_run_stops_the_publishing(tmp_path, change):
    raw = folder_with(
        tmp_path,
        {"a.csv": "tahun,pemda,nilai\n2023,Kab. Tebo,80\n", "b.csv": "tahun,pemda,nilai\n2023,Kab. Bungo,81\n"},
    )
    options = types.SimpleNamespace(raw_dir=raw, with_examples=False, examples_dir=tmp_path / "none")
    resolved = types.SimpleNamespace(inputs=sources.inputs(raw, None, []))
    raw_unchanged(options, resolved)  # nothing changed: no error
    if change == "edited":
        (raw / "a.csv").write_text("tahun,pemda,nilai\n2023,Kab. Tebo,90\n")
    elif change == "added":
        (raw / "c.csv").write_text("tahun,pemda,nilai\n2023,Kota Jambi,70\n")
    else:
        (raw / "b.csv").unlink()
    with pytest.raises(EnvironmentProblem) as info:
        raw_unchanged(options, resolved)
    assert "changed during the run" in str(info.value) and "nothing was published" in str(info.value)


def test_a_kernel_that_never_answered_is_cleaned_up_quietly(caplog):
    """A kernel stopped (SIGSTOP) during start-up: nbclient drops its manager, then its atexit clean-up
    printed "AssertionError" and its log an untimed English line; both are now quiet."""
    import logging

    import nbformat

    from kepatuhan.pipeline.runtime.kernels import Client, client_log

    client = Client(nbformat.v4.new_notebook())
    client.km = None
    client._cleanup_kernel()  # nbclient's own asserted ``self.km is not None`` here
    with caplog.at_level(logging.ERROR, logger=client_log.name):
        client_log.error(
            "Error occurred while starting new kernel client for kernel x: Kernel didn't respond in 60 seconds"
        )
    assert not caplog.records
