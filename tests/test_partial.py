"""What was published, as it was published: zones, grades and 2025 labels without scores, OPD scores without
the pemda total, corrections beside the data, and names as people write them. Each case is a small invented
file shaped like a real release; the briefs are rendered in this process from the brief notebooks' own cells."""

from __future__ import annotations

import ast
import shutil
import textwrap

import nbformat
import openpyxl
import pandas as pd
import pytest

from kepatuhan import settings
from kepatuhan.analysis.declines import compare_with_previous
from kepatuhan.analysis.distribution import pemda_distribution
from kepatuhan.brief.declines_step import scope_tables
from kepatuhan.errors import DataError
from kepatuhan.reading.ingest import ingest

OPD_ONLY = textwrap.dedent("""\
    tahun,provinsi,pemda,opd,nilai,sumber
    2024,Papua,Kota Jayapura,Dinas Kesehatan,81.20,koran lokal
    2024,Papua,Kota Jayapura,Dinas Pendidikan,77.05,koran lokal
    2024,Papua,Kota Jayapura,Dinas Sosial,64.30,koran lokal
    2024,Papua,Kota Jayapura,DPMPTSP,88.10,koran lokal
    2024,Papua,Kota Jayapura,Disdukcapil,90.00,koran lokal
    2024,Papua,Kota Jayapura,Puskesmas Abepura,70.50,koran lokal
    2024,Papua,Kota Jayapura,Puskesmas Hamadi,58.25,koran lokal
""")
ZONES = textwrap.dedent("""\
    tahun,provinsi,pemda,nilai,kategori,zona,sumber
    2022,Maluku,Kota Ambon,,,Zona Kuning,rilis zona 2022
    2023,Maluku,Kota Ambon,"82,88",B,,rilis nilai 2023
    2023,Maluku,Kabupaten Buru,,,kuning,rilis zona 2023
    2023,Maluku,Kabupaten Seram Bagian Barat,,C,,rilis kategori 2023
    2023,Maluku,Kabupaten Kepulauan Aru,,,,hanya nama
""")
LABELS = textwrap.dedent("""\
    tahun;provinsi;pemda;opini
    2025;Maluku;Malteng;Kualitas Sedang Tanpa Maladministrasi
    2025;Maluku;Kota Ambon;opini kualitas tinggi
    2025;Maluku;Maluku Tenggara Barat;Opini Tertinggi
    2025;Maluku;MBD;Opini Tanpa Maladministrasi
    2025;Maluku;Pemerintah Provinsi;KUALITAS RENDAH
""")


def scores_of(raw, files: dict[str, str], **options) -> pd.DataFrame:
    return ingest(raw(files), **options).scores


def brief_page(scores: pd.DataFrame, notebook: str, tmp_path, **parameters) -> str:
    """The text of a brief made by running its notebook's cells here (the pipeline's recipe, in-process)."""
    from kepatuhan import catalog

    processed = tmp_path / "processed"
    catalog.save("scores", scores, processed)
    cells = [
        c.source for c in nbformat.read(settings.NOTEBOOKS_DIR / notebook, as_version=4).cells if c.cell_type == "code"
    ]
    space = {}
    exec(cells[0], space)  # the parameters cell: its defaults, then the ones given, as papermill injects them
    space.update({"processed_dir": str(processed), "out_dir": "", **parameters})
    shown = []
    for source in cells[1:]:
        tree = ast.parse("\n".join(line for line in source.splitlines() if not line.startswith("%")))
        *body, last = tree.body or [ast.Pass()]
        exec(compile(ast.Module(body=body, type_ignores=[]), notebook, "exec"), space)
        if isinstance(last, ast.Expr):
            value = eval(compile(ast.Expression(last.value), notebook, "eval"), space)
            shown.append(getattr(value, "data", "") if hasattr(value, "data") else "")
        else:
            exec(compile(ast.Module(body=[last], type_ignores=[]), notebook, "exec"), space)
    return "\n".join(str(s) for s in shown)


# ---- results without scores ---------------------------------------------------------------------


