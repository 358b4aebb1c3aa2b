"""Since when a KPI has been off track: the start of its current unbroken off-track run, checked
at every month-end before the as-of date (the Needs-attention list's "since").

Why kept (issue 8): found per request, the list evaluates every KPI off track on the as-of date
at each month-end since its project's start: ~1,100 KPIs x ~35 month-ends at 1,000 projects,
~120 ms. A KPI's status at a month-end depends only on the records dated up to it (and on its
definition, milestones, project and the status thresholds), not on the as-of date, so the runs
are kept in ``kpi_off_track_runs`` and a request reads one month-end's rows.

Kept current: the loader calls ``after_write`` inside every write transaction, after the facts
(analytics.facts) are current. The KPIs whose inputs changed are evaluated again: per project, a
content hash per input table (the facts' own hashes for the tables they read, computed here for
the others); a change in a measure's records re-evaluates the KPIs of that measure only, a change
in the KPI definitions, milestones or the project all of the project's KPIs. Readers compare row
counts and the thresholds, and find the runs live (the slower way) when a write went around the
loader or other thresholds are asked for.
"""
from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from analytics import facts, kpi_steps
from analytics.kept import row_counts_sql
from analytics.kpis import evaluation
from analytics.measures import MEASURES
from analytics.settings import StatusThresholds

# Inputs of a KPI's status other than the facts' sources, with each one's rows per project.
_OWN_INPUTS = {
    "kpis": "SELECT project_id, t FROM kpis t",
    "kpi_milestones": "SELECT project_id, t FROM kpi_milestones t",
    "checkins": "SELECT project_id, t FROM checkins t",
    "partners": "SELECT project_id, t FROM partners t",
    # as the labels measure joins them: a label counts for the projects its holder is a partner of
    "label_awards": "SELECT p.project_id, t FROM label_awards t JOIN partners p ON p.organisation = t.organisation",
}
# A change in these re-evaluates every KPI of the project (definition, milestones, dates).
_WHOLE_PROJECT = ("kpis", "kpi_milestones", "projects")


def input_tables() -> list[str]:
    return sorted(set(facts.source_tables()) | set(_OWN_INPUTS))


# Per KPI-month-end from the statuses at the month-ends: the off-track ones, each with the first
# month-end after the last one that was not off track (``breaks`` counts those up to each row).
_RUNS_SQL = """
    SELECT project_id, code, as_of AS month_end,
           min(as_of) OVER (PARTITION BY project_id, code, breaks) AS run_start
    FROM (SELECT project_id, code, as_of, status,
                 count(*) FILTER (WHERE status <> 'off_track')
                     OVER (PARTITION BY project_id, code ORDER BY as_of ROWS UNBOUNDED PRECEDING) AS breaks
          FROM ({history}))
    WHERE status = 'off_track'
"""


def last_month_end_before(day: date) -> date:
    """The last month-end strictly before ``day``: the last one the "since" rule checks."""
    return day.replace(day=1) - timedelta(days=1)


# The kept runs at the last month-end before the as-of date ($since_cut), as off_since gives them
# (also for KPIs not off track on the as-of date: a caller joins them to those that are).
KEPT_SINCE = "SELECT project_id, code, run_start AS since FROM kpi_off_track_runs WHERE month_end = $since_cut"


def _month_ends(first: date, last: date) -> list[date]:
    return pd.date_range(first, last, freq="ME").date.tolist()


def runs_sql(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]], first: date, last: date,
             thresholds: StatusThresholds | None) -> tuple[str, dict] | None:
    """The runs of these KPIs at the month-ends from ``first`` to ``last`` (each KPI from its
    project's start on), or None when there is no month-end to check."""
    month_ends = _month_ends(first, last)
    if not keys or not month_ends:
        return None
    sql, params = evaluation(con, month_ends, kpi_keys=keys, thresholds=thresholds,
                             columns=["project_id", "code", "as_of", "status"])
    return _RUNS_SQL.format(history=sql), params


# -- reading -------------------------------------------------------------------------------------

def _no_since() -> pd.DataFrame:
    return pd.DataFrame({"project_id": pd.Series(dtype="str"), "code": pd.Series(dtype="str"),
                         "since": pd.Series(dtype="datetime64[us]")})


