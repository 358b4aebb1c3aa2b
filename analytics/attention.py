"""The Portfolio page's "Needs attention" list: what to look at first, across the projects.

Each area's rules live in its own module; this one gathers their findings into one list with the
project, what is wrong, since when, and the page to open:

- high: deliverables overdue (analytics.deliverables), KPIs overdue or off track (analytics.kpis);
- medium: ClusterXchange and mission rule warnings (analytics.stays), labels lapsing before the
  project end and ladder problems (analytics.labels), late submissions without a justification;
- low: stale KPIs: no record and no check-in for 60 days or more while the KPI is still running
  (on track, at risk or off track); a KPI never updated counts from the project start.

"Since": for an overdue KPI, the day after its due date; for an off-track KPI, the first date from
which it has been off track without a break, checked at every month-end and on the as-of date;
for a stale KPI, its last record or check-in.

Speed (issue 8: 1,000 projects, ~200,000 findings, most of them ClusterXchange rule warnings): the
Portfolio reads summary(), the counts and the first ROWS_SHOWN rows (a top-n in DuckDB over only
the areas that can give them); the whole list, needs_attention(), is built for the CSV, the reports
and the CLI. The rule warnings are kept in a table rebuilt on every write (analytics.warning_facts)
and read by date and project; every area's findings come from one statement each for all the
projects, are kept in Arrow (no Python object per finding) and sorted there; a KPI's off-track
history is evaluated only for the KPIs off track on the as-of date, at their own month-ends.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import deliverables, labels, stays, warning_facts
from analytics.kpis import evaluation
from analytics.selection import checked_projects
from analytics.settings import StatusThresholds

STALE_DAYS = 60
# The Portfolio lists this many findings; beyond it a list is read as counts (shown above it),
# and every finding downloads as CSV.
ROWS_SHOWN = 500
PAGES = {"Deliverables": "deliverables", "KPIs": "kpis", "Exchanges": "exchanges", "Labels": "labels"}
SEVERITIES = ("high", "medium", "low")
COLUMNS = ["project_id", "severity", "area", "what", "since", "page", "link"]

EXPLANATIONS = {
    "high": "deliverables overdue (not submitted after the due date); KPIs overdue (due date passed, target "
            "not reached) or off track (pace below the at-risk threshold)",
    "medium": "ClusterXchange rule warnings; labels lapsing before the project end; label ladder problems; "
              "late submissions without a justification",
    "low": f"stale KPIs: no record and no check-in for {STALE_DAYS} days or more while the KPI is running",
    "since": "overdue KPI: the day after the due date; off-track KPI: the first date from which it has been off "
             "track without a break (checked at month-ends and on the as-of date); stale KPI: its last update; "
             "overdue deliverable: the day after its due date; rule warning: the end of the stay",
}


def _number(column: str) -> str:
    """SQL formatting a value as a person reads it: whole numbers without decimals."""
    return (f"CASE WHEN {column} = round({column}) THEN format('{{:,.0f}}', {column}) "
            f"ELSE format('{{:,.1f}}', {column}) END")


def _arrow(con: duckdb.DuckDBPyConnection, sql: str, params: dict) -> pa.Table:
    """A statement's many rows as Arrow: no Python object per row (.df() builds one per string: 0.4 s
    for 200,000 findings). For a few rows .df() is quicker: this binds the statement twice."""
    return con.sql(sql, params=params).to_arrow_reader().read_all()


# The KPI columns the findings need, evaluated once at the as-of date.
_NOW_COLUMNS = ["project_id", "code", "name", "unit", "is_placeholder", "start_date", "due", "actual", "target",
                "expected", "last_update_on", "status"]

# Over kpi_now (every KPI at the as-of date) and kpi_off_since (see _OFF_SINCE).
_KPI_ITEMS = f"""
    WITH now AS (
        SELECT *, code || ' ' || name || CASE WHEN is_placeholder THEN ' (placeholder target)' ELSE '' END AS label
        FROM kpi_now
    )
    SELECT project_id, 'high' AS severity, 'KPIs' AS area,
           format('{{}}: overdue, {{}} of {{}} {{}} on the as-of date, due {{}}', label, {_number('actual')},
                  {_number('target')}, unit, strftime(CAST(due AS DATE), '%d.%m.%Y')) AS what,
           CAST(CAST(due AS DATE) + INTERVAL 1 DAY AS DATE) AS since
    FROM now WHERE status = 'overdue'
    UNION ALL
    SELECT now.project_id, 'high', 'KPIs',
           format('{{}}: off track, {{}} of {{}} {{}} with {{}} expected by now', label, {_number('actual')},
                  {_number('target')}, unit, {_number('expected')}),
           coalesce(CAST(s.since AS DATE), $as_of)
    FROM now LEFT JOIN kpi_off_since s USING (project_id, code) WHERE now.status = 'off_track'
    UNION ALL
    SELECT project_id, 'low', 'KPIs',
           format('{{}}: no record or check-in since {{}} ({{}} days)', label,
                  strftime(coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE)), '%d.%m.%Y'),
                  date_diff('day', coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE)), $as_of)),
           coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE))
    FROM now
    WHERE status IN ('on_track', 'at_risk', 'off_track')
      AND date_diff('day', coalesce(CAST(last_update_on AS DATE), CAST(start_date AS DATE)), $as_of) >= $stale_days
