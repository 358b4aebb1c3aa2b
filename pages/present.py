"""Presentation mode: full screen, no sidebar or editing controls, one topic per step.

Everything it shows comes from the URL (project, as_of, step), so a presenter can open any step
directly; ← and → (or the buttons) move between steps.
"""
import html
from datetime import date

import streamlit as st

from analytics.errors import ClusterBoardError
from analytics.reports import fmt
from analytics.reports.blocks import Metrics
from analytics.ui import components as ui
from analytics.ui import report_view
from analytics.ui.state import as_of, db, selected_project

# No sidebar (layout skips it for this page), no app header: the slide is the whole screen.
st.html("""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 1.2rem; max-width: 1500px; }
h1 { font-size: 2.6rem !important; }
</style>""")

db()  # as every page: opens the database and makes sure dashboard.py frames this page
params = st.query_params
project = params.get("project") or selected_project()
if not project:
    raise ClusterBoardError("no project: open presentation mode from the Report page, or add ?project=ACRONYM to the link")
try:
    day = date.fromisoformat(params["as_of"]) if params.get("as_of") else as_of()
except ValueError:
    raise ClusterBoardError(f"as_of={params.get('as_of')!r} in the link is not a date in the form YYYY-MM-DD") from None

data, sections = report_view.outline(project, day)
slides = report_view.steps(sections)
try:
    step = min(max(int(params.get("step", 1)), 1), len(slides))
except ValueError:
    step = 1


def go_to(n: int) -> None:
    # Only the step: project and as_of stay as the link (or the sidebar's binding) set them.
    st.query_params["step"] = str(n)


go_to(step)  # the URL always names the step on screen, so it can be copied
slide = slides[step - 1]

top, back, forward, leave = st.columns([7, 1.5, 1.3, 1], vertical_alignment="center")
top.caption(f"**{ui.md_escape(project)}** · as of {fmt.day(day)} · step {step} of {len(slides)}"
            + (" · :orange-badge[:material/science: Sample data]" if slide.sample else ""))
back.button("Previous", icon=":material/arrow_back:", shortcut="Left", disabled=step == 1, on_click=go_to,
            args=(step - 1,), key="present-previous", width="stretch")
forward.button("Next", icon=":material/arrow_forward:", shortcut="Right", disabled=step == len(slides), on_click=go_to,
               args=(step + 1,), key="present-next", width="stretch")
leave.page_link("pages/report.py", label="Exit", icon=":material/close:",
                query_params={"project": project, "as_of": day.isoformat()})

if step == 1:  # the cover: the funder's acknowledgement and, where it applies, the sample-data notice
    st.html(report_view.cover_banner(data))
st.title(ui.md_escape(slide.title))  # titles quote project titles and KPI names
if slide.subtitle:
    st.markdown(f"<p style='font-size:1.3rem;color:#7b8794;margin-top:-0.8rem'>{html.escape(slide.subtitle)}</p>",
                unsafe_allow_html=True)  # raw HTML: the subtitle must be escaped as HTML

blocks = list(slide.blocks)
if len(blocks) > 1 and isinstance(blocks[0], Metrics):
    report_view.show_block(blocks.pop(0), large=True)
columns = st.columns([1.4 if b.kind == "chart" else 1 for b in blocks], gap="large") if len(blocks) > 1 else [st.container()]
for column, block in zip(columns, blocks):
    with column:
        report_view.show_block(block, large=True)
if slide.notes:
    st.caption(ui.md_escape(slide.notes))
