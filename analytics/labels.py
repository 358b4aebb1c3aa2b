"""Cluster Management Excellence labels of a project's clusters: history, lapses, the ladder.

Rules (DOMAIN.md, ESCA/EUCLES) and how they are applied:
- Ladder bronze < silver < gold. Each label is valid 2 years; ``valid_until`` is the last valid
  day (inclusive), so a label expiring on the as-of date still counts that day, as the
  labels-awarded KPI counts it.
- Silver needs a second benchmarking at least 18 months after the cluster's first bronze
  (DOMAIN.md says 1.5 to 2 years; only the minimum is a hard limit: after 2 years the bronze has
  lapsed and the cluster benchmarks again). 18 months are calendar months: a bronze of 15 January
  2021 allows silver from 15 July 2022, that day included; from the 31st they end on the last day
  of a shorter month (31 December 2021 + 18 months = 30 June 2023).
- Gold follows silver; DOMAIN.md sets no spacing for it, so it can be reached any day.
- At the as-of date t a cluster's label is the highest level valid on t (assessed on or before t,
  valid until on or after t). Awards assessed after t are not on record yet.
- A label lapses before the project ends when the last day the cluster holds any label is before
  the project's end date; a cluster whose labels all ran out during the project has lapsed.
- The next upgrade is one step up from the highest level valid on t (or, when all have lapsed, the
  highest held before): bronze for a cluster with none, silver after bronze, gold after silver.
  It can still be reached when its earliest date is on or before the project end.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb
import pandas as pd

from analytics.kpis import kpi_table
from analytics.models.codes import LABEL_LEVELS
from analytics.projects import require_project
from analytics.selection import checked_projects

SILVER_AFTER_BRONZE_MONTHS = 18
VALIDITY_YEARS = 2

RULES = {
    "ladder": "bronze < silver < gold; each label is valid 2 years, the valid-until day included",
    "silver": f"a second benchmarking at least {SILVER_AFTER_BRONZE_MONTHS} months after the first bronze "
              "(the 18-month day itself is allowed)",
    "gold": "after silver; no minimum spacing is given in the rules, so reachable any day",
    "valid at a date": "assessed on or before the date and valid until on or after it: a label expiring on "
                       "the as-of date is still valid that day",
    "lapses before the end": "the last day the cluster holds any valid label is before the project end date",
    "next upgrade": "one step above the highest level valid on the as-of date; reachable when its earliest "
                    "date is on or before the project end",
}

_LEVEL_NAMES = ", ".join(f"({rank}, '{level}')" for rank, level in enumerate(LABEL_LEVELS, start=1))

# Awards on record at $as_of of the clusters (partners of type cluster, or holding a label) of
# each project in $projects. Every CTE carries project_id, so one statement serves any number of
# projects (the portfolio's needs-attention list asks for all of them at once); an award counts for
# every selected project its organisation is a partner of.
_ON_RECORD = f"""
    p AS (SELECT project_id, start_date, end_date FROM projects WHERE project_id IN (SELECT unnest($projects))),
    members AS (
        SELECT project_id, organisation, country, org_type FROM partners
        WHERE project_id IN (SELECT unnest($projects))
    ),
    levels(rank, level) AS (VALUES {_LEVEL_NAMES}),
    a AS (
        SELECT m.project_id, la.*, levels.rank
        FROM label_awards la JOIN levels USING (level) JOIN members m ON m.organisation = la.organisation
        WHERE la.assessed_on <= $as_of
    )"""
_AWARDS = f"""{_ON_RECORD},
    clusters AS (
        SELECT * FROM members m
        WHERE org_type = 'cluster'
           OR EXISTS (SELECT 1 FROM a WHERE a.project_id = m.project_id AND a.organisation = m.organisation)
    )
"""


def _params(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> dict:
    require_project(con, project_id)
    return {"projects": [project_id], "as_of": as_of}


def history(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Every award of the project's clusters on record at the as-of date, with its state then."""
    return con.execute(f"""
        WITH {_AWARDS}
        SELECT a.organisation, c.country, a.level, a.rank, a.assessed_on, a.valid_until,
               CASE WHEN a.valid_until >= $as_of THEN 'valid' ELSE 'expired' END AS state,
               a.score_pct, a.source, a.is_sample
        FROM a JOIN clusters c USING (project_id, organisation)
        ORDER BY a.organisation, a.assessed_on, a.rank
    """, _params(con, project_id, as_of)).df()


