"""Deliverables and milestones by project month, with their status as on the EU portal.

- Due date: the last day of the due month Mn, months counted from the project start (M1 starts on
  the start date; analytics.projects.month_end), so M24 of a project starting 1 February 2022
  ends on 31 January 2024.
- Status at the as-of date t, as the Funding & Tenders Portal shows it: submitted when submitted
  on or before t; otherwise the recorded status (pending or draft; a deliverable submitted after t
  was still pending at t).
- Late: submitted after its due date, or not submitted and t after the due date (overdue). Due on
  t itself is not late yet. A late submission needs a justification; one without is flagged.
- Due soon: not submitted at t and due between t and t + 30 days, both days included.
- A deliverable due after the project end cannot exist (its month is not a project month): the
  import refuses it (``due_after_end_problems``), and any already in the database is flagged.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from analytics.selection import checked_projects

if TYPE_CHECKING:
    from analytics.loader import Problem

DUE_SOON_DAYS = 30

TIMINGS = {
    "on_time": "Submitted on time",
    "late": "Submitted late",
    "overdue": "Overdue",
    "due_soon": "Due soon",
    "upcoming": "Upcoming",
}

FORMULAS = {
    "due date": "last day of project month Mn (M1 starts on the project start date)",
    "status at the as-of date": "submitted if submitted on or before it, else pending or draft as recorded",
    "late": "submitted after the due date, or not submitted and the as-of date is after the due date "
            "(due on the as-of date itself is not late yet)",
    "due soon": f"not submitted and due within {DUE_SOON_DAYS} days from the as-of date, both days included",
    "justification": "a late submission needs a justification on the portal; one without is flagged",
}

_TIMING_LABELS = ", ".join(f"('{code}', '{label}')" for code, label in TIMINGS.items())

_SCHEDULE = f"""
    WITH d AS (
        SELECT d.*, p.start_date, p.end_date,
               CAST(p.start_date + to_months(d.due_month) - INTERVAL 1 DAY AS DATE) AS due_on,
               d.submitted_on IS NOT NULL AND d.submitted_on <= $as_of AS is_submitted
        FROM deliverables d JOIN projects p USING (project_id)
        WHERE d.project_id IN (SELECT unnest($projects))
    ),
    s AS (
        SELECT d.*,
               CASE WHEN is_submitted AND submitted_on <= due_on THEN 'on_time'
                    WHEN is_submitted THEN 'late'
                    WHEN $as_of > due_on THEN 'overdue'
                    WHEN due_on <= CAST($as_of + INTERVAL {DUE_SOON_DAYS} DAY AS DATE) THEN 'due_soon'
                    ELSE 'upcoming' END AS timing
        FROM d
    )
    SELECT project_id, code, title, work_package, kind, due_month, due_on,
           CASE WHEN is_submitted THEN submitted_on END AS submitted_on,
           CASE WHEN is_submitted THEN 'submitted' WHEN status = 'submitted' THEN 'pending' ELSE status END
               AS portal_status,
           timing, (SELECT label FROM (VALUES {_TIMING_LABELS}) t(timing, label) WHERE t.timing = s.timing) AS timing_label,
           timing IN ('late', 'overdue') AS is_late,
           CASE timing WHEN 'late' THEN date_diff('day', due_on, submitted_on)
                       WHEN 'overdue' THEN date_diff('day', due_on, $as_of) END AS days_late,
           date_diff('day', $as_of, due_on) AS days_to_due,
           CASE WHEN is_submitted THEN late_justification END AS late_justification,
           timing = 'late' AND late_justification IS NULL AS missing_justification,
           due_on > end_date AS due_after_end,
           is_sample
    FROM s
"""


def _params(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> dict:
    return {"projects": checked_projects(con, project_ids), "as_of": as_of}


def schedule(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Every deliverable and milestone of the selected projects with its due date and status at t."""
    return con.execute(
        _SCHEDULE + " ORDER BY project_id, due_on, code",
        _params(con, project_ids, as_of),
    ).df()


