"""Deliverables: deliverables and milestones by project month, late ones, and what is due next."""
import streamlit as st

from analytics import charts_participation as charts
from analytics import deliverables, sample
from analytics.projects import project_month
from analytics.ui import components as ui
from analytics.ui.project_page import chosen_project
from analytics.ui.state import as_of, db

con = db()
day = as_of()
project, info = chosen_project(con)
start, end = info["start_date"].date(), info["end_date"].date()
month, months = project_month(start, day), project_month(start, end)
when = ("before the project start" if month is None else "after the project end" if day > end
        else f"project month M{month} of M{months}")
st.title(f"{ui.md_escape(project)} · Deliverables")
st.caption(f"{ui.md_escape(info['title'])} · as of {day:%d %B %Y}, {when} · status as on the Funding & Tenders Portal")
ui.sample_badge({t: n for t, n in sample.sample_counts(con, project).items() if t == "deliverables"},
                where="the deliverables page")

plan = deliverables.schedule(con, [project], day)
if plan.empty:
    st.info(f"{ui.md_escape(project)} has no deliverables or milestones yet.")
    st.stop()

n = deliverables.counts(con, [project], day)
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Submitted on time", n["on_time"], f"of {n['total']}", delta_color="off", delta_arrow="off", border=True)
c2.metric("Submitted late", n["late"], f"{n['missing_justification']} without justification",
          delta_color="orange" if n["missing_justification"] else "off", delta_arrow="off", border=True)
c3.metric("Overdue", n["overdue"], "past the due date", delta_color="red" if n["overdue"] else "off",
          delta_arrow="off", border=True)
c4.metric(f"Due in the next {deliverables.DUE_SOON_DAYS} days", n["due_soon"], border=True)
c5.metric("Upcoming", n["upcoming"], border=True)

for item in deliverables.attention_items(con, [project], day).itertuples():
    st.warning(ui.md_escape(item.what), icon=":material/warning:")

st.subheader(f"Due in the next {deliverables.DUE_SOON_DAYS} days")
soon = deliverables.due_soon(con, [project], day)
if soon.empty:
    st.caption(f"Nothing falls due between {day:%d.%m.%Y} and the {deliverables.DUE_SOON_DAYS} days after it.")
else:
    st.dataframe(soon[["code", "title", "kind", "due_month", "due_on", "days_to_due", "portal_status"]],
                 hide_index=True, width="stretch", column_config={
                     "code": st.column_config.TextColumn("Code"),
                     "title": st.column_config.TextColumn("Title", width="large"),
                     "kind": st.column_config.TextColumn("Kind"),
                     "due_month": st.column_config.NumberColumn("Month", format="M%d"),
                     "due_on": st.column_config.DateColumn("Due", format="DD.MM.YYYY"),
                     "days_to_due": st.column_config.NumberColumn("Days left"),
                     "portal_status": st.column_config.TextColumn("Portal status"),
                 })

st.plotly_chart(charts.deliverables_timeline(plan, start=start, end=end, as_of=day,
                                             due_soon_days=deliverables.DUE_SOON_DAYS), width="stretch")

st.subheader("By project month")
st.dataframe(
    plan[["due_month", "due_on", "code", "title", "work_package", "kind", "portal_status", "timing_label",
          "submitted_on", "days_late", "late_justification", "is_sample"]],
    hide_index=True, width="stretch",
    column_config={
        "due_month": st.column_config.NumberColumn("Month", format="M%d"),
        "due_on": st.column_config.DateColumn("Due", format="DD.MM.YYYY"),
        "code": st.column_config.TextColumn("Code"),
        "title": st.column_config.TextColumn("Title", width="medium"),
        "kind": st.column_config.TextColumn("Kind"),
        "work_package": st.column_config.TextColumn("WP"),
        "portal_status": st.column_config.TextColumn("Portal status"),
        "timing_label": st.column_config.TextColumn("Timing"),
        "submitted_on": st.column_config.DateColumn("Submitted", format="DD.MM.YYYY"),
        "days_late": st.column_config.NumberColumn("Days late"),
        "late_justification": st.column_config.TextColumn("Justification", width="medium"),
        "is_sample": st.column_config.CheckboxColumn("Sample"),
    },
)
ui.formulas(deliverables.FORMULAS)
