"""The Business Competency Matrix: which companies can do what, at which level.

Hundreds of companies do not fit one heatmap, so the matrix is served a page at a time, sorted
(strongest first = the highest sum of levels over the sectors shown), and the whole population is
summarised per sector by the level distribution, whose coverage column (companies at level 2 or
more) flags single-supplier risks.
"""
from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from analytics.market_filters import FIRMS, InvalidSelection, query, selection, validated

Sort = Literal["strength", "name", "country"]
SORT_LABELS = {"strength": "Strongest first", "name": "Name", "country": "Country, then name"}
FORMULAS = {
    "levels": "0 none, 1 basic, 2 proven, 3 BSO-qualified (has delivered to a Big Science organisation)",
    "coverage": "companies at level 2 or more in the sector; fewer than 2 is a single-supplier risk",
    "strongest first": "companies ordered by the sum of their levels over the sectors shown",
}


class MatrixPage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    top_sector: str | None = Field(None, description="show the sub-sectors of this top sector; none = all sectors")
    sort: Sort = Field("strength", description="strength (sum of levels), name or country")
    page: int = Field(1, ge=1, description="1-based page number")
    page_size: int = Field(40, ge=1, le=500, description="companies per page")


def _sectors_sql() -> str:
    """The columns of the matrix: the leaf sectors, under one top sector when one is chosen."""
    return """
    SELECT s.sector_id, s.name, coalesce(s.parent_id, s.sector_id) AS top_id,
           row_number() OVER (ORDER BY coalesce(tp.enriitc_rank, 99), coalesce(s.parent_id, s.sector_id), s.name) AS col
    FROM sectors s LEFT JOIN sectors tp ON tp.sector_id = coalesce(s.parent_id, s.sector_id)
    WHERE s.sector_id NOT IN (SELECT parent_id FROM sectors WHERE parent_id IS NOT NULL)
      AND ($top IS NULL OR coalesce(s.parent_id, s.sector_id) = $top)"""


_ORDER = {
    "strength": "strength DESC, name, company_id",
    "name": "name, company_id",
    "country": "country, name, company_id",
}


def _held(f) -> tuple[str, str]:
    """The competencies counted: level 1 or more in the sectors shown, of the selected companies.
    Without a filter every company is selected, so the companies table is not read at all
    (joining it carried 800,000 rows through a hash join at L for nothing): every competency names
    a company, as the loader refuses dangling references."""
    filtered = f.clusters is not None or f.countries is not None
    firms = f"firms AS ({FIRMS})," if filtered else ""
    held = f"""SELECT c.company_id, c.sector_id, c.level FROM competencies c
               {"JOIN firms USING (company_id)" if filtered else ""}
               WHERE c.level >= 1 AND c.sector_id IN (SELECT sector_id FROM cols)"""
    return firms, held


def matrix(
    con: duckdb.DuckDBPyConnection,
    *,
    clusters=None,
    countries=None,
    top_sector: str | None = None,
    sort: str = "strength",
    page: int = 1,
    page_size: int = 40,
) -> pd.DataFrame:
    """One page of the company × sector matrix in long form (level 0 where nothing is recorded).
    A page past the end is empty; company_count says how many pages there are."""
    p = validated(MatrixPage, top_sector=top_sector or None, sort=sort, page=page, page_size=page_size)
    f = selection(con, clusters=clusters, countries=countries)
    _require_top(con, p.top_sector)
    firms, held = _held(f)
    # The strengths are summed per company_id alone and the names joined after: grouping by the
    # name columns too hashed long strings for 100,000 companies. The page is a top-n (LIMIT over
    # the sort keys), not a row_number over every company, so only the page is sorted; the keys
    # end in company_id, so the order is total and the numbering the same as numbering them all.
    # Strongest first (the default) joins the names only for the companies at least as strong as
    # the last of the page: the others cannot be on it, and names break ties only. The strengths
    # are materialized because that floor reads them a second time.
    floor = ("WHERE s.strength >= coalesce((SELECT strength FROM strength ORDER BY strength DESC "
             "LIMIT 1 OFFSET $offset + $limit - 1), 0)") if p.sort == "strength" else ""
    # The page's levels: a filter's few competencies from held; without one, the page's rows read
    # from the table are cheaper than held again (a second pass over 700,000 sector ids).
    levels = "held" if firms else "(SELECT * FROM competencies WHERE level >= 1)"
    sql = f"""
    WITH {firms}
    cols AS ({_sectors_sql()}),
    held AS ({held}),
    strength AS MATERIALIZED (SELECT company_id, sum(level) AS strength FROM held GROUP BY company_id),
    ranked AS (
        SELECT co.company_id, co.name, co.country, co.cluster, co.prior_bso_supplier, s.strength
        FROM strength s JOIN companies co USING (company_id) {floor}
    ),
    top_n AS (SELECT * FROM ranked ORDER BY {_ORDER[p.sort]} LIMIT $limit OFFSET $offset),
    paged AS (SELECT *, CAST($offset AS BIGINT) + row_number() OVER (ORDER BY {_ORDER[p.sort]}) AS row_no FROM top_n)
    SELECT paged.row_no, paged.company_id, paged.name, paged.country, paged.cluster, paged.prior_bso_supplier,
           paged.strength, cols.sector_id, cols.name AS sector, cols.top_id AS top_sector_id, cols.col,
           coalesce(h.level, 0) AS level
    FROM paged CROSS JOIN cols
    LEFT JOIN {levels} h ON h.company_id = paged.company_id AND h.sector_id = cols.sector_id
    ORDER BY paged.row_no, cols.col
    """
    params = f.params() | {"top": p.top_sector, "limit": p.page_size, "offset": (p.page - 1) * p.page_size}
    if p.sort != "strength":
        first = _page_by_name(con, firms, p.sort, params)
        if first is not None:
            return first
    return query(con, sql, params)


