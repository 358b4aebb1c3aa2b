"""The SQL behind analytics.kpis: every KPI evaluated at one or many as-of dates in one statement.

Shaped for speed at portfolio scale (1,000 projects, 10,000 KPIs, a million records), where the
time goes to planning a large statement as much as to running it:
- actuals of the additive measures come from the pre-aggregated facts (analytics.facts), not
  from the records; check-ins and labels, which are few, are read directly;
- the statement carries the as-of dates' overall bounds as constants (facts.asof_params), so
  every scan skips what no date can use;
- only KPIs with milestones go through the milestone brackets; the others ramp in one expression;
- the latest check-in (confidence, note) is joined only when a caller asks for those columns.
Parameters: $dates, facts.asof_params(dates), $on_track, $at_risk, and $projects when filtered.

Per KPI (``per_kpi``): only the KPIs in $kpi_projects / $kpi_codes (parallel lists), each at the
dates on or after its project's start. For a KPI's own history (the needs-attention list looks
back over the off-track ones only), this reads a few thousand KPI-dates instead of every KPI of
every project at every date.
"""
from __future__ import annotations

from analytics import facts, measures
from analytics.measures import events_sql

DAYS_PER_MONTH = 30.4375
STAY = "('stay_above', 'stay_below')"
LEVEL_RANK = "CASE {} WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 WHEN 'gold' THEN 3 END"

# Output columns, in order, with the expression over the joined relations of _FINAL.
COLUMNS = {
    "project_id": "v.project_id", "code": "v.code", "name": "v.name", "unit": "v.unit", "measure": "v.measure",
    "direction": "v.direction", "interpolation": "v.interpolation", "target": "v.target",
    "baseline": "v.baseline", "due": "v.due", "start_date": "v.start_date", "end_date": "v.end_date",
    "owner": "v.owner", "is_placeholder": "v.is_placeholder", "is_sample": "v.is_sample", "source": "v.source",
    "as_of": "v.as_of", "actual": "v.actual", "records": "v.records",
    "last_update_on": "greatest(v.last_record_on, lc.checkin_on)",
    "confidence": "lc.confidence", "checkin_note": "lc.checkin_note", "checkin_on": "lc.checkin_on",
    "expected": "v.expected", "target_met": "v.target_met", "progress": "v.progress", "pace": "v.pace",
    "status": f"""CASE
            WHEN v.as_of < v.start_date THEN 'not_started'
            WHEN v.direction IN {STAY} THEN
                CASE WHEN v.target_met THEN (CASE WHEN v.as_of >= v.due THEN 'achieved' ELSE 'on_track' END)
                     WHEN v.as_of > v.due THEN 'overdue' ELSE 'off_track' END
            WHEN v.target_met THEN 'achieved'
            WHEN v.as_of > v.due THEN 'overdue'
            WHEN v.pace IS NULL OR v.pace >= $on_track THEN 'on_track'
            WHEN v.pace >= $at_risk THEN 'at_risk'
            ELSE 'off_track'
        END""",
    "forecast": f"""CASE
            WHEN v.direction IN {STAY} OR v.as_of >= v.due THEN v.actual
            WHEN v.as_of <= v.start_date THEN NULL
            ELSE v.baseline + (v.actual - v.baseline) * date_diff('day', v.start_date, v.due)
                 / date_diff('day', v.start_date, v.as_of)
        END""",
    "required_rate_per_month": f"""CASE
            WHEN v.direction IN {STAY} THEN NULL
            WHEN v.target_met THEN 0.0
            WHEN v.as_of >= v.due THEN NULL
            ELSE (v.target - v.actual) / (date_diff('day', greatest(v.as_of, v.start_date), v.due) / {DAYS_PER_MONTH})
        END""",
    "days_left": "date_diff('day', v.as_of, v.due)",
}
CHECKIN_COLUMNS = {"last_update_on", "confidence", "checkin_note", "checkin_on"}
STATUSES = ("not_started", "achieved", "on_track", "at_risk", "off_track", "overdue")  # as kpis.STATUS_ORDER


