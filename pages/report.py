"""Report: the funder's PDF, PowerPoint deck or HTML file, and the link to presentation mode."""
import streamlit as st

from analytics import reports
from analytics.reports import fmt
from analytics.ui import components as ui
from analytics.ui import report_view
from analytics.ui.state import as_of, db, selected_project

db()  # as every page: opens the database and makes sure dashboard.py frames this page
day = as_of()
project = selected_project()
if project is None:
    st.info("Choose a project in the sidebar.")
    st.stop()

data, sections = report_view.outline(project, day)
st.title(f"{ui.md_escape(project)} · Report")
st.caption(f"{ui.md_escape(data.title)} · grant agreement {ui.md_escape(data.grant_agreement or '–')} · as of {fmt.day(day)} · "
           f"data: {data.source.database}")
ui.sample_badge(data.sample_tables, where="this report")

left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader("Download")
    chosen = st.pills("Formats", list(reports.FORMATS), default=["pdf"], selection_mode="multi", key="report-formats",
                      format_func=lambda f: reports.FORMATS[f][2])
    if chosen:
        report_view.download_button(project, sorted(chosen, key=list(reports.FORMATS).index), day)
    else:
        st.caption("Pick at least one format.")
    st.caption("Every file carries the as-of date, the filters and the data source on each page"
               + (", and a visible sample-data mark." if data.has_sample else "."))

    st.subheader("Present")
    params = {"project": project, "as_of": day.isoformat(), "step": "1"}
    st.page_link("pages/present.py", label="Open presentation mode", icon=":material/slideshow:", query_params=params)
    st.caption("Full screen, no sidebar, one topic per step; ← and → move between steps. "
               "Link for the presenter (any step can be opened directly):")
    st.code(f"/present?project={project}&as_of={day.isoformat()}&step=1", language=None)

with right:
    st.subheader("Contents")
    for section in sections:
        st.markdown(f"**{ui.md_escape(section.title)}**  \n" + " · ".join(ui.md_escape(s.title) for s in section.slides))
    st.caption(f"{len(data.highlights)} highlights, {len(data.risks)} risks; "
               f"{sum(len(s.slides) for s in sections)} topics, {len(report_view.steps(sections))} slides in the deck.")

with st.expander("Filters used", icon=":material/filter_alt:"):
    st.markdown("\n".join(f"- **{ui.md_escape(k)}**: {ui.md_escape(v)}" for k, v in data.filters.items()))