def _window(wanted: int) -> int:
    return 2 * wanted + 100


def _page_by_name(con: duckdb.DuckDBPyConnection, firms: str, sort: str, params: dict) -> pd.DataFrame | None:
    """A page sorted by name or country from the first companies of the selection by that order,
    or None when they are too few to fill it (then the whole selection is ranked).

    Why: the order needs no strength, so summing 700,000 levels and joining 100,000 names only
    to keep a page was most of the work. The companies with a competency among the first W of
    the selection are the first of all companies with one (every one before them is among the
    W), so once they fill the page, or the W are the whole selection, the page is the same.
    Nearly every company has a competency, so twice the rows wanted is enough unless a filter
    picks companies without one."""
    window = _window(params["offset"] + params["limit"])
    chosen = "WHERE co.company_id IN (SELECT company_id FROM firms)" if firms else ""
    sql = f"""
    WITH {firms}
    cols AS ({_sectors_sql()}),
    cand AS MATERIALIZED (
        SELECT co.company_id, co.name, co.country, co.cluster, co.prior_bso_supplier FROM companies co {chosen}
        ORDER BY {_ORDER[sort]} LIMIT $window
    ),
    held AS MATERIALIZED (
        SELECT c.company_id, c.sector_id, c.level FROM competencies c JOIN cand USING (company_id)
        WHERE c.level >= 1 AND c.sector_id IN (SELECT sector_id FROM cols)
    ),
    ranked AS (
        SELECT cand.*, s.strength
        FROM cand JOIN (SELECT company_id, sum(level) AS strength FROM held GROUP BY company_id) s USING (company_id)
    ),
    top_n AS (SELECT * FROM ranked ORDER BY {_ORDER[sort]} LIMIT $limit OFFSET $offset),
    paged AS (SELECT *, CAST($offset AS BIGINT) + row_number() OVER (ORDER BY {_ORDER[sort]}) AS row_no FROM top_n),
    enough AS (
        SELECT (SELECT count(*) FROM cand) < $window OR (SELECT count(*) FROM ranked) >= $offset + $limit AS complete
    )
    SELECT paged.row_no, paged.company_id, paged.name, paged.country, paged.cluster, paged.prior_bso_supplier,
           paged.strength, cols.sector_id, cols.name AS sector, cols.top_id AS top_sector_id, cols.col,
           coalesce(h.level, 0) AS level, enough.complete
    FROM paged CROSS JOIN cols CROSS JOIN enough
    LEFT JOIN held h ON h.company_id = paged.company_id AND h.sector_id = cols.sector_id
    ORDER BY paged.row_no, cols.col
    """
    cells = query(con, sql, params | {"window": window})
    # an empty page cannot tell whether it is past the end or the window was short: rank them all
    if cells.empty or not cells["complete"].all():
        return None
    return cells.drop(columns="complete")


