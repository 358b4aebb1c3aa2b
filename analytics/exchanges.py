"""Participation: ClusterXchange stays and missions of the selected projects at an as-of date.

Counted as the KPI measures count them (analytics.measures): a stay or mission is on record when
it finished on or before the as-of date, and an exchange counts for the project that pays it.

- participations: stays (every stay, also a second one of the same organisation);
- organisations: distinct visiting organisations (by name, case-insensitive);
- SME share of visitors: distinct SME visiting organisations ÷ distinct visiting organisations;
- SME share of mission participants: SME participants ÷ participants, summed over missions
  (BIGINN reports 65 %: 117 SME participants of 180);
- Big Science visits: stays hosted by, and missions to, a Big Science organisation (bso_id).
The rules each stay is checked against are in analytics.stays.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import duckdb
import pandas as pd

from analytics.selection import checked_projects
from analytics.stays import XchangeRules, lump_sum_totals

FORMULAS = {
    "participations": "stays finished on or before the as-of date, paid by the project (a second stay of "
                      "the same organisation counts again)",
    "organisations": "distinct visiting organisations of those stays (by name, case-insensitive)",
    "SME share of visitors": "distinct SME visiting organisations ÷ distinct visiting organisations",
    "SME share of mission participants": "SME participants ÷ participants, summed over the missions finished "
                                         "on or before the as-of date",
    "Big Science visits": "stays hosted by a Big Science organisation plus missions to one (bso_id set)",
}

# The selected projects' stays and missions on record at the as-of date.
_ON_RECORD = """
    x AS (SELECT * FROM exchanges WHERE project_id IN (SELECT unnest($projects)) AND end_date <= $as_of),
    m AS (SELECT * FROM missions WHERE project_id IN (SELECT unnest($projects)) AND end_date <= $as_of)
"""


def _run(con: duckdb.DuckDBPyConnection, sql: str, project_ids: Iterable[str] | None, as_of: date):
    return con.execute(f"WITH {_ON_RECORD} {sql}", {"projects": checked_projects(con, project_ids), "as_of": as_of})


def summary(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    rules: XchangeRules | None = None,
) -> dict:
    """The headline numbers of the participation page, with the lump sums against the rule."""
    cur = _run(con, """
        SELECT (SELECT count(*) FROM x) AS participations,
               (SELECT count(DISTINCT lower(visitor_org)) FROM x) AS organisations,
               (SELECT count(DISTINCT lower(visitor_org)) FILTER (WHERE visitor_type = 'sme') FROM x) AS sme_organisations,
               (SELECT count(*) FILTER (WHERE is_virtual) FROM x) AS virtual_stays,
               (SELECT count(DISTINCT visitor_country) FROM x) AS visitor_countries,
               (SELECT count(DISTINCT host_country) FROM x) AS host_countries,
               (SELECT count(*) FILTER (WHERE bso_id IS NOT NULL) FROM x) AS bso_stays,
               (SELECT count(*) FROM m) AS missions,
               (SELECT CAST(coalesce(sum(participants), 0) AS BIGINT) FROM m) AS mission_participants,
               (SELECT CAST(coalesce(sum(sme_participants), 0) AS BIGINT) FROM m) AS mission_sme_participants,
               (SELECT count(*) FILTER (WHERE bso_id IS NOT NULL) FROM m) AS bso_missions,
               (SELECT count(DISTINCT destination_country) FROM m) AS mission_countries,
               (SELECT count(*) FROM exchanges
                WHERE project_id IN (SELECT unnest($projects)) AND end_date > $as_of) AS stays_later,
               (SELECT count(*) FROM missions
                WHERE project_id IN (SELECT unnest($projects)) AND end_date > $as_of) AS missions_later
    """, project_ids, as_of)
    names = [d[0] for d in cur.description]
    result = dict(zip(names, cur.fetchone()))
    result["sme_organisation_share"] = (
        result["sme_organisations"] / result["organisations"] if result["organisations"] else None)
    result["mission_sme_share"] = (
        result["mission_sme_participants"] / result["mission_participants"] if result["mission_participants"] else None)
    result["bso_visits"] = result["bso_stays"] + result["bso_missions"]
    result["repeat_stays"] = result["participations"] - result["organisations"]
    result["lump_sums"] = lump_sum_totals(con, project_ids, as_of, rules)
    return result


def country_flows(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Stays from each visitor country to each host country (the visitor-to-host flow)."""
    return _run(con, """
        SELECT visitor_country, host_country, count(*) AS stays,
               count(DISTINCT lower(visitor_org)) AS organisations
        FROM x GROUP BY ALL ORDER BY stays DESC, visitor_country, host_country
    """, project_ids, as_of).df()


def countries(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Per country: stays of its visitors, stays it hosted and missions it received."""
    return _run(con, """
        , per AS (
            SELECT visitor_country AS country, 1 AS visiting, 0 AS hosted, 0 AS missions FROM x
            UNION ALL SELECT host_country, 0, 1, 0 FROM x
            UNION ALL SELECT destination_country, 0, 0, 1 FROM m
        )
        SELECT country, CAST(sum(visiting) AS BIGINT) AS visiting_stays, CAST(sum(hosted) AS BIGINT) AS hosted_stays,
               CAST(sum(missions) AS BIGINT) AS missions_received
        FROM per GROUP BY country ORDER BY sum(visiting) + sum(hosted) + sum(missions) DESC, country
    """, project_ids, as_of).df()


def bso_visits(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Stays at and missions to each Big Science organisation, with mission participants."""
    return _run(con, """
        , visits AS (
            SELECT bso_id, 1 AS stays, 0 AS missions, 0 AS participants FROM x WHERE bso_id IS NOT NULL
            UNION ALL SELECT bso_id, 0, 1, participants FROM m WHERE bso_id IS NOT NULL
        )
        SELECT v.bso_id, coalesce(any_value(b.name), v.bso_id) AS name,
               CAST(sum(v.stays) AS BIGINT) AS stays, CAST(sum(v.missions) AS BIGINT) AS missions,
               CAST(sum(v.participants) AS BIGINT) AS mission_participants
        FROM visits v LEFT JOIN bsos b USING (bso_id)
        GROUP BY v.bso_id ORDER BY sum(v.stays) + sum(v.missions) DESC, v.bso_id
    """, project_ids, as_of).df()


def missions(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date) -> pd.DataFrame:
    """Each mission on record, with its SME share."""
    return _run(con, """
        SELECT mission_id, project_id, partner, title, kind, destination_country, start_date, end_date,
               participants, sme_participants,
               CASE WHEN participants > 0 THEN sme_participants / participants END AS sme_share,
               bso_id, is_sample
        FROM m ORDER BY start_date, mission_id
    """, project_ids, as_of).df()


def sample_rows(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None) -> dict[str, int]:
    """Sample rows among the selection's stays and missions, for the page's sample badge."""
    ids = checked_projects(con, project_ids)
    row = con.execute(
        """SELECT (SELECT count(*) FROM exchanges WHERE is_sample AND project_id IN (SELECT unnest($ids))),
                  (SELECT count(*) FROM missions WHERE is_sample AND project_id IN (SELECT unnest($ids)))""",
        {"ids": ids},
    ).fetchone()
    return {table: n for table, n in zip(("exchanges", "missions"), row) if n}