def _names(aggregate: str) -> list[str]:
    return [m.name for m in measures.MEASURES.values() if m.aggregate == aggregate]


def _live_sql(names: list[str], where: str) -> str:
    """Events of the named measures (evaluated at query time), filtered by ``where``."""
    if not names:  # an empty relation of the events' shape
        return ("SELECT NULL AS measure, NULL AS project_id, NULL AS code, NULL AS partner, NULL AS entity, "
                "NULL::INTEGER AS level_rank, NULL::DATE AS d, NULL::DATE AS d_end, NULL::DOUBLE AS amount WHERE FALSE")
    return f"SELECT * FROM ({events_sql(names)}) WHERE {where}"


def project_filter(filtered: bool, column: str = "project_id") -> str:
    """The project filter: the projects in $projects, or all."""
    return f"list_contains($projects, {column})" if filtered else "TRUE"


# Where the date relation t meets the KPIs or the records. Per KPI, t holds (project_id, as_of)
# pairs and kt the (project_id, code, as_of) triples; otherwise t is the dates, for every KPI.
_ALL_DATES = {"kpi": "CROSS JOIN t", "ms": "CROSS JOIN t", "records": "", "checkins": ""}
_OWN_DATES = {
    "kpi": "JOIN kt t ON t.project_id = k.project_id AND t.code = k.code",
    "ms": "JOIN kt t ON t.project_id = ms.project_id AND t.code = ms.code",
    "records": " AND t.project_id = e.project_id",
    "checkins": " AND t.project_id = c.project_id",
}


def _dates_sql(per_kpi: bool) -> tuple[str, str]:
    """The CTEs of the dates: before k (every KPI at $dates), or after it (the asked KPIs' pairs)."""
    if not per_kpi:
        return "t AS (SELECT CAST(unnest($dates) AS DATE) AS as_of),", ""
    return "", """,
    asked AS (SELECT DISTINCT * FROM (SELECT unnest($kpi_projects) AS project_id, unnest($kpi_codes) AS code)),
    kt AS (  -- each asked KPI at the dates from its project's start on (before it: not started)
        SELECT k.project_id, k.code, d.as_of
        FROM k JOIN asked USING (project_id, code)
        JOIN (SELECT CAST(unnest($dates) AS DATE) AS as_of) d ON d.as_of >= k.start_date
    ),
    t AS (SELECT DISTINCT project_id, as_of FROM kt)"""


def _kept_actuals(filtered: bool, dates: list) -> str:
    """The actuals CTE read from kpi_steps: each KPI's interval holding the date, or nothing on
    record before its first (0, or the baseline for a check-in measure). The interval bounds
    also come as constants ($facts_hi: the latest date, $steps_lo: the earliest), so the scan
    drops every interval no date falls in before the join; for one date (the Portfolio) they are
    the whole condition."""
    on_dates = "CROSS JOIN t" if len(set(dates)) == 1 else "JOIN t ON s.d_from <= t.as_of AND s.d_to > t.as_of"
    return f"""
    actuals AS (
        SELECT k.project_id, k.code, t.as_of,
               coalesce(s.actual, CASE WHEN k.aggregate = 'latest' THEN CAST(k.baseline AS DOUBLE) ELSE 0.0 END)
                   AS actual,
               s.last_record_on, CAST(coalesce(s.records, 0) AS HUGEINT) AS records  -- the live sums' type
        FROM k CROSS JOIN t
        LEFT JOIN (
            SELECT s.project_id, s.code, t.as_of, s.actual, s.records, s.last_record_on
            FROM kpi_steps s {on_dates}
            WHERE s.d_from <= $facts_hi AND s.d_to > $steps_lo AND {project_filter(filtered, 's.project_id')}
        ) s ON s.project_id = k.project_id AND s.code = k.code AND s.as_of = t.as_of
    ),
"""