"""

# Per KPI off track now, from its statuses at the month-ends before the as-of date: the first day
# of the last unbroken off-track run. A KPI without one (the month-end before the as-of date was
# not off track, or there was none) is off track since the as-of date (see _KPI_ITEMS).
_OFF_SINCE = """
    WITH h AS ({history}),
    last_other AS (SELECT project_id, code, max(as_of) FILTER (WHERE status <> 'off_track') AS day FROM h GROUP BY ALL)
    SELECT project_id, code,
           CAST(min(h.as_of) FILTER (WHERE h.status = 'off_track' AND (o.day IS NULL OR h.as_of > o.day)) AS DATE)
               AS since
    FROM h JOIN last_other o USING (project_id, code)
    GROUP BY ALL HAVING since IS NOT NULL
"""


def _no_since() -> pd.DataFrame:
    """kpi_off_since when no month-end is to be checked: every off-track KPI since the as-of date."""
    return pd.DataFrame({"project_id": pd.Series(dtype="str"), "code": pd.Series(dtype="str"),
                         "since": pd.Series(dtype="datetime64[us]")})


def _off_track_since(con: duckdb.DuckDBPyConnection, now: pd.DataFrame, as_of: date,
                     thresholds: StatusThresholds | None) -> pd.DataFrame:
    """(project_id, code, since) of the KPIs off track at the as-of date and before it.

    The rule checks every month-end since the first project start, and the as-of date. Before its
    project's start a KPI is not started, so never off track, and the as-of date is known: only
    the off-track KPIs at their own month-ends are evaluated, not every KPI of the portfolio at
    every month-end (issue 8: 4 s at 1,000 projects).
    """
    off = now[now["status"] == "off_track"]
    keys = list(zip(off["project_id"], off["code"]))
    month_ends = [d for d in pd.date_range(off["start_date"].min(), as_of, freq="ME").date if d < as_of] \
        if keys else []
    if not month_ends:
        return _no_since()
    sql, params = evaluation(con, month_ends, kpi_keys=keys, thresholds=thresholds,
                             columns=["project_id", "code", "as_of", "status"])
    return con.execute(_OFF_SINCE.format(history=sql), params).df()


@contextmanager
def _kpi_relations(con: duckdb.DuckDBPyConnection, project_ids: list[str] | None, as_of: date,
                   thresholds: StatusThresholds | None) -> Iterator[None]:
    """kpi_now and kpi_off_since, which _KPI_ITEMS reads, registered on ``con`` while the block runs.

    ``project_ids`` None means every project, evaluated without a project filter (a list of
    1,000 projects to check rows against costs more than the evaluation of the KPIs it removes).
    """
    sql, params = evaluation(con, [as_of], project_ids=project_ids, thresholds=thresholds, columns=_NOW_COLUMNS)
    now = con.execute(sql, params).df()
    since = _off_track_since(con, now, as_of, thresholds)
    con.register("kpi_now", now)
    con.register("kpi_off_since", since)
    try:
        yield
    finally:
        con.unregister("kpi_now")
        con.unregister("kpi_off_since")


def kpi_items(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    *,
    thresholds: StatusThresholds | None = None,
    stale_days: int = STALE_DAYS,
) -> pd.DataFrame:
    """KPIs overdue, off track (with the start of the current off-track run) or stale."""
    ids = None if project_ids is None else checked_projects(con, project_ids)
    with _kpi_relations(con, ids, as_of, thresholds):
        return con.execute(_KPI_ITEMS, {"as_of": as_of, "stale_days": stale_days}).df()


_SEVERITY_RANK = "CASE severity " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES)) + " END"
_PAGE_ROWS = ", ".join(f"('{area}', '{page}')" for area, page in PAGES.items())

# Each area's statement, its place in the order when all else ties (part) and the severities it
# gives: the first rows of some severities read only the statements that can give them (DuckDB
# still computes the CTEs of a statement whose rows a filter drops). {exchanges}: the rule
# warnings' statement, kept (analytics.warning_facts) or live.
_PARTS = ((0, deliverables.ATTENTION_SQL, {"high", "medium"}), (1, _KPI_ITEMS, {"high", "low"}),
          (2, "{exchanges}", {"medium"}), (3, labels.ATTENTION_SQL, {"medium"}))


def _all_items(severities: Iterable[str] = SEVERITIES) -> str:
    """The findings of the areas giving these severities (and maybe others), with the page and the
    link (the page, then the project's query string) and the project's rank among the selected
    ones by id (sorting on it is sorting on the id, without comparing strings). Parameters:
    $projects, $as_of, $stale_days, stays.rule_params(), and per selected project (parallel lists)
    $link_projects, $link_queries and $project_ranks."""
    parts = " UNION ALL ".join(f"SELECT {part} AS part, * FROM ({sql})"
                               for part, sql, gives in _PARTS if gives & set(severities))
    return f"""
    WITH items AS ({parts}),
    pages(area, page) AS (VALUES {_PAGE_ROWS}),
    queries AS (SELECT unnest($link_projects) AS project_id, unnest($link_queries) AS query,
                       unnest($project_ranks) AS project_rank)
    SELECT i.project_id, i.severity, i.area, i.what, CAST(i.since AS DATE) AS since, p.page,
           p.page || '?' || q.query AS link, {_SEVERITY_RANK} AS severity_rank, q.project_rank, i.part
    FROM items i LEFT JOIN pages p USING (area) LEFT JOIN queries q USING (project_id)
"""


_ALL_ITEMS = _all_items()
# Most severe first, then oldest first, then by project and text (missing values last in each,
# as pandas sorted them before). Sorted in Arrow: ~0.1 s for 200,000 findings, where DuckDB's
# ORDER BY took ~0.16 s and pandas' sort_values ~0.25 s.
_ORDER = [(column, "ascending", "at_end") for column in ("severity_rank", "since", "project_rank", "what", "part")]
# The same order in SQL, for the first rows only (a top-n: no full sort). DuckDB compares strings
# byte by byte, as Arrow does, so both orders agree.
_ORDER_SQL = ", ".join(f"{column} ASC NULLS LAST" for column in ("severity_rank", "since", "project_rank", "what",
                                                                 "part"))

# Findings per severity and area: most severe first, then the areas in a fixed order (PAGES), the
# same layout on every date. Not as the areas first appear in the list: that order needs every
# finding's text to break ties, and reading the text of 200,000 findings costs ~0.1 s at L.
_AREA_RANK = "CASE area " + " ".join(f"WHEN '{a}' THEN {i}" for i, a in enumerate(PAGES)) + " END"
_COUNTS = f"""
    SELECT severity, area, count(*) AS findings
    FROM ({_ALL_ITEMS})
    GROUP BY severity_rank, severity, area
    ORDER BY severity_rank, {_AREA_RANK}
"""
# The first $rows findings of _all_items({severities}) (head_severities: the first severities
# whose counts reach $rows, so the others' areas are not read: at L the first 500 are all high
# and the 200,000 rule warnings, medium, are skipped).
_HEAD = f"""
    SELECT {', '.join(COLUMNS)} FROM ({{items}}) WHERE severity IN ({{severities}})
    ORDER BY {_ORDER_SQL} LIMIT $rows
"""


def _head_severities(found: pd.DataFrame, rows: int) -> list[str]:
    """The severities the first ``rows`` findings are of: the most severe down to the one where
    the count reaches ``rows``."""
    chosen, seen = [], 0
    for severity in SEVERITIES:
        if seen >= rows:
            break
        chosen.append(severity)
        seen += int(found.loc[found["severity"] == severity, "findings"].sum())
    return chosen


def _head_sql(found: pd.DataFrame, rows: int) -> str:
    severities = _head_severities(found, rows)
    # literals from SEVERITIES only, never input
    return _HEAD.replace("{items}", _all_items(severities)).replace(
        "{severities}", ", ".join(f"'{s}'" for s in severities))


def _statement(template: str, exchanges: str) -> str:
    """_ALL_ITEMS, _COUNTS or _HEAD over the rule warnings' statement (warning_facts.attention_sql:
    kept when current, else live; asked once per call, as it reads the sources' row counts)."""
    return template.replace("{exchanges}", exchanges)  # not format(): the SQL has braces of its own


def _used(sql: str, params: dict) -> dict:
    """The parameters a statement names: the kept warnings need no rule parameters, and DuckDB
    refuses parameters a statement does not use."""
    return {name: value for name, value in params.items() if re.search(rf"\${name}\b", sql)}


def _params(con: duckdb.DuckDBPyConnection, ids: list[str], as_of: date, stale_days: int) -> dict:
    """_ALL_ITEMS' parameters for the checked selection ``ids``."""
    queries = [urlencode({"project": project, "as_of": as_of.isoformat()}) for project in ids]
    rank = {project: i for i, project in enumerate(sorted(ids))}  # str order: code points, as Arrow's bytes
    return ({"projects": ids, "as_of": as_of, "stale_days": stale_days, "link_projects": ids,
             "link_queries": queries, "project_ranks": [rank[project] for project in ids]}
            | stays.rule_params())


def _kpi_filter(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, ids: list[str]) -> list[str] | None:
    """The projects to evaluate KPIs for: None (no filter, the quicker) when the selection is every project."""
    return None if project_ids is None or len(ids) == len(checked_projects(con, None)) else ids


def needs_attention(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    project_ids: Iterable[str] | None = None,
    *,
    thresholds: StatusThresholds | None = None,
    stale_days: int = STALE_DAYS,
) -> pd.DataFrame:
    """Every finding of every area, most severe first, then oldest first, each with a link to the
    page that explains it (project and as-of date in the link, as the sidebar keeps them)."""
    ids = checked_projects(con, project_ids)
    with _kpi_relations(con, _kpi_filter(con, project_ids, ids), as_of, thresholds):
        sql = _statement(_ALL_ITEMS, warning_facts.attention_sql(con))
        items = _arrow(con, sql, _used(sql, _params(con, ids, as_of, stale_days)))
    if items.num_rows == 0:
        return _nothing()
    items = items.combine_chunks()  # one chunk: sorting and taking over many cost twice as much
    order = pc.sort_indices(items, sort_keys=_ORDER)
    return items.select(COLUMNS).take(order).to_pandas()


@dataclass(frozen=True)
class Summary:
    """What the Portfolio shows of the list: its counts and its first rows, not every finding."""

    counts: pd.DataFrame  # findings per severity and area, as counts() gives them for the whole list
    head: pd.DataFrame  # the first ROWS_SHOWN findings (or all when fewer), COLUMNS, in the list's order

    @property
    def total(self) -> int:
        return int(self.counts["findings"].sum())

    @property
    def empty(self) -> bool:
        return self.total == 0

    def by_severity(self) -> dict[str, int]:
        return {s: int(self.counts.loc[self.counts["severity"] == s, "findings"].sum()) for s in SEVERITIES}


# A short list (the kept rule warnings, most of any list, at most this many): one statement
# gathers the findings once and gives both the counts and the first rows (one plan instead of
# two: ~60 ms less at 10 projects). A long one: two statements, so that the text of 100,000s of
# rule warnings is never gathered when the first rows are of another severity.
ONE_STATEMENT_UP_TO = 20_000

# _COUNTS and _HEAD in one statement: the counts (kind 0, in _COUNTS' order), then the first $rows
# findings of the severities that hold them (kind 1, in the list's order).
_SUMMARY = f"""
    WITH found AS MATERIALIZED ({_ALL_ITEMS}),
    counted AS (SELECT severity_rank, severity, area, count(*) AS findings FROM found GROUP BY ALL),
    reached AS (SELECT severity_rank, sum(sum(findings)) OVER (ORDER BY severity_rank) >= $rows AS enough
                FROM counted GROUP BY severity_rank),
    head AS (SELECT * FROM found
             WHERE severity_rank <= (SELECT coalesce(min(severity_rank) FILTER (WHERE enough), {len(SEVERITIES)})
                                     FROM reached)
             ORDER BY {_ORDER_SQL} LIMIT $rows)
    SELECT 0 AS kind, row_number() OVER (ORDER BY severity_rank, {_AREA_RANK}) AS n, severity, area, findings,
           NULL AS project_id, NULL AS what, CAST(NULL AS DATE) AS since, NULL AS page, NULL AS link
    FROM counted
    UNION ALL
    SELECT 1, row_number() OVER (ORDER BY {_ORDER_SQL}), severity, area, NULL, project_id, what, since, page, link
    FROM head
    ORDER BY kind, n
"""


def summary(
    con: duckdb.DuckDBPyConnection,
    as_of: date,
    project_ids: Iterable[str] | None = None,
    *,
    thresholds: StatusThresholds | None = None,
    stale_days: int = STALE_DAYS,
    rows: int | None = None,
) -> Summary:
    """needs_attention's counts per severity and area and its first ``rows`` findings, without
    building the whole list (issue 8: ~200,000 findings at 1,000 projects, of which a page shows
    500): DuckDB counts them and keeps the first rows of the order (a top-n, not a sort).
    ``rows`` None: ROWS_SHOWN, read at the call (the page's tests shorten it)."""
    rows = ROWS_SHOWN if rows is None else rows
    ids = checked_projects(con, project_ids)
    params = _params(con, ids, as_of, stale_days) | {"rows": rows}
    exchanges = warning_facts.attention_sql(con)
    short = warning_facts.kept_rows(con) <= ONE_STATEMENT_UP_TO
    with _kpi_relations(con, _kpi_filter(con, project_ids, ids), as_of, thresholds):
        if short:
            sql = _statement(_SUMMARY, exchanges)
            # by Arrow, as the whole list is: the same column types (dates as dates)
            both = _arrow(con, sql, _used(sql, params)).to_pandas()
            found = both.loc[both["kind"] == 0, ["severity", "area", "findings"]].reset_index(drop=True)
            head = both.loc[both["kind"] == 1, COLUMNS].reset_index(drop=True) if rows > 0 else _nothing()
        else:
            sql = _statement(_COUNTS, exchanges)
            found = con.execute(sql, _used(sql, params)).df()
            head = _nothing()
            if len(found) and rows > 0:
                sql = _statement(_head_sql(found, rows), exchanges)
                head = _arrow(con, sql, _used(sql, params)).to_pandas()
    if found.empty:  # the column types of the empty list's counts, whichever way it was read
        return Summary(counts(_nothing()).astype({"findings": "int64"}), _nothing())
    if head.empty:
        head = _nothing()
    found["findings"] = found["findings"].astype("int64")
    return Summary(found, head)


def _nothing() -> pd.DataFrame:
    """The empty list, with the columns (and column types) it has always had."""
    items = pd.DataFrame(columns=COLUMNS[:5])
    items["since"] = pd.to_datetime(items["since"]).dt.date
    items["page"] = items["area"].map(PAGES)
    items["link"] = []
    return items[COLUMNS]


def counts(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings per severity and area, most severe first, then the areas in PAGES' order: how a
    list too long to read is shown (summary() counts the same way)."""
    found = findings.groupby(["severity", "area"], sort=False).size().rename("findings").reset_index()
    order = found["severity"].map(SEVERITIES.index) * len(PAGES) + found["area"].map(list(PAGES).index)
    return found.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def headline(findings: pd.DataFrame | Summary) -> str:
    """'n findings (h high, m medium, l low)', for the caption above the list: of the list itself,
    or of its summary."""
    if isinstance(findings, Summary):
        total, by_severity = findings.total, findings.by_severity()
    else:
        total, by_severity = len(findings), findings["severity"].value_counts()
    return f"{total:,} findings (" + ", ".join(f"{by_severity.get(s, 0):,} {s}" for s in SEVERITIES) + ")"


def findings_csv(con: duckdb.DuckDBPyConnection, as_of: date, project_ids: Iterable[str] | None = None, **kwargs) -> bytes:
    """Every finding as the page's CSV download (formulas neutralised, without the page links)."""
    from analytics.exporting import frame_csv

    return frame_csv(needs_attention(con, as_of, project_ids, **kwargs).drop(columns="link"))
