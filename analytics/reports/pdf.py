"""PDF: the report document printed by WeasyPrint, charts as images from kaleido.

Chart images are JPEG at twice the printed resolution: WeasyPrint embeds JPEG as it is, while it
decodes and re-compresses every PNG (a second of a report's build). They reach WeasyPrint through
its URL fetcher rather than as data: URIs, which it would scan as megabytes of text; the fetcher
serves nothing else, so building a report never fetches anything from outside.
"""
from __future__ import annotations

from markupsafe import Markup

from analytics.reports import document, images
from analytics.reports.blocks import Section
from analytics.reports.models import ReportData

# CSS pixels (1/96 in): the A4 text block (210 mm - 2 x 15 mm), and the chart beside the key
# figures in the burn-up section (68 % of it; report.html.j2 and report.css lay it out).
FULL_WIDTH = 680
SIDE = (462, 240)
SIDE_SECTIONS = {"burnup"}
IMAGE_FORMAT = "jpeg"
SCHEME = "chart:"


def _sizes(sections: list[Section]) -> list[tuple[int, int]]:
    sizes = []
    for s in sections:
        for slide in s.slides:
            for b in slide.blocks:
                if b.kind == "chart":
                    height = b.figure.layout.height or 360
                    sizes.append(SIDE if s.key in SIDE_SECTIONS else (FULL_WIDTH, height))
    return sizes


def _fetcher(rendered: list[bytes]):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartFetcher(URLFetcher):
        """Serves the report's own chart images and refuses every other URL."""

        def fetch(self, url, headers=None):
            if not url.startswith(SCHEME):
                raise ValueError(f"the report refers to {url!r}; it may only use its own charts")
            return URLFetcherResponse(url, rendered[int(url[len(SCHEME):])],
                                      headers={"Content-Type": f"image/{IMAGE_FORMAT}"})

    return ChartFetcher(fail_on_errors=True)


def render(r: ReportData, sections: list[Section]) -> bytes:
    import weasyprint  # late: loading pango is only worth it when a PDF is asked for

    charts = document.charts_in(sections)
    rendered = images.render([c.figure for c in charts], fmt=IMAGE_FORMAT, sizes=_sizes(sections))
    markup = {id(c): Markup(f'<img alt="chart" src="{SCHEME}{n}">') for n, c in enumerate(charts)}
    html = document.render(r, sections, mode="pdf", charts=markup)
    return weasyprint.HTML(string=html, url_fetcher=_fetcher(rendered)).write_pdf()
