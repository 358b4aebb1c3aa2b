"""Funder-facing output: a PDF report, an editable PowerPoint deck and a self-contained HTML file.

    build(con, project_id, fmt, as_of=...) -> bytes

One path for every format: ReportData (assemble) -> sections of blocks (outline) -> a renderer.
The presentation page shows the same outline, one slide per step.
"""
from __future__ import annotations

from datetime import date

import duckdb

from analytics.errors import ClusterBoardError
from analytics.reports.assemble import report_data
from analytics.reports.blocks import Section
from analytics.reports.models import ReportData
from analytics.reports.outline import outline

# format -> (MIME type, file extension, what it is)
FORMATS = {
    "pdf": ("application/pdf", "pdf", "PDF report"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx",
             "PowerPoint deck (editable charts)"),
    "html": ("text/html", "html", "HTML report (interactive charts)"),
}


def file_name(project_id: str, fmt: str, as_of: date) -> str:
    return f"{project_id}-report-{as_of.isoformat()}.{FORMATS[fmt][1]}"


def render(report: ReportData, fmt: str, sections: list[Section] | None = None) -> bytes:
    if fmt not in FORMATS:
        raise ClusterBoardError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sections = sections if sections is not None else outline(report)
    if fmt == "pdf":
        from analytics.reports import pdf as renderer
    elif fmt == "pptx":
        from analytics.reports import deck as renderer
    else:
        from analytics.reports import html as renderer
    return renderer.render(report, sections)


def build(con: duckdb.DuckDBPyConnection, project_id: str, fmt: str, *, as_of: date) -> bytes:
    """The report of a project at the as-of date as a file's bytes (UnknownProject if none)."""
    if fmt not in FORMATS:
        raise ClusterBoardError(f"unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return render(report_data(con, project_id, as_of), fmt)


__all__ = ["FORMATS", "build", "file_name", "outline", "render", "report_data", "ReportData"]
