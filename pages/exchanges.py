"""Exchanges and missions: ClusterXchange stays, missions, Big Science visits and the rule checks."""
import streamlit as st

from analytics import charts_participation as charts
from analytics import exchanges, stays
from analytics.projects import project_ids
from analytics.ui import components as ui
from analytics.ui.project_page import chosen_project
from analytics.ui.session import current_actor
from analytics.ui.state import as_of, db


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


con = db()
day = as_of()
project, info = chosen_project(con)
# The toggle is drawn below the title; its value from the last run decides the title now.
every_project = bool(st.session_state.get("exchanges_all", False))
selection = current_actor().visible(project_ids(con)) if every_project else [project]
st.title(f"{'All projects' if every_project else ui.md_escape(project)} · Exchanges and missions")
scope = (f"projects {', '.join(ui.md_escape(p) for p in selection)}" if every_project
         else ui.md_escape(info["title"]))
st.caption(f"{scope} · as of {day:%d %B %Y} · stays and missions finished on or before this date")
ui.sample_badge(exchanges.sample_rows(con, selection), where="the exchanges page")
st.toggle("All projects", key="exchanges_all",
          help="Show the stays and missions of every project you may see, not only the one chosen in the sidebar.")

s = exchanges.summary(con, selection, day)
money = s["lump_sums"]
st.subheader("ClusterXchange")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Participations", ui.number(s["participations"]), f"{s['virtual_stays']} virtual", delta_color="off",
          delta_arrow="off", border=True, help="Stays finished by the as-of date; a second stay of the same "
                                               "organisation counts again.")
c2.metric("Organisations", ui.number(s["organisations"]), _count(s["repeat_stays"], "repeat stay"),
          delta_color="off", delta_arrow="off", border=True,
          help="Distinct visiting organisations (by name): what the organisations-exchanged KPI counts.")
c3.metric("SME share of visitors", ui.percent(s["sme_organisation_share"]),
          f"{s['sme_organisations']} of {s['organisations']} organisations", delta_color="off", delta_arrow="off",
          border=True)
c4.metric("Countries", f"{s['visitor_countries']} → {s['host_countries']}", "visitor → host countries",
          delta_color="off", delta_arrow="off", border=True)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Lump sums paid", ui.eur(money["paid"]), border=True)
c2.metric("Allowed by the rule", ui.eur(money["allowed"]), border=True,
          help="Sum over the stays of the rule amount within the EUR 1,100 cap per visiting organisation.")
c3.metric("Paid above the rule", ui.eur(money["paid_above"]), _count(money["stays_above"], "stay"),
          delta_color="red" if money["stays_above"] else "off", delta_arrow="off", border=True)
c4.metric("Paid below the rule", ui.eur(money["paid_below"]), _count(money["stays_below"], "stay"),
          delta_color="off", delta_arrow="off", border=True,
          help="Not a breach: the visitor received less than the rule allows (e.g. halved twice).")

st.subheader("Missions")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Missions", ui.number(s["missions"]), f"to {s['mission_countries']} countries", delta_color="off",
          delta_arrow="off", border=True)
c2.metric("Mission participants", ui.number(s["mission_participants"]), border=True,
          help="Participations: a person on two missions counts twice.")
c3.metric("SME share of participants", ui.percent(s["mission_sme_share"]),
          f"{s['mission_sme_participants']} of {s['mission_participants']}", delta_color="off", delta_arrow="off",
          border=True)
c4.metric("Big Science visits", ui.number(s["bso_visits"]),
          f"{_count(s['bso_stays'], 'stay')}, {_count(s['bso_missions'], 'mission')}",
          delta_color="off", delta_arrow="off", border=True)
if s["stays_later"] or s["missions_later"]:
    st.caption(f"{_count(s['stays_later'], 'stay')} and {_count(s['missions_later'], 'mission')} end after the "
               "as-of date and are not counted yet.")

warnings = stays.rule_warnings(con, selection, day)
st.subheader("Rule warnings")
if warnings.empty:
    st.success("No stay or mission breaks a ClusterXchange rule on this date.", icon=":material/check_circle:")