def test_a_zone_or_grade_without_a_score_is_kept_as_published_and_never_a_number(raw):
    scores = scores_of(raw, {"maluku_zona.csv": ZONES})
    rows = scores.set_index(["year", "pemda"])
    ambon_2022 = rows.loc[(2022, "Kota Ambon")]
    assert pd.isna(ambon_2022["score"]) and not ambon_2022["score_published"] and ambon_2022["zone"] == "kuning"
    assert ambon_2022["grade"] == ""
    sbb = rows.loc[(2023, "Kabupaten Seram Bagian Barat")]
    assert (sbb["grade"], sbb["zone"], sbb["score_published"]) == ("C", "kuning", False)  # the grade gives its zone
    assert rows.loc[(2023, "Kota Ambon"), "score"] == 82.88 and rows.loc[(2023, "Kota Ambon"), "score_published"]
    assert (2023, "Kabupaten Kepulauan Aru") not in rows.index  # a name and nothing else


def test_a_row_with_only_a_name_is_a_quality_note_not_an_error(raw):
    quality = ingest(raw({"maluku_zona.csv": ZONES})).quality
    note = quality[quality["kind"] == "no_result"]
    assert note["value"].tolist() == ["Kabupaten Kepulauan Aru"] and note["raw_row"].tolist() == [6]


def test_results_without_scores_count_in_the_zone_distribution(raw):
    scores = scores_of(raw, {"maluku_zona.csv": ZONES})
    counts = pemda_distribution(scores, year=2023).set_index("zone")["count"]
    assert counts.to_dict() == {"hijau": 1, "kuning": 2, "merah": 0}


def test_declines_use_whatever_both_years_published(raw):
    """The issue's worked example: 2022 'Kota Ambon zona kuning' (no score), 2023 82,88 B: naik_zona, no score change."""
    scores = scores_of(raw, {"maluku_zona.csv": ZONES})
    ambon = compare_with_previous(scores, year=2023, pemda="Kota Ambon").iloc[0]
    assert ambon["prev_year"] == 2022 and pd.isna(ambon["delta"]) and ambon["tanda"] == "naik_zona"
    assert ambon["comparable"]


def test_a_fall_of_zone_without_scores_is_on_the_watch_list_with_its_reason(raw):
    text = "tahun,provinsi,pemda,zona\n2022,Maluku,Kabupaten Buru,hijau\n2023,Maluku,Kabupaten Buru,kuning\n"
    tables = scope_tables(scores_of(raw, {"a.csv": text}), year=2023, province="Maluku")
    watch = tables["watch_list"]
    assert watch["tanda"].tolist() == ["turun_zona"] and watch["reason_id"].iloc[0] == "Zona turun dari hijau ke kuning"


# ---- 2025 labels and names as people write them -------------------------------------------------


def test_2025_labels_in_every_form_and_names_as_people_write_them(raw):
    scores = scores_of(raw, {"maluku_2025.csv": LABELS}).set_index("pemda")
    assert (
        scores.loc["Kabupaten Maluku Tengah", ["grade", "zone"]].tolist(),
        scores.loc["Kabupaten Maluku Tengah", "tanpa_maladministrasi"],
    ) == (["C", "kuning"], True)
    assert scores.loc["Kota Ambon", "grade"] == "B" and scores.loc["Kabupaten Kepulauan Tanimbar", "grade"] == "A"
    mbd = scores.loc["Kabupaten Maluku Barat Daya"]
    assert (mbd["grade"], mbd["zone"], bool(mbd["tanpa_maladministrasi"])) == ("", "", True)  # the suffix alone
    assert scores.loc["Provinsi Maluku", "grade"] == "D"  # "Pemerintah Provinsi" with a province column
    assert not scores["score_published"].any()
    assert scores.loc["Kabupaten Maluku Tengah", "published_label"] == "Kualitas Sedang Tanpa Maladministrasi"


