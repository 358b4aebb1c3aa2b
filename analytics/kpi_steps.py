"""Each KPI's actual as a step function of the as-of date, kept per KPI (issue 8).

Why: the Portfolio evaluates every KPI at the as-of date (10,000 at 1,000 projects). Computed
per request, each of the five aggregates takes a branch of its own: the facts' checkpoints and
daily tail summed per measure, the latest check-in per KPI, the labels valid on the date. That
came to ~45 ms for one date, in ~40 operators of a millisecond or two each plus ~11 ms of
planning. No operator stood out, so no faster version of the same statement would help.

But a KPI's actual, its record count and its last record date change only on the days its
records do: on a day with records, and for labels also on the day after one lapses. So they
are kept as intervals. ``kpi_steps`` holds one row per KPI and change day, valid from ``d_from``
up to (not including) ``d_to``. A change day is a day on which a value can change, so a row may
repeat the one before it: a label lapsing after the due date changes nothing, because labels are
then counted on the due date. An evaluation at any date then reads one interval per KPI in
one filtered scan. Before a KPI's first interval nothing is on record: actual 0 (the baseline
for a check-in measure), no records.

Built from the same inputs as the live statement (analytics.kpi_sql):
- distinct, count and sum from the daily facts (analytics.facts), summed in date order;
- latest from the measure's events (check-ins), the newest on each day;
- valid_at (labels) from the events, counted on min(day, due date) at each change day.
Tested equal to the live statement (kept_steps off) on the seed and at scale S on many dates.

Kept current by analytics.kpi_history, which already finds the KPIs each write changes (its
sources record is the steps' too): the steps of those KPIs are computed again in the write's
transaction, before the off-track runs. Readers use the steps when kpi_history's row counts are
current (kpi_history.inputs_fresh_sql), else the live statement.
"""
from __future__ import annotations

import duckdb

from analytics import kpi_sql, measures
from analytics.measures import PRE_AGGREGATED, events_sql

# d_to of the last interval: open-ended (DuckDB's largest ordinary date).
OPEN_END = "DATE '9999-12-31'"


def _names(aggregate: str) -> list[str]:
    return [m.name for m in measures.MEASURES.values() if m.aggregate == aggregate]


def _events(aggregate: str) -> str:
    """The events of the measures with this aggregate, or an empty relation of their shape."""
    names = _names(aggregate)
    return events_sql(names) if names else kpi_sql._live_sql([], "TRUE")


