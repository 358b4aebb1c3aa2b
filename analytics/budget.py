"""Budget: planned against spent by EU cost category and partner, burn index, projection.

- spent(t): expenses dated on or before t, plus the flat-rate indirect costs E = indirect rate ×
  (A + C1 + C2 + C3) spent; subcontracting (B) and financial support to third parties (D1) carry
  no indirect costs.
- burn index = (spent ÷ planned) ÷ (elapsed days ÷ project days); below 0.7 is under-spending,
  above 1.2 over-spending (thresholds are settings).
- projected spend at the end = spent ÷ elapsed share (the run rate so far, kept to the end).
- EU contribution = EU rate × (spent − D1) + 100 % × D1.
"""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics import facts
from analytics.kpis import month_grid
from analytics.models.codes import COST_CATEGORIES
from analytics.projects import require_project
from analytics.settings import BurnThresholds

MIN_DAYS_FOR_BURN_LINE = 30

FORMULAS = {
    "spent": "expenses to date + indirect costs E at the project's flat rate on A, C1, C2, C3",
    "burn index": "(spent ÷ planned) ÷ (days elapsed ÷ project days)",
    "projected spend": "spent ÷ share of the project time elapsed",
    "EU contribution": "EU rate × (spent − D1) + 100 % × D1 (financial support to third parties)",
    "burn index line": f"starts after the first {MIN_DAYS_FOR_BURN_LINE} days, when a single invoice no longer dominates",
}

def _spent_at_dates(is_fresh: bool) -> str:
    """Spent per as-of date, partner and category (with the E rows) from the daily expense facts
    (analytics.facts), which hold the same exact decimal sums as the expenses."""
    return f"""
    WITH t AS (SELECT CAST(unnest($dates) AS DATE) AS as_of),
    p AS (SELECT * FROM projects WHERE project_id = $project),
    direct AS (
        SELECT t.as_of, e.partner, e.category, sum(e.amount) AS spent
        FROM t JOIN {facts.daily(facts.EXPENSE_GRAIN, is_fresh)} e ON e.project_id = $project AND e.d <= t.as_of
        GROUP BY ALL
    ),
    indirect AS (
        SELECT d.as_of, d.partner, 'E' AS category, sum(d.spent) * any_value(p.indirect_rate) AS spent
        FROM direct d, p WHERE d.category IN ('A', 'C1', 'C2', 'C3')
        GROUP BY d.as_of, d.partner
    )
    SELECT * FROM direct UNION ALL SELECT * FROM indirect
    """


