"""Project KPIs: a card per KPI, burn-up charts, per-partner breakdown and check-in history."""
import streamlit as st

from analytics import charts, kpis, sample
from analytics.measures import MEASURES
from analytics.projects import project_info, project_month
from analytics.ui import components as ui
from analytics.ui.state import as_of, db, selected_project

con = db()
day = as_of()
project = selected_project()
if project is None:
    st.info("Choose a project in the sidebar.")
    st.stop()

info = project_info(con, project)
st.title(f"{ui.md_escape(project)} · KPIs")
month = project_month(info["start_date"].date(), day)
when = ("before the project start" if month is None
        else f"project month M{month} of {int(round((info['end_date'] - info['start_date']).days / 30.4375))}"
        if day <= info["end_date"].date() else f"after the project end ({info['end_date']:%d.%m.%Y}): final figures")
st.caption(f"{ui.md_escape(info['title'])} · grant agreement {ui.md_escape(info['grant_agreement'] or '–')} · as of {day:%d %B %Y}, {when}")
ui.sample_badge(sample.sample_counts(con, project), where=f"{project}'s pages")

view = kpis.project_kpis(con, project, day)
table = view.table
if table.empty:
    st.info(f"{ui.md_escape(project)} has no KPIs yet. Add them on the Data page.")
    st.stop()
if table["is_placeholder"].any():
    st.info("KPIs marked **Placeholder target** have no target agreed with the funder yet; their status is "
            "measured against the placeholder and is not a reported fact.", icon=":material/info:")

rows = table.to_dict("records")
for start in range(0, len(rows), 3):
    for col, row in zip(st.columns(3), rows[start:start + 3]):
        with col:
            ui.kpi_card(row)

st.subheader("Progress over time")
series = view.series
for start in range(0, len(rows), 2):
    for col, row in zip(st.columns(2), rows[start:start + 2]):
        with col:
            st.plotly_chart(charts.burnup(series[series["code"] == row["code"]], row, as_of=day),
                            width="stretch", key=f"burnup-{row['code']}")

left, right = st.columns(2)
with left:
    st.subheader("By partner")
    breakdown = kpis.partner_breakdown(con, project, day)
    if breakdown.empty:
        st.caption("No partner-level records yet.")
    else:
        pivot = breakdown.pivot_table(index="partner", columns="code", values="value", fill_value=0)
        pivot.index.name = "Partner"
        st.dataframe(pivot, width="stretch", column_config={c: st.column_config.NumberColumn(c, format="%,.0f") for c in pivot.columns})
        st.caption("Distinct counts are distinct within each partner, so partners can add up to more than the total.")
with right:
    st.subheader("Check-ins")
    history = kpis.checkin_history(con, project, day)
    if history.empty:
        st.caption("No check-ins on or before this date.")
    else:
        st.dataframe(history.drop(columns=["kpi", "is_sample"]).assign(confidence=lambda d: d["confidence"].map(ui.CONFIDENCE_LABELS)),
                     hide_index=True, width="stretch",
                     column_config={"code": st.column_config.TextColumn("KPI"),
                                    "checked_on": st.column_config.DateColumn("Date", format="DD.MM.YYYY"),
                                    "value": st.column_config.NumberColumn("Value", format="%g"),
                                    "confidence": st.column_config.TextColumn("Owner's confidence"),
                                    "note": st.column_config.TextColumn("Note", width="large"),
                                    "evidence_url": st.column_config.LinkColumn("Evidence"),
                                    "author": st.column_config.TextColumn("By")})

with st.expander("What each KPI counts", icon=":material/help:"):
    for row in rows:
        source = f" Source: {ui.md_escape(row['source'])}." if isinstance(row.get("source"), str) else ""
        st.markdown(f"**{ui.md_escape(row['code'])}** ({MEASURES[row['measure']].title}): {MEASURES[row['measure']].explanation}{source}")
ui.formulas(kpis.formulas())
