"""HTML: one self-contained file, plotly.js inlined once, every chart interactive."""
from __future__ import annotations

from functools import lru_cache

import plotly.io as pio
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from analytics.reports import document
from analytics.reports.blocks import Section
from analytics.reports.models import ReportData

PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


@lru_cache(maxsize=1)
def _plotly_js() -> str:
    return get_plotlyjs()


def render(r: ReportData, sections: list[Section]) -> bytes:
    markup = {
        id(c): Markup(pio.to_html(c.figure, include_plotlyjs=False, full_html=False, config=PLOTLY_CONFIG,
                                  default_width="100%"))
        for c in document.charts_in(sections)
    }
    return document.render(r, sections, mode="html", charts=markup, plotly_js=_plotly_js()).encode("utf-8")