def test_a_former_name_is_read_as_the_pemda_it_became_and_noted(raw):
    quality = ingest(raw({"maluku_2025.csv": LABELS})).quality
    note = quality[quality["kind"] == "former_name"]
    assert (
        note["value"].tolist() == ["Maluku Tenggara Barat"]
        and "Kabupaten Kepulauan Tanimbar" in note["message"].iloc[0]
    )


@pytest.mark.parametrize(
    ("name", "province", "pemda"),
    [
        ("Pangkep", "Sulawesi Selatan", "Kabupaten Pangkajene dan Kepulauan"),
        ("Sidrap", "", "Kabupaten Sidenreng Rappang"),
        ("Bursel", "", "Kabupaten Buru Selatan"),
        ("Tanjabbar", "", "Kabupaten Tanjung Jabung Barat"),
        ("Kukar", "", "Kabupaten Kutai Kartanegara"),
        ("TTS", "NTT", "Kabupaten Timor Tengah Selatan"),
        ("Malteng", "", "Kabupaten Maluku Tengah"),
        ("MBD", "", "Kabupaten Maluku Barat Daya"),
        ("SBB", "Maluku", "Kabupaten Seram Bagian Barat"),
        ("Gorontalo Regency Government", "Gorontalo", "Kabupaten Gorontalo"),
    ],
)
def test_short_forms_are_known_out_of_the_box(raw, name, province, pemda):
    scores = scores_of(raw, {"a.csv": f"tahun,provinsi,pemda,nilai\n2024,{province},{name},80\n"})
    assert scores["pemda"].tolist() == [pemda]


def test_a_misspelt_former_name_suggests_the_pemda_it_became(raw):
    with pytest.raises(DataError, match=r"Kabupaten Kepulauan Tanimbar \(Kabupaten Maluku Tenggara Barat until 2019\)"):
        ingest(raw({"a.csv": "tahun,provinsi,pemda,nilai\n2024,Maluku,Maluku Tenggara Brat,80\n"}))


@pytest.mark.parametrize("label", ["Kualitas Lumayan", "Opini Bagus"])
def test_a_label_that_cannot_be_read_names_the_cell_and_the_accepted_forms(raw, label):
    with pytest.raises(DataError) as info:
        ingest(raw({"a.csv": f"tahun,pemda,opini\n2025,Kota Ambon,{label}\n"}))
    text = str(info.value)
    assert "file a.csv, row 2, column 'opini'" in text and "'Kualitas Tertinggi'" in text and label in text


def test_opd_service_words_are_kept_as_service_quality(raw):
    text = "tahun,pemda,opd,opini\n2025,Kota Ambon,Dinas Sosial,Sangat Baik\n2025,Kota Ambon,Disdukcapil,cukup\n"
    scores = scores_of(raw, {"a.csv": text}).set_index("opd")
    assert scores["service_quality"].to_dict() == {
        "Dinas Kependudukan dan Pencatatan Sipil": "Cukup",
        "Dinas Sosial": "Sangat Baik",
    }


# ---- OPD scores without the pemda total ---------------------------------------------------------


def test_opd_only_data_gives_a_province_brief_a_pemda_brief_and_a_national_overview(raw, tmp_path):
    scores = scores_of(raw, {"papua_opd.csv": OPD_ONLY})
    assert (scores["opd"] != "").all() and len(scores) == 7
    province = brief_page(scores, "brief.ipynb", tmp_path / "p", province="Papua")
    assert "Data tahun 2024 memuat 1 dari" in province and "hanya nilai OPD yang diumumkan: Kota Jayapura" in province
    assert "nilai pemda tidak diumumkan (7 OPD)" in province and "Ombudsman RI menilai" not in province
    pemda = brief_page(scores, "brief_pemda.ipynb", tmp_path / "k", pemda="Kota Jayapura")
    assert "Nilai Kota Jayapura (Papua) pada penilaian 2024 tidak diumumkan; data memuat nilai 7 OPD-nya" in pemda
    national = brief_page(scores, "brief.ipynb", tmp_path / "n")
    assert "Data tahun 2024 memuat 1 dari" in national


