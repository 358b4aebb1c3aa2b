"""The limit: for each benchmarked answer, one hand-written DuckDB query over the raw tables.

What an SQL expert would write for that one answer, with no layers: constants where the answer
allows (one date, one project), COUNT DISTINCT over the records, no pre-aggregated tables. The
ratio ClusterBoard / limit is the overhead of our layers (Python, the measure registry, general
SQL). The partner finder's and the gap scores' limits are the product's statements reading the
source tables instead of the pre-computed candidates (partner_facts) and supply (supply_facts).
Agreement with the product at scale S is a test.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics import gaps, partners
from analytics.market_filters import query

# Every KPI of the selected projects at every date of t: actual, expected, status.
_KPIS = """
WITH t AS (SELECT CAST(unnest($dates) AS DATE) AS as_of),
k AS (
    SELECT k.*, p.start_date, coalesce(k.due_date, p.end_date) AS due, p.indirect_rate,
           CASE k.min_label_level WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 WHEN 'gold' THEN 3 END AS min_rank
    FROM kpis k JOIN projects p USING (project_id) WHERE {where}
),
ev AS (
    SELECT 'managers_trained' AS measure, project_id, NULL AS code, lower(person) || '|' || lower(organisation) AS entity,
           trained_on AS d, 1.0 AS amount FROM trainings WHERE {where}
    UNION ALL SELECT 'organisations_exchanged', project_id, NULL, lower(visitor_org), end_date, 1.0 FROM exchanges WHERE {where}
    UNION ALL SELECT 'exchanges', project_id, NULL, exchange_id, end_date, 1.0 FROM exchanges WHERE {where}
    UNION ALL SELECT 'missions', project_id, NULL, mission_id, end_date, 1.0 FROM missions WHERE {where}
    UNION ALL SELECT 'mission_participants', project_id, NULL, mission_id, end_date, participants FROM missions WHERE {where}
    UNION ALL SELECT 'budget_spent', e.project_id, NULL, expense_id, spent_on,
                     CAST(amount AS DOUBLE) * CASE WHEN category IN ('A', 'C1', 'C2', 'C3')
                                                  THEN 1 + CAST(p.indirect_rate AS DOUBLE) ELSE 1 END
              FROM expenses e JOIN projects p USING (project_id) WHERE {where_e}
    UNION ALL SELECT 'deliverables_submitted', project_id, NULL, code, submitted_on, 1.0 FROM deliverables
              WHERE {where} AND submitted_on IS NOT NULL
    UNION ALL SELECT 'manual', project_id, code, NULL, checked_on, value FROM checkins WHERE {where}
),
act AS (
    SELECT k.project_id, k.code, t.as_of,
           CASE k.measure
               WHEN 'managers_trained' THEN count(DISTINCT e.entity)
               WHEN 'organisations_exchanged' THEN count(DISTINCT e.entity)
               WHEN 'manual' THEN coalesce(arg_max(e.amount, e.d), any_value(k.baseline))
               WHEN 'mission_participants' THEN coalesce(sum(e.amount), 0)
               WHEN 'budget_spent' THEN coalesce(sum(e.amount), 0)
               ELSE count(e.d) END AS actual
    FROM k CROSS JOIN t LEFT JOIN ev e ON e.measure = k.measure AND e.project_id = k.project_id
         AND (e.code IS NULL OR e.code = k.code) AND e.d <= t.as_of
    WHERE k.measure <> 'labels_awarded'
    GROUP BY k.project_id, k.code, t.as_of, k.measure
    UNION ALL
    SELECT k.project_id, k.code, t.as_of, count(DISTINCT la.organisation)
    FROM k CROSS JOIN t LEFT JOIN partners pa ON pa.project_id = k.project_id
    LEFT JOIN label_awards la ON la.organisation = pa.organisation AND la.assessed_on <= least(t.as_of, k.due)
         AND la.valid_until >= least(t.as_of, k.due)
         AND (k.min_rank IS NULL OR CASE la.level WHEN 'bronze' THEN 1 WHEN 'silver' THEN 2 ELSE 3 END >= k.min_rank)
    WHERE k.measure = 'labels_awarded'
    GROUP BY ALL
),
pts AS (
    SELECT m.project_id, m.code, m.on_date AS d, m.expected AS v FROM kpi_milestones m SEMI JOIN k USING (project_id, code)
    UNION ALL SELECT project_id, code, start_date, baseline FROM k
    UNION ALL SELECT project_id, code, due, target FROM k
),
br AS (
    SELECT k.project_id, k.code, t.as_of,
           max(p.d) FILTER (p.d <= t.as_of) AS d0, arg_max(p.v, p.d) FILTER (p.d <= t.as_of) AS v0,
           min(p.d) FILTER (p.d > t.as_of) AS d1, arg_min(p.v, p.d) FILTER (p.d > t.as_of) AS v1
    FROM k CROSS JOIN t JOIN pts p ON p.project_id = k.project_id AND p.code = k.code AND p.d <= k.due
    GROUP BY ALL
),
n_ms AS (SELECT project_id, code, count(*) AS n_ms FROM kpi_milestones SEMI JOIN k USING (project_id, code) GROUP BY ALL),
v AS (
    SELECT k.project_id, k.code, a.as_of, a.actual, k.target, k.baseline, k.direction, k.start_date, k.due,
           CASE WHEN k.direction IN ('stay_above', 'stay_below') THEN k.target
                WHEN a.as_of < k.start_date THEN k.baseline WHEN a.as_of >= k.due THEN k.target
                WHEN k.interpolation = 'step' AND n.n_ms > 0 THEN b.v0
                ELSE b.v0 + (b.v1 - b.v0) * date_diff('day', b.d0, a.as_of) / date_diff('day', b.d0, b.d1) END AS expected,
           CASE WHEN k.direction IN ('increase', 'stay_above') THEN a.actual >= k.target ELSE a.actual <= k.target END AS met
    FROM k JOIN act a USING (project_id, code) JOIN br b USING (project_id, code, as_of)
    LEFT JOIN n_ms n USING (project_id, code)
)
SELECT project_id, code, as_of, actual, expected,
       CASE WHEN as_of < start_date THEN 'not_started'
            WHEN direction IN ('stay_above', 'stay_below') THEN
                CASE WHEN met AND as_of >= due THEN 'achieved' WHEN met THEN 'on_track'
                     WHEN as_of > due THEN 'overdue' ELSE 'off_track' END
            WHEN met THEN 'achieved' WHEN as_of > due THEN 'overdue'
            WHEN expected = baseline OR (actual - baseline) / (expected - baseline) >= 0.9 THEN 'on_track'
            WHEN (actual - baseline) / (expected - baseline) >= 0.7 THEN 'at_risk' ELSE 'off_track' END AS status