def due_soon(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """What falls due in the next 30 days from the as-of date and is not submitted yet."""
    return con.execute(
        f"SELECT * FROM ({_SCHEDULE}) WHERE timing = 'due_soon' ORDER BY due_on, project_id, code",
        _params(con, project_ids, as_of),
    ).df()


def counts(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> dict:
    """How many deliverables are in each timing, plus the flagged ones."""
    row = con.execute(
        f"""SELECT count(*) AS total,
                   count(*) FILTER (WHERE timing = 'on_time') AS on_time,
                   count(*) FILTER (WHERE timing = 'late') AS late,
                   count(*) FILTER (WHERE timing = 'overdue') AS overdue,
                   count(*) FILTER (WHERE timing = 'due_soon') AS due_soon,
                   count(*) FILTER (WHERE timing = 'upcoming') AS upcoming,
                   count(*) FILTER (WHERE missing_justification) AS missing_justification,
                   count(*) FILTER (WHERE due_after_end) AS due_after_end
            FROM ({_SCHEDULE})""",
        _params(con, project_ids, as_of),
    ).fetchone()
    keys = ("total", "on_time", "late", "overdue", "due_soon", "upcoming", "missing_justification", "due_after_end")
    return dict(zip(keys, row))


def due_after_end_problems(con: duckdb.DuckDBPyConnection, table: str, file_name: str,
                           staged: set[str]) -> list["Problem"]:
    """Import rule over the staged rows (analytics.loader): a deliverable whose due month ends after
    its project's end is refused; the batch's own project dates win over the database's."""
    from analytics.loader import MAX_PROBLEMS, Problem, stage_name  # the loader calls this check

    if table != "deliverables":
        return []
    periods = "projects"
    if "projects" in staged:
        mine = stage_name("projects")
        periods = (f"(SELECT project_id, start_date, end_date FROM {mine} UNION ALL "
                   f"SELECT project_id, start_date, end_date FROM projects WHERE project_id NOT IN "
                   f"(SELECT project_id FROM {mine}))")
    rows = con.execute(
        f"""SELECT s._line, s.due_month, s.project_id, due_on, p.end_date
            FROM {stage_name(table)} s JOIN {periods} p ON p.project_id = s.project_id,
                 LATERAL (SELECT CAST(p.start_date + to_months(CAST(s.due_month AS INTEGER)) - INTERVAL 1 DAY
                                      AS DATE) AS due_on)
            WHERE due_on > p.end_date
            ORDER BY s._line LIMIT {MAX_PROBLEMS}"""
    ).fetchall()
    return [Problem(file_name, line, "due_month", month,
                    f"M{month} ends on {due}, after the end of project {project_id} on {end}: "
                    "a deliverable must be due within the project")
            for line, month, project_id, due, end in rows]


# Needs-attention rows of the projects in $projects at $as_of (see attention_items).
ATTENTION_SQL = f"""
        WITH sched AS ({_SCHEDULE})
        SELECT project_id, 'high' AS severity, 'Deliverables' AS area,
               format('{{}} {{}} (M{{}}, due {{}}) not submitted: {{}} day{{}} late', code, title, due_month,
                      strftime(due_on, '%d.%m.%Y'), days_late, CASE WHEN days_late = 1 THEN '' ELSE 's' END) AS what,
               CAST(due_on + INTERVAL 1 DAY AS DATE) AS since
        FROM sched WHERE timing = 'overdue'
        UNION ALL
        SELECT project_id, 'medium', 'Deliverables',
               format('{{}} {{}} submitted {{}} day{{}} late without a justification', code, title, days_late,
                      CASE WHEN days_late = 1 THEN '' ELSE 's' END),
               submitted_on
        FROM sched WHERE missing_justification
        UNION ALL
        SELECT project_id, 'medium', 'Deliverables',
               format('{{}} {{}} is due in M{{}} ({{}}), after the project end', code, title, due_month,
                      strftime(due_on, '%d.%m.%Y')),
               due_on
        FROM sched WHERE due_after_end"""


def attention_items(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Needs-attention rows: overdue deliverables (since the day after they fell due), late
    submissions without a justification, and deliverables due after the project end."""
    return con.execute(ATTENTION_SQL, _params(con, project_ids, as_of)).df()
