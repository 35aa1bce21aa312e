"""The reliability suite: hostile data, broken files, overlapping runs, interruptions, broken kernels.

Run it alone with ``pytest -m faults``; it prints how many hostile inputs and faults it tried.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import nbformat
import openpyxl
import pandas as pd
import pytest
from conftest import pipeline, pipeline_cmd, sharing, stopped_early, tree_hash

from kepatuhan import settings
from kepatuhan.errors import DataError
from kepatuhan.reading.ingest import ingest

pytestmark = pytest.mark.faults
SHARES_BASELINE = sharing("baseline")
JAMBI = "2023/provinsi/jambi"
SCOPE = ("--year", "2023", "--province", "Jambi")

HOSTILE = [
    "<script>alert('opd')</script>",
    '=HYPERLINK("http://evil.example","klik")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "**tebal** [tautan](javascript:alert(1)) # judul",
    "<img src=x onerror=alert(1)>",
    "Dinas $x^{2}$ \\frac{a}{b}",
    "Dinas " + "Panjang " * 700,
    "Bel\x07 dan\x0b kontrol",
    '\x01=HYPERLINK("http://evil.example","sini")',
    "\x01=1+1",
    "\x1f@SUM(B1:B9)",
]


def hostile_raw(folder: Path) -> Path:
    """The shipped raw data plus a file whose OPD names, notes and sources are hostile."""
    raw = folder / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    rows = []
    for i, text in enumerate(HOSTILE):
        for year, score in ((2022, 90.0), (2023, 70.0 - i)):
            rows.append(
                {
                    "tahun": year,
                    "pemda": "Kabupaten Tebo",
                    "opd": text,
                    "nilai": score,
                    "sumber": ["javascript:alert(1)", "<b>sumber</b>", "=1+2"][i % 3],
                    "catatan": text,
                    "ilustrasi": "ya",
                }
            )
    pd.DataFrame(rows).to_csv(raw / "hostile.csv", index=False)
    return raw


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, published):
    """A copy of the published briefs, built again (``--force``); while that runs, a second run on the same folder must be refused."""
    base = published.copy(tmp_path_factory.mktemp("baseline"))
    reports = base / "reports"
    first = subprocess.Popen(
        pipeline_cmd("run", *SCOPE, "--force", "--reports", str(reports), "--processed", str(base / "processed")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(reports.glob(".staging-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    second = pipeline("run", *SCOPE, "--reports", str(reports), "--processed", str(base / "p2"))
    _, first_err = first.communicate(timeout=600)
    assert first.returncode == 0, first_err
    return base, second


@SHARES_BASELINE
@pytest.mark.e2e
def test_overlapping_run_exits_3_with_a_clear_message(baseline):
    base, second = baseline
    assert second.returncode == 3
    assert "run lain sedang memakai" in second.stderr and "Traceback" not in second.stderr
    assert (base / "reports" / JAMBI / "brief.html").exists()
    assert not (base / "p2").exists()


@SHARES_BASELINE
@pytest.mark.e2e
def test_stale_lock_of_a_dead_process_does_not_block(baseline, tmp_path):
    base, _ = baseline
    reports = tmp_path / "reports"
    shutil.copytree(base / "reports", reports)
    (reports / ".lock-holder").write_text("999999")
    (reports / ".staging-999999").mkdir()  # left by a run killed with SIGKILL
    (reports / ".staging-999999" / "half.html").write_text("<html")
    done = pipeline("run", *SCOPE, "--reports", str(reports), "--processed", str(base / "processed"))
    assert done.returncode == 0, done.stderr  # the lock of a dead process is no lock: the run goes ahead
    assert not list(reports.glob(".staging-*"))  # and cleans what the killed run left
    assert "run 999999 dihentikan paksa" in done.stderr


@pytest.mark.e2e
def test_hostile_text_is_plain_text_in_every_output(tmp_path):
    raw = hostile_raw(tmp_path)
    done = pipeline(
        "run",
        *SCOPE,
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
        "--pemda",
        "Tebo",
    )
    assert done.returncode == 0, done.stderr
    year = tmp_path / "r" / JAMBI
    for page in [year / "brief.html", year / "pemda" / "kabupaten-tebo.html"]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>sumber</b>" not in text
        assert 'href="javascript' not in text
        assert "&lt;script&gt;alert(&#x27;opd&#x27;)&lt;/script&gt;" in text or "&lt;script&gt;" in text
    for name in ["watch_list.csv", "comparisons.csv"]:
        table = pd.read_csv(year / name, keep_default_na=False, dtype=str)
        for column in ["opd", "pemda"]:
            assert not table[column].str.match(r"^[=+\-@]").any(), (name, column)
    workbook = openpyxl.load_workbook(year / "ringkasan_2023.xlsx")
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(isinstance(c.value, str) and c.value.startswith("'=HYPERLINK") for c in cells)
    scores = pd.read_parquet(tmp_path / "p" / "scores.parquet")
    assert "<script>alert('opd')</script>" in set(scores["opd"])  # the data itself is kept as written


@SHARES_BASELINE
@pytest.mark.e2e
def test_sigterm_and_sigkill_leave_the_previous_brief_and_the_next_run_recovers(baseline, tmp_path):
    base, _ = baseline
    reports = tmp_path / "reports"
    shutil.copytree(base / "reports", reports)
    reports.joinpath(".lock").unlink(missing_ok=True)
    before = tree_hash(reports / JAMBI, skip_failed=True)
    for sig in (signal.SIGTERM, signal.SIGKILL):  # --force: the briefs still run when the first notebook is staged
        run = subprocess.Popen(
            pipeline_cmd("run", *SCOPE, "--force", "--reports", str(reports), "--processed", str(tmp_path / "p")),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while not list(reports.glob(".staging-*/**/*.ipynb")) and time.monotonic() < deadline:
            time.sleep(0.1)
        run.send_signal(sig)
        _, err = run.communicate(timeout=120)
        if sig == signal.SIGTERM:
            assert run.returncode == 128 + signal.SIGTERM, err
            assert "dihentikan oleh sinyal" in err and "Traceback" not in err
            assert not list(reports.glob(".staging-*")), "temporary files must be removed"
        else:
            assert run.returncode == -signal.SIGKILL
        assert tree_hash(reports / JAMBI, skip_failed=True) == before
        assert json.loads((reports / JAMBI / "manifest.json").read_text())["year"] == 2023
    done = pipeline("run", *SCOPE, "--reports", str(reports), "--processed", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    assert not list(reports.glob(".staging-*")) and not list(reports.glob(".trash-*"))


def broken_notebooks(folder: Path, source: str) -> Path:
    notebooks = folder / "notebooks"
    shutil.copytree(settings.NOTEBOOKS_DIR, notebooks)
    broken = nbformat.read(notebooks / "02_declines.ipynb", as_version=4)
    broken.cells.insert(3, nbformat.v4.new_code_cell(source))
    nbformat.write(broken, notebooks / "02_declines.ipynb")
    return notebooks


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("source", "options", "expected"),
    [
        ("import os\nos._exit(1)", [], "DeadKernelError"),
        ("import time\ntime.sleep(120)", ["--cell-timeout", "3"], "CellTimeoutError"),
    ],
    ids=["kernel-dies", "cell-hangs"],
)
@SHARES_BASELINE
def test_broken_kernel_exits_1_naming_notebook_and_cell(baseline, tmp_path, source, options, expected):
    base, _ = baseline
    reports = tmp_path / "reports"
    shutil.copytree(base / "reports", reports)
    before = tree_hash(reports / JAMBI, skip_failed=True)
    notebooks = broken_notebooks(tmp_path, source)
    done = pipeline(
        "run",
        *SCOPE,
        "--reports",
        str(reports),
        "--processed",
        str(tmp_path / "p"),
        "--notebooks",
        str(notebooks),
        *options,
        timeout=300,
    )
    assert done.returncode == 1, done.stderr
    first_line = source.splitlines()[0]
    assert "02_declines.ipynb berhenti di sel" in done.stderr and first_line in done.stderr and expected in done.stderr
    assert (reports / JAMBI / "failed" / "02_declines.ipynb").exists()
    assert tree_hash(reports / JAMBI, skip_failed=True) == before
    assert (
        tmp_path / "p" / "scores.parquet"
    ).exists()  # the ingest succeeded: its tables are published, the brief is not


def xlsx_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "ok.xlsx"
    pd.DataFrame(
        {"tahun": [2023] * 30, "pemda": ["Tebo"] * 30, "opd": [f"Unit {i}" for i in range(30)], "nilai": [80.0] * 30}
    ).to_excel(path, index=False)
    return path.read_bytes()


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("binary.csv", lambda t: bytes(range(256)) * 4, "binary"),
        ("zip.csv", lambda t: xlsx_bytes(t), "rename it to .xlsx"),
        ("truncated.xlsx", lambda t: xlsx_bytes(t)[:2000], "cannot be"),
        ("password.xlsx", lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4000), "password-protected"),
        ("empty.xlsx", lambda t: b"", "cannot be"),
        ("neither.csv", lambda t: b"tahun,pemda,nilai\n2023,Teb\x81\x8do,80\n", "neither UTF-8"),
    ],
)
def test_broken_files_exit_2_and_write_nothing(tmp_path, name, make, expected):
    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    (raw / name).write_bytes(make(tmp_path))
    done = stopped_early("ingest", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--lang", "en")
    assert done.returncode == 2
    assert name in done.stderr and expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "p").exists()


def test_windows_1252_file_is_read_correctly(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "lama.csv").write_bytes(
        "tahun;pemda;opd;nilai;catatan\n2023;Tebo;Dinas Pendidikan;80,5;Kepala dinas: Andr\xe9 \x96 baru\n".encode(
            "latin-1"
        )
    )
    result = ingest(raw)
    assert result.scores["note"].iloc[0] == "Kepala dinas: Andr\u00e9 \u2013 baru"
    assert result.scores["score"].iloc[0] == 80.5
    assert "Windows-1252" in result.quality["message"].iloc[0]


def test_fifty_thousand_rows(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    pemda = [
        "Tebo",
        "Bungo",
        "Kerinci",
        "Merangin",
        "Sarolangun",
        "Kota Jambi",
        "Muaro Jambi",
        "Batang Hari",
        "Tanjab Barat",
        "Tanjab Timur",
        "Sungai Penuh",
        "Provinsi Jambi",
    ]
    n = 50_000
    frame = pd.DataFrame(
        {
            "tahun": [2022 + (i % 2) for i in range(n)],
            "pemda": [pemda[(i // 2) % 12] for i in range(n)],
            "opd": [f"Unit Layanan {i // 24}" for i in range(n)],
            "nilai": [f"{50 + (i % 50)},{i % 100:02d}" for i in range(n)],
        }
    )
    frame.to_csv(raw / "besar.csv", sep=";", index=False)
    result = ingest(raw)
    assert len(result.scores) == n
    assert result.scores["score"].between(50, 100).all()


def test_error_names_every_bad_row_but_stays_readable(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    lines = "\n".join(f"2023,Tebo,Unit {i},{'x' if i % 2 else 80}" for i in range(400))
    (raw / "a.csv").write_text("tahun,pemda,opd,nilai\n" + lines + "\n")
    with pytest.raises(DataError) as info:
        ingest(raw)
    text = str(info.value)
    assert "200 problem(s)" in text and len(text.splitlines()) < 5  # one line for the 200 rows of one problem
    named = text.split("200 rows (")[1].split(")")[0].split(", ")
    assert named == [str(row) for row in range(3, 402, 2)]  # every bad row (file rows 3, 5, ... 401)


@SHARES_BASELINE
@pytest.mark.e2e
def test_raw_data_is_never_written(baseline):
    before = tree_hash(settings.RAW_DIR)
    assert pipeline("ingest", "--processed", str(baseline[0] / "p3")).returncode == 0
    assert tree_hash(settings.RAW_DIR) == before


# ---- a damaged published set: status says so (exit 1, the file named), the next run restores it ----------------


def damaged_copy(published, tmp_path: Path) -> tuple[Path, list[str]]:
    """A copy of the session's published set (current and intact: checked) and the folder options."""
    base = published.copy(tmp_path)
    common = ["--reports", str(base / "reports"), "--processed", str(base / "processed")]
    code, state = status_of(common)
    assert code == 0 and state["ok"], state
    return base, common


