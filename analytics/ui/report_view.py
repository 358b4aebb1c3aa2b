"""The Report and Presentation pages' Streamlit side: the cached outline, blocks, downloads.

The outline is cached for a minute per database, project and date: the presenter reruns on every
step and must not recompute the report each time; a minute-old report is acceptable on a screen,
and a downloaded file is always built afresh.
"""
from __future__ import annotations

import html
import io
import zipfile
from datetime import date

import plotly.graph_objects as go
import streamlit as st

from analytics import reports, settings
from analytics.errors import ClusterBoardError
from analytics.reports import document, emblem
from analytics.reports.blocks import Block, Chart, Section, Slide
from analytics.reports.deck import deck_slides
from analytics.reports.models import ReportData
from analytics.ui.state import connection
from analytics.ui.session import current_actor


@st.cache_data(ttl=60, max_entries=16, show_spinner="Preparing the report…")
def _outline(db_path: str, project: str, as_of: date) -> tuple[ReportData, list[Section]]:
    data = reports.report_data(connection(), project, as_of)
    return data, reports.outline(data)


def outline(project: str, as_of: date) -> tuple[ReportData, list[Section]]:
    if not current_actor().sees(project):
        raise ClusterBoardError(f"project {project!r} is not one of yours")
    return _outline(str(settings.db_path()), project, as_of)


def steps(sections: list[Section]) -> list[Slide]:
    """The presentation's steps: the deck's slides, in the deck's order."""
    return [slide for _, slide in deck_slides(sections)]


def show_block(block: Block, *, large: bool = False) -> None:
    """A block on the page: charts as interactive plotly, the rest as the report's own HTML."""
    if isinstance(block, Chart):
        fig = go.Figure(block.figure)  # a copy: the cached figure stays as the report has it
        if large:
            fig.update_layout(font_size=18, height=560, legend_font_size=18)
        # theme=None: the report's template, exactly as printed.
        st.plotly_chart(fig, width="stretch", theme=None, config={"displaylogo": False})
        return
    st.html(f"<style>{document.block_stylesheet()}</style>"
            f"<div class='cb-present'>{document.block_html(block)}</div>")


def cover_banner(data: ReportData) -> str:
    """The EU flag with 'Funded by the European Union', and the sample-data notice."""
    sample = (f"<div style='margin-top:0.8rem;padding:0.6rem 0.9rem;border:1.5px solid #b45309;background:#fff7ed;"
              f"color:#7c2d12;border-radius:4px;font-size:1.05rem'>{html.escape(data.sample_note)}</div>"
              if data.has_sample else "")
    return (f"<div style='display:flex;align-items:center;gap:0.8rem;color:{emblem.BLUE};font-weight:bold;"
            f"font-size:1.1rem'>{emblem.flag_svg(44)}<span>{emblem.ACKNOWLEDGEMENT_TITLE}</span></div>{sample}")


def _file(con, project: str, formats: list[str], as_of: date, failures: dict) -> bytes:
    """The chosen formats: one file, or a ZIP of several. Runs in Streamlit's download thread."""
    try:
        cursor = con.cursor()  # this thread's own handle on the shared database
        report = reports.report_data(cursor, project, as_of)
        if len(formats) == 1:
            return reports.render(report, formats[0])
        sections = reports.outline(report)
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for fmt in formats:
                z.writestr(reports.file_name(project, fmt, as_of), reports.render(report, fmt, sections))
        return out.getvalue()
    except ClusterBoardError as exc:
        # The download fails with Streamlit's generic message; the reason is shown on the rerun.
        failures["message"] = str(exc)
        raise


def download_button(project: str, formats: list[str], as_of: date) -> None:
    """One click builds the chosen formats and downloads them (the file is built on the click only)."""
    failures = st.session_state.setdefault("report_failures", {})
    if failures.get("message"):
        st.error(f"The last report could not be built: {failures.pop('message')}", icon=":material/error:")
    if len(formats) == 1:
        fmt = formats[0]
        mime, _, what = reports.FORMATS[fmt]
        name, label = reports.file_name(project, fmt, as_of), f"Download the {what}"
    else:
        mime, name = "application/zip", f"{project}-report-{as_of.isoformat()}.zip"
        label = f"Download {', '.join(f.upper() for f in formats)} (ZIP)"
    st.download_button(label, data=lambda: _file(connection(), project, formats, as_of, failures), file_name=name,
                       mime=mime, type="primary", icon=":material/download:", on_click="ignore", key="report-download")
