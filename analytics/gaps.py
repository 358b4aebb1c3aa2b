"""Big Science sector gap scores: what the selected BSOs buy against what the selected companies can supply.

Per sector s, over the selected BSOs and years (demand) and clusters and countries (supply):
- demand share D(s) = demand in s ÷ all demand;
- capacity(s) = Σ over companies of the weight of their competency level in s (LevelWeights);
  supply share S(s) = capacity in s ÷ all capacity;
- gap index G(s) = (D - S) ÷ (D + S), in [-1, 1]; positive = under-supplied (an opportunity).
  Undefined (None) when a sector has neither demand nor capacity;
- coverage = companies at level 2 or more; below 2 is a single-supplier risk;
- return coefficient of the selected companies' countries in s (analytics.returns), where awards exist;
- gap score 0-100 = 100 × Σ weight × component ÷ Σ weight, over four components in [0, 1]
  (GapWeights); a component without data (no awards: no return) is left out and the other
  weights count in full. Each component's points (100 × weight × component ÷ Σ weight) are
  returned, so what the bars show adds up to the score.

Sub-sector rows (granularity "sub") are the leaf sectors and any sector data is recorded on;
"top" rolls everything up into the five top sectors, so a top sector's demand and capacity are
the sums of its sub-sectors' and its shares the sums of theirs.

One SQL statement does the work; it is called at scale by the benchmark (issue 8).
"""
from __future__ import annotations

from typing import Literal

import duckdb
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, model_validator

from analytics import supply_facts
from analytics.errors import ClusterBoardError
from analytics.market_filters import (
    DEMAND_WHERE, FIRMS, InvalidSelection, MarketFilters, describe, query, selection, sector_map, validated,
)
from analytics.sample import sample_counts as _all_sample_counts
from analytics.returns import class_sql, fair_return_ctes

Granularity = Literal["sub", "top"]
COMPONENTS = ("demand", "supply_gap", "coverage", "weak_return")
TABLES = ("bsos", "sectors", "bso_demand", "companies", "competencies", "contributions", "awards")
COMPONENT_LABELS = {
    "demand": "Demand size",
    "supply_gap": "Supply gap",
    "coverage": "Thin coverage",
    "weak_return": "Weak return",
}


class NoDemand(ClusterBoardError):
    """No demand recorded for the selected BSOs and years: shares cannot be formed."""


class NoCapacity(ClusterBoardError):
    """The selected companies have no competency at level 1 or more: supply shares cannot be formed."""


class LevelWeights(BaseModel):
    """How much a company counts towards a sector's capacity at each competency level (level 0: nothing).

    Linear in the level by default: a BSO-qualified company (3) counts fully, a proven one (2)
    two thirds, a basic one (1) a third.
    """

    model_config = ConfigDict(frozen=True)

    basic: float = Field(1 / 3, ge=0, le=1, description="level 1, basic")
    proven: float = Field(2 / 3, ge=0, le=1, description="level 2, proven")
    qualified: float = Field(1.0, ge=0, le=1, description="level 3, BSO-qualified")

    def as_list(self) -> list[float]:
        return [0.0, self.basic, self.proven, self.qualified]


class GapWeights(BaseModel):
    """Weights of the 0-100 gap score. Relative: the score divides by their sum."""

    model_config = ConfigDict(frozen=True)

    demand: float = Field(0.40, ge=0, le=1, description="demand size: D ÷ the largest D among the sectors shown")
    supply_gap: float = Field(0.30, ge=0, le=1, description="supply gap: (G + 1) ÷ 2; 1 when nothing is supplied")
    coverage: float = Field(0.15, ge=0, le=1,
                            description="thin coverage: 1 − coverage ÷ coverage target, at least 0 "
                                        "(0 where the selected BSOs buy nothing)")
    weak_return: float = Field(0.15, ge=0, le=1,
                               description="weak return: 1 − return coefficient, at least 0; left out without awards")
    coverage_target: int = Field(5, ge=1, le=1000,
                                 description="companies at level 2 or more from which a sector counts as fully covered")

    @model_validator(mode="after")
    def _some_weight(self) -> "GapWeights":
        if sum(getattr(self, c) for c in COMPONENTS) <= 0:
            raise ValueError("at least one score weight must be above 0")
        return self