def status_of(common: list[str]) -> tuple[int, dict]:
    done = pipeline("status", *common, "--json")
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


def jambi_state(state: dict) -> dict:
    return next(b for b in state["briefs"] if b["folder"] == JAMBI)


@pytest.mark.e2e
@pytest.mark.parametrize(
    "harm",
    [
        "brief.html deleted",
        "ringkasan_2023.xlsx deleted",
        "brief.html replaced with junk",
        "comparisons.csv deleted",
        "scores.parquet deleted",
    ],
)
def test_a_damaged_published_set_is_said_damaged_and_the_next_run_restores_it(published, tmp_path, harm):
    base, common = damaged_copy(published, tmp_path)
    name = harm.split()[0]
    target = (base / "processed" / name) if name == "scores.parquet" else (base / "reports" / JAMBI / name)
    before = target.read_bytes()
    if "junk" in harm:
        target.write_text("<html>junk</html>")
    else:
        target.unlink()
    code, state = status_of(common)
    assert code == 1 and not state["ok"]
    if name == "scores.parquet":
        assert state["processed_damaged"] == ["scores.parquet"]
    else:
        assert not jambi_state(state)["current"] and jambi_state(state)["damaged"] == [name]
        assert (
            f"{name}" in pipeline("status", *common, "--lang", "en").stdout
            and "DAMAGED" in pipeline("status", *common, "--lang", "en").stdout
        )
    done = pipeline("run", *SCOPE, *common)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == before  # restored, the same bytes
    code, state = status_of(common)
    assert code == 0 and state["ok"], state


