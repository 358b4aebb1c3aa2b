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
Portfolio reads summary(), the counts and the first ROWS_SHOWN rows (the few thousand findings
other than rule warnings gathered once, the rule warnings counted and read only when the first
rows can hold some, the statements side by side); the whole list, needs_attention(), is built for
the CSV, the reports and the CLI. The rule warnings are kept in a table rebuilt on every write (analytics.warning_facts)
and read by date and project; every area's findings come from one statement each for all the
projects, are kept in Arrow (no Python object per finding) and sorted there; a KPI's off-track
history (since when it is off track) is kept per month-end (analytics.kpi_history).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote_plus, urlencode

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from analytics import deliverables, kpi_history, labels, side_by_side, stays, warning_facts
from analytics.arrow_reads import read, used
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


# The KPI columns the findings need, evaluated once at the as-of date.
_NOW_COLUMNS = ["project_id", "code", "name", "unit", "is_placeholder", "start_date", "due", "actual", "target",
                "expected", "last_update_on", "status"]

# Over kpi_now (every KPI at the as-of date) and kpi_off_since (analytics.kpi_history.off_since).
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

@contextmanager
def _kpi_relations(con: duckdb.DuckDBPyConnection, project_ids: list[str] | None, as_of: date,
                   thresholds: StatusThresholds | None) -> Iterator[tuple[str, dict]]:
    """kpi_now and kpi_off_since, which _KPI_ITEMS reads, for one statement of the block: yields
    (a prefix for the statement, its parameters).

    When the off-track runs are kept current (analytics.kpi_history), the prefix is a WITH clause
    holding the evaluation and the kept runs, so the findings are one statement (at L ~10 ms
    less than reading the 10,000 KPIs into Arrow first and scanning that). Otherwise the runs are
    found live for the off-track KPIs, which needs the evaluation's rows first: both are
    registered on ``con`` as Arrow tables while the block runs, and the prefix is empty.

    ``project_ids`` None means every project, evaluated without a project filter (a list of
    1,000 projects to check rows against costs more than the evaluation of the KPIs it removes).
    """
    runs_kept = kpi_history.fresh(con, thresholds)  # current runs: current steps too (one check)
    sql, params = evaluation(con, [as_of], project_ids=project_ids, thresholds=thresholds, columns=_NOW_COLUMNS,
                             ordered=False, kept=runs_kept or None)
    if runs_kept:
        yield (f"WITH kpi_now AS ({sql}), kpi_off_since AS ({kpi_history.KEPT_SINCE}) ",
               params | {"since_cut": kpi_history.last_month_end_before(as_of)})
        return
    now = read(con, sql, params)
    con.register("kpi_now", now)
    con.register("kpi_off_since", kpi_history.off_since(con, now.to_pandas(), as_of, thresholds))
    try:
        yield "", {}
    finally:
        con.unregister("kpi_now")
        con.unregister("kpi_off_since")


def _with_kpis(prefix: str, statement: str) -> str:
    """``statement`` over _kpi_relations' prefix (the statement has a WITH clause of its own)."""
    return f"{prefix}SELECT * FROM ({statement})" if prefix else statement


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
    with _kpi_relations(con, ids, as_of, thresholds) as (prefix, kpi_params):
        sql = _with_kpis(prefix, _KPI_ITEMS)
        return con.execute(sql, used(sql, kpi_params | {"as_of": as_of, "stale_days": stale_days})).df()


_SEVERITY_RANK = "CASE severity " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SEVERITIES)) + " END"
_PAGE_ROWS = ", ".join(f"('{area}', '{page}')" for area, page in PAGES.items())

# Each area's statement and its place in the order when all else ties (part). {exchanges}: the
# rule warnings' statement, kept (analytics.warning_facts) or live.
_PARTS = ((0, deliverables.ATTENTION_SQL), (1, _KPI_ITEMS), (2, "{exchanges}"), (3, labels.ATTENTION_SQL))
KPI_PART, EXCHANGES_PART = 1, 2
# The rule warnings are ~200,000 of the ~208,000 findings at 1,000 projects, all medium; the other
# areas give a few thousand. summary() gathers those once and only counts the rule warnings.
_SCHEDULE_PARTS = tuple(part for part, _ in _PARTS if part not in (KPI_PART, EXCHANGES_PART))


def _all_items(parts: Iterable[int] = tuple(part for part, _ in _PARTS)) -> str:
    """The findings of these areas (all by default), with the page and the link (the page, then
    the project's query string) and the project's rank among the selected ones by id (sorting on
    it is sorting on the id, without comparing strings). Parameters: $projects, $as_of,
    $stale_days, stays.rule_params(), and per selected project (parallel lists) $link_projects,
    $link_queries and $project_ranks."""
    chosen = set(parts)
    union = " UNION ALL ".join(f"SELECT {part} AS part, * FROM ({sql})" for part, sql in _PARTS if part in chosen)
    return f"""
    WITH items AS ({union}),
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

# The first $rows rule warnings in the list's order (a top-n in DuckDB, not a sort of 200,000).
_EXCHANGES_HEAD = f"""
    SELECT * FROM ({_all_items([EXCHANGES_PART])}) ORDER BY {_ORDER_SQL} LIMIT $rows
