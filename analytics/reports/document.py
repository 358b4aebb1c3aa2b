"""The report as one HTML document (Jinja2 templates): the source of the PDF and the HTML file.

Charts are passed in already rendered (an <img> of a kaleido image for the PDF, a plotly <div> for
the HTML file), so the document knows nothing about how a chart became markup.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from analytics.charts import STATUS_COLOURS
from analytics.reports import emblem, fmt
from analytics.reports.blocks import Block, Chart, Section
from analytics.reports.models import ReportData


FONT = '"Liberation Sans", Arial, "DejaVu Sans", sans-serif'  # Arial's metrics; Debian ships it


def _css_string(text: str) -> Markup:
    """A CSS string literal (for @page margin boxes): quotes and backslashes escaped."""
    return Markup('"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"')


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("analytics.reports", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters["css_string"] = _css_string
    env.filters["chart_id"] = id
    env.globals["colours"] = STATUS_COLOURS
    return env


def _css(name: str) -> str:
    return resources.files("analytics.reports").joinpath(f"templates/{name}").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The document's CSS: the page (report.css) and the blocks (blocks.css)."""
    return _css("report.css") + "\n" + _css("blocks.css")


@lru_cache(maxsize=1)
def block_stylesheet() -> str:
    """Only the blocks' CSS, scoped for embedding in a page that has its own (the presenter)."""
    return _css("blocks.css") + "\n" + _css("present.css")


def charts_in(sections: list[Section]) -> list[Chart]:
    """Every chart block, in reading order."""
    return [b for s in sections for slide in s.slides for b in slide.blocks if isinstance(b, Chart)]


def footer(r: ReportData) -> str:
    """Stamped on every page: what, when, from where, and whether sample rows are in it."""
    ga = f"GA {r.grant_agreement} · " if r.grant_agreement else ""
    sample = " · contains sample data" if r.has_sample else ""
    return f"{r.project_id} · {ga}as of {fmt.day(r.as_of)} · data: {r.source.database}{sample}"


def render(r: ReportData, sections: list[Section], *, mode: str, charts: dict[int, Markup],
           plotly_js: str | None = None) -> str:
    return environment().get_template("report.html.j2").render(
        r=r, sections=sections, mode=mode, charts=charts, plotly_js=Markup(plotly_js) if plotly_js else None,
        css=Markup(stylesheet()), flag=Markup(emblem.flag_svg(34)), as_of=fmt.day(r.as_of),
        header_left=f"{r.project_id}: {r.title}", footer_left=footer(r), font=Markup(FONT),
    )


def block_html(block: Block, chart: Markup | None = None) -> str:
    """One block as HTML (the presentation page shows tables, metrics and bullets this way)."""
    macros = environment().get_template("blocks.html.j2").module
    return str(macros.block(block, {id(block): chart} if chart is not None else {}))