def test_rows_whose_file_names_no_source_are_listed_under_sources_by_their_file(raw, tmp_path):
    unnamed = 'tahun,provinsi,pemda,nilai\n2024,Maluku,Kota Ambon,"80,10"\n2024,Maluku,Kabupaten Buru,"75,00"\n'
    scores = scores_of(raw, {"ambon.csv": unnamed, "zona.csv": ZONES})
    page = brief_page(scores, "brief.ipynb", tmp_path, province="Maluku")
    sources = page[page.index("<h3>Sumber data</h3>") :]
    assert "<li>ambon.csv (2024): berkas ini tidak menyebut sumber publikasinya</li>" in sources
    assert "rilis nilai 2023 (2023)" in sources and "zona.csv" not in sources  # a named source stays as it is


def test_coverage_is_what_the_data_holds_against_what_exists(raw, tmp_path):
    scores = scores_of(raw, {"maluku_2025.csv": LABELS})
    page = brief_page(scores, "brief.ipynb", tmp_path, province="Maluku")
    assert "Data tahun 2025 memuat 5 dari 12 pemda di Provinsi Maluku" in page
    assert "Untuk 5 di antaranya nilainya tidak diumumkan" in page and "tidak diumumkan" in page


def test_a_province_brief_says_where_the_averages_of_the_data_come_from(raw, tmp_path):
    """Maluku's release has labels only: the kabupaten average shown is Papua's, and the label says so."""
    papua = "tahun,provinsi,pemda,nilai\n2025,Papua,Kabupaten Jayapura,70\n2025,Papua,Kabupaten Biak Numfor,60\n"
    scores = scores_of(raw, {"maluku_2025.csv": LABELS, "papua_2025.csv": papua})
    page = brief_page(scores, "brief.ipynb", tmp_path, province="Maluku")
    assert "Rata-rata kabupaten provinsi lain dengan nilai dalam data (2, dari 1 provinsi)" in page
    assert "Rata-rata Provinsi Maluku: tidak dapat dihitung, nilainya tidak diumumkan" in page  # none of Maluku's own
    national = brief_page(scores, "brief.ipynb", tmp_path / "national", lang="en")
    assert "Average of all regencies with a score in the data (2)" in national


def test_a_rank_counts_the_pemda_with_a_score_in_the_data(raw, tmp_path):
    text = "tahun,provinsi,pemda,nilai,zona\n2024,Maluku,Kota Ambon,81.2,\n2024,Maluku,Kota Tual,75,\n2024,Maluku,Kabupaten Buru,,kuning\n"
    page = brief_page(scores_of(raw, {"a.csv": text}), "brief_pemda.ipynb", tmp_path, pemda="Kota Ambon")
    assert "Peringkat 1 dari 2 pemda Provinsi Maluku yang nilainya ada dalam data" in page


# ---- corrections beside the data ----------------------------------------------------------------


TWO_SOURCES = {
    "a.csv": 'tahun,pemda,nilai,sumber\n2024,Kota Ambon,"81,20",ombudsman.go.id\n',
    "b.csv": 'tahun,pemda,nilai,sumber\n2024,Kota Ambon,"81,25",koran\n',
}


def corrections_file(tmp_path, *lines: str):
    path = tmp_path / "corrections.csv"
    path.write_text(
        "year,pemda,opd,column,value,reason,source\n" + "".join(f"{line}\n" for line in lines), encoding="utf-8"
    )
    return path


def test_two_sources_that_disagree_name_the_correction_line_to_paste(raw, tmp_path):
    with pytest.raises(DataError) as info:
        ingest(raw(TWO_SOURCES), corrections=corrections_file(tmp_path))
    text = str(info.value)
    assert (
        "config/corrections.csv" in text
        and '2024,Kota Ambon,,score,"81,20",' in text
        and "correct the file" not in text
    )  # as written


