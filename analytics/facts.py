"""Pre-aggregated facts: what the KPI and budget figures are computed from (issue 8).

Why: every figure is a sum or a distinct count over the records dated on or before an as-of
date. Over a million records one count-distinct takes ~40 ms on two cores, and the portfolio
evaluates 10,000 KPIs at once, so scanning the records per page cannot stay under 100 ms. The
records are therefore reduced once per write to
- daily rows per measure, project, partner and day: records, amounts, and the entities seen for
  the first time that day (in the project: on a row of its own with no partner; for the partner:
  on the partner's row), so a distinct count at t is a plain sum of first appearances up to t;
- monthly checkpoints: those sums accumulated to every month end from a project's first record
  to its last.
A value at t is the checkpoint at the end of the month before t plus the daily rows from the
first of t's month up to t: a handful of rows per project, whatever the length of the history.
The same is kept for expenses (per partner and category, in exact decimals) for the budget.

Kept current: the loader calls ``after_write`` inside every write transaction with the tables
written; each project whose rows in a source table changed (row count and content hash per table
and project, in ``fact_sources``) is rebuilt. Readers compare row counts (cheap) and, when a write
went around the loader, compute the same facts from the source tables on the fly: slower, never
wrong. Updates made around the loader are not seen: write through the loader, or call
``after_write`` (or ``rebuild``) afterwards.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from analytics.measures import Measure, pre_aggregated


@dataclass(frozen=True)
class Grain:
    """A daily fact table and its monthly checkpoints."""

    daily: str
    monthly: str
    keys: tuple[str, ...]  # the checkpoints' grain; the daily rows add partner (and category)
    values: tuple[tuple[str, str, str], ...]  # (column, expression over daily rows, 'sum' or 'max')
    order: str  # how the daily rows are laid out: what their readers filter on most


MEASURE_GRAIN = Grain(
    "measure_daily", "measure_monthly", ("measure", "project_id"),
    (("events", "events", "sum"), ("amount", "amount", "sum"), ("new_in_project", "new_in_project", "sum"),
     ("last_d", "d", "max")),
    # by date: the portfolio reads a few days of every project; a project's page reads one project
    # in any case (a full scan of the narrow project column is cheap next to the tail's width)
    "d, project_id",
)
EXPENSE_GRAIN = Grain(
    "expense_daily", "expense_monthly", ("project_id",),
    (("n", "n", "sum"), ("amount", "amount", "sum"),
     # the categories that carry the flat-rate indirect costs E, as in analytics.budget
     ("indirect_base", "CASE WHEN category IN ('A', 'C1', 'C2', 'C3') THEN amount ELSE 0 END", "sum"),
     ("fstp", "CASE WHEN category = 'D1' THEN amount ELSE 0 END", "sum"),
     ("last_d", "d", "max")),
    "project_id, d",  # by project: the budget page reads a project's whole history, per partner
)


@dataclass(frozen=True)
class Family:
    """The facts one source feeds: a pre-aggregated measure, or the expenses."""

    name: str
    grain: Grain
    tables: tuple[str, ...]  # a write to any of these refreshes the family
    daily_sql: Callable[[str], str]  # SELECT of the daily rows, given a filter on project_id
    tag: str | None = None  # the value of the grain's measure column, for the measure grain


def _measure_daily_sql(m: Measure) -> Callable[[str], str]:
    def sql(where: str) -> str:
        ev = f"""SELECT project_id, partner, entity, d, amount
                 FROM ({m.events}) AS ev(project_id, code, partner, entity, level_rank, d, d_end, amount)
                 WHERE d IS NOT NULL AND {where}"""
        parts = "SELECT project_id, partner, d, count(*) AS events, sum(amount) AS amount, 0 AS new_p, 0 AS new_pp FROM ev GROUP BY ALL"
        if m.aggregate == "distinct":
            parts += """
                UNION ALL SELECT project_id, partner, d, 0, 0, 0, count(*) FROM firsts GROUP BY ALL
                UNION ALL SELECT project_id, NULL, d, 0, 0, count(*), 0
                          FROM (SELECT project_id, entity, min(d) AS d FROM firsts GROUP BY ALL) GROUP BY ALL"""
        return f"""
            WITH ev AS ({ev}),
            firsts AS (SELECT project_id, partner, entity, min(d) AS d FROM ev WHERE entity IS NOT NULL GROUP BY ALL)
            SELECT '{m.name}' AS measure, project_id, partner, d, CAST(sum(events) AS INTEGER) AS events,
                   coalesce(sum(amount), 0) AS amount, CAST(sum(new_p) AS INTEGER) AS new_in_project,
                   CAST(sum(new_pp) AS INTEGER) AS new_in_partner
            FROM ({parts}) GROUP BY project_id, partner, d"""

    return sql


def _expense_daily_sql(where: str) -> str:
    return f"""SELECT project_id, partner, category, spent_on AS d, CAST(count(*) AS INTEGER) AS n,
                      CAST(sum(amount) AS DECIMAL(38, 2)) AS amount
               FROM expenses WHERE {where} GROUP BY ALL"""


FAMILIES: tuple[Family, ...] = tuple(
    Family(m.name, MEASURE_GRAIN, m.tables, _measure_daily_sql(m), tag=m.name) for m in pre_aggregated()
) + (Family("expenses", EXPENSE_GRAIN, ("expenses",), _expense_daily_sql),)


def source_tables() -> list[str]:
    return sorted({t for f in FAMILIES for t in f.tables})


def _project_filter(projects: list[str] | None) -> str:
    return "TRUE" if projects is None else "project_id IN (SELECT unnest($projects))"


def _scope(family: Family, projects: list[str] | None) -> str:
    tag = f"measure = '{family.tag}' AND " if family.tag else ""  # tags come from the registry
    return tag + _project_filter(projects)


def _monthly_sql(grain: Grain, scope: str) -> str:
    """Checkpoints at every month end between a key's first and last record, cumulative."""
    keys = ", ".join(grain.keys)
    per_month = ", ".join(f"{op}({expr}) AS {col}" for col, expr, op in grain.values)
    running = ", ".join(
        f"sum(coalesce(pm.{col}, 0)) OVER w AS {col}" if op == "sum" else f"max(pm.{col}) OVER w AS {col}"
        for col, _, op in grain.values
    )
    g_keys = ", ".join(f"g.{k}" for k in grain.keys)
    return f"""
        WITH per_month AS (
            SELECT {keys}, last_day(d) AS month_end, {per_month} FROM {grain.daily} WHERE {scope} GROUP BY ALL
        ),
        span AS (SELECT {keys}, min(month_end) AS first_m, max(month_end) AS last_m FROM per_month GROUP BY ALL),
        grid AS (
            SELECT {keys}, last_m,
                   CAST(last_day(unnest(generate_series(CAST(date_trunc('month', first_m) AS TIMESTAMP),
                                                        CAST(date_trunc('month', last_m) AS TIMESTAMP),
                                                        INTERVAL 1 MONTH))) AS DATE) AS month_end
            FROM span
        )
        SELECT {g_keys}, g.month_end, g.month_end = g.last_m AS is_last, {running}
        FROM grid g LEFT JOIN per_month pm ON {" AND ".join(f"pm.{k} = g.{k}" for k in grain.keys)}
             AND pm.month_end = g.month_end
        WINDOW w AS (PARTITION BY {g_keys} ORDER BY g.month_end ROWS UNBOUNDED PRECEDING)
    """