def off_since(con: duckdb.DuckDBPyConnection, now: pd.DataFrame, as_of: date,
              thresholds: StatusThresholds | None = None) -> pd.DataFrame:
    """(project_id, code, since) for the KPIs of ``now`` (their evaluation at ``as_of``: columns
    project_id, code, start_date, status) that are off track on it and were at the last month-end
    before it: the first month-end of that unbroken run. A KPI off track without such a run
    (the month-end before was not off track, or there was none) has no row: it is off track since
    the as-of date."""
    off = now[now["status"] == "off_track"]
    if off.empty:
        return _no_since()
    cut = last_month_end_before(as_of)
    if fresh(con, thresholds):
        return con.execute(
            f"""SELECT k.* FROM ({KEPT_SINCE}) k
                JOIN (SELECT unnest($projects) AS project_id, unnest($codes) AS code) o USING (project_id, code)""",
            {"projects": off["project_id"].tolist(), "codes": off["code"].tolist(), "since_cut": cut}).df()
    keys = list(zip(off["project_id"], off["code"]))
    found = runs_sql(con, keys, pd.Timestamp(off["start_date"].min()).date(), cut, thresholds)
    if found is None:
        return _no_since()
    sql, params = found
    return con.execute(f"SELECT project_id, code, run_start AS since FROM ({sql}) "
                       "WHERE month_end = $cut", params | {"cut": cut}).df()


def _live_counts_sql() -> str:
    return row_counts_sql(input_tables())


def inputs_fresh_sql() -> str:
    """A query of one boolean: were the kept runs and steps built from input tables of today's
    row counts? (the steps' readers ask it within a query of their own; thresholds aside, which
    the steps do not depend on)"""
    return (f"SELECT count(*) = 0 FROM ({_live_counts_sql()}) live "
            "LEFT JOIN (SELECT * FROM kpi_history_sources WHERE project_id IS NULL) kept USING (table_name) "
            "WHERE kept.row_count IS DISTINCT FROM live.row_count")


def fresh(con: duckdb.DuckDBPyConnection, thresholds: StatusThresholds | None = None) -> bool:
    """True when the kept runs were built from tables of today's row counts, at these thresholds."""
    thresholds = thresholds or StatusThresholds()
    stale = con.execute(
        f"""SELECT (SELECT count(*) FROM ({_live_counts_sql()}) live
                    LEFT JOIN (SELECT * FROM kpi_history_sources WHERE project_id IS NULL) kept USING (table_name)
                    WHERE kept.row_count IS DISTINCT FROM live.row_count)
                 + (SELECT CAST(count(*) = 0 AS INTEGER) FROM kpi_history_thresholds
                    WHERE on_track = $on AND at_risk = $risk)""",
        {"on": thresholds.on_track, "risk": thresholds.at_risk}).fetchall()[0][0]
    return stale == 0


# -- keeping -------------------------------------------------------------------------------------

def _fingerprints_sql() -> str:
    """Per input table and project: row count and content hash (the facts' for their sources)."""
    own = " UNION ALL ".join(
        f"SELECT '{name}' AS table_name, project_id, count(*) AS row_count, bit_xor(hash(t)) AS row_hash "
        f"FROM ({rows}) GROUP BY project_id" for name, rows in _OWN_INPUTS.items())
    return f"SELECT table_name, project_id, row_count, row_hash FROM fact_sources UNION ALL {own}"