_STATUS = f"""
        WITH {_AWARDS},
        per AS (
            SELECT c.project_id, c.organisation, c.country,
                   max(a.rank) FILTER (WHERE a.valid_until >= $as_of) AS valid_rank,
                   max(a.valid_until) FILTER (WHERE a.valid_until >= $as_of) AS held_until,
                   arg_max(a.assessed_on, a.valid_until) FILTER (WHERE a.valid_until >= $as_of) AS held_since,
                   max(a.rank) AS best_rank,
                   max(a.valid_until) AS last_valid_until,
                   min(a.assessed_on) FILTER (WHERE a.level = 'bronze') AS first_bronze_on,
                   count(a.organisation) AS awards
            FROM clusters c LEFT JOIN a ON a.project_id = c.project_id AND a.organisation = c.organisation
            GROUP BY c.project_id, c.organisation, c.country
        ),
        ladder AS (
            SELECT per.*, p.start_date, p.end_date,
                   CASE WHEN valid_rank IS NOT NULL THEN 'valid' WHEN awards > 0 THEN 'lapsed' ELSE 'none' END AS state,
                   CASE WHEN coalesce(valid_rank, best_rank) IS NULL THEN 1
                        WHEN coalesce(valid_rank, best_rank) < 3 THEN coalesce(valid_rank, best_rank) + 1 END AS next_rank
            FROM per JOIN p USING (project_id)
        ),
        dated AS (
            SELECT ladder.*,
                   CASE next_rank
                       WHEN 2 THEN greatest($as_of, CAST(first_bronze_on + to_months({SILVER_AFTER_BRONZE_MONTHS}) AS DATE))
                       WHEN 1 THEN $as_of WHEN 3 THEN $as_of END AS earliest_upgrade_on
            FROM ladder
        )
        SELECT d.project_id, d.organisation, d.country, d.start_date AS project_start, d.end_date AS project_end,
               d.state, cur.level AS label, d.held_since, d.held_until,
               (SELECT max(a.valid_until) FROM a WHERE a.project_id = d.project_id AND a.organisation = d.organisation
                AND a.rank = d.valid_rank AND a.valid_until >= $as_of) AS label_valid_until,
               d.last_valid_until, d.first_bronze_on, d.awards,
               CASE WHEN d.state = 'valid' THEN CAST(d.held_until + INTERVAL 1 DAY AS DATE)
                    WHEN d.state = 'lapsed' THEN CAST(d.last_valid_until + INTERVAL 1 DAY AS DATE) END AS lapse_on,
               (d.state = 'valid' AND d.held_until < d.end_date)
                   OR (d.state = 'lapsed' AND d.last_valid_until >= d.start_date AND d.last_valid_until < d.end_date)
                   AS lapses_before_end,
               nxt.level AS next_level, d.earliest_upgrade_on,
               coalesce(d.earliest_upgrade_on <= d.end_date, FALSE) AS upgrade_reachable,
               CASE
                   WHEN d.next_rank IS NULL THEN 'gold held: the top of the ladder'
                   WHEN $as_of > d.end_date THEN 'the project has ended'
                   WHEN d.next_rank = 2 AND d.earliest_upgrade_on > d.end_date
                       THEN format('silver not before {{}} (18 months after the first bronze of {{}}), after the project end ({{}})',
                                   strftime(d.earliest_upgrade_on, '%d.%m.%Y'), strftime(d.first_bronze_on, '%d.%m.%Y'),
                                   strftime(d.end_date, '%d.%m.%Y'))
                   WHEN d.next_rank = 2 AND d.earliest_upgrade_on > $as_of
                       THEN format('silver possible from {{}} (18 months after the first bronze of {{}})',
                                   strftime(d.earliest_upgrade_on, '%d.%m.%Y'), strftime(d.first_bronze_on, '%d.%m.%Y'))
                   WHEN d.next_rank = 2
                       THEN format('silver possible now: 18 months after the first bronze of {{}} have passed',
                                   strftime(d.first_bronze_on, '%d.%m.%Y'))
                   WHEN d.next_rank = 1 THEN 'bronze possible at any time: a first benchmarking'
                   ELSE 'gold possible at any time after silver'
               END AS upgrade_note
        FROM dated d
        LEFT JOIN levels cur ON cur.rank = d.valid_rank
        LEFT JOIN levels nxt ON nxt.rank = d.next_rank
"""


