"""The yearly brief: what a reader at a regional office needs in two minutes.

The brief notebook calls these functions; each returns HTML in which every text that comes from
data (names, notes, sources) is escaped. :func:`export_html` turns the executed notebook into a
self-contained HTML file without code (images embedded, no scripts from the network).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from kepatuhan.declines import compare_with_previous, has_flag, watch_list
from kepatuhan.distribution import opd_distribution, pemda_distribution
from kepatuhan.ingest import load_scores
from kepatuhan.methods import Methods, load_methods
from kepatuhan.outputs import atomic_path
from kepatuhan.text import check_lang, number, unit_name, zone_name

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

WORDS = {
    "id": {
        "title": "Ringkasan kepatuhan pelayanan publik {year}",
        "title_pemda": "Ringkasan kepatuhan pelayanan publik {year}: {pemda}",
        "assessed": "Tahun {year} dinilai {n_pemda} pemda dan {n_opd} OPD.",
        "fell": "Dibandingkan penilaian sebelumnya, {n_pemda_fell} pemda dan {n_opd_fell} OPD turun nilainya.",
        "fell_zone": "Turun zona: {names}.",
        "no_fell_zone": "Tidak ada unit yang turun zona.",
        "rose_zone": "Naik zona: {names}.",
        "not_comparable": "Penilaian sebelumnya memakai metode lain ({prev}), jadi perubahan nilai tidak dibandingkan.",
        "zones": "Sebaran zona pemda: {parts}.",
        "illustrative": "Perhatian: ringkasan ini memuat {n} baris DATA ILUSTRASI (nilai OPD rekaan, bukan publikasi "
        "Ombudsman RI). Bagian yang memakainya ditandai.",
        "method": "Metode {year}: {name} ({method}). {provisional}",
        "provisional": "Batas nilai metode ini masih sementara (belum dikonfirmasi).",
        "crosses": "Perbandingan dengan penilaian sebelumnya melintasi pergantian metode ({prev} \u2192 {method}): "
        "nilai tidak setara dan tidak diberi tanda penurunan.",
        "same_method": "Semua perbandingan memakai metode yang sama.",
        "sources": "Sumber data",
        "watch": "Daftar pantau",
        "watch_pemda": "Pemda yang turun",
        "watch_opd": "OPD yang turun",
        "distribution": "Sebaran zona",
        "ranking": "Peringkat dan peta",
        "opd_scores": "Nilai OPD",
        "method_sources": "Metode dan sumber",
        "no_watch": "Tidak ada unit yang turun.",
        "rank": "No.",
        "unit": "Unit",
        "change": "Perubahan",
        "reason": "Alasan",
        "illustrative_col": "Ilustrasi",
        "yes": "ya",
        "quality": "{n} catatan kualitas data (lihat data/processed/quality.csv).",
    },
    "en": {
        "title": "Public-service compliance brief {year}",
        "title_pemda": "Public-service compliance brief {year}: {pemda}",
        "assessed": "In {year}, {n_pemda} pemda and {n_opd} OPDs were assessed.",
        "fell": "Compared with their previous assessment, {n_pemda_fell} pemda and {n_opd_fell} OPDs fell.",
        "fell_zone": "Fell a zone: {names}.",
        "no_fell_zone": "No unit fell a zone.",
        "rose_zone": "Rose a zone: {names}.",
        "not_comparable": "The previous assessment used another method ({prev}), so score changes are not compared.",
        "zones": "Zones of the pemda: {parts}.",
        "illustrative": "Note: this brief includes {n} rows of ILLUSTRATIVE DATA (invented OPD scores, not published "
        "by Ombudsman RI). Sections that use them are marked.",
        "method": "Method {year}: {name} ({method}). {provisional}",
        "provisional": "This method's bands are provisional (unconfirmed).",
        "crosses": "Comparisons with the previous assessment cross a method change ({prev} \u2192 {method}): "
        "scores are not like for like and get no decline flags.",
        "same_method": "All comparisons use the same method.",
        "sources": "Data sources",
        "watch": "Watch list",
        "watch_pemda": "Pemda that fell",
        "watch_opd": "OPDs that fell",
        "distribution": "Zone distribution",
        "ranking": "Ranking and map",
        "opd_scores": "OPD scores",
        "method_sources": "Method and sources",
        "no_watch": "No unit fell.",
        "rank": "No.",
        "unit": "Unit",
        "change": "Change",
        "reason": "Reason",
        "illustrative_col": "Illustrative",
        "yes": "yes",
        "quality": "{n} data-quality notes (see data/processed/quality.csv).",
    },
}


def words(key: str, lang: str, **values) -> str:
    """A sentence of the brief in the reader's language, values filled in (not escaped)."""
    return WORDS[check_lang(lang)][key].format(**values)


