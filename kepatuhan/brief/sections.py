"""The parts of a brief page: what a reader at a regional office needs in two minutes.

The brief notebooks get a :class:`~kepatuhan.brief.data.BriefData` once, then call one function here
per part of the page; each returns an HTML fragment (escaped, from :mod:`kepatuhan.brief.html`) for the
cell to display. The sentences come from :mod:`kepatuhan.brief.headline`, the table rows from
:mod:`kepatuhan.brief.tables`, every word from the wording files.
"""

from __future__ import annotations

import base64
from datetime import date

from kepatuhan import catalog
from kepatuhan.brief import headline, tables
from kepatuhan.brief.data import BriefData
from kepatuhan.brief.html import safe_url, shown
from kepatuhan.brief.wording import unit_name, words
from kepatuhan.reading.set_aside import aside_behind
from kepatuhan.schema import sources_of
from kepatuhan.settings import VERSION


def heading(data: BriefData):
    """Title, the illustrative-data notice when needed, and the opening paragraph."""
    key = "brief.title_pemda" if data.pemda else "brief.title"
    n = int(data.shown["illustrative"].sum())
    notice = words("brief.illustrative", data.lang, n=n) if n else ""
    text = headline.pemda_headline(data) if data.pemda else headline.scope_headline(data)
    title = words(key, data.lang, year=data.year, pemda=data.pemda, scope=data.scope)
    return shown("heading", title=title, notice=notice, headline=text, running=running_footer(data, title))


def running_footer(data: BriefData, title: str) -> str:
    """The footer of every printed page: what the brief is, its source and the day it was made."""
    return words("brief.footer", data.lang, title=title, date=date.today().isoformat(), version=VERSION)


def links(data: BriefData, pemda_briefs: str = ""):
    """Where to go from a brief: the index of every brief, the workbook, the province brief (from a pemda
    brief), and the briefs of the pemda of this folder (``pemda_briefs``: their names, ';'-separated)."""
    suffix = catalog.suffix(data.lang)
    up = "../" * (3 if data.pemda else 2 if data.province else 1)
    found = [(words("brief.index", data.lang), f"../{up}index{suffix}.html")]
    if data.pemda:
        found.append((words("brief.back_to_province", data.lang, province=data.province), f"../brief{suffix}.html"))
    else:
        found.append(
            (words("brief.workbook_link", data.lang), catalog.relative("workbook", year=data.year, lang=data.lang))
        )
    names = [name for name in pemda_briefs.split(";") if name]
    pemda = [(name, catalog.relative("pemda_brief", slug=catalog.slugify(name), lang=data.lang)) for name in names]
    return shown(
        "links",
        links=found,
        pemda=pemda,
        pemda_heading=words("brief.pemda_briefs", data.lang),
        data_heading=words("brief.data_heading", data.lang),
        data=data_links(data),
    )


#: The tables a brief's folder holds, each with its CSV copy and Parquet file, by the word that names it.
FOLDER_TABLES = (
    ("workbook.comparisons", "comparisons"),
    ("workbook.watch_list", "watch_list"),
    ("brief.data_standing", "standing"),
    ("workbook.pemda_zones", "pemda_zone_distribution"),
    ("workbook.opd_zones", "zone_distribution"),
)


def data_links(data: BriefData) -> list[tuple[str, list[tuple[str, str]]]]:
    """The data behind a brief, as (what, [(format, link)]): the tables of its folder (CSV and Parquet), its
    executed notebooks and its manifest; a pemda brief also carries its own rows as a CSV in the page itself."""
    up = "../" if data.pemda else ""
    found = [
        (
            words(key, data.lang),
            [
                ("CSV", up + catalog.relative(name).removesuffix(".parquet") + ".csv"),
                ("Parquet", up + catalog.relative(name)),
            ],
        )
        for key, name in FOLDER_TABLES
    ]
    if data.pemda:
        rows = data.scores[data.scores["pemda"] == data.pemda]
        encoded = base64.b64encode(rows.to_csv(index=False).encode("utf-8")).decode("ascii")
        found.insert(
            0,
            (
                words("brief.data_pemda_rows", data.lang, pemda=data.pemda),
                [("CSV", f"data:text/csv;charset=utf-8;base64,{encoded}")],
            ),
        )
    notebooks = [
        ("brief", up + catalog.relative("brief_notebook", lang=data.lang)),
        ("02_declines", up + catalog.relative("declines_notebook")),
    ]
    return [
        *found,
        (words("brief.data_notebooks", data.lang), notebooks),
        (words("brief.data_manifest", data.lang), [("JSON", up + catalog.relative("manifest"))]),
    ]


def pemda_table(data: BriefData):
    """Every pemda of the brief's year: rank, score, grade, zone, previous score, change; then the averages."""
    columns, rows = tables.pemda_columns(data), tables.pemda_rows(data)
    marked = any(tables.DERIVED_MARK in str(cell) for row in rows for cell in row[-4:-2])
    provisional = marked and any(data.methods.provisional(m) for m in set(data.totals["method"]))
    unranked = any(row[0] == "" for row in rows)
    note = " ".join(
        filter(
            None,
            [
                words("brief.unranked", data.lang) if unranked else "",
                words("brief.derived_mark", data.lang) if marked else "",
                words("brief.provisional_mark", data.lang) if provisional else "",
                tables.disagreement_note(data),
            ],
        )
    )
    numeric = [0, columns.index(words("table.score", data.lang)), len(columns) - 1]
    return shown(
        "table",
        heading=words("brief.pemda_table", data.lang),
        columns=columns,
        rows=rows,
        summary=tables.average_rows(data),
        numeric=numeric,
        note=note,
    )