@pytest.mark.e2e
@pytest.mark.parametrize("history", [b"\xff\xfe\x00binary\n", b"[1, 2, 3]\n", b"42\n", b'"a string"\n'])
def test_a_damaged_run_history_is_read_without_a_traceback(published, tmp_path, history):
    base, common = damaged_copy(published, tmp_path)
    with (base / "reports" / "runs.jsonl").open("ab") as handle:
        handle.write(history)
    code, state = status_of(common)
    assert code == 0 and state["last_runs"] and all(isinstance(r, dict) for r in state["last_runs"])
    plain = pipeline("status", *common)
    assert plain.returncode == 0 and "Traceback" not in plain.stderr


@pytest.mark.e2e
@pytest.mark.parametrize(
    "manifest",
    ["[]", '{"year": "x", "scope": 3, "tasks": {"a": 1}}', '{"tasks": {"a": {"fingerprint": "f", "outputs": [1]}}}'],
)
def test_a_damaged_manifest_is_said_damaged_and_the_next_run_renders_the_brief_again(published, tmp_path, manifest):
    base, common = damaged_copy(published, tmp_path)
    (base / "reports" / JAMBI / "manifest.json").write_text(manifest)
    code, state = status_of(common)
    assert code == 1 and jambi_state(state)["damaged"][0].startswith("manifest.json (")
    done = pipeline("run", *SCOPE, *common)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert json.loads((base / "reports" / JAMBI / "manifest.json").read_text())["year"] == 2023
    assert status_of(common)[0] == 0