@dataclass
class BriefData:
    """Everything the brief shows, computed once."""

    scores: pd.DataFrame
    year: int
    lang: str
    pemda: str
    comparisons: pd.DataFrame
    watch: pd.DataFrame
    opd_zones: pd.DataFrame
    pemda_zones: pd.DataFrame
    methods: Methods

    @property
    def shown(self) -> pd.DataFrame:
        """The rows of the brief's year (and pemda, for a pemda brief)."""
        rows = self.scores[self.scores["year"] == self.year]
        return rows[rows["pemda"] == self.pemda] if self.pemda else rows


def prepare(
    processed_dir: str | Path,
    year: int,
    lang: str = "id",
    pemda: str = "",
    min_drop: float = 0.01,
    compare_across_methods: bool = False,
    province: str = "",
) -> BriefData:
    """Load the processed scores and compute the comparisons and distributions for the brief."""
    check_lang(lang)
    methods = load_methods()
    scores = load_scores(Path(processed_dir))
    if province:
        scores = scores[scores["province"] == province]
    comparisons = compare_with_previous(
        scores, year=year, min_drop=min_drop, compare_across_methods=compare_across_methods,
        pemda=pemda or None, methods=methods,
    )  # fmt: skip
    return BriefData(
        scores=scores,
        year=year,
        lang=lang,
        pemda=pemda,
        comparisons=comparisons,
        watch=watch_list(comparisons),
        opd_zones=opd_distribution(scores[scores["pemda"] == pemda] if pemda else scores, methods=methods),
        pemda_zones=pemda_distribution(scores, year=year, methods=methods),
        methods=methods,
    )


def _summary(rows: pd.DataFrame, lang: str) -> str:
    """Pemda totals by name, OPDs by count ("Kabupaten Kerinci; 5 OPD di 3 pemda")."""
    pemda = rows.loc[rows["opd"] == "", "pemda"].tolist()
    opd = rows[rows["opd"] != ""]
    parts = [", ".join(pemda)] if pemda else []
    if len(opd):
        n, m = len(opd), opd["pemda"].nunique()
        parts.append(f"{n} OPD di {m} pemda" if lang == "id" else f"{n} OPDs in {m} pemda")
    return "; ".join(parts)


def headline(data: BriefData) -> str:
    """The opening paragraph, generated from the data (as escaped HTML)."""
    lang, c = data.lang, data.comparisons
    shown = data.shown
    is_opd = c["opd"] != ""
    fell = has_flag(c["flags"], "turun")
    sentences = [
        words("assessed", lang, year=data.year, n_pemda=int((shown["opd"] == "").sum()),
              n_opd=int((shown["opd"] != "").sum())),  # fmt: skip
    ]
    compared = c[c["prev_year"].notna()]
    if len(compared) and not compared["comparable"].any() and not has_flag(c["flags"], "beda_metode").any():
        sentences.append(words("not_comparable", lang, prev=", ".join(sorted(set(compared["prev_method"])))))
    else:
        sentences.append(words("fell", lang, n_pemda_fell=int((fell & ~is_opd).sum()), n_opd_fell=int((fell & is_opd).sum())))
        zone_fell = c[has_flag(c["flags"], "turun_zona")]
        sentences.append(words("fell_zone", lang, names=_summary(zone_fell, lang)) if len(zone_fell) else words("no_fell_zone", lang))
        rose = c[has_flag(c["flags"], "naik_zona")]
        if len(rose):
            sentences.append(words("rose_zone", lang, names=_summary(rose, lang)))
    zones = data.pemda_zones
    if len(zones) and not data.pemda:
        parts = ", ".join(f"{n} {zone_name(z, lang)}" for z, n in zip(zones["zone"], zones["count"]))
        sentences.append(words("zones", lang, parts=parts))
    return f"<p class='headline'>{html.escape(' '.join(sentences))}</p>"


def title(data: BriefData) -> str:
    """The brief's heading (escaped HTML)."""
    key = "title_pemda" if data.pemda else "title"
    return f"<h1>{html.escape(words(key, data.lang, year=data.year, pemda=data.pemda))}</h1>"


def illustrative_notice(data: BriefData) -> str:
    """A visible red box when the brief uses illustrative rows; empty otherwise."""
    n = int(data.shown["illustrative"].sum())
    if not n:
        return ""
    text = html.escape(words("illustrative", data.lang, n=n))
    return f"<div style='border:2px solid #b71c1c;color:#b71c1c;padding:8px;font-weight:bold'>{text}</div>"