else:
    st.warning(f"{len(warnings)} rule warnings on {warnings['record'].nunique()} records. Each needs a correction "
               "or an explanation before it is reported.", icon=":material/warning:")
    st.dataframe(warnings[["record", "title", "message", "project_id", "paid_by", "since"]], hide_index=True,
                 width="stretch", column_config={
                     "record": st.column_config.TextColumn("Record"),
                     "title": st.column_config.TextColumn("Rule"),
                     "message": st.column_config.TextColumn("What is wrong", width="large"),
                     "project_id": st.column_config.TextColumn("Reported under"),
                     "paid_by": st.column_config.TextColumn("Paid by"),
                     "since": st.column_config.DateColumn("Since", format="DD.MM.YYYY"),
                 })

left, right = st.columns(2)
flows = exchanges.country_flows(con, selection, day)
with left:
    if flows.empty:
        st.info("No stays on record on this date.")
    else:
        st.plotly_chart(charts.visitor_host_sankey(flows), width="stretch")
bso = exchanges.bso_visits(con, selection, day)
with right:
    if bso.empty:
        st.info("No visits to Big Science organisations on record on this date.")
    else:
        st.plotly_chart(charts.bso_visits_bars(bso), width="stretch")

stay_tab, mission_tab, country_tab = st.tabs(["Stays", "Missions", "Countries"])
with stay_tab:
    st.dataframe(stays.stays(con, selection, day), hide_index=True, width="stretch", column_config={
        "exchange_id": st.column_config.TextColumn("Exchange"),
        "project_id": st.column_config.TextColumn("Paid by"),
        "partner": st.column_config.TextColumn("Partner"),
        "visitor_org": st.column_config.TextColumn("Visitor"),
        "visitor_country": st.column_config.TextColumn("From"),
        "visitor_type": st.column_config.TextColumn("Visitor type"),
        "host_org": st.column_config.TextColumn("Host"),
        "host_country": st.column_config.TextColumn("In"),
        "bso_id": st.column_config.TextColumn("Big Science host"),
        "counted_by_project": st.column_config.TextColumn("Also counted by"),
        "start_date": st.column_config.DateColumn("Start", format="DD.MM.YYYY"),
        "end_date": st.column_config.DateColumn("End", format="DD.MM.YYYY"),
        "working_days": st.column_config.NumberColumn("Working days"),
        "distance_km": st.column_config.NumberColumn("Distance (km)", format="%,.0f"),
        "is_virtual": st.column_config.CheckboxColumn("Virtual"),
        "visit_no": st.column_config.NumberColumn("Visit no."),
        "lump_sum": st.column_config.NumberColumn("Paid (EUR)", format="€%,.2f"),
        "rule_amount": st.column_config.NumberColumn("Rule (EUR)", format="€%,.2f"),
        "rule_basis": st.column_config.TextColumn("Rule basis"),
        "allowed": st.column_config.NumberColumn("Allowed within cap (EUR)", format="€%,.2f"),
        "above_allowed": st.column_config.NumberColumn("Paid − allowed (EUR)", format="€%,.2f"),
        "warnings": st.column_config.TextColumn("Warnings", width="medium"),
        "is_sample": st.column_config.CheckboxColumn("Sample"),
    })
with mission_tab:
    st.dataframe(exchanges.missions(con, selection, day), hide_index=True, width="stretch", column_config={
        "mission_id": st.column_config.TextColumn("Mission"),
        "project_id": st.column_config.TextColumn("Project"),
        "partner": st.column_config.TextColumn("Partner"),
        "title": st.column_config.TextColumn("Title", width="medium"),
        "kind": st.column_config.TextColumn("Kind"),
        "destination_country": st.column_config.TextColumn("To"),
        "participants": st.column_config.NumberColumn("Participants"),
        "sme_participants": st.column_config.NumberColumn("SME participants"),
        "bso_id": st.column_config.TextColumn("Big Science host"),
        "start_date": st.column_config.DateColumn("Start", format="DD.MM.YYYY"),
        "end_date": st.column_config.DateColumn("End", format="DD.MM.YYYY"),
        "sme_share": st.column_config.NumberColumn("SME share", format="percent"),
        "is_sample": st.column_config.CheckboxColumn("Sample"),
    })
with country_tab:
    st.dataframe(exchanges.countries(con, selection, day), hide_index=True, width="stretch", column_config={
        "country": st.column_config.TextColumn("Country"),
        "visiting_stays": st.column_config.NumberColumn("Stays of its visitors"),
        "hosted_stays": st.column_config.NumberColumn("Stays it hosted"),
        "missions_received": st.column_config.NumberColumn("Missions to it"),
    })

ui.formulas(exchanges.FORMULAS | stays.EXPLANATIONS, title="Rules and formulas")