def _changes(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(table, project) pairs whose rows differ from what the runs were built from."""
    return con.execute(
        f"""SELECT DISTINCT coalesce(live.table_name, kept.table_name), coalesce(live.project_id, kept.project_id)
            FROM ({_fingerprints_sql()}) live
            FULL JOIN (SELECT * FROM kpi_history_sources WHERE project_id IS NOT NULL) kept
                 ON kept.table_name = live.table_name AND kept.project_id = live.project_id
            WHERE live.row_count IS DISTINCT FROM kept.row_count OR live.row_hash IS DISTINCT FROM kept.row_hash"""
    ).fetchall()


def _measures_reading(table: str) -> list[str]:
    return [m.name for m in MEASURES.values() if table in m.tables]


def _affected(con: duckdb.DuckDBPyConnection, changes: list[tuple[str, str]]) -> tuple[list[str], list[tuple[str, str]]]:
    """The projects to evaluate again whole, and the other KPIs to evaluate again."""
    whole = sorted({project for table, project in changes if table in _WHOLE_PROJECT})
    by_measure = [(project, measure) for table, project in changes if table not in _WHOLE_PROJECT
                  and project not in whole for measure in _measures_reading(table)]
    if not by_measure:
        return whole, []
    rows = con.execute(
        """SELECT DISTINCT k.project_id, k.code FROM kpis k
           JOIN (SELECT unnest($projects) AS project_id, unnest($measures) AS measure) c USING (project_id, measure)
           ORDER BY ALL""",
        {"projects": [p for p, _ in by_measure], "measures": [m for _, m in by_measure]}).fetchall()
    return whole, [tuple(r) for r in rows]


def _evaluate_again(con: duckdb.DuckDBPyConnection, keys: list[tuple[str, str]]) -> None:
    """Insert the runs of these KPIs (their old rows deleted), at the default thresholds."""
    if not keys:
        return
    span = con.execute(
        """SELECT min(p.start_date), max(coalesce(k.due_date, p.end_date))
           FROM kpis k JOIN projects p USING (project_id)
           JOIN (SELECT unnest($projects) AS project_id, unnest($codes) AS code) a USING (project_id, code)""",
        {"projects": [p for p, _ in keys], "codes": [c for _, c in keys]}).fetchall()[0]
    found = runs_sql(con, keys, span[0], span[1], None)
    if found is not None:
        sql, params = found
        con.execute(f"INSERT INTO kpi_off_track_runs SELECT * FROM ({sql}) ORDER BY month_end, project_id, code",
                    params)


def _delete(con: duckdb.DuckDBPyConnection, whole: list[str], keys: list[tuple[str, str]]) -> None:
    if whole:
        con.execute("DELETE FROM kpi_off_track_runs WHERE project_id IN (SELECT unnest($projects))",
                    {"projects": whole})
    if keys:
        con.execute(
            """DELETE FROM kpi_off_track_runs r USING (SELECT unnest($projects) AS p, unnest($codes) AS c) k
               WHERE r.project_id = k.p AND r.code = k.c""",
            {"projects": [p for p, _ in keys], "codes": [c for _, c in keys]})


def _kpis_of(con: duckdb.DuckDBPyConnection, projects: list[str] | None) -> list[tuple[str, str]]:
    where = "" if projects is None else "WHERE project_id IN (SELECT unnest($projects))"
    return [tuple(r) for r in con.execute(f"SELECT project_id, code FROM kpis {where} ORDER BY ALL",
                                          {} if projects is None else {"projects": projects}).fetchall()]


def _record_sources(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM kpi_history_sources")
    con.execute(f"INSERT INTO kpi_history_sources SELECT table_name, project_id, row_count, row_hash "
                f"FROM ({_fingerprints_sql()})")
    con.execute(f"INSERT INTO kpi_history_sources SELECT table_name, NULL, row_count, NULL FROM ({_live_counts_sql()})")
    defaults = StatusThresholds()
    con.execute("DELETE FROM kpi_history_thresholds")
    con.execute("INSERT INTO kpi_history_thresholds VALUES (?, ?)", [defaults.on_track, defaults.at_risk])


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Evaluate every KPI again; call inside the transaction that wrote the sources, after the facts."""
    con.execute("DELETE FROM kpi_off_track_runs")
    kpi_steps.refresh(con, None)
    _evaluate_again(con, _kpis_of(con, None))
    _record_sources(con)


def after_write(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """The loader's hook: evaluate again the KPIs whose inputs changed (also around the loader)."""
    if not set(tables) & set(input_tables()) and fresh(con):
        return
    if not fresh_thresholds(con):
        rebuild(con)
        return
    whole, keys = _affected(con, _changes(con))
    if not whole and not keys:
        _record_sources(con)  # row counts moved without a content change (e.g. an emptied table)
        return
    _delete(con, whole, keys)
    again = sorted(set(_kpis_of(con, whole)) | set(keys)) if whole else keys
    kpi_steps.refresh(con, again, whole)
    _evaluate_again(con, again)
    _record_sources(con)


def fresh_thresholds(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the kept runs are at the default thresholds (a new default rebuilds them all)."""
    defaults = StatusThresholds()
    return con.execute("SELECT count(*) FROM kpi_history_thresholds WHERE on_track = ? AND at_risk = ?",
                       [defaults.on_track, defaults.at_risk]).fetchall()[0][0] == 1