"""
# The rule warnings per severity and area, without their text.
_EXCHANGES_COUNT = "SELECT severity, area, count(*) AS findings FROM ({exchanges}) GROUP BY ALL"


def _statement(template: str, exchanges: str) -> str:
    """A statement of the findings over the rule warnings' statement (warning_facts.attention_sql:
    kept when current, else live; asked once per call, as it reads the sources' row counts)."""
    return template.replace("{exchanges}", exchanges)  # not format(): the SQL has braces of its own


def _params(con: duckdb.DuckDBPyConnection, ids: list[str], as_of: date, stale_days: int) -> dict:
    """_ALL_ITEMS' parameters for the checked selection ``ids``."""
    # urlencode's output, built from one quoted value per project: urlencode itself costs ~25 µs
    # a call, ~25 ms for 1,000 projects
    tail = "&" + urlencode({"as_of": as_of.isoformat()})
    queries = [f"project={quote_plus(project)}{tail}" for project in ids]
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
    with _kpi_relations(con, _kpi_filter(con, project_ids, ids), as_of, thresholds) as (prefix, kpi_params):
        sql = _with_kpis(prefix, _statement(_ALL_ITEMS, warning_facts.attention_sql(con)))
        items = read(con, sql, kpi_params | _params(con, ids, as_of, stale_days))
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
    building the whole list (issue 8: ~208,000 findings at 1,000 projects, of which a page shows
    500). The findings of every area but the rule warnings (a few thousand) are gathered once, in
    Arrow; the rule warnings are counted, and their first rows read only when the first rows of
    the list can hold some (at L the first 500 are all high, the rule warnings medium).
    ``rows`` None: ROWS_SHOWN, read at the call (the page's tests shorten it)."""
    rows = ROWS_SHOWN if rows is None else rows
    ids = checked_projects(con, project_ids)
    params = _params(con, ids, as_of, stale_days) | {"rows": rows}
    kpi_filter = _kpi_filter(con, project_ids, ids)

    def kpi_findings(cur: duckdb.DuckDBPyConnection) -> pa.Table:
        with _kpi_relations(cur, kpi_filter, as_of, thresholds) as (prefix, kpi_params):
            return read(cur, _with_kpis(prefix, _all_items([KPI_PART])), kpi_params | params)

    def exchange_counts(cur: duckdb.DuckDBPyConnection) -> tuple[str, pd.DataFrame]:
        exchanges = warning_facts.attention_sql(cur)
        # by Arrow: text columns typed even when empty
        return exchanges, read(cur, _statement(_EXCHANGES_COUNT, exchanges), params).to_pandas()

    kpi_part, other_parts, (exchanges, counted) = side_by_side.run(
        con, kpi_findings, lambda cur: read(cur, _all_items(_SCHEDULE_PARTS), params), exchange_counts)
    others = pa.concat_tables([kpi_part, other_parts.cast(kpi_part.schema)]).combine_chunks()
    found = _in_order(pd.concat([_count(others), counted.astype({"findings": "int64"})], ignore_index=True))
    if found.empty:  # the empty list's counts, with its column types
        return Summary(counts(_nothing()).astype({"findings": "int64"}), _nothing())
    head = others
    if rows > 0 and len(counted) and _ahead_of(others, counted) < rows:
        head = pa.concat_tables([others, read(con, _statement(_EXCHANGES_HEAD, exchanges), params).cast(others.schema)])
    if rows <= 0 or head.num_rows == 0:
        return Summary(found, _nothing())
    order = pc.sort_indices(head, sort_keys=_ORDER)[:rows]
    return Summary(found, head.select(COLUMNS).take(order).to_pandas())


def _count(items: pa.Table) -> pd.DataFrame:
    """Findings per severity and area of gathered findings."""
    grouped = items.group_by(["severity", "area"]).aggregate([("part", "count")])
    return grouped.rename_columns(["severity", "area", "findings"]).to_pandas().astype({"findings": "int64"})


def _ahead_of(others: pa.Table, counted: pd.DataFrame) -> int:
    """How many gathered findings come before every rule warning: those more severe."""
    first = min(SEVERITIES.index(severity) for severity in counted["severity"])
    return int(pc.sum(pc.less(others["severity_rank"], first)).as_py() or 0)


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
    return _in_order(findings.groupby(["severity", "area"], sort=False).size().rename("findings").reset_index())


def _in_order(found: pd.DataFrame) -> pd.DataFrame:
    """Counts most severe first, then the areas in PAGES' order: the same layout on every date
    (not as the areas first appear in the list, which would need every finding's text)."""
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