def evaluation_sql(*, filtered: bool, is_fresh: bool, columns: list[str], dates: list, per_kpi: bool = False,
                   kept: bool = False, ordered: bool = True) -> str:
    """One row per KPI and as-of date, with the requested COLUMNS (per_kpi: see the module doc).
    ``kept``: the actuals from kpi_steps (analytics.kpi_steps), current as the caller checked;
    not with per_kpi, which the KPI history's own rebuild uses while the steps are being written.
    ``ordered``: by project, code and date (a caller grouping or sorting the rows itself saves
    the sort, ~2 ms at 10,000 KPIs)."""
    if kept and per_kpi:
        raise ValueError("the kept steps serve evaluations of every KPI at the dates, not per KPI")
    where = project_filter(filtered)
    on = _OWN_DATES if per_kpi else _ALL_DATES
    dates_cte, pairs_cte = _dates_sql(per_kpi)
    pre_rel = "(SELECT project_id AS for_project, as_of FROM t)" if per_kpi else "t"
    with_checkins = bool(CHECKIN_COLUMNS & set(columns))
    checkin_cte = f""",
    lc AS (  -- the owner's latest check-in, shown beside the computed status
        SELECT c.project_id, c.code, t.as_of, arg_max(c.confidence, c.checked_on) AS confidence,
               arg_max(c.note, c.checked_on) AS checkin_note, max(c.checked_on) AS checkin_on
        FROM checkins c JOIN t ON c.checked_on <= t.as_of{on['checkins']}
        WHERE {project_filter(filtered, 'c.project_id')} AND c.checked_on <= $facts_hi
        GROUP BY ALL
    )""" if with_checkins else ""
    checkin_join = "LEFT JOIN lc ON lc.project_id = v.project_id AND lc.code = v.code AND lc.as_of = v.as_of" \
        if with_checkins else ""
    actuals = _kept_actuals(filtered, dates) if kept else f"""
    pre AS ({facts.asof_sql(facts.MEASURE_GRAIN, pre_rel, where, is_fresh, dates, by_project=per_kpi)}),
    latest AS (  -- grouped before meeting the KPIs: one row per measure, project, code and date
        SELECT e.measure, e.project_id, e.code, t.as_of, arg_max(e.amount, e.d) AS amount, max(e.d) AS d,
               count(*) AS records
        FROM ({_live_sql(_names('latest'), where + ' AND d <= $facts_hi')}) e JOIN t ON e.d <= t.as_of{on['records']}
        GROUP BY ALL
    ),
    labels AS ({_live_sql(_names('valid_at'), where + ' AND d <= $facts_hi')}),
    actuals AS (
        SELECT k.project_id, k.code, t.as_of,
            CAST(CASE k.aggregate
                WHEN 'distinct' THEN coalesce(p.new_in_project, 0)
                WHEN 'count'    THEN coalesce(p.events, 0)
                WHEN 'sum'      THEN coalesce(p.amount, 0)
            END AS DOUBLE) AS actual,
            p.last_d AS last_record_on, coalesce(p.events, 0) AS records
        FROM k {on['kpi']}
        LEFT JOIN pre p ON p.measure = k.measure AND p.project_id = k.project_id AND p.as_of = t.as_of
        WHERE k.aggregate IN {measures.PRE_AGGREGATED}
        UNION ALL
        SELECT k.project_id, k.code, t.as_of,
            CAST(coalesce(arg_max(l.amount, l.d), any_value(k.baseline)) AS DOUBLE),
            max(l.d), coalesce(sum(l.records), 0)
        FROM k {on['kpi']}
        LEFT JOIN latest l ON l.measure = k.measure AND l.project_id = k.project_id AND l.as_of = t.as_of
             AND (l.code IS NULL OR l.code = k.code)
        WHERE k.aggregate = 'latest'
        GROUP BY k.project_id, k.code, t.as_of
        UNION ALL
        -- held on the date, but never later than the due date: a grant asks for labels valid at
        -- its end, and a label lapsing after that does not undo a target reached
        SELECT k.project_id, k.code, t.as_of,
            CAST(count(DISTINCT e.entity) FILTER (WHERE e.d <= least(t.as_of, k.due)
                                                    AND e.d_end >= least(t.as_of, k.due)) AS DOUBLE),
            max(e.d) FILTER (WHERE e.d <= t.as_of), count(e.d) FILTER (WHERE e.d <= t.as_of)
        FROM k {on['kpi']}
        LEFT JOIN labels e ON e.measure = k.measure AND e.project_id = k.project_id
             AND (e.code IS NULL OR e.code = k.code)
             AND (k.min_rank IS NULL OR e.level_rank >= k.min_rank)
        WHERE k.aggregate = 'valid_at'
        GROUP BY k.project_id, k.code, t.as_of
    ),
"""
    return f"""
    WITH {dates_cte}
    k AS (
        SELECT k.*, p.start_date, p.end_date, coalesce(k.due_date, p.end_date) AS due,
               {measures.aggregate_sql('k.measure')} AS aggregate, {LEVEL_RANK.format('k.min_label_level')} AS min_rank
        FROM kpis k JOIN projects p USING (project_id)
        WHERE {project_filter(filtered, 'k.project_id')}
    ){pairs_cte},
{actuals}    ms AS (  -- milestones as points; a month Mn is due on its last day
        SELECT m.project_id, m.code, m.expected AS v, k.start_date, k.baseline, k.due, k.target,
               coalesce(m.on_date, CAST(k.start_date + to_months(m.month) - INTERVAL 1 DAY AS DATE)) AS d
        FROM kpi_milestones m JOIN k USING (project_id, code)
    ),
    brackets AS (  -- KPIs with milestones: the points either side of each date; the start (with the
                   -- baseline) and the due date (with the target) are the outer points
        SELECT project_id, code, as_of,
               CASE WHEN md0 >= start_date THEN md0 ELSE start_date END AS d0,
               CASE WHEN md0 >= start_date THEN mv0 ELSE baseline END AS v0,
               coalesce(md1, due) AS d1, CASE WHEN md1 IS NOT NULL THEN mv1 ELSE target END AS v1
        FROM (
            SELECT ms.project_id, ms.code, t.as_of, any_value(ms.start_date) AS start_date,
                   any_value(ms.baseline) AS baseline, any_value(ms.due) AS due, any_value(ms.target) AS target,
                   max(ms.d) FILTER (WHERE ms.d <= t.as_of AND ms.d <= ms.due) AS md0,
                   arg_max(ms.v, ms.d) FILTER (WHERE ms.d <= t.as_of AND ms.d <= ms.due) AS mv0,
                   min(ms.d) FILTER (WHERE ms.d > t.as_of AND ms.d <= ms.due) AS md1,
                   arg_min(ms.v, ms.d) FILTER (WHERE ms.d > t.as_of AND ms.d <= ms.due) AS mv1
            FROM ms {on['ms']}
            GROUP BY ms.project_id, ms.code, t.as_of
        )
    ),
    valued AS (
        SELECT k.*, a.as_of, a.actual, a.records, a.last_record_on,
               CASE
                   WHEN k.direction IN {STAY} THEN k.target
                   WHEN a.as_of < k.start_date THEN k.baseline
                   WHEN a.as_of >= k.due THEN k.target
                   WHEN b.project_id IS NULL  -- no milestones: a straight ramp from start to due
                       THEN k.baseline + (k.target - k.baseline) * date_diff('day', k.start_date, a.as_of)
                            / date_diff('day', k.start_date, k.due)
                   WHEN k.interpolation = 'step' THEN b.v0
                   ELSE b.v0 + (b.v1 - b.v0) * date_diff('day', b.d0, a.as_of) / date_diff('day', b.d0, b.d1)
               END AS expected,
               CASE k.direction
                   WHEN 'increase'   THEN a.actual >= k.target
                   WHEN 'decrease'   THEN a.actual <= k.target
                   WHEN 'stay_above' THEN a.actual >= k.target
                   WHEN 'stay_below' THEN a.actual <= k.target
               END AS target_met
        FROM k JOIN actuals a USING (project_id, code)
        LEFT JOIN brackets b ON b.project_id = k.project_id AND b.code = k.code AND b.as_of = a.as_of
    ),
    paced AS (
        SELECT *,
               CASE WHEN direction IN {STAY} THEN NULL
                    ELSE (actual - baseline) / (target - baseline) END AS progress,
               CASE WHEN direction IN {STAY} OR expected = baseline THEN NULL
                    ELSE (actual - baseline) / (expected - baseline) END AS pace
        FROM valued
    ){checkin_cte}
    SELECT {", ".join(f"{COLUMNS[c]} AS {c}" for c in columns)}
    FROM paced v {checkin_join}
    {"ORDER BY v.project_id, v.code, v.as_of" if ordered else ""}
    """


