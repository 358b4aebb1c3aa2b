"""Pre-computed ClusterXchange and mission rule warnings, for the Needs-attention list (issue 8).

Why: at 1,000 projects 200,000 stays give ~200,000 warnings, ~0.2 s (0.4 s of CPU) to compute
per request, most of the Portfolio's "Needs attention" time. Warnings change only when stays,
missions or projects are written, so the loader rebuilds them then, in the same transaction, and
a request filters them by date and project.

The as-of date: a stay is on record once it has ended, and the rules check it against the
earlier stays (by start) of its organisation that are on record: its visit number, first visit
and what was paid before it under the cap. Once every earlier stay has ended too (``settled_on``)
its warnings read as with every stay on record, for good. Before that (between its end and
settled_on) they change at each end of an earlier stay: the rows of those dates are kept too, each
holding from ``from_on`` to ``to_on`` (excluded). At L 2,435 of 200,000 stays have such dates. A
reader takes the rows holding on its as-of date: one filter, whatever the date.

Kept current in the loader's write transaction (after_write): a stay is checked against its
organisation's stays only, so a write of stays recomputes the warnings of the organisations whose
stays changed (rule_warning_orgs keeps a count and hash of each one's stays: ~0.3 s of CPU for one
stay at L, where rebuilding all takes ~2 s); missions are refreshed on their own. Readers compare the sources' row counts and the rule parameters with those the table was built
from, and compute every warning live when they differ (a write around the loader, other rules).
Updates around the loader that keep the row counts are not seen: write through the loader, or
call ``after_write`` (or ``rebuild``) afterwards.
"""
from __future__ import annotations

import json
from datetime import date

import duckdb

from analytics import stays

SOURCES = ("exchanges", "missions", "projects")  # projects: a warning is reported under the counting project
_EVER = date(9999, 12, 31)  # as-of date of the kept warnings: every stay on record

# Per stay: its organisation as the rules match it, and the latest end among it and the stays of
# that organisation that started before it (the rules' order: start, then id).
# {stays}: exchanges, or the stays of some organisations (whole, so the windows are exact).
_SETTLED = """
    SELECT exchange_id, lower(visitor_org) AS org, start_date, end_date,
           max(end_date) OVER (PARTITION BY lower(visitor_org) ORDER BY start_date, exchange_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS settled_on
    FROM {stays}
"""

# Per stay not settled when it ends: the as-of dates from which its warnings change before it
# settles (its end, and the ends of earlier stays of its organisation ending before it settles).
_BREAKS = f"""
    WITH st AS ({_SETTLED})
    SELECT exchange_id AS stay, org, end_date AS v, settled_on FROM st WHERE settled_on > end_date
    UNION
    SELECT i.exchange_id, i.org, j.end_date, i.settled_on
    FROM st i JOIN st j ON j.org = i.org AND j.end_date > i.end_date AND j.end_date < i.settled_on
        AND (j.start_date < i.start_date OR (j.start_date = i.start_date AND j.exchange_id < i.exchange_id))
    WHERE i.settled_on > i.end_date
"""

# The stays as on record at each of those dates, each date's stays a visitor of their own: the
# date is appended to the organisation (the rules' partition) and to the stay id, after a chr(1)
# that sorts before any character, so the ids keep their order. The rules then check every date
# in one statement; rows_of_views takes the suffix off again.
_MARK = "chr(1) || strftime(vw.v, '%Y-%m-%d')"
_VIEW_STAYS = f"""(
    SELECT e.* REPLACE (e.exchange_id || {_MARK} AS exchange_id, e.visitor_org || {_MARK} AS visitor_org)
    FROM {{stays}} e JOIN (SELECT DISTINCT org, v FROM ({_BREAKS})) vw
         ON lower(e.visitor_org) = vw.org AND e.end_date <= vw.v
)"""

_COLUMNS = "project_id, org, record, rule, what, since, settled_on, from_on, to_on"


def _rules_key(rules: stays.XchangeRules | None) -> str:
    return json.dumps(stays.rule_params(rules), default=str, sort_keys=True)


