"""Portfolio: every project at a glance: KPI status matrix, budget burn, time elapsed."""
from contextlib import closing

import streamlit as st

from analytics import attention, charts, portfolio, sample
from analytics.projects import project_ids
from analytics.ui.session import current_actor
from analytics.kpis import formulas as kpi_formulas
from analytics.kpis import STATUS_LABELS
from analytics.budget import FORMULAS as BUDGET_FORMULAS
from analytics.ui import components as ui
from analytics.ui.state import as_of, connection, db

con = db()
day = as_of()
st.title("Portfolio")
st.caption(f"All projects as of {day:%d %B %Y}")
ui.sample_badge(sample.project_tables_only(sample.sample_counts(con)), where="the portfolio")

mine = current_actor().visible(project_ids(con))
overview = portfolio.overview(con, day, project_ids=mine)
if overview.empty:
    st.info("No projects yet.")
    st.stop()

focus = portfolio.matrix_focus(overview)
matrix = portfolio.kpi_matrix(con, day, project_ids=focus)
st.plotly_chart(charts.status_matrix(matrix), width="stretch")
if len(focus) < len(overview):
    st.caption(f"The {len(focus)} of {len(overview):,} projects with the most KPIs overdue or off track, then at "
               "risk; the table below lists every project.")

rows = overview.assign(
    status=lambda d: d.apply(
        lambda r: ", ".join(f"{r[s]} {STATUS_LABELS[s].lower()}" for s in STATUS_LABELS if r[s]), axis=1),
)
st.dataframe(
    rows[["project_id", "title", "start_date", "end_date", "elapsed_share", "kpis", "status",
          "planned", "spent", "spent_share", "burn_index", "burn_flag", "is_sample"]],
    hide_index=True,
    width="stretch",
    column_config={
        "project_id": st.column_config.TextColumn("Project"),
        "title": st.column_config.TextColumn("Title", width="medium"),
        "start_date": st.column_config.DateColumn("Start", format="DD.MM.YYYY"),
        "end_date": st.column_config.DateColumn("End", format="DD.MM.YYYY"),
        "elapsed_share": st.column_config.ProgressColumn("Time elapsed", format="percent", min_value=0, max_value=1),
        "kpis": st.column_config.NumberColumn("KPIs"),
        "status": st.column_config.TextColumn("KPI status", width="medium"),
        "planned": st.column_config.NumberColumn("Budget (EUR)", format="€%,.0f"),
        "spent": st.column_config.NumberColumn("Spent (EUR)", format="€%,.0f"),
        "spent_share": st.column_config.ProgressColumn("Spent", format="percent", min_value=0, max_value=1),
        "burn_index": st.column_config.NumberColumn("Burn index", format="%.2f"),
        "burn_flag": st.column_config.TextColumn("Burn"),
        "is_sample": st.column_config.CheckboxColumn("Sample project"),
    },
)

st.subheader("Needs attention")
# the counts and the first rows only: the whole list (200,000 findings at 1,000 projects) is built
# when its CSV is asked for, not on every run of the page
needs = attention.summary(con, day, mine)
if needs.empty:
    st.success("Nothing needs attention on this date.", icon=":material/check_circle:")
else:
    st.caption(f"{attention.headline(needs)}, most severe first, then the oldest. "
               "Open a row's page for the details.")
    if needs.total > attention.ROWS_SHOWN:
        # a portfolio of a thousand projects can have 100,000s of findings: a list that long is
        # read as counts, and sending it whole would slow the page for everyone
        st.dataframe(needs.counts, hide_index=True, column_config={"findings": st.column_config.NumberColumn("Findings", format="%,d")})
        st.caption(f"The first {attention.ROWS_SHOWN:,} of them:")

        def every_finding() -> bytes:
            # run on click, in another thread: on a cursor of its own, not this run's
            with closing(connection()) as cur:
                return attention.findings_csv(cur, day, mine)

        st.download_button(f"Download all {needs.total:,} findings (CSV)", icon=":material/download:",
                           data=every_finding,
                           file_name=f"needs-attention-{day.isoformat()}.csv", mime="text/csv")
    st.dataframe(needs.head, hide_index=True, width="stretch",
                 column_order=["project_id", "severity", "area", "since", "link", "what"], column_config={
        "project_id": st.column_config.TextColumn("Project", width=80),
        "severity": st.column_config.TextColumn("Severity", width=80),
        "area": st.column_config.TextColumn("Area", width=100),
        "what": st.column_config.TextColumn("What", width="large"),
        "since": st.column_config.DateColumn("Since", format="DD.MM.YYYY", width=100),
        "link": st.column_config.LinkColumn("Page", display_text="Open", width=70),
    })
ui.formulas(attention.EXPLANATIONS, title="What needs attention, and since when")
ui.formulas(kpi_formulas() | {k: v for k, v in BUDGET_FORMULAS.items() if k in ("spent", "burn index")})
