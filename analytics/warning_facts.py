"""Pre-computed ClusterXchange and mission rule warnings, for the Needs-attention list (issue 8).

Why: at 1,000 projects 200,000 stays give ~200,000 warnings, ~0.2 s (0.4 s of CPU) to compute
per request, most of the Portfolio's "Needs attention" time. Warnings change only when stays,
missions or projects are written, so the loader rebuilds them then, in the same transaction, and
a request filters them by date and project.

The as-of date: a stay is on record once it has ended, and the rules check it against the
earlier stays (by start) of its organisation that are on record: its visit number, first visit
and what was paid before it under the cap. The table keeps each warning as it reads once every
earlier stay has ended too (``settled_on``): on a date before that, a stay that started earlier
and has not ended yet is not counted, and the warning may differ (visit 2, not 3; more left under
the cap). Such dates are few (11 organisations at the benchmark's as-of date, of 37,000), so
``rule_warning_unsettled`` lists them per organisation and readers compute those organisations'
warnings live on those dates; every other warning is read as kept, once its stay has ended.

Kept current like analytics.supply_facts: rebuilt when a source is written through the loader;
readers compare the sources' row counts and the rule parameters with those the table was built
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
_SETTLED = """
    SELECT exchange_id, lower(visitor_org) AS org, end_date,
           max(end_date) OVER (PARTITION BY lower(visitor_org) ORDER BY start_date, exchange_id
                               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS settled_on
    FROM exchanges
"""

# The organisations whose kept warnings do not hold on $as_of (see the module docstring).
_UNSETTLED_ORGS = "SELECT org FROM rule_warning_unsettled WHERE from_on <= $as_of AND $as_of < to_on"
# Their stays, from the copy of the stays of every organisation ever unsettled (rule_warning_stays:
# 12,000 of 200,000 stays at L), so the live check reads a few rows, not every stay.
_UNSETTLED_STAYS = f"(SELECT * FROM rule_warning_stays WHERE lower(visitor_org) IN ({_UNSETTLED_ORGS}))"


def _rules_key(rules: stays.XchangeRules | None) -> str:
    return json.dumps(stays.rule_params(rules), default=str, sort_keys=True)


def rows_sql(stays_from: str = "exchanges") -> str:
    """Every warning at no particular date (all stays on record): what the table holds when fresh.
    Parameters: stays.rule_params() and $as_of (_EVER). ``stays_from``: see stays._rules_sql."""
    return stays._rules_sql(stays_from) + f"""
        SELECT w.project_id, CASE WHEN w.rule <> 'no_participants' THEN st.org END AS org, w.record, w.rule,
               w.record || ' · ' || t.title || ': ' || w.message AS what, w.since,
               CASE WHEN w.rule <> 'no_participants' THEN st.settled_on END AS settled_on
        FROM w JOIN titles t USING (rule)
        LEFT JOIN ({_SETTLED}) st ON st.exchange_id = w.record AND w.rule <> 'no_participants'
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


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute every warning with the programme's rules; call inside the transaction that wrote
    the sources."""
    con.execute("DELETE FROM rule_warning_facts")
    # laid out by date, the readers' filter
    con.execute(f"INSERT INTO rule_warning_facts SELECT * FROM ({rows_sql()}) ORDER BY since, project_id",
                {"as_of": _EVER} | stays.rule_params())
    con.execute("DELETE FROM rule_warning_unsettled")
    con.execute(f"INSERT INTO rule_warning_unsettled SELECT org, end_date, settled_on FROM ({_SETTLED}) "
                "WHERE settled_on > end_date")
    # replaced, not emptied: it takes the columns of exchanges as they are now
    con.execute("CREATE OR REPLACE TABLE rule_warning_stays AS SELECT * FROM exchanges "
                "WHERE lower(visitor_org) IN (SELECT org FROM rule_warning_unsettled)")
    _record_sources(con)


def _refresh_missions(con: duckdb.DuckDBPyConnection) -> None:
    """The mission warnings only: each mission is checked on its own (no stay takes part)."""
    con.execute("DELETE FROM rule_warning_facts WHERE rule = 'no_participants'")
    con.execute(f"INSERT INTO rule_warning_facts SELECT * FROM ({rows_sql('(SELECT * FROM exchanges LIMIT 0)')})",
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
    """The loader's hook. Stays are checked against the organisation's other stays, so a write of
    stays rebuilds every warning (~2 s of CPU at L); missions are checked one by one, so a write
    of missions refreshes theirs only; a write of projects that keeps the same project ids changes
    no warning. Sources changed around the loader are healed the same way."""
    stale = _stale(con)
    if "exchanges" in tables or stale - {"missions"}:
        rebuild(con)
    elif "missions" in tables or stale:
        _refresh_missions(con)


def fresh(con: duckdb.DuckDBPyConnection, rules: stays.XchangeRules | None = None) -> bool:
    """True when the warnings were built from tables of today's row counts (and project ids), with
    these rules."""
    return not _stale(con, rules)


# The kept warnings, less those of the organisations unsettled on $as_of; {live}: theirs, checked live.
_KEPT_ATTENTION = """
    SELECT project_id, 'medium' AS severity, 'Exchanges' AS area, what, since
    FROM rule_warning_facts
    WHERE since <= $as_of AND project_id IN (SELECT unnest($projects))
      AND (org IS NULL OR org NOT IN ({unsettled}))
""".format(unsettled=_UNSETTLED_ORGS)
_LIVE_ATTENTION = stays.attention_sql(stays_from=_UNSETTLED_STAYS, missions=False)


def attention_sql(con: duckdb.DuckDBPyConnection, as_of: date, rules: stays.XchangeRules | None = None) -> str:
    """stays.attention_sql() (the same rows and parameters) read from the kept warnings when they
    are fresh for these rules, or computed from the stays when not."""
    if not fresh(con, rules):
        return stays.attention_sql()
    unsettled = con.execute(f"SELECT count(*) FROM ({_UNSETTLED_ORGS})", {"as_of": as_of}).fetchall()[0][0]
    # no organisation to check live on most dates: the statement is then read without its part
    return _KEPT_ATTENTION + (f" UNION ALL SELECT * FROM ({_LIVE_ATTENTION})" if unsettled else "")