def rows_sql(stays_from: str = "exchanges", missions: bool = True) -> str:
    """Every warning once all stays are on record: each holds from the as-of date its stay (or
    mission) has settled. Parameters: stays.rule_params() and $as_of (_EVER). ``stays_from`` and
    ``missions``: see stays._rules_sql."""
    return stays._rules_sql(stays_from, missions) + f"""
        SELECT w.project_id, CASE WHEN w.rule <> 'no_participants' THEN st.org END AS org, w.record, w.rule,
               w.record || ' · ' || t.title || ': ' || w.message AS what, w.since,
               CASE WHEN w.rule <> 'no_participants' THEN st.settled_on END AS settled_on,
               CASE WHEN w.rule <> 'no_participants' THEN st.settled_on ELSE w.since END AS from_on,
               CAST(NULL AS DATE) AS to_on
        FROM w JOIN titles t USING (rule)
        LEFT JOIN ({_SETTLED.format(stays=stays_from)}) st
               ON st.exchange_id = w.record AND w.rule <> 'no_participants'
    """


def rows_of_views_sql(stays_from: str = "exchanges") -> str:
    """The warnings of the stays not settled when they end, on the dates before they settle."""
    breaks = _BREAKS.format(stays=stays_from)
    unmark = "regexp_replace({}, chr(1) || '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}', '', 'g')"
    record = "split_part(w.record, chr(1), 1)"
    return stays._rules_sql(_VIEW_STAYS.format(stays=stays_from), missions=False) + f"""
        SELECT w.project_id, b.org, {record} AS record, w.rule,
               {record} || ' · ' || t.title || ': ' || {unmark.format('w.message')} AS what, w.since,
               b.settled_on, b.v AS from_on, coalesce(b.next_v, b.settled_on) AS to_on
        FROM w JOIN titles t USING (rule)
        JOIN (SELECT *, lead(v) OVER (PARTITION BY stay ORDER BY v) AS next_v FROM ({breaks})) b
          ON b.stay = {record} AND b.v = CAST(split_part(w.record, chr(1), 2) AS DATE)
    """


def _counts_sql() -> str:
    # table names are this module's constants, never input. The project ids as well as their
    # number: a warning is reported under the counting project only when it is in the database.
    return " UNION ALL ".join(f"SELECT '{t}' AS table_name, count(*) AS row_count FROM {t}" for t in SOURCES) + (
        " UNION ALL SELECT 'project ids', CAST(coalesce(bit_xor(hash(project_id)), 0) % 9223372036854775807 "
        "AS BIGINT) FROM projects")


