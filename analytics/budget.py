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

from dataclasses import dataclass
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


# Per as-of date: planned and spent per partner and category (the cells), and the project's totals
# (partner NULL) with the D1 share and the days elapsed; parameters $dates, $project.
_BUDGET_SQL = """
WITH spent AS ({spent}),
t AS (SELECT DISTINCT CAST(unnest($dates) AS DATE) AS as_of),
p AS (SELECT * FROM projects WHERE project_id = $project),
planned AS (SELECT partner, category, amount FROM budget_lines WHERE project_id = $project),
cells AS (
    SELECT coalesce(t.as_of, s.as_of) AS as_of, coalesce(pl.partner, s.partner) AS partner,
           coalesce(pl.category, s.category) AS category, coalesce(pl.amount, 0) AS planned,
           coalesce(s.spent, 0) AS spent
    FROM t CROSS JOIN planned pl
    FULL OUTER JOIN spent s ON s.as_of = t.as_of AND s.partner = pl.partner AND s.category = pl.category
),
dated AS (  -- every date has its totals row, with or without cells
    SELECT t.as_of, c.partner, c.category, c.planned, c.spent, c.as_of IS NOT NULL AS is_cell
    FROM t LEFT JOIN cells c USING (as_of)
)
SELECT d.as_of, d.partner, d.category, grouping(d.partner) = 1 AS is_total,
       CAST(coalesce(sum(d.planned), 0) AS DOUBLE) AS planned,
       round(CAST(coalesce(sum(d.spent), 0) AS DOUBLE), 2) AS spent,
       round(CAST(any_value(p.eu_rate) * (coalesce(sum(d.spent), 0) - coalesce(sum(d.spent) FILTER (WHERE d.category = 'D1'), 0))
                  + coalesce(sum(d.spent) FILTER (WHERE d.category = 'D1'), 0) AS DOUBLE), 2) AS eu_contribution,
       date_diff('day', any_value(p.start_date), any_value(p.end_date)) + 1 AS duration_days,
       least(greatest(date_diff('day', any_value(p.start_date), d.as_of) + 1, 0),
             date_diff('day', any_value(p.start_date), any_value(p.end_date)) + 1) AS elapsed_days,
       CAST(any_value(p.total_budget) AS DOUBLE) AS total_budget, CAST(any_value(p.eu_rate) AS DOUBLE) AS eu_rate
FROM dated d CROSS JOIN p
GROUP BY GROUPING SETS ((d.as_of, d.partner, d.category), (d.as_of))
HAVING grouping(d.partner) = 1 OR bool_or(d.is_cell)  -- a date without cells has its totals only
"""


@dataclass(frozen=True)
class ProjectBudget:
    """What the Budget page shows of one project at the as-of date (each as its own function)."""

    summary: dict
    breakdown: pd.DataFrame
    by_category: pd.DataFrame
    by_partner: pd.DataFrame
    burn_series: pd.DataFrame


def _frame(con: duckdb.DuckDBPyConnection, project_id: str, dates: list[date]) -> pd.DataFrame:
    """_BUDGET_SQL's rows (cells and totals) at the dates."""
    sql = _BUDGET_SQL.format(spent=_spent_at_dates(facts.fresh(con)))
    df = con.execute(sql, {"dates": dates, "project": project_id}).df()
    df["day"] = df["as_of"].dt.date
    return df


def project_budget(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: BurnThresholds | None = None,
) -> ProjectBudget:
    """The summary, breakdowns and burn series from one statement at the series' dates and the
    as-of date (planning a statement costs as much as running it for one project, issue 8)."""
    start, end = require_project(con, project_id)
    grid = _burn_grid(start, end, as_of)
    df = _frame(con, project_id, sorted(set(grid) | {as_of}))
    cells = _breakdown(df[(df["day"] == as_of) & ~df["is_total"]])
    return ProjectBudget(
        summary=_summary(df[(df["day"] == as_of) & df["is_total"]], project_id, as_of, thresholds),
        breakdown=cells, by_category=_by(cells, "category"), by_partner=_by(cells, "partner"),
        burn_series=_burn_series(df[df["is_total"] & df["day"].isin(grid)], start),
    )


