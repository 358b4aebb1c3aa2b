"""Portfolio: every project at the as-of date: KPI statuses, budget burn and time elapsed."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics import facts, kpi_sql, kpis
from analytics.kpis import STATUS_ORDER, evaluate
from analytics.projects import OVERVIEW_SQL
from analytics.settings import BurnThresholds, StatusThresholds

MATRIX_COLUMNS = ["project_id", "code", "name", "unit", "target", "actual", "progress", "status", "is_placeholder", "is_sample"]


def kpi_matrix(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: StatusThresholds | None = None,
               project_ids: list[str] | None = None) -> pd.DataFrame:
    """Every KPI of every project (or of ``project_ids``: the viewer's own) at the as-of date."""
    return evaluate(con, [as_of], project_ids=project_ids, thresholds=thresholds, columns=MATRIX_COLUMNS)


def _burn_sql(is_fresh: bool, as_of: date) -> str:
    """Planned, spent (with flat-rate indirect costs) and burn index per project at $as_of.

    Spent comes from the monthly expense checkpoints (analytics.facts): all direct costs plus the
    flat rate on A, C1, C2 and C3, the same exact decimal as summing every expense.
    """
    spent = facts.asof_sql(facts.EXPENSE_GRAIN, "(SELECT CAST($as_of AS DATE) AS as_of)", "TRUE", is_fresh, [as_of])
    return f"""
        WITH p AS (
            SELECT project_id, start_date, end_date, indirect_rate,
                   date_diff('day', start_date, end_date) + 1 AS duration_days,
                   least(greatest(date_diff('day', start_date, $as_of) + 1, 0),
                         date_diff('day', start_date, end_date) + 1) AS elapsed_days
            FROM projects
        ),
        spent AS (
            SELECT f.project_id, f.amount + f.indirect_base * p.indirect_rate AS spent
            FROM ({spent}) f JOIN p USING (project_id)
        ),
        planned AS (SELECT project_id, sum(amount) AS planned FROM budget_lines GROUP BY project_id)
        SELECT p.project_id, CAST(coalesce(planned.planned, 0) AS DOUBLE) AS planned,
               round(CAST(coalesce(spent.spent, 0) AS DOUBLE), 2) AS spent,
               p.elapsed_days / p.duration_days AS elapsed_share,
               CASE WHEN planned.planned > 0 THEN CAST(coalesce(spent.spent, 0) / planned.planned AS DOUBLE) END AS spent_share,
               CASE WHEN planned.planned > 0 AND p.elapsed_days > 0
                    THEN CAST(coalesce(spent.spent, 0) / planned.planned AS DOUBLE) / (p.elapsed_days / p.duration_days) END AS burn_index
        FROM p LEFT JOIN spent USING (project_id) LEFT JOIN planned USING (project_id)
    """


def budget_burn(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Planned, spent (with flat-rate indirect costs) and burn index for every project, in one query."""
    is_fresh = facts.fresh(con)
    return con.execute(_burn_sql(is_fresh, as_of) + " ORDER BY p.project_id",
                       {"as_of": as_of} | facts.asof_params([as_of], is_fresh)).df()


def overview(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    thresholds: StatusThresholds | None = None,
    burn: BurnThresholds | None = None,
    project_ids: list[str] | None = None,
) -> pd.DataFrame:
    """One row per project (all, or ``project_ids``): time elapsed, KPI counts by status, budget burn.

    One statement: the time, the KPI statuses and the budget each cost more to plan than to run
    at a thousand projects, so they are planned together (issue 8).
    """
    from analytics.budget import burn_flag

    burn = burn or BurnThresholds()
    params = kpis.evaluation_params(con, [as_of], project_ids, thresholds)
    is_fresh = params.pop("_fresh")
    counts_sql = kpi_sql.status_counts_sql(filtered=project_ids is not None, is_fresh=is_fresh, dates=[as_of],
                                           kept=params.pop("_kept"))
    counted = ", ".join(f"coalesce(c.{s}, 0) AS {s}" for s in STATUS_ORDER + ["kpis"])
    sql = f"""
        WITH o AS ({OVERVIEW_SQL}), c AS ({counts_sql}), b AS ({_burn_sql(is_fresh, as_of)})
        SELECT o.*, {counted}, b.planned, b.spent, b.spent_share, b.burn_index, c.has_sample_kpis
        FROM o LEFT JOIN c USING (project_id) LEFT JOIN b USING (project_id)
        WHERE {kpi_sql.project_filter(project_ids is not None, 'o.project_id')}
        ORDER BY o.project_id
    """
    df = con.execute(sql, params | {"as_of": as_of}).df()
    df[STATUS_ORDER + ["kpis"]] = df[STATUS_ORDER + ["kpis"]].astype("int64")
    df["burn_flag"] = [burn_flag(None if pd.isna(b) else b, burn) for b in df["burn_index"]]
    return df


# The status matrix reads well up to a few dozen projects; a portfolio of a thousand draws it for
# the projects that most need a look (the table lists every project).
MATRIX_PROJECTS = 30


def matrix_focus(overview: pd.DataFrame, limit: int = MATRIX_PROJECTS) -> list[str]:
    """The projects the status matrix shows: all when they fit, else the ``limit`` with the most
    KPIs overdue or off track, then at risk, then by project id."""
    if len(overview) <= limit:
        return overview["project_id"].tolist()
    worst = overview.assign(_bad=overview["overdue"] + overview["off_track"])
    return worst.sort_values(["_bad", "at_risk", "project_id"], ascending=[False, False, True])["project_id"].head(limit).tolist()