def formulas(weights: GapWeights | None = None, levels: LevelWeights | None = None) -> dict[str, str]:
    """The definitions as shown on the page and in reports, with the weights in force."""
    w = weights or GapWeights()
    lv = levels or LevelWeights()
    return {
        "demand share D": "demand in the sector ÷ all demand of the selected BSOs and years",
        "capacity": f"Σ over companies of their level's weight: basic {lv.basic:.2f}, proven {lv.proven:.2f}, "
                    f"BSO-qualified {lv.qualified:.2f} (none 0)",
        "supply share S": "capacity in the sector ÷ all capacity of the selected clusters and countries",
        "gap index G": "(D − S) ÷ (D + S), from −1 (only supply) to +1 (only demand); positive = under-supplied",
        "coverage": "companies at level 2 (proven) or more; fewer than 2 is a single-supplier risk",
        "gap score": f"100 × (w_D·demand size + w_G·supply gap + w_C·thin coverage + w_R·weak return) ÷ Σw, "
                     f"with w_D {w.demand:.2f}, w_G {w.supply_gap:.2f}, w_C {w.coverage:.2f}, w_R {w.weak_return:.2f}",
        "demand size": "D ÷ the largest D among the sectors shown",
        "supply gap": "(G + 1) ÷ 2",
        "thin coverage": f"1 − coverage ÷ {w.coverage_target}, at least 0; 0 for a sector the selected BSOs do not buy",
        "weak return": "1 − return coefficient, at least 0; without award data it is left out and Σw "
                       "covers the other three",
    }


def make_weights(**values) -> GapWeights:
    """Weights from sliders or arguments; all-zero or out-of-range weights become one clear message."""
    try:
        return validated(GapWeights, **values)
    except InvalidSelection as exc:
        raise InvalidSelection(f"score weights: {exc}") from None


def _weights(value: GapWeights | dict | None) -> GapWeights:
    return value if isinstance(value, GapWeights) else make_weights(**(value or {}))


# Capacity per sector row of the selected companies, from their competencies: used when a cluster
# filter picks a few companies (and by the benchmark as the plain query over the source tables).
CAPACITY_FROM_COMPETENCIES = """
    SELECT sec.row_id AS sector_id,
           sum(CAST($level_weights AS DOUBLE[])[c.level + 1]) AS capacity,
           count(DISTINCT c.company_id) FILTER (WHERE c.level >= 2) AS coverage,
           count(DISTINCT c.company_id) FILTER (WHERE c.level >= 1) AS companies,
           bool_or(c.is_sample) AS supply_sample
    FROM competencies c JOIN firms USING (company_id) JOIN sec USING (sector_id)
    GROUP BY ALL"""

# The same from the pre-aggregated supply (analytics.supply_facts), summed over the countries.
CAPACITY_FROM_FACTS = """
    SELECT f.sector_id,
           sum(f.at_level_1 * CAST($level_weights AS DOUBLE[])[2] + f.at_level_2 * CAST($level_weights AS DOUBLE[])[3]
               + f.at_level_3 * CAST($level_weights AS DOUBLE[])[4]) AS capacity,
           sum(f.coverage) AS coverage, sum(f.companies) AS companies, bool_or(f.is_sample) AS supply_sample
    FROM {supply} f
    WHERE f.granularity = CASE WHEN $top THEN 'top' ELSE 'sub' END
      AND (CAST($countries AS VARCHAR[]) IS NULL OR list_contains(CAST($countries AS VARCHAR[]), f.country))
    GROUP BY ALL"""