def breakdown(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Planned and spent per partner and category at the as-of date (long form)."""
    require_project(con, project_id)
    sql = f"""
    WITH spent AS ({_spent_at_dates(facts.fresh(con))}),
    planned AS (SELECT partner, category, amount FROM budget_lines WHERE project_id = $project)
    SELECT coalesce(pl.partner, s.partner) AS partner, coalesce(pl.category, s.category) AS category,
           CAST(coalesce(pl.amount, 0) AS DOUBLE) AS planned,
           round(CAST(coalesce(s.spent, 0) AS DOUBLE), 2) AS spent
    FROM planned pl FULL OUTER JOIN spent s ON s.partner = pl.partner AND s.category = pl.category
    ORDER BY partner, category
    """
    df = con.execute(sql, {"dates": [as_of], "project": project_id}).df()
    df["category_name"] = df["category"].map(COST_CATEGORIES)
    return df


def by(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date, dimension: str) -> pd.DataFrame:
    """Planned, spent and spent share by 'category' or 'partner'."""
    if dimension not in ("category", "partner"):
        raise ValueError(f"dimension must be category or partner, not {dimension!r}")
    df = breakdown(con, project_id, as_of)
    out = df.groupby(dimension, as_index=False)[["planned", "spent"]].sum()
    out["spent_share"] = (out["spent"] / out["planned"]).where(out["planned"] > 0)
    if dimension == "category":
        order = list(COST_CATEGORIES)
        out = out.sort_values(by="category", key=lambda s: s.map(order.index))
        out["category_name"] = out["category"].map(COST_CATEGORIES)
    return out.reset_index(drop=True)


def summary(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: BurnThresholds | None = None,
) -> dict:
    """Totals, burn index, projection and EU contribution at the as-of date."""
    thresholds = thresholds or BurnThresholds()
    require_project(con, project_id)
    sql = f"""
    WITH spent AS ({_spent_at_dates(facts.fresh(con))}),
    p AS (SELECT * FROM projects WHERE project_id = $project),
    totals AS (
        SELECT
            (SELECT coalesce(sum(amount), 0) FROM budget_lines WHERE project_id = $project) AS planned,
            coalesce(sum(spent), 0) AS spent,
            coalesce(sum(spent) FILTER (WHERE category = 'D1'), 0) AS spent_fstp
        FROM spent
    )
    SELECT $project AS project_id, $as_of AS as_of,
           CAST(p.total_budget AS DOUBLE) AS total_budget,
           CAST(totals.planned AS DOUBLE) AS planned,
           round(CAST(totals.spent AS DOUBLE), 2) AS spent,
           CAST(p.eu_rate AS DOUBLE) AS eu_rate,
           date_diff('day', p.start_date, p.end_date) + 1 AS duration_days,
           least(greatest(date_diff('day', p.start_date, $as_of) + 1, 0),
                 date_diff('day', p.start_date, p.end_date) + 1) AS elapsed_days,
           round(CAST(p.eu_rate * (totals.spent - totals.spent_fstp) + totals.spent_fstp AS DOUBLE), 2)
               AS eu_contribution
    FROM p, totals
    """
    row = con.execute(sql, {"dates": [as_of], "project": project_id, "as_of": as_of}).df().iloc[0].to_dict()
    elapsed_share = row["elapsed_days"] / row["duration_days"]
    spent_share = row["spent"] / row["planned"] if row["planned"] else None
    burn = spent_share / elapsed_share if spent_share is not None and elapsed_share > 0 else None
    row.update(
        elapsed_share=elapsed_share,
        spent_share=spent_share,
        burn_index=burn,
        burn_flag=burn_flag(burn, thresholds),
        projected_spend=row["spent"] / elapsed_share if elapsed_share > 0 else None,
        planned_matches_total=abs(row["planned"] - row["total_budget"]) < 0.01,
    )
    return row


def burn_flag(burn: float | None, thresholds: BurnThresholds) -> str:
    if burn is None:
        return "not started"
    if burn < thresholds.low:
        return "under-spending"
    if burn > thresholds.high:
        return "over-spending"
    return "in line"


def burn_series(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Month by month up to the as-of date: cumulative spent, linear plan and burn index."""
    start, end = require_project(con, project_id)
    grid = [d for d in month_grid(start, end, as_of) if d <= as_of]
    if not grid:
        return pd.DataFrame(columns=["as_of", "spent", "planned_to_date", "burn_index"])
    sql = f"""
    WITH spent AS ({_spent_at_dates(facts.fresh(con))}),
    t AS (SELECT CAST(unnest($dates) AS DATE) AS as_of),
    p AS (SELECT * FROM projects WHERE project_id = $project),
    planned AS (SELECT coalesce(sum(amount), 0) AS total FROM budget_lines WHERE project_id = $project)
    SELECT t.as_of,
           round(CAST(coalesce(sum(s.spent), 0) AS DOUBLE), 2) AS spent,
           CAST(any_value(planned.total) AS DOUBLE) AS planned_total,
           (date_diff('day', any_value(p.start_date), t.as_of) + 1)
               / (date_diff('day', any_value(p.start_date), any_value(p.end_date)) + 1) AS elapsed_share
    FROM t CROSS JOIN p CROSS JOIN planned LEFT JOIN spent s ON s.as_of = t.as_of
    GROUP BY t.as_of ORDER BY t.as_of
    """
    df = con.execute(sql, {"dates": grid, "project": project_id}).df()
    df["planned_to_date"] = df["planned_total"] * df["elapsed_share"]
    # In the first month a single invoice over a few elapsed days gives burn indices of 3 or more
    # that mean nothing; the line starts once a month has elapsed.
    days = (df["as_of"] - pd.Timestamp(start)).dt.days + 1
    df["burn_index"] = (df["spent"] / df["planned_to_date"]).where((df["planned_to_date"] > 0) & (days >= MIN_DAYS_FOR_BURN_LINE))
    return df