def _refresh(con: duckdb.DuckDBPyConnection, family: Family, projects: list[str]) -> None:
    params = {"projects": projects}
    scope = _scope(family, projects)
    grain = family.grain
    con.execute(f"DELETE FROM {grain.daily} WHERE {scope}", params)
    con.execute(f"INSERT INTO {grain.daily} SELECT * FROM ({family.daily_sql(_project_filter(projects))}) "
                f"ORDER BY {grain.order}", params)
    con.execute(f"DELETE FROM {grain.monthly} WHERE {scope}", params)
    con.execute(f"INSERT INTO {grain.monthly} SELECT * FROM ({_monthly_sql(grain, scope)}) "
                "ORDER BY project_id, month_end", params)


def _fingerprints(table: str) -> str:
    # table names come from the measure registry and this module, never from users
    return f"SELECT project_id, count(*) AS row_count, bit_xor(hash(t)) AS row_hash FROM {table} t GROUP BY project_id"


def _changed_projects(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        f"""SELECT project_id FROM ({_fingerprints(table)}) live
            FULL JOIN (SELECT project_id, row_count, row_hash FROM fact_sources WHERE table_name = $table) kept
            USING (project_id)
            WHERE live.row_count IS DISTINCT FROM kept.row_count OR live.row_hash IS DISTINCT FROM kept.row_hash""",
        {"table": table},
    ).fetchall()
    return sorted(r[0] for r in rows)


