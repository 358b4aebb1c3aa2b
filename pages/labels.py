"""Labels: each cluster's Cluster Management Excellence labels, lapses and the upgrades still possible."""
import streamlit as st

from analytics import charts_participation as charts
from analytics import labels, sample
from analytics.ui import components as ui
from analytics.ui.project_page import chosen_project
from analytics.ui.state import as_of, db

con = db()
day = as_of()
project, info = chosen_project(con)
start, end = info["start_date"].date(), info["end_date"].date()
st.title(f"{ui.md_escape(project)} · Labels")
st.caption(f"{ui.md_escape(info['title'])} · project {start:%d.%m.%Y} to {end:%d.%m.%Y} · as of {day:%d %B %Y}")
ui.sample_badge(sample.sample_labels(con, project), where="the labels page")

status = labels.cluster_status(con, project, day)
if status.empty:
    st.info(f"{ui.md_escape(project)} has no partner clusters and no labels on record.")
    st.stop()

summary = labels.summary(con, project, day)
c1, c2, c3 = st.columns(3)
c1.metric("Clusters holding a valid label", f"{summary['valid']} of {summary['clusters']}", border=True,
          help="Valid on the as-of date: assessed on or before it and valid until on or after it.")
c2.metric("Lapsed or lapsing before the end", summary["lapsing"], border=True,
          delta="needs a renewal" if summary["lapsing"] else None, delta_color="orange", delta_arrow="off")
c3.metric("Upgrades still reachable", summary["upgradable"], border=True,
          help="Next level up whose earliest date is on or before the project end.")

for item in labels.attention_items(con, project, day).itertuples():
    st.warning(ui.md_escape(item.what), icon=":material/warning:")

kpi_rows = labels.label_kpis(con, project, day).to_dict("records")
if kpi_rows:
    st.subheader("Labels KPI")
    for col, row in zip(st.columns(3), kpi_rows):
        with col:
            ui.kpi_card(row)
else:
    st.caption(f"{ui.md_escape(project)} has no labels KPI; the labels below are shown for information.")

history = labels.history(con, project, day)
st.plotly_chart(charts.label_timeline(history, clusters=status["organisation"].tolist(), start=start, end=end,
                                      as_of=day), width="stretch")

st.subheader("Each cluster on this date")
st.dataframe(
    status[["organisation", "country", "state", "label", "label_valid_until", "held_until", "lapse_on",
            "lapses_before_end", "next_level", "earliest_upgrade_on", "upgrade_reachable", "upgrade_note"]],
    hide_index=True, width="stretch",
    column_config={
        "organisation": st.column_config.TextColumn("Cluster"),
        "country": st.column_config.TextColumn("Country"),
        "state": st.column_config.TextColumn("State", help="valid, lapsed (had a label, none valid now) or none"),
        "label": st.column_config.TextColumn("Label"),
        "label_valid_until": st.column_config.DateColumn("Label valid until", format="DD.MM.YYYY"),
        "held_until": st.column_config.DateColumn("Holds a label until", format="DD.MM.YYYY"),
        "lapse_on": st.column_config.DateColumn("Lapses on", format="DD.MM.YYYY"),
        "lapses_before_end": st.column_config.CheckboxColumn("Lapses before the end"),
        "next_level": st.column_config.TextColumn("Next level"),
        "earliest_upgrade_on": st.column_config.DateColumn("Earliest", format="DD.MM.YYYY"),
        "upgrade_reachable": st.column_config.CheckboxColumn("Reachable before the end"),
        "upgrade_note": st.column_config.TextColumn("Why", width="large"),
    },
)

st.subheader("Label history")
if history.empty:
    st.caption("No labels assessed on or before this date.")
else:
    st.dataframe(history.drop(columns=["rank"]), hide_index=True, width="stretch", column_config={
        "organisation": st.column_config.TextColumn("Cluster"),
        "country": st.column_config.TextColumn("Country"),
        "level": st.column_config.TextColumn("Level"),
        "state": st.column_config.TextColumn("On the as-of date"),
        "source": st.column_config.TextColumn("Source", width="large"),
        "assessed_on": st.column_config.DateColumn("Assessed", format="DD.MM.YYYY"),
        "valid_until": st.column_config.DateColumn("Valid until", format="DD.MM.YYYY"),
        "score_pct": st.column_config.NumberColumn("Score", format="%.0f %%"),
        "is_sample": st.column_config.CheckboxColumn("Sample"),
    })
ui.formulas(labels.RULES, title="The label ladder and how it is applied")
