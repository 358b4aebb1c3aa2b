"""Portfolio: every project at the as-of date: KPI statuses, budget burn and time elapsed."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics import facts
from analytics.kpis import STATUS_ORDER, evaluate, status_counts
from analytics.settings import BurnThresholds, StatusThresholds

MATRIX_COLUMNS = ["project_id", "code", "name", "unit", "target", "actual", "progress", "status", "is_placeholder", "is_sample"]


def kpi_matrix(con: duckdb.DuckDBPyConnection, as_of: date, thresholds: StatusThresholds | None = None,
               project_ids: list[str] | None = None) -> pd.DataFrame:
    """Every KPI of every project (or of ``project_ids``: the viewer's own) at the as-of date."""
    return evaluate(con, [as_of], project_ids=project_ids, thresholds=thresholds, columns=MATRIX_COLUMNS)


def budget_burn(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Planned, spent (with flat-rate indirect costs) and burn index for every project, in one query.

    Spent comes from the monthly expense checkpoints (analytics.facts): all direct costs plus the
    flat rate on A, C1, C2 and C3, the same exact decimal as summing every expense.
    """
    is_fresh = facts.fresh(con)
    spent = facts.asof_sql(facts.EXPENSE_GRAIN, "(SELECT CAST($as_of AS DATE) AS as_of)", "TRUE", is_fresh, [as_of])
    return con.execute(
        f"""
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
        ORDER BY p.project_id
        """,
        {"as_of": as_of} | facts.asof_params([as_of], is_fresh),
    ).df()


def overview(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    thresholds: StatusThresholds | None = None,
    burn: BurnThresholds | None = None,
    project_ids: list[str] | None = None,
) -> pd.DataFrame:
    """One row per project (all, or ``project_ids``): time elapsed, KPI counts by status, budget burn."""
    from analytics.budget import burn_flag
    from analytics.projects import projects_overview

    burn = burn or BurnThresholds()
    projects = projects_overview(con, as_of)
    if project_ids is not None:  # another consortium's projects are not shown
        projects = projects[projects["project_id"].isin(project_ids)].reset_index(drop=True)
    # counted in SQL: at 10,000 KPIs, fetching them to pivot in pandas costs more than the counting
    counts = status_counts(con, as_of, project_ids=project_ids, thresholds=thresholds)
    sample_kpis = counts.pop("has_sample_kpis")
    df = projects.merge(counts, on="project_id", how="left").merge(budget_burn(con, as_of), on="project_id", how="left")
    df = df.merge(pd.DataFrame({"project_id": counts["project_id"], "has_sample_kpis": sample_kpis}),
                  on="project_id", how="left")
    df[STATUS_ORDER + ["kpis"]] = df[STATUS_ORDER + ["kpis"]].fillna(0).astype(int)
    df["burn_flag"] = [burn_flag(None if pd.isna(b) else b, burn) for b in df["burn_index"]]
    return df.drop(columns=["elapsed_share_y"], errors="ignore").rename(columns={"elapsed_share_x": "elapsed_share"})


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