def _checked(tables: Iterable[str] | None) -> list[str]:
    checked = source_tables() if tables is None else sorted(set(tables))
    if unknown := set(checked) - set(source_tables()):  # names go into the SQL: only known sources
        raise ValueError(f"not a source of the facts: {sorted(unknown)}")
    return checked


def _stale_tables(con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None) -> list[str]:
    """Source tables (all, or those of ``tables``) whose row count differs from what the facts
    were built from."""
    checked = _checked(tables)
    live = " UNION ALL ".join(f"SELECT '{t}' AS table_name, count(*) AS n FROM {t}" for t in checked)
    rows = con.execute(
        f"""SELECT live.table_name FROM ({live}) live
            LEFT JOIN (SELECT table_name, sum(row_count) AS n FROM fact_sources GROUP BY ALL) kept USING (table_name)
            WHERE live.n <> coalesce(kept.n, 0)"""
    ).fetchall()
    return [r[0] for r in rows]


def fresh(con: duckdb.DuckDBPyConnection, tables: Iterable[str] | None = None) -> bool:
    """True when the facts match the source tables' row counts (a metadata lookup); with
    ``tables``, only those sources (a reader of the expense facts need not count the trainings)."""
    return not _stale_tables(con, tables)


def fresh_sql(tables: Iterable[str]) -> str:
    """``fresh(con, tables)`` as a boolean SQL expression: a reader that runs a statement anyway
    folds the check into it (a round trip and a plan less; ~2 ms of a one-project page)."""
    return "(" + " AND ".join(
        f"(SELECT count(*) FROM {t}) = (SELECT coalesce(sum(row_count), 0) FROM fact_sources WHERE table_name = '{t}')"
        for t in _checked(tables)) + ")"