def test_a_correction_picks_one_source_and_says_so_everywhere(raw, tmp_path, monkeypatch):
    fix = corrections_file(
        tmp_path, '2024,Kota Ambon,,score,"81,20",rilis Ombudsman lebih dapat dipercaya,ombudsman.go.id'
    )
    monkeypatch.setattr(settings, "CORRECTIONS_FILE", fix)
    result = ingest(raw(TWO_SOURCES))
    ambon = result.scores.iloc[0]
    assert (ambon["score"], ambon["source"], ambon["corrected"]) == (81.2, "ombudsman.go.id", "score")
    note = result.quality[result.quality["kind"] == "correction"]
    assert "left out" in note["message"].iloc[0] and "rilis Ombudsman" in note["message"].iloc[0]
    page = brief_page(result.scores, "brief.ipynb", tmp_path / "b", province="Maluku", out_dir=str(tmp_path / "out"))
    assert (
        "Koreksi atas data terbit" in page
        and "2024, Kota Ambon: Nilai ditetapkan 81,20. Alasan: rilis Ombudsman" in page
    )
    sheet = openpyxl.load_workbook(tmp_path / "out" / "ringkasan_2024.xlsx")["Koreksi"]
    assert [c.value for c in sheet[3]][:5] == [2024, "Kota Ambon", None, "Nilai", "81,20"]


def test_a_correction_fixes_a_typo_and_an_unused_line_is_reported(raw, tmp_path):
    fix = corrections_file(
        tmp_path,
        '2023,Kabupaten Buru,,score,"54,10","salah ketik di rilis (54,01)",berita',
        "2019,Kota Ambon,,score,70,tidak ada baris ini,x",
    )
    result = ingest(raw({"a.csv": 'tahun,pemda,nilai\n2023,Buru,"54,01"\n'}), corrections=fix)
    assert result.scores["score"].tolist() == [54.1] and result.scores["corrected"].tolist() == ["score"]
    assert result.quality["kind"].tolist() == ["correction", "correction_unused"]


def test_a_wrong_province_names_the_line_that_sets_it_and_the_line_works(raw, tmp_path):
    files = {"a.csv": "tahun,provinsi,pemda,nilai,sumber\n2024,Jambi,Kabupaten Bengkulu Selatan,95.57,rilis\n"}
    with pytest.raises(DataError) as info:
        ingest(raw(files), corrections=corrections_file(tmp_path))
    line = "2024,Kabupaten Bengkulu Selatan,,province,Bengkulu,the release lists it under another province,rilis"
    assert line in str(info.value)
    fixed = ingest(raw(files), corrections=corrections_file(tmp_path, line)).scores
    assert fixed[["province", "corrected"]].values.tolist() == [["Bengkulu", "province"]]


def test_a_correction_without_a_reason_or_of_an_unknown_column_is_an_error(raw, tmp_path):
    fix = corrections_file(tmp_path, "2024,Kota Ambon,,score,81.2,,x", "2024,Kota Ambon,,warna,merah,alasan,x")
    with pytest.raises(DataError) as info:
        ingest(raw(TWO_SOURCES), corrections=fix)
    assert "row 2, column 'reason'" in str(info.value) and "row 3, column 'column'" in str(info.value)


def test_two_corrections_of_one_cell_with_different_values_name_both_lines(raw, tmp_path):
    fix = corrections_file(
        tmp_path,
        "2024,Kota Ambon,,score,81.2,sumber A,x",
        "2024,Kota Ambon,,score,81.25,sumber B,y",
        "2024,Kota Ambon,,score,81.2,sumber A lagi,z",
    )
    with pytest.raises(DataError) as info:
        ingest(raw(TWO_SOURCES), corrections=fix)
    text = str(info.value)
    assert "row 3, column 'value': line 2 already sets this cell (2024, Kota Ambon, score) to '81.2'" in text
    assert "keep one of lines 2 and 3" in text and "row 4" not in text  # the same value twice is no conflict


def test_messages_never_ask_to_invent_a_number_or_edit_the_published_file(raw):
    with pytest.raises(DataError) as info:
        ingest(raw({"a.csv": "tahun,pemda,nilai\n2024,Kota Ambon,8x\n2024,Kota Tual,\n"}))
    text = str(info.value)
    assert "1 problem(s)" in text and "an empty cell is fine" in text and "config/corrections.csv" in text
    assert "such as 89.62" not in text and "delete" not in text


