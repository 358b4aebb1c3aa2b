"""ClusterXchange stays checked against the programme rules (DOMAIN.md, "ClusterXchange rules").

What DOMAIN.md gives, and the assumptions taken where it only gives examples:

- Lump sum. DOMAIN.md has seen EUR 390 for 3 days and EUR 780 for 5 days, and says the sum is
  halved under 5 working days or under 200 km. We read the two amounts as one flat full rate of
  EUR 780 per stay (not a day rate: a 3-day stay paid 390 is 780 halved), halved once when either
  condition holds (the rule says "or"; both together do not quarter it). Exactly 5 working days
  and exactly 200 km are not "under": full rate. The real rate is capped per host country; with no
  country table the seen amounts stand for every country. A virtual stay has no travel: 0.
- Cap: at most EUR 1,100 per visiting organisation over all its stays, so a stay may be paid at
  most what is left under the cap after the organisation's earlier stays (by start date).
- A stay lasts 3 working days to one month. A month runs from the start day to the day before the
  same day of the next month; a stay ending on that day or later is longer than a month.
- An organisation may host many times but visit once: every visit after the first is flagged.
  Organisations are matched by name, case-insensitive, as the organisations-exchanged KPI counts
  them, across all projects (the rule is the programme's, not one partnership's).
- An exchange counts once, for the project that pays the visitor: one that another project also
  counts (``counted_by_project``) is flagged, under the counting project when it is in the database.

As everywhere, a stay is on record at the as-of date when it finished on or before it (the KPI
measures date a stay by its end).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
from pydantic import BaseModel, Field

from analytics.selection import checked_projects


class XchangeRules(BaseModel):
    """The ClusterXchange rule parameters (DOMAIN.md); a model so a call can change them."""

    full_rate: Decimal = Field(Decimal("780"), gt=0, description="lump sum in EUR for a stay paid in full")
    halved_below_working_days: int = Field(5, gt=0, description="stays with fewer working days are paid half")
    halved_below_km: float = Field(200, gt=0, description="organisations closer than this (km) are paid half")
    cap_per_visitor: Decimal = Field(Decimal("1100"), gt=0, description="most a visiting organisation may receive, EUR")
    min_working_days: int = Field(3, gt=0, description="shortest stay, in working days")


RULES = {
    "repeat_visit": "Organisation visiting again",
    "counted_by_other": "Counted by a project that did not pay",
    "too_short": "Stay shorter than 3 working days",
    "too_long": "Stay longer than a month",
    "days_exceed_calendar": "More working days than calendar days",
    "above_rule": "Lump sum above the rule",
    "distance_missing": "Lump sum cannot be checked",
    "no_participants": "Mission without participants",
}

EXPLANATIONS = {
    "lump sum (rule)": "EUR 780 per stay (assumed full rate, from the amounts seen: EUR 390 for 3 days, "
                       "EUR 780 for 5 days), halved once when the stay has under 5 working days or the "
                       "organisations are under 200 km apart; exactly 5 days and exactly 200 km are full "
                       "rate; 0 for a virtual stay",
    "cap": "at most EUR 1,100 per visiting organisation over all its stays: a stay may be paid at most "
           "what is left under the cap after the organisation's earlier stays",
    "above the rule": "lump sum paid − amount allowed (the rule amount, within the cap) > 0",
    "stay length": "3 working days to one month (to the day before the same day of the next month)",
    "visiting twice": "an organisation may host many times but visit once; organisations are matched by "
                      "name (case-insensitive) across all projects, as the KPI counts them",
    "counted once": "an exchange counts for the project that pays the visitor; one that another project "
                    "also counts is flagged",
}


def _rules_sql(stays_from: str = "exchanges", missions: bool = True) -> str:
    """CTEs: s (stays on record with their visit number and rule amount), c (checked), w (warnings).

    Parameters: $as_of, $full_rate, $halve_days, $halve_km, $cap, $min_days. ``stays_from``, a
    relation with the columns of exchanges (a constant of the caller, never input): the stays to
    check, every stay of an organisation or none (an organisation's stays are checked together);
    ``missions`` False leaves the missions out.
    """
    titles = ", ".join(f"('{code}', '{title}')" for code, title in RULES.items())
    return f"""
    WITH s AS (
        SELECT e.*,
               date_diff('day', e.start_date, e.end_date) + 1 AS calendar_days,
               CAST(e.start_date + INTERVAL 1 MONTH AS DATE) AS month_later,
               row_number() OVER visits AS visit_no,
               first_value(e.exchange_id) OVER visits AS first_visit_id,
               first_value(e.start_date) OVER visits AS first_visit_on,
               first_value(e.visitor_country) OVER visits AS first_visit_country,
               coalesce(sum(coalesce(e.lump_sum, 0)) OVER (visits ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                   AS paid_before,
               CASE WHEN e.is_virtual THEN 0
                    WHEN e.distance_km IS NULL THEN NULL
                    WHEN e.working_days < $halve_days OR e.distance_km < $halve_km THEN CAST($full_rate AS DECIMAL(10, 2)) * 0.5
                    ELSE CAST($full_rate AS DECIMAL(10, 2)) END AS rule_amount,
               CASE WHEN e.is_virtual THEN 'virtual: no lump sum'
                    WHEN e.distance_km IS NULL THEN 'distance missing'
                    WHEN e.working_days < $halve_days AND e.distance_km < $halve_km
                        THEN format('halved: under {{}} working days and under {{}} km', $halve_days, $halve_km)
                    WHEN e.working_days < $halve_days THEN format('halved: under {{}} working days', $halve_days)
                    WHEN e.distance_km < $halve_km THEN format('halved: under {{}} km', $halve_km)
                    ELSE 'full rate' END AS rule_basis
        FROM {stays_from} e
        WHERE e.end_date <= $as_of
        WINDOW visits AS (PARTITION BY lower(e.visitor_org) ORDER BY e.start_date, e.exchange_id)
    ),
    capped AS (
        -- least() skips NULLs: a stay with no rule amount must stay unchecked, not get the cap
        SELECT s.*, CASE WHEN rule_amount IS NOT NULL
                         THEN least(rule_amount, greatest(CAST($cap AS DECIMAL(10, 2)) - paid_before, 0)) END AS allowed
        FROM s
    ),
    c AS (SELECT capped.*, lump_sum - allowed AS above_allowed FROM capped),
    w AS (
        SELECT project_id, project_id AS paid_by, exchange_id AS record, 'repeat_visit' AS rule,
               -- || as format('{{}}...') would (NULL if any part is), at a fifth of the cost
               visitor_org || ' already visited on ' || strftime(first_visit_on, '%d.%m.%Y') || ' ('
                   || first_visit_id || '); this is visit ' || CAST(visit_no AS VARCHAR)
                   || CASE WHEN first_visit_country <> visitor_country
                           THEN ' (recorded from ' || first_visit_country || ' then, ' || visitor_country
                                || ' now: check it is the same organisation)'
                           ELSE '' END AS message,
               end_date AS since
        FROM c WHERE visit_no > 1
        UNION ALL
        SELECT CASE WHEN counted_by_project IN (SELECT project_id FROM projects) THEN counted_by_project
                    ELSE project_id END,
               project_id, exchange_id, 'counted_by_other',
               format('counted by {{}}, which did not pay for it (paid by {{}})', counted_by_project, project_id),
               end_date
        FROM c WHERE counted_by_project IS NOT NULL AND counted_by_project <> project_id
        UNION ALL
        SELECT project_id, project_id, exchange_id, 'too_short',
               format('{{}} working day{{}}; a stay lasts at least {{}} working days', working_days,
                      CASE WHEN working_days = 1 THEN '' ELSE 's' END, $min_days), end_date
        FROM c WHERE working_days < $min_days
        UNION ALL
        SELECT project_id, project_id, exchange_id, 'too_long',
               format('{{}} days ({{}} to {{}}): a stay lasts at most one month', calendar_days,
                      strftime(start_date, '%d.%m.%Y'), strftime(end_date, '%d.%m.%Y')), end_date
        FROM c WHERE end_date >= month_later
        UNION ALL
        SELECT project_id, project_id, exchange_id, 'days_exceed_calendar',
               format('{{}} working days recorded for a stay of {{}} calendar days', working_days, calendar_days),
               end_date
        FROM c WHERE working_days > calendar_days
        UNION ALL
        SELECT project_id, project_id, exchange_id, 'above_rule',
               format('paid €{{:,.2f}}, the rule allows €{{:,.2f}} ({{}}{{}})', CAST(lump_sum AS DOUBLE),
                      CAST(allowed AS DOUBLE), rule_basis,
                      CASE WHEN allowed < rule_amount
                           THEN format('; €{{:,.2f}} already paid to this organisation, cap €{{:,.2f}}',
                                       CAST(paid_before AS DOUBLE), CAST($cap AS DOUBLE))
                           ELSE '' END),
               end_date
        FROM c WHERE above_allowed > 0
        UNION ALL
        SELECT project_id, project_id, exchange_id, 'distance_missing',
               format('no distance recorded: the lump sum of €{{:,.2f}} cannot be checked', CAST(lump_sum AS DOUBLE)),
               end_date
        FROM c WHERE rule_amount IS NULL AND coalesce(lump_sum, 0) > 0
        UNION ALL
        SELECT project_id, project_id, mission_id, 'no_participants',
               format('mission "{{}}" records {{}} participants', title, participants), end_date
        FROM missions WHERE end_date <= $as_of AND participants <= 0 {"" if missions else "AND false"}
    ),
    titles(rule, title) AS (VALUES {titles})
    """


def rule_params(rules: XchangeRules | None = None) -> dict:
    """The rule CTEs' parameters but $as_of (and $projects, which the SELECTs over them use)."""
    r = rules or XchangeRules()
    return {"full_rate": r.full_rate, "halve_days": r.halved_below_working_days, "halve_km": r.halved_below_km,
            "cap": r.cap_per_visitor, "min_days": r.min_working_days}


def _run(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None, as_of: date,
         rules: XchangeRules | None, select: str) -> duckdb.DuckDBPyConnection:
    """Run a SELECT over the rule CTEs; $projects is the checked selection."""
    return con.execute(_rules_sql() + select, {"as_of": as_of, "projects": checked_projects(con, project_ids)}
                       | rule_params(rules))


def stays(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    rules: XchangeRules | None = None,
) -> pd.DataFrame:
    """Each stay paid by the selected projects and finished by the as-of date, with its rule amount,
    the amount allowed within the cap, the difference and the titles of the rules it breaks."""
    return _run(con, project_ids, as_of, rules, """
        SELECT c.exchange_id, c.project_id, c.partner, c.visitor_org, c.visitor_country, c.visitor_type,
               c.host_org, c.host_country, c.start_date, c.end_date, c.working_days, c.distance_km,
               c.is_virtual, c.bso_id, c.visit_no, c.counted_by_project,
               CAST(c.lump_sum AS DOUBLE) AS lump_sum, CAST(c.rule_amount AS DOUBLE) AS rule_amount,
               c.rule_basis, CAST(c.allowed AS DOUBLE) AS allowed, CAST(c.above_allowed AS DOUBLE) AS above_allowed,
               (SELECT string_agg(t.title, '; ' ORDER BY t.title) FROM w JOIN titles t USING (rule)
                WHERE w.record = c.exchange_id) AS warnings,
               c.is_sample
        FROM c WHERE c.project_id IN (SELECT unnest($projects))
        ORDER BY c.start_date, c.exchange_id
        """).df()


def rule_warnings(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    rules: XchangeRules | None = None,
) -> pd.DataFrame:
    """One row per broken rule: the project it is reported under, who paid, the record, the rule,
    a sentence saying what is wrong and the date it dates from (the stay's or mission's end)."""
    return _run(con, project_ids, as_of, rules, """
        SELECT w.project_id, w.paid_by, w.record, w.rule, t.title, w.message, w.since
        FROM w JOIN titles t USING (rule)
        WHERE w.project_id IN (SELECT unnest($projects)) OR w.paid_by IN (SELECT unnest($projects))
        ORDER BY w.since, w.record, w.rule
        """).df()


def lump_sum_totals(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    rules: XchangeRules | None = None,
) -> dict:
    """Paid, allowed, and the stays paid above or below what the rule allows, over the selection."""
    row = _run(con, project_ids, as_of, rules, """
        SELECT CAST(coalesce(sum(lump_sum), 0) AS DOUBLE) AS paid,
               CAST(coalesce(sum(allowed), 0) AS DOUBLE) AS allowed,
               count(*) FILTER (WHERE above_allowed > 0) AS stays_above,
               CAST(coalesce(sum(above_allowed) FILTER (WHERE above_allowed > 0), 0) AS DOUBLE) AS paid_above,
               count(*) FILTER (WHERE above_allowed < 0) AS stays_below,
               CAST(coalesce(-sum(above_allowed) FILTER (WHERE above_allowed < 0), 0) AS DOUBLE) AS paid_below,
               count(*) FILTER (WHERE allowed IS NULL OR lump_sum IS NULL) AS stays_unchecked
        FROM c WHERE project_id IN (SELECT unnest($projects))
        """).fetchone()
    keys = ("paid", "allowed", "stays_above", "paid_above", "stays_below", "paid_below", "stays_unchecked")
    return dict(zip(keys, row))


# Needs-attention rows over the rule CTEs: every broken rule, under the project it is reported under.
_ATTENTION = """
        SELECT w.project_id, 'medium' AS severity, 'Exchanges' AS area,
               w.record || ' · ' || t.title || ': ' || w.message AS what, w.since
        FROM w JOIN titles t USING (rule)
        WHERE w.project_id IN (SELECT unnest($projects))
        """


def attention_sql(stays_from: str = "exchanges", missions: bool = True) -> str:
    """attention_items as one statement; parameters $as_of, $projects and rule_params(). For the
    arguments see _rules_sql."""
    return _rules_sql(stays_from, missions) + _ATTENTION


def attention_items(
    con: duckdb.DuckDBPyConnection,
    project_ids: Iterable[str] | None,
    as_of: date,
    rules: XchangeRules | None = None,
) -> pd.DataFrame:
    """Needs-attention rows: every broken rule, under the project it is reported under."""
    return _run(con, project_ids, as_of, rules, _ATTENTION).df()