def company_count(con: duckdb.DuckDBPyConnection, *, clusters=None, countries=None, top_sector: str | None = None) -> int:
    """Companies with a competency (level 1 or more) in the sectors shown: the rows of all pages."""
    f = selection(con, clusters=clusters, countries=countries)
    top = top_sector or None
    _require_top(con, top)
    firms, held = _held(f)
    sql = f"""WITH {firms} cols AS ({_sectors_sql()}), held AS ({held})
              SELECT count(DISTINCT company_id) FROM held"""
    return int(query(con, sql, f.params() | {"top": top}).iloc[0, 0])


def _require_top(con: duckdb.DuckDBPyConnection, top: str | None) -> None:
    if top is None:
        return
    known = [r[0] for r in con.execute("SELECT sector_id FROM sectors WHERE parent_id IS NULL ORDER BY 1").fetchall()]
    if top not in known:
        raise InvalidSelection(f"unknown top sector {top!r}; known: {', '.join(known) or 'none'}")


def level_distribution(
    con: duckdb.DuckDBPyConnection, *, clusters=None, countries=None, top_sector: str | None = None
) -> pd.DataFrame:
    """Per sector: companies at each level 1-3, coverage (level 2 or more), the single-supplier flag
    (coverage below 2) and, where coverage is 0 or 1, who the supplier is."""
    f = selection(con, clusters=clusters, countries=countries)
    _require_top(con, top_sector or None)
    firms, _ = _held(f)
    # Counted per sector first and the sectors shown picked after: comparing 700,000 sector ids
    # with the shown ones cost more than the count. Names are read only for the sectors whose
    # coverage is 1, to name the sole supplier (they were carried for every competency). A
    # filter's competencies are kept once for both reads (the sole suppliers are then many).
    chosen = ("chosen AS MATERIALIZED (SELECT c.company_id, c.sector_id, c.level FROM competencies c "
              "JOIN firms USING (company_id) WHERE c.level >= 1),") if firms else ""
    source = "chosen" if firms else "competencies"
    sql = f"""
    WITH {firms} {chosen}
    cols AS ({_sectors_sql()}),
    counts AS (
        SELECT c.sector_id,
               count(*) FILTER (WHERE c.level = 1) AS level_1,
               count(*) FILTER (WHERE c.level = 2) AS level_2,
               count(*) FILTER (WHERE c.level = 3) AS level_3,
               count(*) FILTER (WHERE c.level >= 2) AS coverage
        FROM {source} c WHERE c.level >= 1 GROUP BY c.sector_id
    ),
    shown AS (SELECT * FROM cols LEFT JOIN counts n USING (sector_id)),
    sole AS (
        SELECT c.sector_id, any_value(co.name || ' (' || co.country || ')') AS sole_supplier
        FROM {source} c JOIN companies co USING (company_id)
        WHERE c.level >= 2 AND c.sector_id IN (SELECT sector_id FROM shown WHERE coverage = 1)
        GROUP BY c.sector_id
    )
    SELECT shown.sector_id, shown.name AS sector, shown.top_id AS top_sector_id, shown.col,
           coalesce(shown.level_1, 0) AS level_1, coalesce(shown.level_2, 0) AS level_2,
           coalesce(shown.level_3, 0) AS level_3, coalesce(shown.coverage, 0) AS coverage,
           coalesce(shown.coverage, 0) < 2 AS single_supplier_risk, sole.sole_supplier
    FROM shown LEFT JOIN sole USING (sector_id)
    ORDER BY shown.col
    """
    return query(con, sql, f.params() | {"top": top_sector or None})


def top_sectors(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT sector_id, name, enriitc_rank FROM sectors WHERE parent_id IS NULL "
        "ORDER BY coalesce(enriitc_rank, 99), sector_id"
    ).df()


def sector_choices(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every sector for a picker: top sectors followed by their sub-sectors, with a display label."""
    return con.execute(
        """SELECT s.sector_id, s.parent_id IS NULL AS is_top,
                  CASE WHEN s.parent_id IS NULL THEN s.name || ' (all)' ELSE tp.name || ' › ' || s.name END AS label
           FROM sectors s LEFT JOIN sectors tp ON tp.sector_id = coalesce(s.parent_id, s.sector_id)
           ORDER BY coalesce(tp.enriitc_rank, 99), coalesce(s.parent_id, s.sector_id), s.parent_id IS NOT NULL, s.name"""
    ).df()


def single_supplier_risks(distribution: pd.DataFrame) -> pd.DataFrame:
    """The rows of a level distribution with fewer than 2 companies at level 2 or more."""
    risky = distribution[distribution["single_supplier_risk"].astype(bool)]
    return risky[["sector", "coverage", "sole_supplier"]].reset_index(drop=True)
