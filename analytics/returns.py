"""Return coefficients, CERN's definition: share of contract value won ÷ share of budget contributed.

For one BSO and one country this is exactly CERN's ratio. Over several BSOs and years, and for a
group of countries, it generalises as contract value won ÷ the "fair" value, where the fair value
is each BSO's awards in that year × the group's contribution share to that BSO:

    RC = Σ won(b, y) ÷ Σ total(b, y) × share(b, y)

summed over the BSO-years where the group contributes (share > 0); a BSO the group does not fund
says nothing about its return. The share in force in year y is the latest one recorded for a year
on or before y (contributions are revised rarely, awards come every year).

Classes (CERN, supplies; procurement.web.cern.ch): < 0.40 very poorly balanced, < 1.00 poorly
balanced, >= 1.00 well balanced. CERN classes services differently (< 0.40 poorly, >= 0.40 well);
the awards here are not split into supplies and services, so the supplies classes are used.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.market_filters import DEMAND_WHERE, MarketFilters, query, selection, sector_map

VERY_POORLY_BELOW = 0.40
POORLY_BELOW = 1.00
CLASSES = ("very poorly balanced", "poorly balanced", "well balanced")
CLASS_RULES = {
    "very poorly balanced": f"below {VERY_POORLY_BELOW:.2f}",
    "poorly balanced": f"{VERY_POORLY_BELOW:.2f} to below {POORLY_BELOW:.2f}",
    "well balanced": f"{POORLY_BELOW:.2f} or more",
}
FORMULAS = {
    "return coefficient": "contract value won ÷ (each BSO's contract value × the contribution share to that BSO), "
                          "over the BSOs and years where the countries contribute (CERN: share of contracts ÷ share of budget)",
    "CERN classes (supplies)": "; ".join(f"{k}: {v}" for k, v in CLASS_RULES.items()),
}


def return_class(rc: float | None) -> str | None:
    if rc is None or rc != rc:  # None or NaN: no award data
        return None
    if rc < VERY_POORLY_BELOW:
        return CLASSES[0]
    if rc < POORLY_BELOW:
        return CLASSES[1]
    return CLASSES[2]


def class_sql(expr: str) -> str:
    """The same classes in SQL (the thresholds are constants of this module, not input)."""
    return (f"CASE WHEN {expr} IS NULL THEN NULL WHEN {expr} < {VERY_POORLY_BELOW} THEN '{CLASSES[0]}' "
            f"WHEN {expr} < {POORLY_BELOW} THEN '{CLASSES[1]}' ELSE '{CLASSES[2]}' END")


def fair_return_ctes(*, by_sector: bool) -> str:
    """CTEs ending in `fair_return(claimant[, sector_id], won_eur, total_eur, fair_eur)`.

    The caller defines `claimants(country, claimant)` (who is credited: each country alone, or a
    group) and `sec(sector_id, row_id)`, and passes the MarketFilters parameters $bsos and $years.
    """
    dim = ", t.sector_id" if by_sector else ""
    same_sector = "AND w.sector_id = t.sector_id" if by_sector else ""
    per = "bso_id, year, sector_id" if by_sector else "bso_id, year"
    return f"""
    aw AS (
        SELECT a.bso_id, a.year, sec.row_id AS sector_id, a.country, a.value_eur
        FROM awards a JOIN sec USING (sector_id)
        WHERE {DEMAND_WHERE.format(t='a')}
    ),
    aw_total AS (SELECT {per}, sum(value_eur) AS total FROM aw GROUP BY ALL),
    aw_won AS (
        SELECT aw.{per.replace(', ', ', aw.')}, cl.claimant, sum(aw.value_eur) AS won
        FROM aw JOIN claimants cl USING (country) GROUP BY ALL
    ),
    claim_share AS (
        SELECT k.bso_id, k.year, k.claimant, sum(c.share) AS share
        FROM (SELECT DISTINCT t.bso_id, t.year, cl.country, cl.claimant FROM aw_total t CROSS JOIN claimants cl) k
        ASOF JOIN contributions c ON c.bso_id = k.bso_id AND c.country = k.country AND k.year >= c.year
        GROUP BY ALL
    ),
    fair_return AS (
        SELECT s.claimant{dim}, sum(coalesce(w.won, 0)) AS won_eur, sum(t.total) AS total_eur,
               sum(t.total * s.share) AS fair_eur
        FROM aw_total t JOIN claim_share s ON s.bso_id = t.bso_id AND s.year = t.year
        LEFT JOIN aw_won w ON w.bso_id = t.bso_id AND w.year = t.year AND w.claimant = s.claimant {same_sector}
        WHERE s.share > 0
        GROUP BY ALL
    )"""


def by_country(con: duckdb.DuckDBPyConnection, filters: MarketFilters | None = None, **values) -> pd.DataFrame:
    """One row per contributing country: award share, contribution share, coefficient and class.

    Countries: those of the filter, else every country with a contribution to the selected BSOs.
    A country that contributes but won nothing has coefficient 0; one that does not contribute
    has no coefficient and is left out.
    """
    f = selection(con, filters, **values)
    sql = f"""
    WITH sec AS ({sector_map(False)}),
    claimants AS (
        SELECT DISTINCT country, country AS claimant FROM contributions c
        WHERE (CAST($bsos AS VARCHAR[]) IS NULL OR list_contains(CAST($bsos AS VARCHAR[]), c.bso_id))
          AND (CAST($countries AS VARCHAR[]) IS NULL OR list_contains(CAST($countries AS VARCHAR[]), c.country))
    ),
    {fair_return_ctes(by_sector=False)}
    SELECT claimant AS country, won_eur, total_eur, fair_eur,
           won_eur / total_eur AS award_share, fair_eur / total_eur AS contribution_share,
           won_eur / fair_eur AS return_coefficient,
           {class_sql('won_eur / fair_eur')} AS return_class
    FROM fair_return WHERE fair_eur > 0 AND total_eur > 0
    ORDER BY return_coefficient DESC, country
    """
    return query(con, sql, f.params())
