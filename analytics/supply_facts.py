"""Pre-aggregated supply for the gap scores (issue 8).

Why: the gap scores sum every company's competency levels per sector and count distinct
companies per sector. At 100,000 companies that is a group-by over 800,000 rows per request,
about half a second on two cores. Supply changes only when companies, competencies or sectors
are written, so the loader rebuilds these sums then, in the same transaction, and a request
reads a few thousand rows (sector row x country).

The grain is (granularity, sector row, country) because countries are the finest filter the sums
can serve; a cluster filter selects a few companies and reads them from the source tables (see
analytics.gaps). Distinct company counts are kept per granularity: a company strong in two
sub-sectors of a top sector counts once in the top sector.
"""
from __future__ import annotations

import duckdb

from analytics.kept import Kept
from analytics.market_filters import sector_map

SOURCES = ("companies", "competencies", "sectors")

# Per granularity: competencies rolled up to their row (itself, or its top sector), one row per
# company first so a company counts once per row, then summed per row and country.
_ROWS_SQL = """
    SELECT '{granularity}' AS granularity, row_id AS sector_id, country,
           sum(n1) AS at_level_1, sum(n2) AS at_level_2, sum(n3) AS at_level_3,
           count(*) FILTER (WHERE best >= 1) AS companies, count(*) FILTER (WHERE best >= 2) AS coverage,
           bool_or(is_sample) AS is_sample
    FROM (
        SELECT sec.row_id, co.country, c.company_id, max(c.level) AS best,
               count(*) FILTER (WHERE c.level = 1) AS n1, count(*) FILTER (WHERE c.level = 2) AS n2,
               count(*) FILTER (WHERE c.level = 3) AS n3, bool_or(c.is_sample) AS is_sample
        FROM competencies c JOIN companies co USING (company_id) JOIN ({sector_map}) sec USING (sector_id)
        GROUP BY ALL
    )
    GROUP BY ALL
"""


def rows_sql() -> str:
    """Every supply fact computed from the source tables (what the table holds when fresh)."""
    return " UNION ALL ".join(
        _ROWS_SQL.format(granularity=g, sector_map=sector_map(g == "top")) for g in ("sub", "top"))


# sorted as the gap scores read them
_KEPT = Kept("supply_facts", rows_sql, "granularity, sector_id, country", "supply_sources", SOURCES)
rebuild, after_write, fresh = _KEPT.rebuild, _KEPT.after_write, _KEPT.fresh


def relation(con: duckdb.DuckDBPyConnection) -> str:
    """What to read the facts from: the table, or the same rows computed now when it is stale."""
    return "supply_facts" if fresh(con) else f"({rows_sql()})"