def section(key: str, data: BriefData):
    """A section heading of the brief."""
    return shown("section", heading=words(f"brief.{key}", data.lang))


def watch_table(data: BriefData, level: str = "pemda"):
    """The watch list of pemda totals (``level="pemda"``) or OPDs, worst first, complete or saying what is left out."""
    rows, note = tables.watch_rows(data, level)
    columns = tables.watch_columns(data)
    return shown(
        "table",
        heading=words(f"brief.watch_{level}", data.lang),
        columns=columns,
        rows=rows,
        summary=[],
        numeric=[0, 2],
        note=note,
    )


def method_note(data: BriefData):
    """The method of the year by name, its bands, whether it is provisional, and method changes crossed."""
    lang, rows = data.lang, data.shown
    if rows.empty:
        return shown("paragraphs", paragraphs=[], small=False)
    method = rows["method"].iloc[0]
    info = data.methods.info(method)
    texts = [
        words(
            "brief.method",
            lang,
            year=data.year,
            name=info["name_id" if lang == "id" else "name_en"],
            provisional=words("brief.provisional", lang) if data.methods.provisional(method) else "",
        )
    ]
    previous = sorted(set(data.comparisons["prev_method"]) - {"", method})
    if previous:
        texts.append(
            words(
                "brief.crosses",
                lang,
                prev=headline.method_names(previous, data),
                method=headline.method_names([method], data),
            )
        )
    elif data.comparisons["prev_year"].notna().any():
        texts.append(words("brief.same_method", lang))
    columns = [words(f"table.{k}", lang) for k in ("grade", "range", "zone", "label")]
    return shown("method", paragraphs=texts, heading="", columns=columns, rows=tables.band_rows(data, method), note="")


def sources(data: BriefData):
    """Every source of the rows shown (all years up to the brief's, each with its years), linked where it is a web
    address; rows whose file names no source are listed by that file, so that nothing shown is without its origin."""
    named, unnamed = data.scores[data.scores["source"] != ""], data.scores[data.scores["source"] == ""]
    named = named.assign(source=named["source"].map(sources_of)).explode("source")  # one item per source
    items = [(f"{source} ({years})", safe_url(source)) for source, years in years_by(named, "source").items()]
    items += [
        (words("brief.source_file_only", data.lang, file=file, years=years), "")
        for file, years in years_by(unnamed, "raw_file").items()
    ]
    fixes = [
        words(
            "brief.correction",
            data.lang,
            year=c.year,
            unit=unit_name(c.pemda, c.opd),
            column=words(f"column.{c.column}", data.lang),
            value=c.value,
            reason=c.reason,
        )
        + (f" ({c.source})" if c.source else "")
        for c in data.corrections.itertuples()
    ]
    colophon = words("brief.colophon", data.lang, year=data.year, date=date.today().isoformat(), version=VERSION)
    return shown(
        "sources",
        heading=words("brief.sources", data.lang),
        items=items,
        colophon=colophon,
        corrections_heading=words("brief.corrections", data.lang),
        corrections=fixes,
        set_aside_heading=words("brief.set_aside", data.lang),
        set_aside=set_aside_items(data),
    )


def set_aside_items(data: BriefData) -> list[str]:
    """The rows of the brief's files that a line of ``config/set_aside.csv`` set aside, each with its reason."""

    def where(entry) -> str:
        if entry.row is not None:
            return words("brief.set_aside_where_row", data.lang, row=entry.row) + (
                f" ({entry.name})" if entry.name else ""
            )
        return words("brief.set_aside_where_name", data.lang, name=entry.name)

    return [
        words("brief.set_aside_row", data.lang, file=e.file, where=where(e), reason=e.reason)
        for e in aside_behind(data.scores)
    ]


def years_by(rows, column: str) -> dict[str, str]:
    """The years of the rows for each value of ``column`` (a source, or the file of rows that name none), sorted."""
    years = rows.groupby(column)["year"].agg(lambda y: ", ".join(str(v) for v in sorted(set(y))))
    return {key: years[key] for key in sorted(years.index)}


def figure(fig, data: BriefData, name: str = "", heading: str = "", missing: str = "no_data"):
    """A chart embedded as PNG (its title as alternative text), saved as ``figures/<name>`` when ``out_dir`` is set
    (PNG, and SVG when the brief asks for it).

    ``fig`` None (nothing to draw) gives one sentence (``brief.<missing>``) instead of an empty chart, or
    nothing when ``missing`` is empty (what is missing is already said, e.g. by an empty watch list).
    """
    from kepatuhan.brief.charts import png_bytes, save_figure  # heavy

    title = words(f"brief.{heading}", data.lang) if heading else ""
    if fig is None:
        return shown(
            "figure",
            heading=title,
            png="",
            alt="",
            width=0,
            height=0,
            missing=words(f"brief.{missing}", data.lang) if missing else "",
        )
    png = png_bytes(fig)
    if name and data.out_dir:
        save_figure(fig, catalog.path("figures", data.out_dir, lang=data.lang), name, png=png, svg=data.svg)
    titles = [fig._suptitle.get_text()] if fig._suptitle else []
    titles += [ax.get_title() for ax in fig.axes if ax.get_title()]
    titles += [
        text.get_text().replace("\n", " ") for text in fig.texts
    ]  # a map's caption and credit, for screen readers
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    return shown(
        "figure",
        heading=title,
        alt=" / ".join(titles[:4]),
        png=base64.b64encode(png).decode("ascii"),
        width=width,
        height=height,
        missing="",
    )