@pytest.mark.e2e
def test_a_manifest_naming_a_file_outside_the_reports_is_never_followed(published, tmp_path):
    base, common = damaged_copy(published, tmp_path)
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("not the pipeline's")
    path = base / "reports" / JAMBI / "manifest.json"
    manifest = json.loads(path.read_text())
    manifest["tasks"][f"brief@{JAMBI}"]["outputs"]["../../../../sentinel.txt"] = "0" * 64
    path.write_text(json.dumps(manifest))
    code, state = status_of(common)
    assert code == 1 and "../../../../sentinel.txt" in jambi_state(state)["damaged"]
    done = pipeline("run", *SCOPE, *common)
    assert done.returncode == 0 and "internal error" not in done.stderr, done.stderr
    assert sentinel.read_text() == "not the pipeline's" and status_of(common)[0] == 0


def test_a_carriage_return_in_a_cell_never_splits_a_csv_row_nor_starts_a_formula(tmp_path):
    """A raw file named ``dinas\\r=1+1.csv``: pandas quotes ``\\n`` but not a lone ``\\r``, which a spreadsheet
    reads as the end of the row (and ``=1+1 ...`` as a live formula). CSV cells hold no control character."""
    from kepatuhan.writing import write_frames

    frame = pd.DataFrame({"raw_file": ["dinas\r=1+1.csv", "\r@SUM(1)", "a\x0bb"], "score": [1.0, 2.0, 3.0]})
    (path,) = write_frames(tmp_path, {"scores.csv": frame})
    text = path.read_bytes()
    assert b"\r" not in text and b"\x0b" not in text
    assert pd.read_csv(path)["raw_file"].tolist() == ["dinas=1+1.csv", "'@SUM(1)", "ab"]