FROM v
"""

_PORTFOLIO = f"""
WITH s AS ({_KPIS.format(where="TRUE", where_e="TRUE")}),
spent AS (
    SELECT e.project_id, sum(e.amount * CASE WHEN e.category IN ('A', 'C1', 'C2', 'C3') THEN 1 + p.indirect_rate ELSE 1 END) AS spent
    FROM expenses e JOIN projects p USING (project_id) WHERE e.spent_on <= $dates[1] GROUP BY ALL
),
planned AS (SELECT project_id, sum(amount) AS planned FROM budget_lines GROUP BY ALL)
SELECT p.project_id, CAST(coalesce(pl.planned, 0) AS DOUBLE) AS planned, round(CAST(coalesce(sp.spent, 0) AS DOUBLE), 2) AS spent,
       CASE WHEN pl.planned > 0 AND $dates[1] >= p.start_date
            THEN CAST(coalesce(sp.spent, 0) / pl.planned AS DOUBLE)
                 / (least(date_diff('day', p.start_date, $dates[1]) + 1, date_diff('day', p.start_date, p.end_date) + 1)
                    / (date_diff('day', p.start_date, p.end_date) + 1)) END AS burn_index,
       count(*) FILTER (s.status = 'not_started') AS not_started, count(*) FILTER (s.status = 'achieved') AS achieved,
       count(*) FILTER (s.status = 'on_track') AS on_track, count(*) FILTER (s.status = 'at_risk') AS at_risk,
       count(*) FILTER (s.status = 'off_track') AS off_track, count(*) FILTER (s.status = 'overdue') AS overdue
