"""Projects: lookup, time elapsed and project months (M1..Mn count from the start date)."""
from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from analytics.errors import UnknownProject


def project_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute("SELECT project_id FROM projects ORDER BY project_id").fetchall()]


def require_project(con: duckdb.DuckDBPyConnection, project_id: str) -> tuple[date, date]:
    """(start, end) of a known project; UnknownProject names the known ones otherwise."""
    row = con.execute(
        "SELECT start_date, end_date FROM projects WHERE project_id = ?", [project_id]
    ).fetchone()
    if row is None:
        raise UnknownProject(project_id, project_ids(con))
    return row[0], row[1]


def project_info(con: duckdb.DuckDBPyConnection, project_id: str) -> dict:
    require_project(con, project_id)
    df = con.execute("SELECT * FROM projects WHERE project_id = ?", [project_id]).df()
    return df.iloc[0].to_dict()


# Every project with its time elapsed at $as_of (0..1, clamped) and its current month.
OVERVIEW_SQL = """
    SELECT project_id, title, programme, grant_agreement, start_date, end_date, original_end_date,
           total_budget, is_sample,
           date_diff('day', start_date, end_date) + 1 AS duration_days,
           least(greatest(date_diff('day', start_date, $as_of) + 1, 0),
                 date_diff('day', start_date, end_date) + 1) AS elapsed_days,
           least(greatest(date_diff('day', start_date, $as_of) + 1, 0),
                 date_diff('day', start_date, end_date) + 1)
             / (date_diff('day', start_date, end_date) + 1) AS elapsed_share,
           CASE WHEN $as_of < start_date THEN NULL
                ELSE date_sub('month', start_date, $as_of) + 1 END AS project_month,
           date_sub('month', start_date, CAST(end_date + INTERVAL 1 DAY AS DATE)) AS months
    FROM projects"""


def projects_overview(con: duckdb.DuckDBPyConnection, as_of: date) -> pd.DataFrame:
    """Every project with its time elapsed at the as-of date (0..1, clamped) and current month."""
    return con.execute(OVERVIEW_SQL + " ORDER BY project_id", {"as_of": as_of}).df()


def project_month(start: date, day: date) -> int | None:
    """Project month of a date: M1 is the start date and the days up to one month later."""
    if day < start:
        return None
    months = (day.year - start.year) * 12 + (day.month - start.month)
    if day.day < start.day:
        months -= 1
    return months + 1


def month_end(start: date, month: int) -> date:
    """Last day of project month Mn."""
    return (pd.Timestamp(start) + pd.DateOffset(months=month) - pd.Timedelta(days=1)).date()
