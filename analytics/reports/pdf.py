"""PDF: the report document printed by WeasyPrint, charts as vector SVG from kaleido."""
from __future__ import annotations

import base64

from markupsafe import Markup

from analytics.reports import document, images
from analytics.reports.blocks import Section
from analytics.reports.models import ReportData

# CSS pixels (1/96 in): the A4 text block (210 mm - 2 x 15 mm), and the chart beside the key
# figures in the burn-up section (68 % of it; report.html.j2 and report.css lay it out).
FULL_WIDTH = 680
SIDE = (462, 240)
SIDE_SECTIONS = {"burnup"}
IMAGE_FORMAT = "png"
MIME = {"png": "png", "jpeg": "jpeg", "svg": "svg+xml"}


def _sizes(sections: list[Section]) -> list[tuple[int, int]]:
    sizes = []
    for s in sections:
        for slide in s.slides:
            for b in slide.blocks:
                if b.kind == "chart":
                    height = b.figure.layout.height or 360
                    sizes.append(SIDE if s.key in SIDE_SECTIONS else (FULL_WIDTH, height))
    return sizes


def render(r: ReportData, sections: list[Section]) -> bytes:
    import weasyprint  # late: loading pango is only worth it when a PDF is asked for

    charts = document.charts_in(sections)
    rendered = images.render([c.figure for c in charts], fmt=IMAGE_FORMAT, sizes=_sizes(sections))
    markup = {
        id(c): Markup(f'<img alt="chart" src="data:image/{MIME[IMAGE_FORMAT]};base64,{base64.b64encode(data).decode()}">')
        for c, data in zip(charts, rendered)
    }
    html = document.render(r, sections, mode="pdf", charts=markup)
    return weasyprint.HTML(string=html).write_pdf()