def _record_sources(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM rule_warning_sources")
    con.execute(f"INSERT INTO rule_warning_sources SELECT table_name, row_count, $rules FROM ({_counts_sql()})",
                {"rules": _rules_key(None)})


# Per organisation: its stays' count and a hash of their rows (what rule_warning_orgs keeps).
_ORG_FINGERPRINTS = """
    SELECT lower(visitor_org) AS org, count(*) AS row_count, bit_xor(hash(e)) AS row_hash FROM exchanges e
    WHERE {where} GROUP BY 1
"""
# Beyond this many organisations changed, rebuilding all is quicker than picking theirs out.
_ORGS_ONE_BY_ONE_UP_TO = 2_000


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every warning with the programme's rules; call inside the transaction that wrote
    the sources."""
    params = {"as_of": _EVER} | stays.rule_params()
    con.execute("DELETE FROM rule_warning_facts")
    # laid out by date, the readers' filter
    con.execute(f"INSERT INTO rule_warning_facts ({_COLUMNS}) SELECT * FROM ({rows_sql()}) "
                f"UNION ALL SELECT * FROM ({rows_of_views_sql()}) ORDER BY from_on, project_id", params)
    con.execute("DELETE FROM rule_warning_orgs")
    con.execute(f"INSERT INTO rule_warning_orgs {_ORG_FINGERPRINTS.format(where='true')}")
    _record_sources(con)


def _changed_orgs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The organisations whose stays differ from those the warnings were built from (new and gone ones too)."""
    rows = con.execute(
        f"""SELECT org FROM ({_ORG_FINGERPRINTS.format(where='true')}) live FULL JOIN rule_warning_orgs kept USING (org)
            WHERE live.row_count IS DISTINCT FROM kept.row_count OR live.row_hash IS DISTINCT FROM kept.row_hash"""
    ).fetchall()
    return [org for (org,) in rows]


def _refresh_orgs(con: duckdb.DuckDBPyConnection, orgs: list[str]) -> None:
    """The warnings of these organisations' stays, computed again from their stays alone (a stay
    is checked against the stays of its organisation only)."""
    params = {"as_of": _EVER, "orgs": orgs} | stays.rule_params()
    theirs = "(SELECT * FROM exchanges WHERE lower(visitor_org) IN (SELECT unnest($orgs)))"
    con.execute("DELETE FROM rule_warning_facts WHERE org IN (SELECT unnest($orgs))", {"orgs": orgs})
    con.execute(f"INSERT INTO rule_warning_facts ({_COLUMNS}) SELECT * FROM ({rows_sql(theirs, missions=False)}) "
                f"UNION ALL SELECT * FROM ({rows_of_views_sql(theirs)})", params)
    con.execute("DELETE FROM rule_warning_orgs WHERE org IN (SELECT unnest($orgs))", {"orgs": orgs})
    theirs_only = "lower(visitor_org) IN (SELECT unnest($orgs))"
    con.execute(f"INSERT INTO rule_warning_orgs {_ORG_FINGERPRINTS.format(where=theirs_only)}", {"orgs": orgs})


def _refresh_missions(con: duckdb.DuckDBPyConnection) -> None:
    """The mission warnings only: each mission is checked on its own (no stay takes part)."""
    con.execute("DELETE FROM rule_warning_facts WHERE rule = 'no_participants'")
    con.execute(f"INSERT INTO rule_warning_facts ({_COLUMNS}) "
                f"SELECT * FROM ({rows_sql('(SELECT * FROM exchanges LIMIT 0)')})",
                {"as_of": _EVER} | stays.rule_params())
    _record_sources(con)


def _stale(con: duckdb.DuckDBPyConnection, rules: stays.XchangeRules | None = None) -> set[str]:
    """The sources that differ from those the warnings were built from (all of them for other rules)."""
    rows = con.execute(
        f"""SELECT live.table_name FROM ({_counts_sql()}) live
            LEFT JOIN (SELECT * FROM rule_warning_sources WHERE rules = $rules) kept USING (table_name)
            WHERE kept.row_count IS DISTINCT FROM live.row_count""", {"rules": _rules_key(rules)}).fetchall()
    return {name for (name,) in rows}


def after_write(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    """The loader's hook. A stay is checked against its organisation's stays, so a write of stays
    refreshes the warnings of the organisations whose stays changed (all of them past
    _ORGS_ONE_BY_ONE_UP_TO: ~2 s of CPU at L); missions are checked one by one, so a write of
    missions refreshes theirs only; a write of projects that keeps the same project ids changes no
    warning (a new or removed project id, or other rules: all rebuilt). Sources changed around the
    loader are healed the same way."""
    stale = _stale(con)
    if stale - {"exchanges", "missions"}:
        rebuild(con)
        return
    if "exchanges" in tables or "exchanges" in stale:
        orgs = _changed_orgs(con)
        if len(orgs) > _ORGS_ONE_BY_ONE_UP_TO:
            rebuild(con)
            return
        if orgs:
            _refresh_orgs(con, orgs)
    if "missions" in tables or "missions" in stale:
        _refresh_missions(con)
    else:
        _record_sources(con)


def fresh(con: duckdb.DuckDBPyConnection, rules: stays.XchangeRules | None = None) -> bool:
    """True when the warnings were built from tables of today's row counts (and project ids), with
    these rules."""
    return not _stale(con, rules)


# The kept warnings holding on $as_of.
_KEPT_ATTENTION = """
    SELECT project_id, 'medium' AS severity, 'Exchanges' AS area, what, since
    FROM rule_warning_facts
    WHERE from_on <= $as_of AND ($as_of < to_on OR to_on IS NULL) AND project_id IN (SELECT unnest($projects))
"""


def attention_sql(con: duckdb.DuckDBPyConnection, rules: stays.XchangeRules | None = None) -> str:
    """stays.attention_sql() (the same rows and parameters) read from the kept warnings when they
    are fresh for these rules, or computed from the stays when not."""
    return _KEPT_ATTENTION if fresh(con, rules) else stays.attention_sql()