# ---- a template to type a release into ----------------------------------------------------------


def test_a_filled_template_ingests_as_it_is(tmp_path):
    from kepatuhan.brief import entry_workbook
    from kepatuhan.reference.gazetteer import load_gazetteer
    from kepatuhan.reference.methods import load_methods

    path = entry_workbook.write(
        tmp_path / "raw" / "templat_maluku_2025.xlsx", "Maluku", 2025, load_gazetteer(), load_methods()
    )
    book = openpyxl.load_workbook(path)
    pemda = book["Pemda"]
    headers = [c.value for c in pemda[2]]
    assert headers[:4] == ["tahun", "provinsi", "kode", "pemda"] and pemda.max_row == 14  # 12 pemda of Maluku
    assert book["Daftar"].sheet_state == "hidden" and len(pemda.data_validations.dataValidation) == 4
    first = pemda.cell(row=3, column=4).value
    pemda.cell(row=3, column=headers.index("nilai") + 1, value=81.2)
    pemda.cell(row=4, column=headers.index("zona") + 1, value="kuning")
    pemda.cell(row=5, column=headers.index("opini") + 1, value="Kualitas Sedang Tanpa Maladministrasi")
    opd = book["OPD"]
    row = dict(zip([c.value for c in opd[2]], range(1, 20)))
    for column, value in (
        ("tahun", 2025),
        ("provinsi", "Maluku"),
        ("pemda", first),
        ("opd", "Dinas Sosial"),
        ("nilai", 70),
    ):
        opd.cell(row=3, column=row[column], value=value)
    book.save(path)
    result = ingest(tmp_path / "raw")
    scores = result.scores
    assert len(scores[scores["opd"] == ""]) == 3 and scores.loc[scores["opd"] != "", "pemda"].tolist() == [first]
    assert scores.loc[scores["pemda"] == first, "kode"].iloc[0] == pemda.cell(row=3, column=3).value
    assert (result.quality["kind"] == "no_result").sum() == 9  # the pemda left empty: notes, not errors


@pytest.mark.e2e
def test_a_run_with_an_opd_only_release_publishes_every_brief(tmp_path):
    from conftest import pipeline

    raw = tmp_path / "raw"
    shutil.copytree(settings.RAW_DIR, raw)
    (raw / "ombudsman_more" / "kota_jayapura_2024_opd.csv").unlink()  # the test's own release stands in for it
    (raw / "papua_opd.csv").write_text(OPD_ONLY, encoding="utf-8")
    done = pipeline(
        "run",
        "--raw",
        str(raw),
        "--reports",
        str(tmp_path / "r"),
        "--processed",
        str(tmp_path / "p"),
        "--province",
        "Papua",
        "--province",
        "nasional",
        "--pemda",
        "Kota Jayapura",
        "--no-pdf",
    )
    assert done.returncode == 0, done.stderr
    pemda = (tmp_path / "r" / "2024" / "provinsi" / "papua" / "pemda" / "kota-jayapura.html").read_text(
        encoding="utf-8"
    )
    assert "tidak diumumkan" in pemda and (tmp_path / "r" / "2025" / "nasional" / "brief.html").exists()