_GAP_SQL = """
WITH sec AS ({sector_map}),
leaf AS (
    SELECT sector_id FROM sectors
    WHERE $top OR sector_id NOT IN (SELECT parent_id FROM sectors WHERE parent_id IS NOT NULL)
),
dem AS (
    SELECT sec.row_id AS sector_id, sum(d.demand_eur) AS demand_eur,
           bool_or(d.is_estimate) AS is_estimate, bool_or(d.is_sample) AS demand_sample
    FROM bso_demand d JOIN sec USING (sector_id)
    WHERE {demand_where} AND d.demand_eur IS NOT NULL
    GROUP BY ALL
),
firms AS ({firms}),
cap AS ({capacity}),
claimants AS (SELECT DISTINCT country, 'selection' AS claimant FROM firms),
{returns},
rows_shown AS (
    SELECT DISTINCT sec.row_id AS sector_id FROM sec JOIN leaf USING (sector_id)
    UNION SELECT sector_id FROM dem UNION SELECT sector_id FROM cap
),
totals AS (
    SELECT (SELECT sum(demand_eur) FROM dem) AS demand_total,
           (SELECT sum(capacity) FROM cap) AS capacity_total,
           (SELECT count(*) FROM firms) AS firms_selected
),
base AS (
    SELECT r.sector_id,
           coalesce(s.name, r.sector_id) AS sector,
           coalesce(s.parent_id, r.sector_id) AS top_sector_id,
           coalesce(tp.name, s.name, r.sector_id) AS top_sector,
           tp.enriitc_rank,
           coalesce(dem.demand_eur, 0) AS demand_eur,
           CASE WHEN totals.demand_total > 0 THEN coalesce(dem.demand_eur, 0) / totals.demand_total END AS demand_share,
           coalesce(cap.capacity, 0) AS capacity,
           CASE WHEN totals.capacity_total > 0 THEN coalesce(cap.capacity, 0) / totals.capacity_total END AS supply_share,
           coalesce(cap.coverage, 0) AS coverage,
           coalesce(cap.companies, 0) AS companies,
           fr.won_eur AS awards_won_eur,
           CASE WHEN fr.fair_eur > 0 THEN fr.won_eur / fr.fair_eur END AS return_coefficient,
           coalesce(dem.is_estimate, false) AS is_estimate,
           coalesce(dem.demand_sample, false) OR coalesce(cap.supply_sample, false) AS is_sample,
           totals.demand_total, totals.capacity_total, totals.firms_selected
    FROM rows_shown r CROSS JOIN totals
    LEFT JOIN sectors s ON s.sector_id = r.sector_id
    LEFT JOIN sectors tp ON tp.sector_id = coalesce(s.parent_id, r.sector_id)
    LEFT JOIN dem ON dem.sector_id = r.sector_id
    LEFT JOIN cap ON cap.sector_id = r.sector_id
    LEFT JOIN fair_return fr ON fr.sector_id = r.sector_id
),
gapped AS (
    SELECT *,
           CASE WHEN demand_share + supply_share > 0
                THEN (demand_share - supply_share) / (demand_share + supply_share) END AS gap_index,
           coverage < 2 AS single_supplier_risk,
           {return_class} AS return_class
    FROM base
),
components AS (
    SELECT *,
           CASE WHEN gap_index IS NOT NULL
                THEN demand_share / NULLIF(max(demand_share) OVER (), 0) END AS c_demand,
           (gap_index + 1) / 2 AS c_supply_gap,
           -- thin coverage of a sector the selected BSOs do not buy is no gap
           CASE WHEN gap_index IS NULL THEN NULL WHEN demand_share = 0 THEN 0.0
                ELSE greatest(0.0, 1.0 - coverage / $coverage_target) END AS c_coverage,
           CASE WHEN gap_index IS NOT NULL AND return_coefficient IS NOT NULL
                THEN greatest(0.0, 1.0 - return_coefficient) END AS c_weak_return
    FROM gapped
),
weighted AS (
    SELECT *,
           NULLIF($w_demand + $w_supply_gap + $w_coverage
                  + CASE WHEN c_weak_return IS NOT NULL THEN $w_weak_return ELSE 0 END, 0) AS w_sum
    FROM components
),
points AS (
    SELECT *,
           100 * $w_demand * c_demand / w_sum AS pts_demand,
           100 * $w_supply_gap * c_supply_gap / w_sum AS pts_supply_gap,
           100 * $w_coverage * c_coverage / w_sum AS pts_coverage,
           CASE WHEN c_weak_return IS NOT NULL THEN 100 * $w_weak_return * c_weak_return / w_sum END AS pts_weak_return
    FROM weighted
)
-- rounded: sums over threads differ in the last bits, and equal scores must tie, then go by name
SELECT row_number() OVER (ORDER BY round(score, 9) DESC NULLS LAST, round(demand_share, 12) DESC, sector_id) AS rank, *
FROM (
    SELECT * EXCLUDE (w_sum),
           CASE WHEN gap_index IS NOT NULL
                THEN pts_demand + pts_supply_gap + pts_coverage + coalesce(pts_weak_return, 0) END AS score
    FROM points
)
ORDER BY rank
"""