def method_note(data: BriefData) -> str:
    """The method of the year, its bands, and whether comparisons cross a method change."""
    lang = data.lang
    methods_of_year = sorted(set(data.shown["method"]))
    if not methods_of_year:
        return ""
    method = methods_of_year[0]
    info = data.methods.info(method)
    name = info["name_id"] if lang == "id" else info["name_en"]
    provisional = words("provisional", lang) if info.get("provisional") == "yes" else ""
    prev = sorted(set(data.comparisons["prev_method"]) - {"", method})
    cross = words("crosses", lang, prev=", ".join(prev), method=method) if prev else words("same_method", lang)
    text = words("method", lang, year=data.year, name=name, method=method, provisional=provisional)
    bands = data.methods.describe(method, lang).to_html(index=False, escape=True, border=0)
    return f"<p>{html.escape(text)}</p><p>{html.escape(cross)}</p>{bands}"


def section(key: str, data: BriefData) -> str:
    """A section heading of the brief (escaped HTML)."""
    return f"<h2>{html.escape(words(key, data.lang))}</h2>"


def watch_table(data: BriefData, level: str = "pemda", top: int = 30) -> str:
    """The watch list of pemda totals (``level="pemda"``) or OPDs, as an escaped HTML table, worst first."""
    lang = data.lang
    watch = data.watch[(data.watch["opd"] == "") == (level == "pemda")]
    heading = f"<h3>{html.escape(words('watch_' + level, lang))}</h3>"
    if watch.empty:
        return heading + f"<p>{html.escape(words('no_watch', lang))}</p>"
    w = watch.head(top)
    table = pd.DataFrame(
        {
            words("rank", lang): range(1, len(w) + 1),
            words("unit", lang): [unit_name(p, o, lang) for p, o in zip(w["pemda"], w["opd"])],
            words("change", lang): [number(d, lang) for d in w["delta"]],
            words("reason", lang): w[f"reason_{lang}"],
            words("illustrative_col", lang): w["illustrative"].map({True: words("yes", lang), False: ""}),
        }
    )
    return heading + table.to_html(index=False, escape=True, border=0)


def sources(data: BriefData) -> str:
    """The distinct sources of the year's rows, linked where they are web addresses (escaped)."""
    items = []
    for source in sorted(set(data.shown["source"]) - {""}):
        text = html.escape(source)
        first = source.split(" ")[0]
        url = first if re.fullmatch(r"https?://[^\s\"'<>]+", first) else ""
        if not url and re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+(/[^\s\"'<>]*)?", first, flags=re.I):
            url = "https://" + first
        items.append(f"<li><a href=\"{html.escape(url, quote=True)}\">{text}</a></li>" if url else f"<li>{text}</li>")
    return f"<h3>{html.escape(words('sources', data.lang))}</h3><ul>{''.join(items)}</ul>"


def image(fig, alt: str | None = None):
    """A figure as an embedded PNG ``<img>`` with alternative text (its title by default).

    Used by the brief so that the exported HTML is self-contained and accessible.
    """
    import base64
    import io

    from IPython.display import HTML

    if alt is None:
        titles = [fig._suptitle.get_text()] if fig._suptitle else []
        titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
        alt = " / ".join(titles[:1] + titles[1:3])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return HTML(f'<img alt="{html.escape(alt, quote=True)}" src="data:image/png;base64,{data}" style="max-width:100%">')


def map_caption(data: BriefData, province: str) -> str:
    """The map's caption as text: the provincial government's score and the required attribution."""
    from kepatuhan.geo import ATTRIBUTION, province_caption

    totals = data.scores[(data.scores["year"] == data.year) & (data.scores["opd"] == "")]
    text = f"{province_caption(totals, province, data.lang)} {ATTRIBUTION[data.lang]}"
    return f"<p style='font-size:0.8rem'>{html.escape(text)}</p>"


@functools.cache
def _exporter():
    """One HTML exporter per process: loading its templates is the slow part, so it is kept."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="brief",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


def export_html(notebook: Path, destination: Path, title_text: str = "Ringkasan kepatuhan") -> Path:
    """Convert an executed notebook to HTML without code cells, written atomically.

    Uses the ``brief`` template (the lab template without scripts loaded from the network), so the
    file reads offline; figures are embedded as PNG data. Cell ids are renumbered, so the same
    notebook outputs always give the same HTML (papermill gives its injected cell a random id).
    """
    import nbformat

    node = nbformat.read(str(notebook), as_version=4)
    for position, cell in enumerate(node.cells):
        cell["id"] = f"cell-{position}"
    body, _ = _exporter().from_notebook_node(node, resources={"metadata": {"name": title_text}})
    with atomic_path(Path(destination)) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return Path(destination)
