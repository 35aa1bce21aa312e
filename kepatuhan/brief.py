"""The briefs: what a reader at a regional office needs in two minutes, for a province, the country or one pemda.

The brief notebooks call :func:`prepare` once, then one function here per part of the page; each
returns an HTML fragment (escaped, from :mod:`kepatuhan.html`) for the cell to display. In the
pipeline a brief reads the tables its declines step wrote (``out_dir``); run alone, it computes them
with the same function that step uses (:func:`kepatuhan.declines.scope_tables`). Nothing shown is
later than the brief's year.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pandas as pd

from kepatuhan import catalog
from kepatuhan.declines import has_flag, scope_tables
from kepatuhan.distribution import opd_distribution, pemda_distribution
from kepatuhan.html import safe_url, shown
from kepatuhan.ingest import load_scores
from kepatuhan.methods import Methods, load_methods
from kepatuhan.wording import check_lang, number, unit_name, words, zone_name

#: The tables of the declines step a brief reads.
STEP_TABLES = ("comparisons", "watch_list", "standing")


@dataclass
class BriefData:
    """Everything a brief shows, computed once: rows up to the brief's year, of its province or pemda."""

    scores: pd.DataFrame
    year: int
    lang: str
    province: str
    pemda: str
    comparisons: pd.DataFrame
    watch: pd.DataFrame
    standing: pd.DataFrame
    opd_zones: pd.DataFrame
    pemda_zones: pd.DataFrame
    methods: Methods
    out_dir: str = ""

    @property
    def shown(self) -> pd.DataFrame:
        """The rows of the brief's year."""
        return self.scores[self.scores["year"] == self.year]

    @property
    def scope(self) -> str:
        """The brief's subject in words: the pemda, the province, or the national overview."""
        if self.pemda:
            return self.pemda
        return words("html.province", self.lang, province=self.province) if self.province else words("html.national", self.lang)


def prepare(processed_dir: str = "", out_dir: str = "", year: int = 0, province: str = "", lang: str = "id",
            min_drop: float = 0.01, compare_across_methods: bool = False, pemda: str = "") -> BriefData:  # fmt: skip
    """Load the scores and the declines step's tables (or compute them) for one brief.

    ``province`` and ``pemda`` take any known spelling; ``year`` 0 means the latest year with data.
    """
    check_lang(lang)
    methods = load_methods()
    scores = load_scores(processed_dir)
    province, pemda = canonical(province, pemda)
    mine = scores[scores["province"] == province] if province else scores
    year = int(year or mine["year"].max())
    if out_dir:
        tables = {name: catalog.load(name, out_dir) for name in STEP_TABLES}
    else:
        tables = scope_tables(scores, year, province, min_drop, compare_across_methods, methods)
    rows = mine[mine["year"] <= year]
    if pemda:
        rows = rows[rows["pemda"] == pemda]
        tables = {name: table[table["pemda"] == pemda] for name, table in tables.items()}
    return BriefData(rows, year, lang, province, pemda, tables["comparisons"], tables["watch_list"], tables["standing"],
                     opd_distribution(rows, methods=methods), pemda_distribution(rows, year=year, methods=methods),
                     methods, out_dir)  # fmt: skip


def canonical(province: str, pemda: str) -> tuple[str, str]:
    """Canonical province and pemda names from any known spelling (a pemda also sets the province)."""
    from kepatuhan.names import canonical_pemda, canonical_province, load_gazetteer

    gazetteer = load_gazetteer()
    pemda = canonical_pemda(pemda, gazetteer)
    return (gazetteer.info(pemda)["province"] if pemda else canonical_province(province, gazetteer)), pemda


def first_pemda(processed_dir: str = "", year: int = 0, province: str = "") -> str:
    """The first pemda (by name) assessed in ``year`` (0: the latest) in ``province`` (empty: any)."""
    scores = load_scores(processed_dir)
    province = canonical(province, "")[0]
    rows = scores[scores["province"] == province] if province else scores
    rows = rows[rows["year"] == (year or rows["year"].max())]
    return str(sorted(rows["pemda"])[0])


def save_tables(data: BriefData):
    """Save the brief's zone distributions in its folder (nothing when run alone); show the pemda zones."""
    catalog.save("zone_distribution", data.opd_zones, data.out_dir)
    catalog.save("pemda_zone_distribution", data.pemda_zones, data.out_dir)
    return data.pemda_zones


def heading(data: BriefData):
    """Title, the illustrative-data notice when needed, and the opening paragraph."""
    key = "brief.title_pemda" if data.pemda else "brief.title"
    notice = ""
    n = int(data.shown["illustrative"].sum())
    if n:
        notice = words("brief.illustrative", data.lang, n=n)
    title = words(key, data.lang, year=data.year, pemda=data.pemda, scope=data.scope)
    return shown("heading", title=title, notice=notice, headline=headline(data))


def _summary(rows: pd.DataFrame, lang: str) -> str:
    """Pemda totals by name, OPDs by count ("Kabupaten Kerinci; 5 OPD di 3 pemda")."""
    pemda = rows.loc[rows["opd"] == "", "pemda"].tolist()
    opd = rows[rows["opd"] != ""]
    parts = [", ".join(pemda)] if pemda else []
    if len(opd):
        parts.append(words("brief.opd_in_pemda", lang, n=len(opd), m=opd["pemda"].nunique()))
    return "; ".join(parts)