def steps_sql(scoped: bool) -> str:
    """SELECT project_id, code, d_from, d_to, actual, records, last_record_on of every KPI, or with
    ``scoped`` of the KPIs in $kpi_projects / $kpi_codes (parallel lists)."""
    scope = ("JOIN (SELECT unnest($kpi_projects) AS project_id, unnest($kpi_codes) AS code) asked "
             "USING (project_id, code)") if scoped else ""
    project_scope = "WHERE project_id IN (SELECT project_id FROM k)" if scoped else ""
    return f"""
    WITH k AS (
        SELECT k.project_id, k.code, k.measure, coalesce(k.due_date, p.end_date) AS due,
               {measures.aggregate_sql('k.measure')} AS aggregate,
               {kpi_sql.LEVEL_RANK.format('k.min_label_level')} AS min_rank
        FROM kpis k JOIN projects p USING (project_id) {scope}
    ),
    -- distinct, count, sum: the daily facts per measure, project and day (all partners), summed up
    -- to each day; a distinct count is the sum of first appearances (analytics.facts)
    days AS (
        SELECT measure, project_id, d, sum(events) AS events, sum(amount) AS amount,
               sum(new_in_project) AS new_in_project
        FROM measure_daily {project_scope} GROUP BY ALL
    ),
    additive AS (
        SELECT k.project_id, k.code, f.d AS d_from,
               CAST(CASE k.aggregate WHEN 'distinct' THEN sum(f.new_in_project) OVER w
                                     WHEN 'count' THEN sum(f.events) OVER w
                                     ELSE sum(f.amount) OVER w END AS DOUBLE) AS actual,
               sum(f.events) OVER w AS records, f.d AS last_record_on
        FROM k JOIN days f USING (measure, project_id)
        WHERE k.aggregate IN {PRE_AGGREGATED}
        WINDOW w AS (PARTITION BY k.project_id, k.code ORDER BY f.d ROWS UNBOUNDED PRECEDING)
    ),
    -- latest: the newest event's value (check-ins are unique per KPI and day)
    latest_days AS (
        SELECT k.project_id, k.code, e.d, arg_max(e.amount, e.d) AS amount, count(*) AS n
        FROM k JOIN ({_events('latest')}) e ON e.measure = k.measure AND e.project_id = k.project_id
             AND (e.code IS NULL OR e.code = k.code)
        WHERE k.aggregate = 'latest' AND e.d IS NOT NULL
        GROUP BY ALL
    ),
    latest AS (
        SELECT project_id, code, d AS d_from, CAST(amount AS DOUBLE) AS actual,
               sum(n) OVER (PARTITION BY project_id, code ORDER BY d ROWS UNBOUNDED PRECEDING) AS records,
               d AS last_record_on
        FROM latest_days
    ),
    -- valid_at: held on min(day, due date) (as kpi_sql counts labels); changes when a label is
    -- assessed and on the day after one lapses
    held AS (
        SELECT k.project_id, k.code, k.due, e.entity, e.d, e.d_end
        FROM k JOIN ({_events('valid_at')}) e ON e.measure = k.measure AND e.project_id = k.project_id
             AND (e.code IS NULL OR e.code = k.code) AND (k.min_rank IS NULL OR e.level_rank >= k.min_rank)
        WHERE k.aggregate = 'valid_at' AND e.d IS NOT NULL
    ),
    changes AS (
        SELECT DISTINCT project_id, code, due, day FROM (
            SELECT project_id, code, due, d AS day FROM held
            UNION ALL
            SELECT project_id, code, due, CAST(d_end + INTERVAL 1 DAY AS DATE) FROM held WHERE d_end IS NOT NULL
        )
    ),
    valid AS (
        SELECT c.project_id, c.code, c.day AS d_from,
               CAST(count(DISTINCT h.entity) FILTER (WHERE h.d <= least(c.day, c.due)
                                                       AND h.d_end >= least(c.day, c.due)) AS DOUBLE) AS actual,
               count(h.d) FILTER (WHERE h.d <= c.day) AS records, max(h.d) FILTER (WHERE h.d <= c.day) AS last_record_on
        FROM changes c JOIN held h USING (project_id, code)
        GROUP BY c.project_id, c.code, c.day
    ),
    steps AS (
        SELECT project_id, code, d_from, actual, CAST(records AS BIGINT) AS records, last_record_on FROM additive
        UNION ALL SELECT project_id, code, d_from, actual, CAST(records AS BIGINT), last_record_on FROM latest
        UNION ALL SELECT project_id, code, d_from, actual, CAST(records AS BIGINT), last_record_on FROM valid
    )
    SELECT project_id, code, d_from,
           lead(d_from, 1, {OPEN_END}) OVER (PARTITION BY project_id, code ORDER BY d_from) AS d_to,
           actual, records, last_record_on
    FROM steps
    """


# By the interval's end: an evaluation at one date (every KPI, the Portfolio) reads the few row
# groups of intervals ending soon after it and the open-ended ones, not all of them (at 1,000
# projects, a ~2 ms scan instead of ~6; one project's page scans more, ~4 ms instead of ~0.3).
_ORDER = "d_to, d_from"


def refresh(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]] | None,
            whole: list[str] = ()) -> None:
    """Compute the steps again: of every KPI (``keys`` None), or of the KPIs in ``keys`` and of
    every KPI of the projects in ``whole`` (their old rows deleted, also of KPIs removed since).
    Call inside the transaction that wrote the inputs, after the facts."""
    if keys is None:
        con.execute("DELETE FROM kpi_steps")
        con.execute(f"INSERT INTO kpi_steps SELECT * FROM ({steps_sql(False)}) ORDER BY {_ORDER}")
        return
    if whole:
        con.execute("DELETE FROM kpi_steps WHERE project_id IN (SELECT unnest($projects))", {"projects": list(whole)})
    if keys:
        params = {"kpi_projects": [p for p, _ in keys], "kpi_codes": [c for _, c in keys]}
        con.execute("""DELETE FROM kpi_steps s USING (SELECT unnest($kpi_projects) AS p, unnest($kpi_codes) AS c) k
                       WHERE s.project_id = k.p AND s.code = k.c""", params)
        con.execute(f"INSERT INTO kpi_steps SELECT * FROM ({steps_sql(True)}) ORDER BY {_ORDER}", params)