def test_a_published_grade_that_differs_is_shown_beside_the_computed_one_and_the_workbook_reads_well(raw, tmp_path):
    text = 'tahun,provinsi,pemda,nilai,opini,sumber\n2025,Maluku,Kota Ambon,"75,16",Kualitas Tinggi Tanpa Maladministrasi,rilis\n'
    scores = scores_of(raw, {"a.csv": text})
    page = brief_page(scores, "brief.ipynb", tmp_path, province="Maluku", out_dir=str(tmp_path / "out"))
    assert "C* (terbit: Kualitas Tinggi Tanpa Maladministrasi)" in page  # what was printed: a label, not a letter
    assert "Pada 1 pemda kategori atau zona yang diterbitkan berbeda" in page
    book = openpyxl.load_workbook(tmp_path / "out" / "ringkasan_2025.xlsx")
    sheet = book["Nilai"]
    headers = [c.value for c in sheet[2]]
    assert {
        "Kategori",
        "Kategori terbit",
        "Opini terbit",
        "Tanpa Maladministrasi",
        "Kualitas pelayanan",
        "Nilai diumumkan",
    } <= set(headers)
    row = dict(zip(headers, [c.value for c in sheet[3]]))
    assert (row["Kategori"], row["Kategori terbit"], row["Tanpa Maladministrasi"], row["Tahun"]) == (
        "C",
        None,
        "ya",
        2025,
    )
    assert row["Opini terbit"] == "Kualitas Tinggi Tanpa Maladministrasi"  # "Kategori terbit" showed B, never printed
    text_of_book = " ".join(
        str(c.value) for s in book.worksheets for r in s.iter_rows() for c in r if c.value is not None
    )
    assert "penilaian_maladministrasi" not in text_of_book and "opini_pengawasan" not in text_of_book
    sources = book["Sumber"]
    assert [c.value for c in sources[2]] == ["Sumber", "Tahun"] and sources.cell(row=3, column=2).value == 2025


def test_scores_that_were_not_published_are_said_not_compared_never_counted_as_unchanged():
    """Sumatera Utara 2024, grades only: not "0 of 19 pemda fell and 0 rose" but that no score could be compared."""
    from kepatuhan.brief.headline import score_changes

    unscored = pd.DataFrame(
        {"pemda": ["Kota Medan", "Kabupaten Asahan"], "delta": [float("nan")] * 2, "tanda": ["", "naik_zona"]}
    )
    assert score_changes(unscored, "id") == [
        "Nilai 2 pemda ini tidak dapat dibandingkan dengan penilaian sebelumnya: "
        "nilainya, atau nilai sebelumnya, tidak diumumkan."
    ]
    mixed = pd.concat([unscored, pd.DataFrame({"pemda": ["Kota Binjai"], "delta": [-1.5], "tanda": ["turun"]})])
    assert score_changes(mixed, "en") == [
        "Compared with their previous assessment, 1 of 1 pemda fell and 0 rose.",
        "The scores of 2 other pemda cannot be compared: the score, or the previous one, was not published.",
    ]


def test_every_source_that_printed_a_result_is_credited_each_with_its_link(raw, tmp_path):
    """Banda Aceh's 2022 grade was printed by two sites; the merged row credited one, and a cell ``url1; url2``
    became one link ending in ``;`` (issue 35)."""
    files = {
        "a.csv": "tahun,provinsi,pemda,opini,sumber\n2022,Maluku,Kota Ambon,A,dialeksis.com/ambon\n",
        "b.csv": "tahun,provinsi,pemda,opini,sumber\n2022,Maluku,Kota Ambon,A,noa.co.id/ambon; https://ombudsman.go.id/x\n",
    }
    scores = scores_of(raw, files)
    ambon = scores[(scores["pemda"] == "Kota Ambon") & (scores["year"] == 2022)]
    assert ambon["source"].tolist() == ["dialeksis.com/ambon; noa.co.id/ambon; https://ombudsman.go.id/x"]
    page = brief_page(scores, "brief.ipynb", tmp_path, province="Maluku", year=2022)
    sources = page[page.index("<h3>Sumber data</h3>") :]
    for address in ("https://dialeksis.com/ambon", "https://noa.co.id/ambon", "https://ombudsman.go.id/x"):
        assert f'href="{address}"' in sources
    assert ';"' not in sources and "; https" not in sources