def status_counts_sql(*, filtered: bool, is_fresh: bool, dates: list, kept: bool = False) -> str:
    """Per project: its KPIs by status at one date, and whether any KPI is sample data."""
    counts = ", ".join(f"count(*) FILTER (WHERE status = '{s}') AS {s}" for s in STATUSES)
    inner = evaluation_sql(filtered=filtered, is_fresh=is_fresh, columns=["project_id", "status", "is_sample"],
                           dates=dates, kept=kept, ordered=False)
    return f"""SELECT project_id, {counts}, count(*) AS kpis, bool_or(is_sample) AS has_sample_kpis
               FROM ({inner}) GROUP BY project_id ORDER BY project_id"""


def partner_breakdown_sql(is_fresh: bool) -> str:
    """Parameters $project, $as_of: each KPI's measure by partner (see kpis.partner_breakdown)."""
    return f"""
    WITH k AS (
        SELECT k.code, k.measure, {measures.aggregate_sql('k.measure')} AS aggregate,
               {LEVEL_RANK.format('k.min_label_level')} AS min_rank,
               least(CAST($as_of AS DATE), coalesce(k.due_date, p.end_date)) AS label_day  -- as in evaluation_sql
        FROM kpis k JOIN projects p USING (project_id) WHERE k.project_id = $project
    ),
    pre AS (  -- distinct: entities first seen for the partner by the date
        SELECT measure, partner, sum(events) AS events, sum(amount) AS amount, sum(new_in_partner) AS new_in_partner
        FROM {facts.daily(facts.MEASURE_GRAIN, is_fresh)}
        WHERE project_id = $project AND partner IS NOT NULL AND d <= $as_of
        GROUP BY ALL HAVING sum(events) > 0
    ),
    labels AS (SELECT * FROM ({_live_sql(_names('valid_at'), '$project = project_id')})
               WHERE partner IS NOT NULL AND d <= $as_of)
    SELECT k.code, p.partner,
        CAST(CASE k.aggregate
            WHEN 'distinct' THEN p.new_in_partner
            WHEN 'count'    THEN p.events
            WHEN 'sum'      THEN p.amount
        END AS DOUBLE) AS value
    FROM k JOIN pre p ON p.measure = k.measure
    WHERE k.aggregate IN {measures.PRE_AGGREGATED}
    UNION ALL
    SELECT k.code, e.partner,
           CAST(count(DISTINCT e.entity) FILTER (WHERE e.d <= k.label_day AND e.d_end >= k.label_day) AS DOUBLE)
    FROM k JOIN labels e ON e.measure = k.measure AND (k.min_rank IS NULL OR e.level_rank >= k.min_rank)
    WHERE k.aggregate = 'valid_at'
    GROUP BY k.code, e.partner
    ORDER BY code, partner
    """