def cluster_status(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """One row per cluster: its label on the as-of date, whether it lapses before the project end,
    and the next upgrade with its earliest date and whether that is before the end."""
    return con.execute(f"SELECT * EXCLUDE (project_id) FROM ({_STATUS}) ORDER BY organisation",
                       _params(con, project_id, as_of)).df()


_LADDER = f"""
        WITH {_ON_RECORD},
        bronzes AS (SELECT project_id, organisation, min(assessed_on) AS first_bronze_on FROM a
                    WHERE level = 'bronze' GROUP BY ALL),
        silvers AS (  -- each silver with the cluster's first bronze assessed before it (the first of
                      -- all, when that one came before the silver; else none came before)
            SELECT a.*, CASE WHEN b.first_bronze_on < a.assessed_on THEN b.first_bronze_on END AS first_bronze_on
            FROM a LEFT JOIN bronzes b ON b.project_id = a.project_id AND b.organisation = a.organisation
            WHERE a.level = 'silver'
        )
        SELECT project_id, organisation, level, assessed_on, 'silver_too_early' AS rule,
               format('silver assessed {{}} months after the first bronze of {{}}: at least {SILVER_AFTER_BRONZE_MONTHS} are needed',
                      date_sub('month', first_bronze_on, assessed_on), strftime(first_bronze_on, '%d.%m.%Y')) AS message
        FROM silvers
        WHERE assessed_on < CAST(first_bronze_on + to_months({SILVER_AFTER_BRONZE_MONTHS}) AS DATE)
        UNION ALL
        SELECT project_id, organisation, level, assessed_on, 'valid_too_long',
               format('{{}} label valid until {{}}: more than {VALIDITY_YEARS} years after its assessment on {{}}',
                      level, strftime(valid_until, '%d.%m.%Y'), strftime(assessed_on, '%d.%m.%Y'))
        FROM a WHERE valid_until > CAST(assessed_on + to_years({VALIDITY_YEARS}) AS DATE)
"""


def summary(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> dict:
    """Clusters, how many hold a valid label, lapse before the end, or can still be upgraded."""
    row = con.execute(f"""
        SELECT count(*) AS clusters, count(*) FILTER (WHERE state = 'valid') AS valid,
               count(*) FILTER (WHERE lapses_before_end) AS lapsing,
               count(*) FILTER (WHERE upgrade_reachable AND next_level IS NOT NULL) AS upgradable
        FROM ({_STATUS})
    """, _params(con, project_id, as_of)).fetchone()
    return dict(zip(("clusters", "valid", "lapsing", "upgradable"), row))


def ladder_problems(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Awards on record that break the ladder rules (data that came in before the rules were checked)."""
    return con.execute(f"SELECT * EXCLUDE (project_id) FROM ({_LADDER}) ORDER BY organisation, assessed_on",
                       _params(con, project_id, as_of)).df()


# Needs-attention rows of every project in $projects at $as_of (see attention_items); no
# project_id parameter, so the portfolio's list and a project's page read the same statement.
#
# Lean for the portfolio (issue 8: 1,000 projects): the lapses read only the clusters with awards
# on record (a cluster without any cannot lapse) and only the columns a finding says, not
# _STATUS's upgrade notes; the same lapses as cluster_status finds, which a test holds it to.
_LAPSES = f"""
    WITH {_ON_RECORD},
    held AS (
        SELECT project_id, organisation,
               max(rank) FILTER (WHERE valid_until >= $as_of) AS valid_rank,
               max(valid_until) FILTER (WHERE valid_until >= $as_of) AS held_until,
               arg_max(assessed_on, valid_until) FILTER (WHERE valid_until >= $as_of) AS held_since,
               max(valid_until) AS last_valid_until
        FROM a GROUP BY project_id, organisation
    )
    SELECT h.project_id, h.organisation, levels.level AS label, h.held_since, p.start_date AS project_start,
           p.end_date AS project_end, CASE WHEN h.valid_rank IS NOT NULL THEN 'valid' ELSE 'lapsed' END AS state,
           CAST(coalesce(h.held_until, h.last_valid_until) + INTERVAL 1 DAY AS DATE) AS lapse_on
    FROM held h JOIN p USING (project_id) LEFT JOIN levels ON levels.rank = h.valid_rank
    WHERE $as_of <= p.end_date
      AND CASE WHEN h.valid_rank IS NOT NULL THEN h.held_until < p.end_date
               ELSE h.last_valid_until >= p.start_date AND h.last_valid_until < p.end_date END
"""
ATTENTION_SQL = f"""
    SELECT project_id, 'medium' AS severity, 'Labels' AS area,
           CASE WHEN state = 'valid'
                THEN format('{{}}: {{}} label lapses on {{}}, before the project ends on {{}}', organisation,
                            label, strftime(lapse_on, '%d.%m.%Y'), strftime(project_end, '%d.%m.%Y'))
                ELSE format('{{}}: label lapsed on {{}}, no valid label since', organisation,
                            strftime(lapse_on, '%d.%m.%Y')) END AS what,
           CASE WHEN state = 'valid' THEN least(greatest(held_since, project_start), $as_of) ELSE lapse_on END AS since
    FROM ({_LAPSES})
    UNION ALL
    SELECT project_id, 'medium', 'Labels', format('{{}}: {{}}', organisation, message), assessed_on
    FROM ({_LADDER})
"""


def attention_items_of(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None,
                       as_of: date) -> pd.DataFrame:
    """attention_items of many projects (None: all) in one statement, not one query per project
    (30 s for 1,000 projects, issue 8)."""
    return con.execute(ATTENTION_SQL, {"projects": checked_projects(con, project_ids), "as_of": as_of}).df()


def attention_items(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """Needs-attention rows: labels lapsing before the project end (while it runs) and ladder problems.

    ``since`` is when the problem became a fact: for a label that will lapse, its assessment (from
    then on its validity was known to end too early), not before the project start nor after the
    as-of date; for a lapsed one, the first day without a label.
    """
    return con.execute(ATTENTION_SQL, _params(con, project_id, as_of)).df()


def label_kpis(con: duckdb.DuckDBPyConnection, project_id: str, as_of: date) -> pd.DataFrame:
    """The project's labels-awarded KPIs at the as-of date, from the one KPI engine."""
    table = kpi_table(con, project_id, as_of)
    return table[table["measure"] == "labels_awarded"].reset_index(drop=True)
