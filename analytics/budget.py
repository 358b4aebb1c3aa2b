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
import numpy as np
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
    sql = _BUDGET_SQL.format(daily=facts.daily(facts.EXPENSE_GRAIN, info["fresh"]), indirect_base=INDIRECT_BASE)
    # ~65 rows: numpy columns, sliced by level below, cost far less than .df() and a groupby
    cols = con.execute(sql, {"project": project_id, "as_of": as_of, "dates": grid}).fetchnumpy()
    part = _levels(cols["level"])
    return ProjectBudget(
        summary=_summary(cols, part["now"].start, info, project_id, as_of, thresholds),
        breakdown=_breakdown(cols, part.get("cell")),
        by_category=_by(cols, part.get("category"), "category"),
        by_partner=_by(cols, part.get("partner"), "partner"),
        burn_series=_burn_series(cols, part.get("series"), info),
    )


# The cost categories that carry the flat-rate indirect costs E (SQL list; codes from the model).
INDIRECT_BASE = "('A', 'C1', 'C2', 'C3')"

# The project's dates, rates and total, and whether the expense facts are current: one query
# (require_project, a second lookup and the freshness check were three round trips).
_PROJECT_SQL = f"""
SELECT start_date, end_date, CAST(total_budget AS DOUBLE), CAST(eu_rate AS DOUBLE),
       date_diff('day', start_date, end_date) + 1, {facts.fresh_sql(["expenses"])}
FROM projects WHERE project_id = ?"""


def _project(con: duckdb.DuckDBPyConnection, project_id: str) -> dict:
    """The project's dates, rates and total (UnknownProject names the known ones)."""
    row = con.execute(_PROJECT_SQL, [project_id]).fetchone()
    if row is None:
        require_project(con, project_id)  # raises UnknownProject with the known ones
    start, end, total, eu_rate, days, fresh = row
    return {"start_date": start, "end_date": end, "total_budget": total, "eu_rate": eu_rate, "duration_days": days,
            "fresh": fresh}


def _levels(level) -> dict[str, slice]:
    """The rows of each level: contiguous, as the statement orders by level first."""
    out, first = {}, 0
    for i in range(1, len(level) + 1):
        if i == len(level) or level[i] != level[first]:
            out[level[first]] = slice(first, i)
            first = i
    return out


def _column(cols: dict, name: str, rows: slice | list):
    """One column's values on those rows as a plain array (NULL as NaN for numbers)."""
    values = cols[name][rows]
    return np.ma.filled(values, np.nan) if values.dtype.kind == "f" else np.ma.getdata(values)


def _frame(cols: dict, rows: slice | list | None, names: list[str], category_name: bool = False) -> pd.DataFrame:
    """Those columns on those rows, with the cost categories' names after them if asked."""
    if rows is None:  # as .df() gave it: the text columns of an all-NULL result are objects
        df = pd.DataFrame({n: pd.Series(dtype=float if cols[n].dtype.kind == "f" else object) for n in names})
        if category_name:
            df["category_name"] = df["category"].map(COST_CATEGORIES)
        return df
    data = {n: _column(cols, n, rows) for n in names}
    if category_name:  # a list: Series.map and a column insert cost ~1 ms a frame
        data["category_name"] = [COST_CATEGORIES.get(c, np.nan) for c in data["category"]]
    return pd.DataFrame(data)


def _breakdown(cols: dict, rows: slice | None) -> pd.DataFrame:
    """Planned and spent per partner and category (long form), by partner then category."""
    return _frame(cols, rows, ["partner", "category", "planned", "spent"], category_name=True)


def breakdown(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Planned and spent per partner and category at the as-of date (long form)."""
    return project_budget(con, project_id, as_of).breakdown


def _by(cols: dict, rows: slice | None, dimension: str) -> pd.DataFrame:
    if dimension == "category" and rows is not None:  # the EU cost categories in the grant agreement's order
        codes = cols["category"]
        rows = sorted(range(rows.start, rows.stop), key=lambda i: _CATEGORY_ORDER.get(codes[i], len(_CATEGORY_ORDER)))
    return _frame(cols, rows, [dimension, "planned", "spent", "spent_share"], category_name=dimension == "category")


def by(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date, dimension: str) -> pd.DataFrame:
    """Planned, spent and spent share by 'category' or 'partner'."""
    if dimension not in ("category", "partner"):
        raise ValueError(f"dimension must be category or partner, not {dimension!r}")
    view = project_budget(con, project_id, as_of)
    return view.by_category if dimension == "category" else view.by_partner


def _summary(cols: dict, now: int, info: dict, project_id: str, as_of: date,
             thresholds: BurnThresholds | None) -> dict:
    """Totals, burn index, projection and EU contribution from the as-of date's totals row."""
    thresholds = thresholds or BurnThresholds()
    row = {"project_id": project_id, "as_of": pd.Timestamp(as_of), "total_budget": info["total_budget"],
           "planned": cols["planned"][now], "spent": cols["spent"][now], "eu_rate": info["eu_rate"],
           "duration_days": info["duration_days"], "elapsed_days": int(cols["elapsed_days"][now]),
           "eu_contribution": cols["eu_contribution"][now]}
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


def _burn_series(cols: dict, rows: slice | None, info: dict) -> pd.DataFrame:
    """Month by month from the totals rows: cumulative spent, linear plan and burn index."""
    if rows is None:
        return pd.DataFrame(columns=["as_of", "spent", "planned_to_date", "burn_index"])
    elapsed_days = np.ma.getdata(cols["elapsed_days"][rows])
    spent, planned = cols["spent"][rows], cols["planned"][rows]
    elapsed_share = elapsed_days / info["duration_days"]
    planned_to_date = planned * elapsed_share
    # In the first month a single invoice over a few elapsed days gives burn indices of 3 or more
    # that mean nothing; the line starts once a month has elapsed (elapsed days = days since start + 1).
    shown = (planned_to_date > 0) & (elapsed_days >= MIN_DAYS_FOR_BURN_LINE)
    with np.errstate(divide="ignore", invalid="ignore"):
        burn = np.where(shown, spent / planned_to_date, np.nan)
    return pd.DataFrame({"as_of": cols["as_of"][rows], "spent": spent, "planned_total": planned,
                         "elapsed_share": elapsed_share, "planned_to_date": planned_to_date, "burn_index": burn})


def burn_series(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Month by month up to the as-of date: cumulative spent, linear plan and burn index."""
    return project_budget(con, project_id, as_of).burn_series
