"""Messages in the language of the run: Indonesian by default, problems grouped, options named as options,
and a catalogue (``kepatuhan/brief/lang/messages.id.toml``) that covers what real runs say."""

from __future__ import annotations

import json
import re
import tomllib

import openpyxl
import pandas as pd
import pytest

from kepatuhan import catalog
from kepatuhan.errors import DataError, Problem, spans
from kepatuhan.pipeline import cli
from kepatuhan.reading.ingest import ingest
from kepatuhan.translations import CATALOGUES, translate, untranslated


def test_every_translation_carries_the_same_placeholders_as_its_english():
    with open(CATALOGUES / "messages.id.toml", "rb") as handle:
        messages = tomllib.load(handle)["messages"]
    for english, indonesian in messages.items():
        assert sorted(set(re.findall(r"\{\d\}", english))) == sorted(set(re.findall(r"\{\d\}", indonesian))), english


def test_a_message_is_read_whole_and_what_it_quotes_is_read_too():
    assert translate("missing required column(s): pemda, tahun", "id") == "kolom wajib tidak ada: pemda, tahun"
    nested = translate("first failure: brief.ipynb failed in cell 3 ('x = 1'): RuntimeError: rusak", "id")
    assert nested == "kegagalan pertama: brief.ipynb gagal di sel 3 ('x = 1'): RuntimeError: rusak"
    assert translate("published reports/2023/jambi", "id") == "diterbitkan: reports/2023/jambi"
    assert translate("a message nobody wrote down", "id") == "a message nobody wrote down"
    assert translate("missing required column(s): pemda", "en") == "missing required column(s): pemda"


def test_a_published_grade_or_zone_that_differs_is_named_in_indonesian():
    """The column word is part of the message: ``grade``/``zone`` must not be left in English inside it."""
    from kepatuhan.reading.quality import disagreements

    frame = pd.DataFrame(
        {
            "score_published": [True],
            "score": [78.5],
            "method": ["opini_pengawasan"],
            "grade": ["B"],
            "published_grade": ["C"],
            "zone": ["hijau"],
            "published_zone": ["kuning"],
            "raw_file": ["a.csv"],
            "raw_row": [2],
        }
    )
    said = [translate(message, "id") for message in disagreements(frame)["message"]]
    assert said == [
        "kategori yang diterbitkan berbeda dari yang dihitung dari nilai 78.5 dengan batas opini_pengawasan; keduanya disimpan",
        "zona yang diterbitkan berbeda dari yang dihitung dari nilai 78.5 dengan batas opini_pengawasan; keduanya disimpan",
    ]


def test_rows_are_named_as_spans():
    assert spans([5, 2, 3, 4, 9, 11, 12]) == "2-5, 9, 11-12"
    assert spans([7]) == "7"


def test_repeated_problems_are_one_line_and_an_option_is_an_option():
    bad = [
        Problem("the score is not a number", file="a.csv", row=r, column="score", value=v, hint="h")
        for r, v in [(2, "x"), (3, "y")]
    ]
    text = DataError(
        [*bad, Problem("unknown province; closest known: Jambi", column="--province", value="Jamby")]
    ).render("id")
    lines = text.splitlines()
    assert lines[0] == "3 masalah dalam data masukan:"
    assert lines[1] == "  - berkas a.csv, 2 baris (2-3), kolom 'score': nilainya bukan angka (nilai tertulis: 'x', 'y')"
    assert "opsi --province: provinsi tidak dikenal; yang paling mirip: Jambi (nilai tertulis: 'Jamby')" in text
    assert "column '--province'" not in DataError(bad[:1] + [Problem("x", column="--year")]).render("en")


