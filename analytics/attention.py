"""The Portfolio page's "Needs attention" list: what to look at first, across the projects.

Each area's rules live in its own module; this one gathers their findings into one list with the
project, what is wrong, since when, and the page to open:

- high: deliverables overdue (analytics.deliverables), KPIs overdue or off track (analytics.kpis);
- medium: ClusterXchange and mission rule warnings (analytics.stays), labels lapsing before the
  project end and ladder problems (analytics.labels), late submissions without a justification;
- low: stale KPIs: no record and no check-in for 60 days or more while the KPI is still running
  (on track, at risk or off track); a KPI never updated counts from the project start.

"Since": for an overdue KPI, the day after its due date; for an off-track KPI, the first date from
which it has been off track without a break, checked at every month-end and on the as-of date;
for a stale KPI, its last record or check-in.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from urllib.parse import urlencode

import duckdb
import pandas as pd

from analytics import deliverables, labels, stays
from analytics.kpis import evaluate
from analytics.selection import checked_projects
from analytics.settings import StatusThresholds

STALE_DAYS = 60
PAGES = {"Deliverables": "deliverables", "KPIs": "kpis", "Exchanges": "exchanges", "Labels": "labels"}
SEVERITIES = ("high", "medium", "low")
COLUMNS = ["project_id", "severity", "area", "what", "since", "page", "link"]

EXPLANATIONS = {
    "high": "deliverables overdue (not submitted after the due date); KPIs overdue (due date passed, target "
            "not reached) or off track (pace below the at-risk threshold)",
    "medium": "ClusterXchange rule warnings; labels lapsing before the project end; label ladder problems; "
              "late submissions without a justification",
    "low": f"stale KPIs: no record and no check-in for {STALE_DAYS} days or more while the KPI is running",
    "since": "overdue KPI: the day after the due date; off-track KPI: the first date from which it has been off "
             "track without a break (checked at month-ends and on the as-of date); stale KPI: its last update; "
             "overdue deliverable: the day after its due date; rule warning: the end of the stay",
}


def _number(column: str) -> str:
    """SQL formatting a value as a person reads it: whole numbers without decimals."""
    return (f"CASE WHEN {column} = round({column}) THEN format('{{:,.0f}}', {column}) "
            f"ELSE format('{{:,.1f}}', {column}) END")


_KPI_ITEMS = f"""
    WITH h AS (SELECT *, CAST(as_of AS DATE) AS day FROM kpi_history),
    now AS (
        SELECT *, code || ' ' || name || CASE WHEN is_placeholder THEN ' (placeholder target)' ELSE '' END AS label
        FROM h WHERE day = $as_of
    ),
    last_other AS (
        SELECT project_id, code, max(day) FILTER (WHERE status <> 'off_track') AS day FROM h GROUP BY ALL
    ),
    off_since AS (
        SELECT h.project_id, h.code, min(h.day) AS since
        FROM h JOIN last_other o USING (project_id, code)
        WHERE h.status = 'off_track' AND (o.day IS NULL OR h.day > o.day)
        GROUP BY ALL
    )
    SELECT project_id, 'high' AS severity, 'KPIs' AS area,
           format('{{}}: overdue, {{}} of {{}} {{}} on the as-of date, due {{}}', label, {_number('actual')},
                  {_number('target')}, unit, strftime(CAST(due AS DATE), '%d.%m.%Y')) AS what,
           CAST(CAST(due AS DATE) + INTERVAL 1 DAY AS DATE) AS since
    FROM now WHERE status = 'overdue'
    UNION ALL
    SELECT now.project_id, 'high', 'KPIs',
           format('{{}}: off track, {{}} of {{}} {{}} with {{}} expected by now', label, {_number('actual')},
                  {_number('target')}, unit, {_number('expected')}),
           s.since
    FROM now JOIN off_since s USING (project_id, code) WHERE now.status = 'off_track'
    UNION ALL
    SELECT project_id, 'low', 'KPIs',
           format('{{}}: no record or check-in since {{}} ({{}} days)', label,
                  strftime(coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE)), '%d.%m.%Y'),
                  date_diff('day', coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE)), $as_of)),
           coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE))
    FROM now
    WHERE status IN ('on_track', 'at_risk', 'off_track')
      AND date_diff('day', coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE)), $as_of) >= $stale_days
"""


def kpi_items(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    *,
    thresholds: StatusThresholds | None = None,
    stale_days: int = STALE_DAYS,
) -> pd.DataFrame:
    """KPIs overdue, off track (with the start of the current off-track run) or stale."""
    ids = checked_projects(con, project_ids)
    first_start = con.execute(
        "SELECT min(start_date) FROM projects WHERE project_id IN (SELECT unnest($ids))", {"ids": ids}
    ).fetchone()[0]
    grid = {as_of}
    if first_start is not None and first_start <= as_of:
        grid.update(pd.date_range(first_start, as_of, freq="ME").date)
    history = evaluate(con, sorted(grid), project_ids=ids, thresholds=thresholds)
    con.register("kpi_history", history)
    try:
        return con.execute(_KPI_ITEMS, {"as_of": as_of, "stale_days": stale_days}).df()
    finally:
        con.unregister("kpi_history")


def needs_attention(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    project_ids: Iterable[str] | None = None,
    *,
    thresholds: StatusThresholds | None = None,
    stale_days: int = STALE_DAYS,
) -> pd.DataFrame:
    """Every finding of every area, most severe first, then oldest first, each with a link to the
    page that explains it (project and as-of date in the link, as the sidebar keeps them)."""
    ids = checked_projects(con, project_ids)
    parts = [
        deliverables.attention_items(con, ids, as_of),
        kpi_items(con, ids, as_of, thresholds=thresholds, stale_days=stale_days),
        stays.attention_items(con, ids, as_of),
        *(labels.attention_items(con, project_id, as_of) for project_id in ids),
    ]
    items = pd.concat([p for p in parts if not p.empty], ignore_index=True) if any(not p.empty for p in parts) \
        else pd.DataFrame(columns=COLUMNS[:5])
    items["since"] = pd.to_datetime(items["since"]).dt.date
    items["page"] = items["area"].map(PAGES)
    items["link"] = [f"{page}?{urlencode({'project': project, 'as_of': as_of.isoformat()})}"
                     for page, project in zip(items["page"], items["project_id"])]
    order = items["severity"].map(SEVERITIES.index)
    return (items.assign(_order=order).sort_values(["_order", "since", "project_id", "what"])
            .drop(columns="_order").reset_index(drop=True)[COLUMNS])
