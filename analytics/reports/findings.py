"""Highlights and risks: the sentences a funder reads first, derived from the computed statuses.

Rules (each finding names the numbers behind it):
- highlight: a KPI achieved or on track; the budget burning in line with time.
- risk: a KPI overdue, off track or at risk (with the rate still required); an on-track KPI whose
  run-rate forecast falls short of the target; an owner less confident than the computed status;
  placeholder targets; a burn index outside its band; a projected spend above the budget.
"""
from __future__ import annotations

from datetime import date

from analytics.reports import fmt
from analytics.reports.models import BudgetSummary, Finding, KpiRow
from analytics.settings import BurnThresholds

_CONFIDENCE = {"on_track": "on track", "at_risk": "at risk", "off_track": "off track"}
_CONFIDENCE_RANK = {"on_track": 0, "at_risk": 1, "off_track": 2}
_STATUS_RANK = {"achieved": 0, "on_track": 0, "at_risk": 1, "off_track": 2, "overdue": 2}


def _kpi(k: KpiRow) -> str:
    return f"{k.code} {k.name}: {k.n_of_n} {k.unit}"


def _owner(k: KpiRow) -> str:
    return f" Owner's latest check-in: {_CONFIDENCE[k.confidence]}." if k.confidence else ""


def highlights(kpis: list[KpiRow], budget: BudgetSummary) -> list[Finding]:
    found = []
    for k in kpis:
        if k.status == "achieved":
            found.append(Finding(kind="highlight", subject=k.code, status=k.status,
                                 text=f"{_kpi(k)}, target reached."))
        elif k.status == "on_track":
            ahead = "ahead of" if (k.pace or 0) >= 1 else "close to"
            found.append(Finding(kind="highlight", subject=k.code, status=k.status,
                                 text=f"{_kpi(k)} ({fmt.percent(k.progress)} of target), {ahead} the plan "
                                      f"(pace {fmt.ratio(k.pace)})."))
    if budget.burn_flag == "in line":
        found.append(Finding(kind="highlight", subject="Budget", status="on_track",
                             text=f"Spending in line with time: {fmt.eur(budget.spent)} spent "
                                  f"({fmt.percent(budget.spent_share)} of the budget) after "
                                  f"{fmt.percent(budget.elapsed_share)} of the time, burn index "
                                  f"{fmt.ratio(budget.burn_index)}."))
    return found


def risks(kpis: list[KpiRow], budget: BudgetSummary, *, as_of: date, end: date, burn: BurnThresholds) -> list[Finding]:
    found = []
    for k in kpis:
        if k.status == "overdue":
            found.append(Finding(kind="risk", subject=k.code, status=k.status,
                                 text=f"{_kpi(k)}: overdue since {fmt.day(k.due)}.{_owner(k)}"))
        elif k.status in ("off_track", "at_risk"):
            needs = (f" Needs {fmt.number(k.required_rate_per_month, 1)} {k.unit} a month to reach the target "
                     f"by {fmt.day(k.due)}." if k.required_rate_per_month is not None else "")
            found.append(Finding(kind="risk", subject=k.code, status=k.status,
                                 text=f"{_kpi(k)}, {k.status_label.lower()}: {fmt.number(k.expected, 1)} expected "
                                      f"by now (pace {fmt.ratio(k.pace)}).{needs}{_owner(k)}"))
        elif k.status == "on_track":
            if k.forecast is not None and k.forecast < k.target and k.due > as_of:
                found.append(Finding(kind="risk", subject=k.code, status="at_risk",
                                     text=f"{_kpi(k)}: on track against the plan, but at the run rate so far it "
                                          f"would reach {fmt.number(k.forecast, 1)} of {fmt.number(k.target)} "
                                          f"by {fmt.day(k.due)}."))
            if k.confidence and _CONFIDENCE_RANK[k.confidence] > _STATUS_RANK[k.status]:
                found.append(Finding(kind="risk", subject=k.code, status=k.confidence,
                                     text=f"{_kpi(k)}: computed on track, but the owner's latest check-in "
                                          f"says {_CONFIDENCE[k.confidence]}."))
    placeholders = [k.code for k in kpis if k.is_placeholder]
    if placeholders:
        found.append(Finding(kind="risk", subject="Targets", status="at_risk",
                             text=f"{len(placeholders)} of {len(kpis)} KPI targets are placeholders, not yet agreed "
                                  f"with the funder: {', '.join(placeholders)}. Their status is not a reported fact."))
    if budget.burn_flag in ("under-spending", "over-spending"):
        band = f"{burn.low:g} to {burn.high:g}"
        found.append(Finding(kind="risk", subject="Budget", status="at_risk" if budget.burn_flag == "under-spending" else "off_track",
                             text=f"{budget.burn_flag.capitalize()}: burn index {fmt.ratio(budget.burn_index)} "
                                  f"(outside {band}); {fmt.eur(budget.spent)} spent, {fmt.percent(budget.spent_share)} "
                                  f"of the budget after {fmt.percent(budget.elapsed_share)} of the time."))
    if budget.projected_spend is not None and as_of < end and budget.projected_spend > budget.planned * 1.005:
        found.append(Finding(kind="risk", subject="Budget", status="off_track",
                             text=f"Projected spend at the end {fmt.eur(budget.projected_spend)} exceeds the budget "
                                  f"of {fmt.eur(budget.planned)} at the current rate."))
    if not budget.planned_matches_total:
        found.append(Finding(kind="risk", subject="Budget", status="at_risk",
                             text=f"The budget lines add up to {fmt.eur(budget.planned)}, not the total budget of "
                                  f"{fmt.eur(budget.total_budget)}."))
    return found
