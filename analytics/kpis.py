"""KPI progress at an as-of date: actual, expected, progress, pace, status, forecast (DESIGN.md).

Everything is one SQL statement over the measure events (analytics.measures), evaluated at one or
many as-of dates at once, so the cards, the burn-up series and the portfolio share one code path.

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

from datetime import date

import duckdb
import pandas as pd

from analytics.measures import MEASURES, aggregates_values, events_sql
from analytics.projects import require_project
from analytics.settings import StatusThresholds

DAYS_PER_MONTH = 30.4375

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


def _kpi_relation(project_filter: str) -> str:
    return f"""
    k AS (
        SELECT k.*, p.start_date, p.end_date, p.is_sample AS project_is_sample,
               coalesce(k.due_date, p.end_date) AS due,
               CASE k.min_label_level WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 WHEN 'gold' THEN 3 END AS min_rank,
               agg.aggregate
        FROM kpis k JOIN projects p USING (project_id) JOIN {aggregates_values()} USING (measure)
        WHERE {project_filter}
    )"""


def _evaluation_sql(project_filter: str) -> str:
    """SQL with parameters $dates (DATE[]), $on_track, $at_risk; one row per KPI and as-of date."""
    return f"""
    WITH {_kpi_relation(project_filter)},
    t AS (SELECT CAST(unnest($dates) AS DATE) AS as_of),
    ev AS (SELECT * FROM ({events_sql()}) WHERE project_id IN (SELECT DISTINCT project_id FROM k)),
    actuals AS (
        SELECT k.project_id, k.code, t.as_of,
            CAST(CASE any_value(k.aggregate)
                WHEN 'distinct' THEN count(DISTINCT e.entity) FILTER (WHERE e.d <= t.as_of)
                WHEN 'count'    THEN count(e.d) FILTER (WHERE e.d <= t.as_of)
                WHEN 'sum'      THEN coalesce(sum(e.amount) FILTER (WHERE e.d <= t.as_of), 0)
                WHEN 'latest'   THEN coalesce(arg_max(e.amount, e.d) FILTER (WHERE e.d <= t.as_of), any_value(k.baseline))
                WHEN 'valid_at' THEN count(DISTINCT e.entity) FILTER (WHERE e.d <= t.as_of AND e.d_end >= t.as_of)
            END AS DOUBLE) AS actual,
            max(e.d) FILTER (WHERE e.d <= t.as_of) AS last_record_on,
            count(e.d) FILTER (WHERE e.d <= t.as_of) AS records
        FROM k CROSS JOIN t
        LEFT JOIN ev e ON e.measure = k.measure AND e.project_id = k.project_id
             AND (e.code IS NULL OR e.code = k.code)
             AND (k.min_rank IS NULL OR e.level_rank >= k.min_rank)
        GROUP BY k.project_id, k.code, t.as_of
    ),
    milestones AS (
        SELECT m.project_id, m.code,
               coalesce(m.on_date, CAST(k.start_date + to_months(m.month) - INTERVAL 1 DAY AS DATE)) AS d,
               m.expected AS v
        FROM kpi_milestones m JOIN k USING (project_id, code)
    ),
    points AS (
        SELECT project_id, code, start_date AS d, baseline AS v FROM k
        UNION ALL SELECT project_id, code, d, v FROM milestones
        UNION ALL SELECT project_id, code, due, target FROM k
    ),
    brackets AS (
        SELECT k.project_id, k.code, t.as_of,
               max(p.d) FILTER (WHERE p.d <= t.as_of) AS d0, arg_max(p.v, p.d) FILTER (WHERE p.d <= t.as_of) AS v0,
               min(p.d) FILTER (WHERE p.d > t.as_of) AS d1, arg_min(p.v, p.d) FILTER (WHERE p.d > t.as_of) AS v1,
               (SELECT count(*) FROM milestones ms WHERE ms.project_id = k.project_id AND ms.code = k.code) AS n_milestones
        FROM k CROSS JOIN t JOIN points p ON p.project_id = k.project_id AND p.code = k.code AND p.d <= k.due
        GROUP BY k.project_id, k.code, t.as_of
    ),
    latest_checkin AS (
        SELECT c.project_id, c.code, t.as_of,
               arg_max(c.confidence, c.checked_on) AS confidence,
               arg_max(c.note, c.checked_on) AS checkin_note,
               max(c.checked_on) AS checkin_on
        FROM checkins c CROSS JOIN t
        WHERE c.checked_on <= t.as_of AND c.project_id IN (SELECT DISTINCT project_id FROM k)
        GROUP BY c.project_id, c.code, t.as_of
    ),
    valued AS (
        SELECT k.project_id, k.code, k.name, k.unit, k.measure, k.direction, k.interpolation,
               k.target, k.baseline, k.due, k.start_date, k.end_date, k.owner,
               k.is_placeholder, k.is_sample, k.source, a.as_of, a.actual, a.records,
               greatest(a.last_record_on, lc.checkin_on) AS last_update_on,
               lc.confidence, lc.checkin_note, lc.checkin_on,
               CASE
                   WHEN k.direction IN ('stay_above', 'stay_below') THEN k.target
                   WHEN a.as_of < k.start_date THEN k.baseline
                   WHEN a.as_of >= k.due THEN k.target
                   WHEN k.interpolation = 'step' AND b.n_milestones > 0 THEN b.v0
                   ELSE b.v0 + (b.v1 - b.v0) * date_diff('day', b.d0, a.as_of) / date_diff('day', b.d0, b.d1)
               END AS expected,
               CASE k.direction
                   WHEN 'increase'   THEN a.actual >= k.target
                   WHEN 'decrease'   THEN a.actual <= k.target
                   WHEN 'stay_above' THEN a.actual >= k.target
                   WHEN 'stay_below' THEN a.actual <= k.target
               END AS target_met
        FROM k
        JOIN actuals a USING (project_id, code)
        JOIN brackets b ON b.project_id = k.project_id AND b.code = k.code AND b.as_of = a.as_of
        LEFT JOIN latest_checkin lc ON lc.project_id = k.project_id AND lc.code = k.code AND lc.as_of = a.as_of
    ),
    paced AS (
        SELECT *,
               CASE WHEN direction IN ('stay_above', 'stay_below') THEN NULL
                    ELSE (actual - baseline) / (target - baseline) END AS progress,
               CASE WHEN direction IN ('stay_above', 'stay_below') OR expected = baseline THEN NULL
                    ELSE (actual - baseline) / (expected - baseline) END AS pace
        FROM valued
    )
    SELECT *,
        CASE
            WHEN as_of < start_date THEN 'not_started'
            WHEN direction IN ('stay_above', 'stay_below') THEN
                CASE WHEN target_met THEN (CASE WHEN as_of >= due THEN 'achieved' ELSE 'on_track' END)
                     WHEN as_of > due THEN 'overdue' ELSE 'off_track' END
            WHEN target_met THEN 'achieved'
            WHEN as_of > due THEN 'overdue'
            WHEN pace IS NULL OR pace >= $on_track THEN 'on_track'
            WHEN pace >= $at_risk THEN 'at_risk'
            ELSE 'off_track'
        END AS status,
        CASE
            WHEN direction IN ('stay_above', 'stay_below') OR as_of >= due THEN actual
            WHEN as_of <= start_date THEN NULL
            ELSE baseline + (actual - baseline) * date_diff('day', start_date, due) / date_diff('day', start_date, as_of)
        END AS forecast,
        CASE
            WHEN direction IN ('stay_above', 'stay_below') THEN NULL
            WHEN target_met THEN 0.0
            WHEN as_of >= due THEN NULL
            ELSE (target - actual) / (date_diff('day', greatest(as_of, start_date), due) / {DAYS_PER_MONTH})
        END AS required_rate_per_month,
        date_diff('day', as_of, due) AS days_left
    FROM paced
    """


def evaluate(
    con: duckdb.DuckDBPyConnection,
    dates: list[date],
    *,
    project_ids: list[str] | None = None,
    thresholds: StatusThresholds | None = None,
) -> pd.DataFrame:
    """Every KPI of the given projects (all when None), evaluated at each date."""
    thresholds = thresholds or StatusThresholds()
    params = {"dates": list(dates), "on_track": thresholds.on_track, "at_risk": thresholds.at_risk}
    if project_ids is None:
        project_filter = "TRUE"
    else:
        project_filter = "k.project_id IN (SELECT unnest($projects))"
        params["projects"] = list(project_ids)
    sql = _evaluation_sql(project_filter) + " ORDER BY project_id, code, as_of"
    return con.execute(sql, params).df()


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
    grid = pd.date_range(start, end, freq="ME").date.tolist()
    points = {start, end, *grid}
    if start <= as_of <= end:
        points.add(as_of)
    return sorted(points)


def kpi_series(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: StatusThresholds | None = None,
) -> pd.DataFrame:
    """Burn-up series for every KPI of a project: actual up to the as-of date, expected throughout."""
    start, end = require_project(con, project_id)
    dues = con.execute(
        "SELECT max(coalesce(due_date, ?)) FROM kpis WHERE project_id = ?", [end, project_id]
    ).fetchone()[0]
    grid = month_grid(start, max(end, dues or end), as_of)
    df = evaluate(con, grid, project_ids=[project_id], thresholds=thresholds)
    df.loc[df["as_of"].dt.date > as_of, "actual"] = None
    return df[["code", "as_of", "actual", "expected"]]


def partner_breakdown(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Each KPI's measure split by partner at the as-of date (measures without a partner excluded).

    Distinct counts are distinct within each partner, so partner values may sum to more than the
    KPI's total when two partners reach the same organisation or person.
    """
    require_project(con, project_id)
    sql = f"""
    WITH {_kpi_relation("k.project_id = $project")},
    ev AS (SELECT * FROM ({events_sql()}) WHERE project_id = $project AND partner IS NOT NULL AND d <= $as_of)
    SELECT k.code, e.partner,
        CAST(CASE any_value(k.aggregate)
            WHEN 'distinct' THEN count(DISTINCT e.entity)
            WHEN 'count'    THEN count(*)
            WHEN 'sum'      THEN sum(e.amount)
            WHEN 'valid_at' THEN count(DISTINCT e.entity) FILTER (WHERE e.d_end >= $as_of)
        END AS DOUBLE) AS value
    FROM k JOIN ev e ON e.measure = k.measure AND e.project_id = k.project_id
         AND (k.min_rank IS NULL OR e.level_rank >= k.min_rank)
    WHERE k.aggregate <> 'latest'
    GROUP BY k.code, e.partner
    ORDER BY k.code, e.partner
    """
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