def test_ingest_speaks_indonesian_by_default_and_english_on_request(tmp_path, capsys):
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = "".join(f"2023,Kab. Tebo,Dinas {i},x{i}\n" for i in range(11))
    (raw / "a.csv").write_text("tahun,pemda,opd,nilai\n" + rows)
    assert cli.main(["ingest", "--raw", str(raw), "--processed", str(tmp_path / "p")]) == 2
    err = capsys.readouterr().err
    assert (
        "11 masalah dalam data masukan" in err
        and "berkas a.csv, 11 baris (2-12), kolom 'nilai': nilainya bukan angka" in err
    )
    assert len(err.splitlines()) == 3 and "Traceback" not in err
    assert cli.main(["ingest", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--lang", "en"]) == 2
    assert "file a.csv, 11 rows (2-12), column 'nilai': the score is not a number" in capsys.readouterr().err


def test_a_year_without_an_assessment_says_so_as_an_option(tmp_path, capsys):
    args = ["run", "--year", "2020", "--reports", str(tmp_path / "r"), "--processed", str(tmp_path / "p")]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "masalah pada opsi" in err and "opsi --year: tidak ada metode penilaian untuk 2020" in err
    assert "tidak ada penilaian 2020" in err and "berkas data/raw" not in err
    record = json.loads(catalog.path("runs", tmp_path / "r").read_text().splitlines()[-1])
    assert record["outcome"] == "bad_options" and record["message"].startswith("opsi --year: tidak ada metode")


def test_a_command_line_argparse_rejects_is_recorded_and_explained(tmp_path, capsys):
    assert cli.main(["run", "--jobs", "banyak", "--reports", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "usage: pipeline.py run" in err and "opsi --jobs: nilai int tidak sah: 'banyak'" in err
    record = json.loads(catalog.path("runs", tmp_path / "r").read_text().splitlines()[-1])
    assert record["outcome"] == "bad_options" and record["exit_code"] == 2


def _hostile_folders(tmp_path):
    """Folders shaped like the bad releases analysts meet, each failing or noted in its own way."""
    shapes = {
        "names": "tahun;provinsi;pemda;opd;nilai\n2023;Jambi;Kab. Atlantis;;80\n2023;Riau;Kab. Tebo;;81\n2023;Jambi;Tebo;-;82\n",
        "scores": "tahun,pemda,nilai,zona,kategori\nTA 2023,Kab. Tebo,120,ungu,Z\n2020,Kab. Bungo,80,,\n2023,Kota Jambi,abc,,\n",
        "notes": "tahun,pemda,opd,nilai,kolom aneh\n2023,Kab. Tebo,Dinas Antah,80,1\n2023,Kab. Bungo,,,\n",
        "fractions": "tahun,pemda,nilai\n2023,Kab. Tebo,0.8\n2023,Kab. Bungo,0.7\n",
        "twice": "tahun,pemda,nilai\n2023,Kab. Tebo,80\n2023,Kab. Tebo,81\n",
        "split": "tahun,pemda,nilai,sumber\n2023,Kab. Tebo,80,5,ombudsman.go.id\n",
        "header": "tahun,pemda,nilai\n",
    }
    for name, text in shapes.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{name}.csv").write_text(text, encoding="cp1252" if name == "notes" else "utf-8")
    (tmp_path / "twice" / "b.xlsx").touch()
    book = openpyxl.Workbook()
    book.active.append(["tahun", "pemda", "nilai", "skor"])
    book.active.append([2023, "Kab. Tebo", "#DIV/0!", 80])
    book.create_sheet("catatan").append(["sumber"])
    (tmp_path / "sheets").mkdir()
    book.save(tmp_path / "sheets" / "a.xlsx")
    return [tmp_path / name for name in [*shapes, "sheets"]]


def test_the_catalogue_reads_every_message_and_fix_of_bad_releases(tmp_path):
    said = []
    for folder in _hostile_folders(tmp_path):
        try:
            result = ingest(folder)
            said += result.quality["message"].tolist()
            assert (result.quality["pesan"] != result.quality["message"]).all()
        except DataError as exc:
            said += [text for p in exc.problems for text in (p.message, p.hint) if text]
    assert len(said) >= 12
    assert untranslated(said, "id") == []


@pytest.mark.e2e
def test_quality_csv_holds_each_note_in_indonesian_too(published):
    quality = pd.read_csv(catalog.path("quality", published.base / "processed"), dtype=str, keep_default_na=False)
    assert list(quality.columns[-2:]) == ["message", "pesan"]
    assert len(quality) and (quality["pesan"] != "").all()
    assert untranslated(quality["message"].unique().tolist(), "id") == []


@pytest.mark.parametrize("word", ["file", "row", "rows", "column", "option", "value", "values", "fix"])
def test_the_frame_of_an_error_has_its_indonesian_words(word):
    from kepatuhan.translations import frame

    assert frame(word, "id") != word and frame(word, "en") == word


@pytest.mark.e2e
def test_the_log_of_a_published_run_is_indonesian(published):
    lines = [line.split(" ", 1)[1] for line in published.done.stderr.splitlines() if line[:4].isdigit()]
    said = [line for line in lines if not re.fullmatch(r"\S+\s+\d+\.\d s", line)]  # a task and its seconds
    assert said and not any("published " in line or "notebooks:" in line for line in said)
    assert any(line.startswith("diterbitkan: ") for line in said)