def test_a_row_that_is_not_a_pemda_is_set_aside_by_one_line_and_listed_where_the_reader_looks(
    raw, tmp_path, monkeypatch
):
    """A release's row for a kantor wilayah stopped the run as an unknown name, with only the alias line as a
    fix (issue 35). The error offers the set-aside line; with it the rest is read, and the row is listed."""
    text = (
        'tahun,provinsi,pemda,nilai,sumber\n2024,Maluku,Kota Ambon,"80,10",ambon.go.id\n'
        '2024,Maluku,Kanwil Kemenkumham Maluku,"70,00",ambon.go.id\n'
    )
    with pytest.raises(DataError) as stopped:
        scores_of(raw, {"maluku.csv": text})
    assert (
        "set it aside with the line  maluku.csv,3,Kanwil Kemenkumham Maluku,<alasan / reason>  in config/set_aside.csv"
        in str(stopped.value)
    )
    config = tmp_path / "set_aside.csv"
    config.write_text("file,row,name,reason\nmaluku.csv,3,Kanwil Kemenkumham Maluku,instansi vertikal\n")
    monkeypatch.setattr(settings, "SET_ASIDE_FILE", config)
    scores = scores_of(raw, {"maluku.csv": text})
    assert "Kanwil" not in " ".join(scores["pemda"]) and "Kota Ambon" in set(scores["pemda"])
    page = brief_page(scores, "brief.ipynb", tmp_path / "b", province="Maluku", year=2024)
    assert (
        "Baris data terbit yang disisihkan (bukan pemda)" in page
        and "maluku.csv, baris 3 (Kanwil Kemenkumham Maluku): instansi vertikal" in page
    )


def test_a_grade_or_zone_the_release_did_not_print_is_marked_where_it_is_shown(raw, tmp_path):
    """Kepri 2025: "ditandai *" but no cell had one, and zones worked out from labels were unmarked (issue 35)."""
    labels = brief_page(scores_of(raw, {"maluku_2025.csv": LABELS}), "brief.ipynb", tmp_path / "l", province="Maluku")
    table = labels[labels.index("Semua pemda") : labels.index("Perkembangan nilai")]
    assert "<td>B*</td>" in table and "<td>hijau*</td>" in table  # Kota Ambon: label printed, letter and zone not
    assert "* Tidak tertulis di rilis" in table and "masih sementara" in table
    zones = brief_page(scores_of(raw, {"zona.csv": ZONES}), "brief.ipynb", tmp_path / "z", province="Maluku", year=2023)
    table = zones[zones.index("Semua pemda") : zones.index("Perkembangan nilai")]
    assert "<td>C</td>" in table  # Seram Bagian Barat: the printed letter, unmarked
    assert "<td>kuning</td>" in table  # Buru: the printed zone, unmarked
    assert "masih sementara" not in table


GRADES_ONLY = textwrap.dedent("""\
    tahun,provinsi,pemda,kategori
    2023,Maluku,Kota Ambon,C
    2023,Maluku,Kabupaten Buru,B
    2024,Maluku,Kota Ambon,B
    2024,Maluku,Kabupaten Buru,B
    """)


def test_a_grades_only_release_says_what_could_be_compared_and_shows_the_change_it_has(raw, tmp_path):
    """Sumut 2024 (grades only): "0 dari 19 pemda turun nilainya dan 0 naik"; "tidak dibandingkan" beside a
    pemda the headline lists under "Naik zona"; an average of other provinces read as the province's (issue 35)."""
    elsewhere = "tahun,provinsi,pemda,nilai\n2024,Papua,Kabupaten Jayapura,70\n"
    page = brief_page(
        scores_of(raw, {"g.csv": GRADES_ONLY, "papua.csv": elsewhere}),
        "brief.ipynb",
        tmp_path,
        province="Maluku",
        year=2024,
    )
    assert "0 dari" not in page and "turun nilainya dan 0 naik" not in page
    table = page[page.index("Semua pemda") : page.index("Perkembangan nilai")]
    assert "kuning \u2192 hijau" in table and "Kota Ambon" in table  # C (kuning) to B (hijau): its change
    assert (
        "Rata-rata Provinsi Maluku: tidak dapat dihitung" in table and "No. kosong: nilainya tidak diumumkan" in table
    )
    assert "Rata-rata kabupaten provinsi lain dengan nilai dalam data (1, dari 1 provinsi)" in table
