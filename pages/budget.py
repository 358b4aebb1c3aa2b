"""Budget: planned against spent by category and partner, burn index over time, projection."""
import streamlit as st

from analytics import budget, charts, sample
from analytics.projects import project_info
from analytics.settings import BurnThresholds
from analytics.ui import components as ui
from analytics.ui.state import as_of, db, selected_project

con = db()
day = as_of()
project = selected_project()
if project is None:
    st.info("Choose a project in the sidebar.")
    st.stop()

info = project_info(con, project)
thresholds = BurnThresholds()
st.title(f"{ui.md_escape(project)} · Budget")
st.caption(f"{ui.md_escape(info['title'])} · EU rate {info['eu_rate']:.0%} · indirect costs {info['indirect_rate']:.0%} flat · as of {day:%d %B %Y}")
ui.sample_badge({k: v for k, v in sample.sample_counts(con, project).items() if k in ("budget_lines", "expenses")},
                where="the budget page")

view = budget.project_budget(con, project, day, thresholds)
s = view.summary
if not s["planned_matches_total"]:
    st.warning(f"The budget lines add up to {ui.eur(s['planned'])}, not the project's total budget "
               f"of {ui.eur(s['total_budget'])}.", icon=":material/warning:")
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Budget", ui.eur(s["planned"]), border=True)
c2.metric("Spent", ui.eur(s["spent"]), f"{ui.percent(s['spent_share'], 1)} of budget", delta_color="off", delta_arrow="off", border=True)
c3.metric("Burn index", "–" if s["burn_index"] is None else f"{s['burn_index']:.2f}", s["burn_flag"],
          delta_color={"in line": "green", "under-spending": "orange", "over-spending": "red"}.get(s["burn_flag"], "gray"),
          delta_arrow="off", border=True, help=f"Time elapsed {ui.percent(s['elapsed_share'], 1)}; flagged below {thresholds.low} or above {thresholds.high}.")
c4.metric("Projected at end", ui.eur(s["projected_spend"]), border=True, help="Spent so far ÷ share of time elapsed.")
c5.metric("EU contribution", ui.eur(s["eu_contribution"]), f"at {info['eu_rate']:.0%}, FSTP at 100 %", delta_color="off", delta_arrow="off", border=True)

left, right = st.columns(2)
left.plotly_chart(charts.planned_vs_spent(view.by_category, dimension="category", title="By cost category"), width="stretch")
right.plotly_chart(charts.planned_vs_spent(view.by_partner, dimension="partner", title="By partner"), width="stretch")

series = view.burn_series
if series.empty:
    st.info("The project has not started on this date.")
else:
    left, right = st.columns(2)
    left.plotly_chart(charts.burn_over_time(series, low=thresholds.low, high=thresholds.high,
                                            projected=s["projected_spend"] if day < info["end_date"].date() else None,
                                            planned_total=s["planned"], end=info["end_date"].date()), width="stretch")
    right.plotly_chart(charts.burn_index_line(series, low=thresholds.low, high=thresholds.high), width="stretch")

st.subheader("Planned and spent by partner and category")
st.dataframe(view.breakdown[["partner", "category", "category_name", "planned", "spent"]],
             hide_index=True, width="stretch",
             column_config={"partner": st.column_config.TextColumn("Partner"),
                            "category": st.column_config.TextColumn("Category"),
                            "planned": st.column_config.NumberColumn("Planned (EUR)", format="€%,.2f"),
                            "spent": st.column_config.NumberColumn("Spent (EUR)", format="€%,.2f"),
                            "category_name": st.column_config.TextColumn("EU cost category")})
ui.formulas(budget.FORMULAS)
