"""KPI progress at an as-of date: actual, expected, progress, pace, status, forecast (DESIGN.md).

Everything is one SQL statement (analytics.kpi_sql) over the measures (analytics.measures) and
their pre-aggregated facts (analytics.facts), evaluated at one or many as-of dates at once, so the
cards, the burn-up series and the portfolio share one code path.

Definitions (shown in the UI, see FORMULAS):
- actual(t): the KPI's measure over records dated on or before t.
- expected(t): interpolated between milestones (linear or step, per KPI) with the baseline at the
  project start and the target at the due date as end points; without milestones a straight ramp.
- progress = (actual - baseline) / (target - baseline); may exceed 100 %.
- pace = (actual - baseline) / (expected - baseline): progress made over progress expected by now.
  With a zero baseline this is DESIGN.md's actual / expected; with a non-zero baseline actual /
  expected would call a KPI that has not moved "on track", so we measure from the baseline.
- status: not started (t before the project start), achieved (target reached), overdue (due date
  passed, not reached), on track (pace >= on_track), at risk (pace >= at_risk), off track.
  stay_above / stay_below KPIs are on track while they hold and off track when they do not.
- forecast at due: the run rate since the start, extrapolated to the due date.
- required rate: what is left, divided by the months left (per 30.44-day month).
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from analytics import facts, kpi_sql
from analytics.arrow_reads import used
from analytics.measures import MEASURES
from analytics.projects import require_project
from analytics.settings import StatusThresholds

DAYS_PER_MONTH = kpi_sql.DAYS_PER_MONTH

STATUS_LABELS = {
    "not_started": "Not started",
    "achieved": "Achieved",
    "on_track": "On track",
    "at_risk": "At risk",
    "off_track": "Off track",
    "overdue": "Overdue",
}
STATUS_ORDER = list(STATUS_LABELS)

_FORMULAS = {
    "actual": "the KPI's measure over records dated on or before the as-of date",
    "expected": "interpolated between milestones (baseline at start, target at due date); a straight ramp without milestones",
    "progress": "(actual − baseline) ÷ (target − baseline)",
    "pace": "(actual − baseline) ÷ (expected − baseline): progress made ÷ progress expected by now",
    "status": "achieved if the target is reached; overdue after the due date; otherwise on track at pace ≥ {on:.0%}, at risk at ≥ {risk:.0%}, else off track",
    "forecast": "baseline + run rate since start × project days to the due date",
    "required rate": "(target − actual) ÷ months left to the due date",
}


def formulas(thresholds: StatusThresholds | None = None) -> dict[str, str]:
    """The definitions as shown in the UI and the reports, with the thresholds in force."""
    t = thresholds or StatusThresholds()
    return {k: v.format(on=t.on_track, risk=t.at_risk) for k, v in _FORMULAS.items()}


def evaluate(
    con: duckdb.DuckDBPyConnection,
    dates: list[date],
    *,
    project_ids: list[str] | None = None,
    thresholds: StatusThresholds | None = None,
    columns: list[str] | None = None,
) -> pd.DataFrame:
    """Every KPI of the given projects (all when None), evaluated at each date; all of
    kpi_sql.COLUMNS unless fewer are asked for (fewer columns: less to compute and convert)."""
    sql, params = evaluation(con, dates, project_ids=project_ids, thresholds=thresholds, columns=columns)
    return con.execute(sql, params).df()


def evaluation(
    con: duckdb.DuckDBPyConnection,
    dates: list[date],
    *,
    project_ids: list[str] | None = None,
    thresholds: StatusThresholds | None = None,
    columns: list[str] | None = None,
    kpi_keys: list[tuple[str, str]] | None = None,
    ordered: bool = True,
    kept: bool | None = None,
) -> tuple[str, dict]:
    """The SQL and parameters of ``evaluate``, for callers that query its rows further in SQL.

    With ``kpi_keys`` ((project_id, code) pairs), only those KPIs, each at the dates from its
    project's start on: a few KPIs' histories without evaluating every KPI at every date.
    ``ordered`` False: rows in no particular order. ``kept``: see evaluation_params.
    """
    if kpi_keys is not None:
        project_ids = sorted({project for project, _ in kpi_keys})
    params = evaluation_params(con, dates, project_ids, thresholds, kept=kept)
    kept = params.pop("_kept") and kpi_keys is None
    sql = kpi_sql.evaluation_sql(filtered=project_ids is not None, is_fresh=params.pop("_fresh"),
                                 columns=list(columns or kpi_sql.COLUMNS), dates=list(dates),
                                 per_kpi=kpi_keys is not None, kept=kept, ordered=ordered)
    if kpi_keys is not None:
        params |= {"kpi_projects": [p for p, _ in kpi_keys], "kpi_codes": [c for _, c in kpi_keys]}
    # the kept statement names none of the facts' date windows; a caller adding SQL of its own (the
    # portfolio overview) keeps evaluation_params whole
    return sql, used(sql, params)


def evaluation_params(con, dates, project_ids, thresholds, *, kept: bool | None = None) -> dict:
    """The evaluation's parameters; under _fresh whether the stored facts can be read, under
    _kept whether the kept steps can (analytics.kpi_steps). ``kept`` True: the caller has just
    found kpi_history current (kpi_history.fresh), which answers for the steps too."""
    from analytics import kpi_history  # it evaluates KPIs itself, with this module

    thresholds = thresholds or StatusThresholds()
    # The KPI history records its inputs' row counts in the write that refreshed the facts, after
    # them (loader.AFTER_WRITE), and its inputs include the facts' sources: steps current means
    # facts current, so the facts are asked only when the steps are not (~2.5 ms a check).
    if not kept:
        kept = con.execute(kpi_history.inputs_fresh_sql()).fetchall()[0][0]
    is_fresh = kept or facts.fresh(con)
    params = {"dates": list(dates), "on_track": thresholds.on_track, "at_risk": thresholds.at_risk,
              "_fresh": is_fresh, "_kept": kept}
    params |= facts.asof_params(list(dates), is_fresh)
    if kept:
        params["steps_lo"] = min(dates, default=date.max)
    if project_ids is not None:
        params["projects"] = list(project_ids)
    return params


def kpi_table(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: StatusThresholds | None = None,
) -> pd.DataFrame:
    """One row per KPI of the project at the as-of date (the cards, the CLI, the report)."""
    require_project(con, project_id)
    df = evaluate(con, [as_of], project_ids=[project_id], thresholds=thresholds)
    df["measure_title"] = df["measure"].map(lambda m: MEASURES[m].title)
    return df


def month_grid(start: date, end: date, as_of: date) -> list[date]:
    """Month-ends from the start to the end, plus the start, the as-of date and the end."""
    points = {start, end}
    year, month = start.year, start.month  # by hand: pd.date_range costs ~0.4 ms a page
    while (month_end := date(year, month, calendar.monthrange(year, month)[1])) <= end:
        points.add(month_end)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if start <= as_of <= end:
        points.add(as_of)
    return sorted(points)


def series_grid(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> list[date]:
    """The burn-up charts' dates: month-ends from the project start to its end or its last KPI due
    date, whichever is later (with the as-of date when it falls inside)."""
    start, end = require_project(con, project_id)
    dues = con.execute(
        "SELECT max(coalesce(due_date, ?)) FROM kpis WHERE project_id = ?", [end, project_id]
    ).fetchone()[0]
    return month_grid(start, max(end, dues or end), as_of)


@dataclass(frozen=True)
class ProjectKpis:
    """What the KPI page shows of one project: the cards (``table``, as kpi_table) and the burn-up
    series (``series``, as kpi_series)."""

    table: pd.DataFrame
    series: pd.DataFrame


def project_kpis(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: StatusThresholds | None = None,
) -> ProjectKpis:
    """The cards and the burn-up series from one evaluation at the series' dates and the as-of
    date: one statement planned once (planning the KPI statement costs ~40 ms, about as much as
    running it for a project, issue 8)."""
    grid = series_grid(con, project_id, as_of)
    df = evaluate(con, sorted(set(grid) | {as_of}), project_ids=[project_id], thresholds=thresholds)
    day = df["as_of"].dt.date
    table = df[day == as_of].reset_index(drop=True)
    table["measure_title"] = table["measure"].map(lambda m: MEASURES[m].title)
    return ProjectKpis(table, _series(df[day.isin(grid)], as_of))


def _series(df: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Burn-up rows: actual up to the as-of date (none after it), expected throughout."""
    df = df[["code", "as_of", "actual", "expected"]].reset_index(drop=True)
    df.loc[df["as_of"].dt.date > as_of, "actual"] = None
    return df


def kpi_series(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: StatusThresholds | None = None,
) -> pd.DataFrame:
    """Burn-up series for every KPI of a project: actual up to the as-of date, expected throughout."""
    return _series(evaluate(con, series_grid(con, project_id, as_of), project_ids=[project_id],
                            thresholds=thresholds), as_of)


def partner_breakdown(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Each KPI's measure split by partner at the as-of date (measures without a partner excluded).

    Distinct counts are distinct within each partner, so partner values may sum to more than the
    KPI's total when two partners reach the same organisation or person.
    """
    require_project(con, project_id)
    sql = kpi_sql.partner_breakdown_sql(facts.fresh(con))
    return con.execute(sql, {"project": project_id, "as_of": as_of}).df()


def checkin_history(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Check-ins on or before the as-of date, newest first."""
    require_project(con, project_id)
    return con.execute(
        """SELECT c.code, k.name AS kpi, c.checked_on, c.value, c.confidence, c.note, c.evidence_url,
                  c.author, c.is_sample
           FROM checkins c JOIN kpis k USING (project_id, code)
           WHERE c.project_id = ? AND c.checked_on <= ?
           ORDER BY c.checked_on DESC, c.code""",
        [project_id, as_of],
    ).df()