def _breakdown(cells: pd.DataFrame) -> pd.DataFrame:
    df = cells[["partner", "category", "planned", "spent"]].sort_values(["partner", "category"]).reset_index(drop=True)
    df["category_name"] = df["category"].map(COST_CATEGORIES)
    return df


def breakdown(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Planned and spent per partner and category at the as-of date (long form)."""
    require_project(con, project_id)
    df = _frame(con, project_id, [as_of])
    return _breakdown(df[~df["is_total"]])


def _by(cells: pd.DataFrame, dimension: str) -> pd.DataFrame:
    out = cells.groupby(dimension, as_index=False)[["planned", "spent"]].sum()
    out["spent_share"] = (out["spent"] / out["planned"]).where(out["planned"] > 0)
    if dimension == "category":
        order = list(COST_CATEGORIES)
        out = out.sort_values(by="category", key=lambda s: s.map(order.index))
        out["category_name"] = out["category"].map(COST_CATEGORIES)
    return out.reset_index(drop=True)


def by(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date, dimension: str) -> pd.DataFrame:
    """Planned, spent and spent share by 'category' or 'partner'."""
    if dimension not in ("category", "partner"):
        raise ValueError(f"dimension must be category or partner, not {dimension!r}")
    return _by(breakdown(con, project_id, as_of), dimension)


def _summary(total: pd.DataFrame, project_id: str, as_of: date, thresholds: BurnThresholds | None) -> dict:
    """Totals, burn index, projection and EU contribution from the as-of date's totals row."""
    thresholds = thresholds or BurnThresholds()
    t = total.iloc[0]
    row = {"project_id": project_id, "as_of": pd.Timestamp(as_of), "total_budget": t["total_budget"],
           "planned": t["planned"], "spent": t["spent"], "eu_rate": t["eu_rate"],
           "duration_days": int(t["duration_days"]), "elapsed_days": int(t["elapsed_days"]),
           "eu_contribution": t["eu_contribution"]}
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


def summary(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: BurnThresholds | None = None,
) -> dict:
    """Totals, burn index, projection and EU contribution at the as-of date."""
    require_project(con, project_id)
    df = _frame(con, project_id, [as_of])
    return _summary(df[df["is_total"]], project_id, as_of, thresholds)


def burn_flag(burn: float | None, thresholds: BurnThresholds) -> str:
    if burn is None:
        return "not started"
    if burn < thresholds.low:
        return "under-spending"
    if burn > thresholds.high:
        return "over-spending"
    return "in line"


def _burn_grid(start: date, end: date, as_of: date) -> list[date]:
    return [d for d in month_grid(start, end, as_of) if d <= as_of]


def _burn_series(totals: pd.DataFrame, start: date) -> pd.DataFrame:
    """Month by month from the totals rows: cumulative spent, linear plan and burn index."""
    if totals.empty:
        return pd.DataFrame(columns=["as_of", "spent", "planned_to_date", "burn_index"])
    df = totals.sort_values("as_of").reset_index(drop=True)
    df = pd.DataFrame({"as_of": df["as_of"], "spent": df["spent"], "planned_total": df["planned"],
                       "elapsed_share": (df["elapsed_days"] / df["duration_days"]).astype(float)})
    df["planned_to_date"] = df["planned_total"] * df["elapsed_share"]
    # In the first month a single invoice over a few elapsed days gives burn indices of 3 or more
    # that mean nothing; the line starts once a month has elapsed.
    days = (df["as_of"] - pd.Timestamp(start)).dt.days + 1
    df["burn_index"] = (df["spent"] / df["planned_to_date"]).where((df["planned_to_date"] > 0) & (days >= MIN_DAYS_FOR_BURN_LINE))
    return df


def burn_series(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Month by month up to the as-of date: cumulative spent, linear plan and burn index."""
    start, end = require_project(con, project_id)
    grid = _burn_grid(start, end, as_of)
    if not grid:
        return _burn_series(pd.DataFrame(), start)
    df = _frame(con, project_id, grid)
    return _burn_series(df[df["is_total"]], start)