FROM projects p LEFT JOIN s USING (project_id) LEFT JOIN spent sp USING (project_id) LEFT JOIN planned pl USING (project_id)
GROUP BY ALL ORDER BY p.project_id
"""

# The Budget page's whole answer, as analytics.budget.project_budget gives it, in one statement over
# the raw expenses, budget lines and project. Rows by ``level``:
# - cell: planned and spent per partner and category at $as_of, with each partner's E in cents;
# - category, partner: those summed, with the spent share;
# - now, series: the totals at $as_of and at each of $dates, with the EU contribution, the days
#   elapsed, the linear plan to date, the burn index (the summary's at now, the burn line's in the
#   series: none in the first 30 days) and the projected spend.
_BUDGET = """
WITH p AS (
    SELECT start_date, indirect_rate, eu_rate, date_diff('day', start_date, end_date) + 1 AS days
    FROM projects WHERE project_id = $project
),
e AS (SELECT partner, category, spent_on AS d, amount FROM expenses WHERE project_id = $project AND spent_on <= $as_of),
b AS (SELECT partner, category, amount FROM budget_lines WHERE project_id = $project),
direct AS (SELECT partner, category, sum(amount) AS spent FROM e GROUP BY ALL),
cells AS (
    SELECT coalesce(b.partner, s.partner) AS partner, coalesce(b.category, s.category) AS category,
           coalesce(b.amount, 0) AS planned, coalesce(s.spent, 0) AS spent
    FROM b FULL JOIN (
        SELECT * FROM direct
        UNION ALL  -- E per partner in cents
        SELECT d.partner, 'E', round(sum(d.spent) * any_value(p.indirect_rate), 2)
        FROM direct d, p WHERE d.category IN ('A', 'C1', 'C2', 'C3') GROUP BY d.partner
    ) s ON s.partner = b.partner AND s.category = b.category
),
t AS (SELECT CAST($as_of AS DATE) AS as_of, 'now' AS level UNION ALL SELECT CAST(unnest($dates) AS DATE), 'series'),
tot AS (  -- the totals at each date, E per partner in cents
    SELECT level, as_of, sum(direct + round(base * p.indirect_rate, 2)) AS spent, sum(fstp) AS fstp,
           least(greatest(date_diff('day', any_value(p.start_date), as_of) + 1, 0), any_value(p.days)) AS elapsed,
           any_value(p.days) AS days, any_value(p.eu_rate) AS eu_rate, (SELECT sum(amount) FROM b) AS planned
    FROM (SELECT t.level, t.as_of, e.partner, coalesce(sum(e.amount), 0) AS direct,
                 coalesce(sum(e.amount) FILTER (e.category IN ('A', 'C1', 'C2', 'C3')), 0) AS base,
                 coalesce(sum(e.amount) FILTER (e.category = 'D1'), 0) AS fstp
          FROM t LEFT JOIN e ON e.d <= t.as_of GROUP BY ALL), p
    GROUP BY level, as_of
)
SELECT 'cell' AS level, CAST($as_of AS DATE) AS as_of, partner, category, CAST(planned AS DOUBLE) AS planned,
       round(CAST(spent AS DOUBLE), 2) AS spent, NULL::DOUBLE AS spent_share, NULL::DOUBLE AS eu_contribution,
       NULL::BIGINT AS elapsed_days, NULL::DOUBLE AS planned_to_date, NULL::DOUBLE AS burn_index, NULL::DOUBLE AS projected_spend
FROM cells
UNION ALL
SELECT CASE WHEN GROUPING(category) = 0 THEN 'category' ELSE 'partner' END, CAST($as_of AS DATE), partner, category,
       sum(planned), round(CAST(sum(spent) AS DOUBLE), 2),
       CASE WHEN sum(planned) > 0 THEN round(CAST(sum(spent) AS DOUBLE), 2) / CAST(sum(planned) AS DOUBLE) END, NULL, NULL, NULL, NULL, NULL
FROM cells GROUP BY GROUPING SETS ((category), (partner))
UNION ALL
SELECT level, as_of, NULL, NULL, coalesce(planned, 0), round(CAST(spent AS DOUBLE), 2),
       CASE WHEN planned > 0 THEN round(CAST(spent AS DOUBLE), 2) / CAST(planned AS DOUBLE) END,
       round(CAST(eu_rate * (spent - fstp) + fstp AS DOUBLE), 2), elapsed,
       coalesce(planned, 0) * (elapsed / days),
       CASE WHEN level = 'now' THEN CASE WHEN planned > 0 AND elapsed > 0 THEN (round(CAST(spent AS DOUBLE), 2) / CAST(planned AS DOUBLE)) / (elapsed / days) END
            WHEN planned > 0 AND elapsed >= 30 THEN round(CAST(spent AS DOUBLE), 2) / (CAST(planned AS DOUBLE) * (elapsed / days)) END,
       CASE WHEN elapsed > 0 THEN round(CAST(spent AS DOUBLE), 2) / (elapsed / days) END
FROM tot
"""


def portfolio(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    return con.execute(_PORTFOLIO, {"dates": [as_of]}).df()


def project_kpis(con: duckdb.DuckDBPyConnection, project: str, dates: list[date]) -> pd.DataFrame:
    sql = _KPIS.format(where="project_id = $project", where_e="e.project_id = $project")
    return con.execute(sql, {"dates": dates, "project": project}).df()


def project_budget(con: duckdb.DuckDBPyConnection, project: str, as_of: date, dates: list[date]) -> dict:
    """The budget answer at ``as_of`` with the burn series at ``dates`` (on or before it), as numpy
    columns: the product fetches its ~65 rows so too (.df() costs a few ms more)."""
    return con.execute(_BUDGET, {"project": project, "as_of": as_of, "dates": dates}).fetchnumpy()


def gap_scores(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The product's statement run bare over the source tables: capacity from the competencies,
    not from the pre-aggregated supply (default selection and weights)."""
    from analytics.market_filters import MarketFilters

    return query(con, *gaps.statement(MarketFilters(), gaps.GapWeights(), supply=None))


def find_partners(con: duckdb.DuckDBPyConnection, sector_id: str, min_level: int = 2) -> pd.DataFrame:
    """The product's statement run bare over the source tables, not the pre-computed candidates."""
    return query(con, *partners.statement(partners.PartnerQuery(sector_id=sector_id, min_level=min_level)))
