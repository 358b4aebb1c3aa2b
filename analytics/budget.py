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
    "spent": "expenses to date + indirect costs E at the project's flat rate on each partner's A, C1, C2, C3 (in cents)",
    "burn index": "(spent ÷ planned) ÷ (days elapsed ÷ project days)",
    "projected spend": "spent ÷ share of the project time elapsed",
    "EU contribution": "EU rate × (spent − D1) + 100 % × D1 (financial support to third parties)",
    "burn index line": f"starts after the first {MIN_DAYS_FOR_BURN_LINE} days, when a single invoice no longer dominates",
}

# The Budget page in one statement (planning costs as much as running it for one project, issue
# 8), from the daily expense facts (analytics.facts: the same exact decimal sums as the expenses).
# Rows by ``level``:
# - cell: planned and spent per partner and cost category at $as_of, with the E rows: each partner's
#   flat-rate indirect costs in cents, as a beneficiary declares them (the totals add those cents);
# - category, partner: those summed, in exact decimals, with the spent share;
# - now, series: the project's totals at $as_of and at each of $dates, with the EU contribution
#   and the days elapsed.
# Parameters: $project, $as_of, $dates (on or before $as_of).
_BUDGET_SQL = """
WITH p AS (
    SELECT start_date, end_date, indirect_rate, eu_rate, total_budget,
           date_diff('day', start_date, end_date) + 1 AS duration_days
    FROM projects WHERE project_id = $project
),
e AS (SELECT partner, category, d, amount FROM {daily} WHERE project_id = $project AND d <= $as_of),
direct AS (SELECT partner, category, sum(amount) AS spent FROM e GROUP BY ALL),
spent AS (
    SELECT partner, category, spent FROM direct
    UNION ALL
    SELECT d.partner, 'E', round(sum(d.spent) * any_value(p.indirect_rate), 2)
    FROM direct d, p WHERE d.category IN {indirect_base} GROUP BY d.partner
),
cells AS (
    SELECT coalesce(pl.partner, s.partner) AS partner, coalesce(pl.category, s.category) AS category,
           coalesce(pl.amount, 0) AS planned, coalesce(s.spent, 0) AS spent
    FROM (SELECT partner, category, amount FROM budget_lines WHERE project_id = $project) pl
    FULL OUTER JOIN spent s ON s.partner = pl.partner AND s.category = pl.category
),
sums AS (
    SELECT 'category' AS level, NULL AS partner, category, sum(planned) AS planned, sum(spent) AS spent
    FROM cells GROUP BY category
    UNION ALL
    SELECT 'partner', partner, NULL, sum(planned), sum(spent) FROM cells GROUP BY partner
),
t AS (SELECT CAST($as_of AS DATE) AS as_of, 'now' AS level UNION ALL SELECT CAST(unnest($dates) AS DATE), 'series'),
by_partner AS (
    SELECT t.level, t.as_of, e.partner, coalesce(sum(e.amount), 0) AS direct,
           coalesce(sum(e.amount) FILTER (WHERE e.category IN {indirect_base}), 0) AS base,
           coalesce(sum(e.amount) FILTER (WHERE e.category = 'D1'), 0) AS fstp
    FROM t LEFT JOIN e ON e.d <= t.as_of
    GROUP BY ALL
),
totals AS (  -- E per partner in cents, as each partner declares it and as the cells show it
    SELECT b.level, b.as_of, sum(b.direct) + sum(round(b.base * p.indirect_rate, 2)) AS spent, sum(b.fstp) AS fstp
    FROM by_partner b, p GROUP BY b.level, b.as_of
),
planned AS (SELECT coalesce(sum(amount), 0) AS planned FROM budget_lines WHERE project_id = $project)
SELECT 'cell' AS level, CAST($as_of AS DATE) AS as_of, partner, category,
       CAST(planned AS DOUBLE) AS planned, round(CAST(spent AS DOUBLE), 2) AS spent,
       NULL::DOUBLE AS spent_share, NULL::DOUBLE AS eu_contribution, NULL::BIGINT AS elapsed_days
FROM cells
UNION ALL
SELECT level, CAST($as_of AS DATE), partner, category, CAST(planned AS DOUBLE), round(CAST(spent AS DOUBLE), 2),
       CASE WHEN planned > 0 THEN CAST(round(CAST(spent AS DOUBLE), 2) / planned AS DOUBLE) END, NULL, NULL
FROM sums
UNION ALL
SELECT t.level, t.as_of, NULL, NULL, CAST(planned.planned AS DOUBLE), round(CAST(t.spent AS DOUBLE), 2), NULL,
       round(CAST(p.eu_rate * (t.spent - t.fstp) + t.fstp AS DOUBLE), 2),
       least(greatest(date_diff('day', p.start_date, t.as_of) + 1, 0), p.duration_days)
FROM totals t, p, planned
ORDER BY level, partner, category, as_of
"""
_CATEGORY_ORDER = {code: i for i, code in enumerate(COST_CATEGORIES)}