def headline(data: BriefData) -> str:
    """The opening paragraph, generated from the data (plain text; the template escapes it)."""
    lang, c, shown_rows = data.lang, data.comparisons, data.shown
    is_opd = c["opd"] != ""
    fell = has_flag(c["tanda"], "turun")
    sentences = [words("brief.assessed", lang, year=data.year, n_pemda=int((shown_rows["opd"] == "").sum()),
                       n_opd=int((shown_rows["opd"] != "").sum()))]  # fmt: skip
    compared = c[c["prev_year"].notna()]
    if len(compared) and not compared["comparable"].any() and not has_flag(c["tanda"], "beda_metode").any():
        sentences.append(words("brief.not_comparable", lang, prev=", ".join(sorted(set(compared["prev_method"])))))
    else:
        sentences.append(words("brief.fell", lang, n_pemda_fell=int((fell & ~is_opd).sum()), n_opd_fell=int((fell & is_opd).sum())))
        zone_fell = c[has_flag(c["tanda"], "turun_zona")]
        sentences.append(words("brief.fell_zone", lang, names=_summary(zone_fell, lang)) if len(zone_fell) else words("brief.no_fell_zone", lang))
        rose = c[has_flag(c["tanda"], "naik_zona")]
        if len(rose):
            sentences.append(words("brief.rose_zone", lang, names=_summary(rose, lang)))
    zones = data.pemda_zones
    if len(zones) and not data.pemda:
        counts = zones.groupby("zone", sort=False)["count"].sum()
        sentences.append(words("brief.zones", lang, parts=", ".join(f"{n} {zone_name(z, lang)}" for z, n in counts.items())))
    return " ".join(sentences)


def section(key: str, data: BriefData):
    """A section heading of the brief."""
    return shown("section", heading=words(f"brief.{key}", data.lang))


def watch_table(data: BriefData, level: str = "pemda", top: int = 30):
    """The watch list of pemda totals (``level="pemda"``) or OPDs, worst first."""
    lang = data.lang
    watch = data.watch[(data.watch["opd"] == "") == (level == "pemda")].head(top)
    columns = [words(f"table.{k}", lang) for k in ("rank", "unit", "change", "reason", "illustrative")]
    rows = [(i, unit_name(p, o), number(d, lang), reason, words("brief.yes", lang) if ill else "")
            for i, (p, o, d, reason, ill) in enumerate(zip(watch["pemda"], watch["opd"], watch["delta"],
                                                           watch[f"reason_{lang}"], watch["illustrative"]), 1)]  # fmt: skip
    note = "" if rows else words("brief.no_watch", lang)
    return shown("table", heading=words(f"brief.watch_{level}", lang), columns=columns, rows=rows, note=note)


def method_note(data: BriefData):
    """The method of the year, its bands, and whether comparisons cross a method change."""
    lang = data.lang
    methods_of_year = sorted(set(data.shown["method"]))
    if not methods_of_year:
        return shown("paragraphs", paragraphs=[], small=False)
    method = methods_of_year[0]
    info = data.methods.info(method)
    name = info["name_id"] if lang == "id" else info["name_en"]
    provisional = words("brief.provisional", lang) if info.get("provisional") == "yes" else ""
    prev = sorted(set(data.comparisons["prev_method"]) - {"", method})
    cross = words("brief.crosses", lang, prev=", ".join(prev), method=method) if prev else words("brief.same_method", lang)
    text = words("brief.method", lang, year=data.year, name=name, provisional=provisional)
    bands = data.methods.describe(method, lang)
    columns = [words(f"table.{k}", lang) for k in ("grade", "range", "zone", "label")]
    return shown("method", paragraphs=[text, cross], heading="", columns=columns, rows=[tuple(r) for r in bands.itertuples(index=False)], note="")


def sources(data: BriefData):
    """Every source of the rows shown (all years up to the brief's), linked where it is a web address."""
    items = [(source, safe_url(source)) for source in sorted(set(data.scores["source"]) - {""})]
    return shown("sources", heading=words("brief.sources", data.lang), items=items)


def figure(fig, data: BriefData, name: str = "", heading: str = ""):
    """A chart embedded as PNG with its title as alternative text; saved as ``figures/<name>`` when ``out_dir`` is set."""
    from kepatuhan.charts import png_bytes, save_figure

    png = png_bytes(fig)
    if name and data.out_dir:
        save_figure(fig, catalog.path("figures", data.out_dir), name, png=png)
    titles = [fig._suptitle.get_text()] if fig._suptitle else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
    encoded = base64.b64encode(png).decode("ascii")
    return shown("figure", heading=words(f"brief.{heading}", data.lang) if heading else "", alt=" / ".join(titles[:3]), png=encoded)


def map_caption(data: BriefData):
    """The map's caption: the provincial government's score and the boundaries' credit line."""
    from kepatuhan.geo import ATTRIBUTION, province_caption

    text = f"{province_caption(data.shown[data.shown['opd'] == ''], data.province, data.lang)} {ATTRIBUTION[data.lang]}"
    return shown("paragraphs", paragraphs=[text], small=True)
