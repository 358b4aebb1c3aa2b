"""The Data page's forms for one project: a check-in, a KPI's target, baseline or due date, and its
milestones. Every save goes through analytics.entry (the models and the import's checks) and
lands in the history with the value it replaced.

Saving happens in the submit button's callback, which runs before the page and survives any rerun;
the page then shows what the callback left in the session: a confirmation or the problems.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import streamlit as st

from analytics import entry
from analytics.access import Actor
from analytics.errors import ClusterBoardError
from analytics.models.codes import CONFIDENCES
from analytics.projects import project_info
from analytics.ui import components as ui
from analytics.ui.state import connection

OUTCOME = "data_entry_outcome"  # (form, "ok" or "problems", message or messages)
NEW_MILESTONE = "New milestone"


def _save(form: str, what: str, action: Callable[[duckdb.DuckDBPyConnection], entry.Saved]) -> None:
    try:
        saved = action(connection())
    except ClusterBoardError as exc:  # refused (role, read-only) or a concurrent change
        st.session_state[OUTCOME] = (form, "problems", [str(exc)])
        return
    st.session_state[OUTCOME] = (form, "ok", f"{what}: {saved.action}.") if saved.ok else (form, "problems", saved.messages())


def _outcome(form: str) -> None:
    kept = st.session_state.get(OUTCOME)
    if not kept or kept[0] != form:
        return
    del st.session_state[OUTCOME]
    if kept[1] == "ok":
        st.success(ui.md_escape(kept[2]), icon=":material/check:")
    else:
        st.error("Not saved:\n\n" + "\n".join(f"- {ui.md_escape(m)}" for m in kept[2]), icon=":material/error:")


def _kpi_label(kpis) -> Callable[[str], str]:
    names = dict(zip(kpis["code"], kpis["name"]))
    return lambda code: f"{code} · {names[code]}"


def _checkin(actor: Actor, project: str, kpis, period: tuple[date, date], as_of: date) -> None:
    st.subheader("Add a check-in")
    st.caption("A manual update of a KPI's value with your confidence; the latest one is what a manual KPI "
               "reports. A second check-in on the same day replaces the first (kept in the history).")
    _outcome("checkin")
    with st.form("entry_checkin", clear_on_submit=True):
        st.selectbox("KPI", kpis["code"], format_func=_kpi_label(kpis), key="checkin_code")
        left, right = st.columns(2)
        left.date_input("Date", value=min(max(as_of, period[0]), period[1]), min_value=period[0],
                        max_value=period[1], format="DD.MM.YYYY", key="checkin_date")
        right.number_input("Value", value=0.0, step=1.0, format="%g", key="checkin_value")
        st.segmented_control("Confidence", CONFIDENCES, default="on_track", key="checkin_confidence",
                             format_func=lambda c: ui.CONFIDENCE_LABELS[c])
        st.text_area("Note", placeholder="What happened, what is planned", key="checkin_note")
        st.text_input("Evidence link", placeholder="https://… (minutes, report, photo)", key="checkin_evidence")

        def save() -> None:
            s = st.session_state
            _save("checkin", f"Check-in for {s.checkin_code} on {s.checkin_date:%d.%m.%Y}", lambda con: entry.add_checkin(
                con, actor, project_id=project, code=s.checkin_code, checked_on=s.checkin_date,
                value=s.checkin_value, confidence=s.checkin_confidence, note=s.checkin_note or None,
                evidence_url=s.checkin_evidence or None))

        st.form_submit_button("Save check-in", type="primary", icon=":material/add_task:", on_click=save)


def _kpi(con, actor: Actor, project: str, kpis, period: tuple[date, date]) -> None:
    st.subheader("Change a KPI's target")
    _outcome("kpi")
    code = st.selectbox("KPI", kpis["code"], key="entry_kpi_code", format_func=_kpi_label(kpis))
    current = entry.kpi(con, project, code)
    k = f"kpi_{code}_"  # keys per KPI: another KPI's form starts from its own stored values
    with st.form(f"entry_kpi_{code}"):
        left, right = st.columns(2)
        left.number_input("Target", value=float(current["target"]), format="%g", key=k + "target")
        right.number_input("Baseline", value=float(current["baseline"]), format="%g", key=k + "baseline")
        st.checkbox("Due at the project end", value=current["due_date"] is None, key=k + "at_end")
        st.date_input("Due date", value=current["due_date"] or period[1], min_value=period[0], max_value=period[1],
                      format="DD.MM.YYYY", help="Used unless 'Due at the project end' is ticked.", key=k + "due")

        def save() -> None:
            s = st.session_state
            _save("kpi", f"KPI {code}", lambda con: entry.update_kpi(
                con, actor, project_id=project, code=code, target=s[k + "target"], baseline=s[k + "baseline"],
                due_date=None if s[k + "at_end"] else s[k + "due"]))

        st.form_submit_button("Save KPI", type="primary", icon=":material/save:", on_click=save)


def _milestones(con, actor: Actor, project: str, kpis, period: tuple[date, date]) -> None:
    st.subheader("Milestones")
    st.caption("Values expected along the way, by project month (Mn: by its last day) or by date; the "
               "expected value between them is interpolated as the KPI says.")
    _outcome("milestone")
    code = st.selectbox("KPI", kpis["code"], key="entry_milestone_code", format_func=_kpi_label(kpis))
    rows = entry.milestones(con, project, code)
    if not rows:
        st.caption("No milestones yet: the expected value is a straight ramp from the baseline to the target.")
    else:
        st.dataframe(rows, hide_index=True, width="stretch", key=f"milestones_{code}",
                     column_config={"month": st.column_config.NumberColumn("Month", format="M%d"),
                                    "on_date": st.column_config.DateColumn("Due on", format="DD.MM.YYYY"),
                                    "expected": st.column_config.NumberColumn("Expected", format="%g"),
                                    "is_sample": st.column_config.CheckboxColumn("Sample")})
    by_date = {r["on_date"]: r for r in rows}
    chosen = st.selectbox("Milestone", [NEW_MILESTONE, *by_date], key=f"entry_milestone_pick_{code}",
                          format_func=lambda d: d if isinstance(d, str) else f"{d:%d.%m.%Y}")
    existing = by_date.get(chosen)
    replaces = chosen if existing else None
    k = f"milestone_{code}_{chosen}_"
    with st.form(f"entry_milestone_{code}_{chosen}"):
        st.toggle("By project month", value=existing is None or existing["month"] is not None, key=k + "by_month")
        left, right = st.columns(2)
        left.number_input("Project month (M)", min_value=1, max_value=120, step=1,
                          value=(existing or {}).get("month") or 6, key=k + "month")
        left.date_input("Or due on", value=replaces or period[0], min_value=period[0], max_value=period[1],
                        format="DD.MM.YYYY", key=k + "date")
        right.number_input("Expected value", format="%g", value=float(existing["expected"]) if existing else 0.0,
                           key=k + "expected")

        def save() -> None:
            s = st.session_state
            by_month = s[k + "by_month"]
            _save("milestone", f"Milestone of {code}", lambda con: entry.save_milestone(
                con, actor, project_id=project, code=code, month=s[k + "month"] if by_month else None,
                on_date=None if by_month else s[k + "date"], expected=s[k + "expected"], replaces=replaces))

        def delete() -> None:
            _save("milestone", f"Milestone of {code} on {replaces:%d.%m.%Y}", lambda con: entry.delete_milestone(
                con, actor, project_id=project, code=code, on_date=replaces))

        save_col, delete_col = st.columns(2)
        save_col.form_submit_button("Save milestone", type="primary", icon=":material/save:", on_click=save)
        if existing:
            delete_col.form_submit_button("Delete this milestone", icon=":material/delete:", on_click=delete)


def render(con: duckdb.DuckDBPyConnection, actor: Actor, project: str | None, as_of: date, *, can_write: bool) -> None:
    if not can_write:
        st.info("Viewers read only: entering data needs an editor or admin account.", icon=":material/lock:")
        return
    if project is None:
        st.info("Choose a project in the sidebar to enter its check-ins, targets and milestones.")
        return
    info = project_info(con, project)
    period = (info["start_date"].date(), info["end_date"].date())
    kpis = entry.kpi_list(con, project)
    if kpis.empty:
        st.info(f"{ui.md_escape(project)} has no KPIs yet: import them (table kpis) on the Import tab.")
        return
    st.caption(f"Updates for **{ui.md_escape(project)}** ({period[0]:%d.%m.%Y} to {period[1]:%d.%m.%Y}); "
               "choose another project in the sidebar.")
    left, right = st.columns(2)
    with left:
        _checkin(actor, project, kpis, period, as_of)
    with right:
        _kpi(con, actor, project, kpis, period)
    _milestones(con, actor, project, kpis, period)