COLUMNS = [
    "rank", "sector_id", "sector", "top_sector_id", "top_sector", "enriitc_rank",
    "demand_eur", "demand_share", "capacity", "supply_share", "gap_index", "coverage", "companies",
    "single_supplier_risk", "awards_won_eur", "return_coefficient", "return_class",
    "c_demand", "c_supply_gap", "c_coverage", "c_weak_return",
    "pts_demand", "pts_supply_gap", "pts_coverage", "pts_weak_return", "score",
    "is_estimate", "is_sample",
]


def gap_scores(
    con: duckdb.DuckDBPyConnection,
    *,
    bsos=None,
    years=None,
    clusters=None,
    countries=None,
    weights: GapWeights | dict | None = None,
    levels: LevelWeights | None = None,
    granularity: Granularity = "sub",
) -> pd.DataFrame:
    """One row per sector, ranked by gap score (see the module docstring for every column).

    Raises InvalidSelection for an unknown BSO or cluster or a malformed country code, NoDemand
    when the selection has no demand and NoCapacity when its companies have no competency.
    Values that cannot be formed (a gap index with neither demand nor supply, a return
    coefficient without awards) are None/NaN, never a division by zero.
    """
    if granularity not in ("sub", "top"):
        raise ClusterBoardError(f"granularity must be 'sub' or 'top', not {granularity!r}")
    f = selection(con, bsos=bsos, years=years, clusters=clusters, countries=countries)
    w = _weights(weights)
    df = query(con, *statement(f, w, levels, granularity, supply=supply_facts.relation(con)))
    _require_shares(df, f)
    out = df[COLUMNS]
    out.attrs.update(demand_total=float(df["demand_total"].iloc[0]), capacity_total=float(df["capacity_total"].iloc[0]),
                     companies=int(df["firms_selected"].iloc[0]), granularity=granularity, weights=w.model_dump())
    return out


def summary(gaps: pd.DataFrame) -> dict:
    """Headline figures of a gap_scores result."""
    return {
        "demand_eur": gaps.attrs.get("demand_total", float(gaps["demand_eur"].sum())),
        "companies": gaps.attrs.get("companies"),
        "under_supplied": int((gaps["gap_index"] > 0).sum()),
        "single_supplier_risks": int(gaps["single_supplier_risk"].sum()),
        "sectors": len(gaps),
        "top": None if gaps["score"].isna().all() else gaps.loc[gaps["score"].idxmax(), "sector"],
    }


def statement(filters: MarketFilters, weights: GapWeights, levels: LevelWeights | None = None,
              granularity: Granularity = "sub", *, supply: str | None = "supply_facts") -> tuple[str, dict]:
    """The one SQL statement behind gap_scores and its parameters, for callers that time or
    explain it (the benchmark); run it with analytics.market_filters.query.

    ``supply`` is the relation of pre-aggregated supply (analytics.supply_facts.relation), or
    None to read the competencies themselves, which a cluster filter always does: the facts
    are summed per country, and a cluster selects companies, not countries.
    """
    capacity = (CAPACITY_FROM_COMPETENCIES if supply is None or filters.clusters
                else CAPACITY_FROM_FACTS.format(supply=supply))
    sql = _GAP_SQL.format(
        capacity=capacity,
        sector_map=sector_map(granularity == "top"),
        demand_where=DEMAND_WHERE.format(t="d"),
        firms=FIRMS,
        returns=fair_return_ctes(by_sector=True),
        return_class=class_sql("return_coefficient"),
    )
    params = filters.params() | {
        "top": granularity == "top",
        "level_weights": (levels or LevelWeights()).as_list(),
        "coverage_target": float(weights.coverage_target),
        "w_demand": weights.demand, "w_supply_gap": weights.supply_gap, "w_coverage": weights.coverage,
        "w_weak_return": weights.weak_return,
    }
    return sql, params