def after_write(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> None:
    """Refresh the facts of every project whose source rows changed; call inside the write's
    transaction. Also heals tables changed around the loader (their row counts differ)."""
    sources = set(source_tables())
    candidates = (set(tables) & sources) | set(_stale_tables(con))
    changed = {t: _changed_projects(con, t) for t in sorted(candidates)}
    for family in FAMILIES:
        projects = sorted({p for t in family.tables for p in changed.get(t, [])})
        if projects:
            _refresh(con, family, projects)
    for table, projects in changed.items():
        if not projects:
            continue
        params = {"table": table, "projects": projects}
        con.execute("DELETE FROM fact_sources WHERE table_name = $table AND project_id IN (SELECT unnest($projects))",
                    params)
        con.execute(f"INSERT INTO fact_sources SELECT $table, project_id, row_count, row_hash "
                    f"FROM ({_fingerprints(table)}) WHERE project_id IN (SELECT unnest($projects))", params)


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Build every fact from scratch (after a bulk load that bypassed the loader), each grain in
    one sorted insert, so the readers' filters skip whole row groups."""
    for grain in (MEASURE_GRAIN, EXPENSE_GRAIN):
        con.execute(f"DELETE FROM {grain.daily}")
        con.execute(f"INSERT INTO {grain.daily} SELECT * FROM {_inline_daily(grain)} ORDER BY {grain.order}")
        con.execute(f"DELETE FROM {grain.monthly}")
        con.execute(f"INSERT INTO {grain.monthly} SELECT * FROM ({_monthly_sql(grain, 'TRUE')}) "
                    "ORDER BY project_id, month_end")
    con.execute("DELETE FROM fact_sources")
    for table in source_tables():
        con.execute(f"INSERT INTO fact_sources SELECT '{table}', project_id, row_count, row_hash "
                    f"FROM ({_fingerprints(table)})")


# -- reading -------------------------------------------------------------------------------------

def _inline_daily(grain: Grain) -> str:
    """The grain's daily rows computed from the source tables (when the stored ones are stale)."""
    parts = [f.daily_sql("TRUE") for f in FAMILIES if f.grain is grain]
    return "(" + " UNION ALL ".join(f"SELECT * FROM ({p})" for p in parts) + ")"


def daily(grain: Grain, is_fresh: bool) -> str:
    """The relation of daily rows to read: the table, or the same rows computed on the fly."""
    return grain.daily if is_fresh else _inline_daily(grain)


def _windows(dates: list[date]) -> list[tuple[date, date]]:
    """(checkpoint, date) for every date that is not itself a checkpoint: the daily rows to add."""
    return sorted({(_cut(d), d) for d in dates if _cut(d) < d})


def asof_params(dates: list[date], is_fresh: bool) -> dict:
    """The constants asof_sql needs, so the scans skip what no date can use."""
    hi = {"facts_hi": max(dates, default=date.min)}
    if not is_fresh:
        return hi
    cuts = [_cut(d) for d in dates] or [date.min]
    windows = {f"facts_w{i}_{end}": day for i, w in enumerate(_windows(dates)) for end, day in zip(("lo", "hi"), w)}
    return hi | {"facts_lo": min(cuts), "facts_cut_hi": max(cuts)} | windows


def _cut(day: date) -> date:
    """The checkpoint a date starts from: itself on a month end, else the previous month end."""
    following = day + timedelta(days=1)
    return day if following.day == 1 else day.replace(day=1) - timedelta(days=1)


def asof_sql(grain: Grain, rel: str, where: str, is_fresh: bool, dates: list[date], *,
             by_project: bool = False) -> str:
    """SELECT as_of, <keys>, <values>: each key's cumulative values at every date of ``rel`` (a
    relation with an ``as_of`` column holding ``dates``). ``where`` filters on the keys (measure,
    project_id). Parameters: asof_params(dates).

    With ``by_project``, ``rel`` also has a ``for_project`` column and each project is valued only
    at its own dates (so a caller asking for different dates per project reads no other pairs).

    The checkpoint at as_of when it is a month end, else at the end of the month before (the last
    checkpoint when the records ended earlier), plus the daily rows after it up to as_of. The
    daily rows are stored by date, so the few days after the checkpoints are read, not the rest.
    """
    keys = ", ".join(grain.keys)
    cols = ", ".join(col for col, _, _ in grain.values)
    exprs = ", ".join(f"{expr} AS {col}" for col, expr, _ in grain.values)
    combine = ", ".join(f"{op}({col}) AS {col}" for col, _, op in grain.values)
    if not is_fresh:
        own = " AND f.project_id = t.for_project" if by_project else ""
        return f"""SELECT t.as_of, {keys}, {", ".join(f"{op}({expr}) AS {col}" for col, expr, op in grain.values)}
                   FROM {rel} t JOIN {_inline_daily(grain)} f ON f.d <= t.as_of{own}
                   WHERE {where} AND f.d <= $facts_hi GROUP BY ALL"""
    own_m = " AND m.project_id = c.for_project" if by_project else ""
    own_f = " AND f.project_id = c.for_project" if by_project else ""
    windows = " OR ".join(f"(f.d > $facts_w{i}_lo AND f.d <= $facts_w{i}_hi)" for i in range(len(_windows(dates))))
    tail = f"""
            UNION ALL
            SELECT c.as_of, {keys}, {exprs} FROM cuts c JOIN {grain.daily} f ON f.d > c.cut AND f.d <= c.as_of{own_f}
            WHERE {where} AND ({windows})""" if windows else ""
    return f"""
        WITH cuts AS (SELECT {"for_project, " if by_project else ""}as_of,
                             CASE WHEN as_of = last_day(as_of) THEN as_of
                                  ELSE CAST(date_trunc('month', as_of) - INTERVAL 1 DAY AS DATE) END AS cut
                      FROM {rel})
        SELECT as_of, {keys}, {combine} FROM (
            SELECT c.as_of, {keys}, {cols} FROM cuts c JOIN {grain.monthly} m ON m.month_end = c.cut{own_m}
            WHERE {where} AND m.month_end BETWEEN $facts_lo AND least($facts_cut_hi, $facts_hi)
            UNION ALL
            SELECT c.as_of, {keys}, {cols} FROM cuts c JOIN {grain.monthly} m ON m.month_end < c.cut{own_m}
            WHERE {where} AND m.is_last AND m.month_end < $facts_cut_hi{tail}
        ) GROUP BY ALL
    """