@dataclass(frozen=True)
class ProjectBudget:
    """What the Budget page shows of one project at the as-of date (each also a function of its own)."""

    summary: dict
    breakdown: pd.DataFrame
    by_category: pd.DataFrame
    by_partner: pd.DataFrame
    burn_series: pd.DataFrame


def project_budget(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    thresholds: BurnThresholds | None = None,
) -> ProjectBudget:
    """The summary, the breakdowns and the burn series, from one statement."""
    info = _project(con, project_id)
    grid = _burn_grid(info["start_date"], info["end_date"], as_of)
    df = con.execute(_BUDGET_SQL.format(daily=facts.daily(facts.EXPENSE_GRAIN, facts.fresh(con, ["expenses"])),
                                        indirect_base=INDIRECT_BASE),
                     {"project": project_id, "as_of": as_of, "dates": grid}).df()
    part = {level: rows for level, rows in df.groupby("level", sort=False)}
    empty = df.iloc[0:0]
    return ProjectBudget(
        summary=_summary(part["now"].iloc[0], info, project_id, as_of, thresholds),
        breakdown=_breakdown(part.get("cell", empty)),
        by_category=_by(part.get("category", empty), "category"),
        by_partner=_by(part.get("partner", empty), "partner"),
        burn_series=_burn_series(part.get("series", empty), info),
    )


# The cost categories that carry the flat-rate indirect costs E (SQL list; codes from the model).
INDIRECT_BASE = "('A', 'C1', 'C2', 'C3')"


def _project(con: duckdb.DuckDBPyConnection, project_id: str) -> dict:
    """The project's dates, rates and total (UnknownProject names the known ones)."""
    start, end = require_project(con, project_id)
    row = con.execute("SELECT CAST(total_budget AS DOUBLE), CAST(eu_rate AS DOUBLE), "
                      "date_diff('day', start_date, end_date) + 1 FROM projects WHERE project_id = ?",
                      [project_id]).fetchone()
    return {"start_date": start, "end_date": end, "total_budget": row[0], "eu_rate": row[1], "duration_days": row[2]}


def _breakdown(cells: pd.DataFrame) -> pd.DataFrame:
    """Planned and spent per partner and category (long form), by partner then category."""
    df = cells[["partner", "category", "planned", "spent"]].reset_index(drop=True)
    df["category_name"] = df["category"].map(COST_CATEGORIES)
    return df


def breakdown(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Planned and spent per partner and category at the as-of date (long form)."""
    return project_budget(con, project_id, as_of).breakdown


def _by(sums: pd.DataFrame, dimension: str) -> pd.DataFrame:
    out = sums[[dimension, "planned", "spent", "spent_share"]]
    if dimension == "category":  # the EU cost categories in the grant agreement's order
        out = out.sort_values(by="category", key=lambda s: s.map(_CATEGORY_ORDER))
        out = out.assign(category_name=out["category"].map(COST_CATEGORIES))
    return out.reset_index(drop=True)


def by(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date, dimension: str) -> pd.DataFrame:
    """Planned, spent and spent share by 'category' or 'partner'."""
    if dimension not in ("category", "partner"):
        raise ValueError(f"dimension must be category or partner, not {dimension!r}")
    view = project_budget(con, project_id, as_of)
    return view.by_category if dimension == "category" else view.by_partner


def _summary(now: pd.Series, info: dict, project_id: str, as_of: date, thresholds: BurnThresholds | None) -> dict:
    """Totals, burn index, projection and EU contribution from the as-of date's totals row."""
    thresholds = thresholds or BurnThresholds()
    row = {"project_id": project_id, "as_of": pd.Timestamp(as_of), "total_budget": info["total_budget"],
           "planned": now["planned"], "spent": now["spent"], "eu_rate": info["eu_rate"],
           "duration_days": info["duration_days"], "elapsed_days": int(now["elapsed_days"]),
           "eu_contribution": now["eu_contribution"]}
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
    return project_budget(con, project_id, as_of, thresholds).summary


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


def _burn_series(totals: pd.DataFrame, info: dict) -> pd.DataFrame:
    """Month by month from the totals rows: cumulative spent, linear plan and burn index."""
    if totals.empty:
        return pd.DataFrame(columns=["as_of", "spent", "planned_to_date", "burn_index"])
    df = pd.DataFrame({"as_of": totals["as_of"].to_numpy(), "spent": totals["spent"].to_numpy(),
                       "planned_total": totals["planned"].to_numpy(),
                       "elapsed_share": (totals["elapsed_days"] / info["duration_days"]).to_numpy(dtype=float)})
    df["planned_to_date"] = df["planned_total"] * df["elapsed_share"]
    # In the first month a single invoice over a few elapsed days gives burn indices of 3 or more
    # that mean nothing; the line starts once a month has elapsed (elapsed days = days since start + 1).
    long_enough = totals["elapsed_days"].to_numpy() >= MIN_DAYS_FOR_BURN_LINE
    df["burn_index"] = (df["spent"] / df["planned_to_date"]).where((df["planned_to_date"] > 0) & long_enough)
    return df


def burn_series(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Month by month up to the as-of date: cumulative spent, linear plan and burn index."""
    return project_budget(con, project_id, as_of).burn_series