def _require_shares(df: pd.DataFrame, f: MarketFilters) -> None:
    if df.empty:
        raise ClusterBoardError("there are no sectors in the database; load sectors.csv first")
    first = df.iloc[0]
    if not first["demand_total"] > 0:  # NaN or 0
        raise NoDemand(f"no demand recorded for this selection ({describe(f)}): choose other BSOs or years")
    if not first["capacity_total"] > 0:
        supply = " · ".join(describe(f).split(" · ")[2:])
        who = ("no companies match" if first["firms_selected"] == 0
               else f"none of the {first['firms_selected']} companies that match has a competency at level 1 or more")
        raise NoCapacity(f"{who} ({supply}), so supply shares cannot be formed: widen the cluster or country filter")


def demand_matrix(
    con: duckdb.DuckDBPyConnection,
    *,
    bsos=None,
    years=None,
    granularity: Granularity = "sub",
) -> pd.DataFrame:
    """Demand in EUR by BSO and sector over the selected years (long form, only non-zero cells)."""
    f = selection(con, bsos=bsos, years=years)
    sql = f"""
    WITH sec AS ({sector_map(granularity == "top")})
    SELECT d.bso_id, sec.row_id AS sector_id, coalesce(s.name, sec.row_id) AS sector,
           sum(d.demand_eur) AS demand_eur, bool_or(d.is_estimate) AS is_estimate
    FROM bso_demand d JOIN sec USING (sector_id) LEFT JOIN sectors s ON s.sector_id = sec.row_id
    WHERE {DEMAND_WHERE.format(t='d')} AND d.demand_eur > 0
    GROUP BY ALL ORDER BY d.bso_id, sector_id
    """
    df = query(con, sql, f.params())
    if df.empty:
        raise NoDemand(f"no demand recorded for this selection ({describe(f)}): choose other BSOs or years")
    return df


def options(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    """What the filters can offer: BSOs with demand, years, clusters and countries with companies."""
    one = lambda sql: [r[0] for r in con.execute(sql).fetchall()]  # noqa: E731
    return {
        "bsos": one("SELECT bso_id FROM bsos ORDER BY bso_id"),
        "years": one("SELECT DISTINCT year FROM bso_demand ORDER BY year"),
        "clusters": one("SELECT DISTINCT cluster FROM companies WHERE cluster IS NOT NULL ORDER BY cluster"),
        "countries": one("SELECT DISTINCT country FROM companies ORDER BY country"),
    }


def sector_order(gaps: pd.DataFrame) -> list[str]:
    """Sector names in taxonomy order (ENRIITC rank, then name), for chart axes."""
    return gaps.sort_values(["enriitc_rank", "top_sector", "sector"], na_position="last")["sector"].tolist()


def sample_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Sample rows in the Big Science tables, for the page badge."""
    return {t: n for t, n in _all_sample_counts(con).items() if t in TABLES}


def demand_sources(con: duckdb.DuckDBPyConnection, *, bsos=None, years=None) -> pd.DataFrame:
    """Where the selected demand figures come from, and whether they are estimates."""
    f = selection(con, bsos=bsos, years=years)
    sql = f"""SELECT d.bso_id, any_value(d.source) AS source, bool_or(d.is_estimate) AS is_estimate
              FROM bso_demand d WHERE {DEMAND_WHERE.format(t='d')} GROUP BY d.bso_id ORDER BY d.bso_id"""
    return query(con, sql, f.params())