def test_the_template_never_writes_over_a_published_file_nor_any_file_without_force(tmp_path, caplog):
    from kepatuhan.pipeline.cli import main

    published_file = settings.RAW_DIR / "ombudsman_jambi" / "kepatuhan_2023.csv"
    before = published_file.read_bytes()
    for out, extra in ((published_file, []), (published_file, ["--force"])):
        assert main(["template", "--province", "Jambi", "--year", "2024", "--out", str(out), *extra]) == 2
    assert published_file.read_bytes() == before
    elsewhere = tmp_path / "templat.xlsx"
    elsewhere.write_text("someone's notes")
    assert main(["template", "--province", "Jambi", "--year", "2024", "--out", str(elsewhere)]) == 2
    assert elsewhere.read_text() == "someone's notes"
    assert main(["template", "--province", "Jambi", "--year", "2024", "--out", str(elsewhere), "--force"]) == 0
    assert elsewhere.read_bytes()[:2] == b"PK"  # a workbook now, as asked


def test_the_template_of_a_year_not_yet_assessed_is_an_error_naming_the_years(tmp_path):
    from kepatuhan.pipeline.cli import main

    assert main(["template", "--province", "Jambi", "--year", "9999", "--out", str(tmp_path / "t.xlsx")]) == 2
    assert not (tmp_path / "t.xlsx").exists()


@pytest.mark.parametrize(
    ("address", "accepted"),
    [
        ("tcp://127.0.0.1:99999", False),
        ("tcp://host", False),
        ("http://h:80", False),
        ("tcp://10.0.0.5:8786", True),
        ("10.0.0.5:8786", True),
        ("tls://a.b:443", True),
    ],
)
def test_a_scheduler_address_out_of_range_is_an_option_error(address, accepted):
    from kepatuhan.pipeline.options import RunOptions

    problems = RunOptions(executor="dask", scheduler=address).problems()
    assert (not any(flag == "--scheduler" for flag, _, _ in problems)) is accepted
