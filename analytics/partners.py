"""Who could supply a Big Science need: the partner finder and cross-sector opportunities.

Partner finder. For a need (a sector, a minimum competency level, optionally a BSO and countries)
every company at or above the level is scored in points (MatchPoints):
- its level in the sector (for a top sector: its best level in any of its sub-sectors);
- having supplied a Big Science organisation before;
- related strength: other sub-sectors of the same top sector at level 2 or more, per sector up to a cap;
- when a BSO is named: the company's country contributes to that BSO's budget (BSOs buy mainly from
  the countries that fund them, and the country then has a return to defend).
match score = 100 × points ÷ the most points possible for this query. The reasons column lists
every point in words.

Cross-sector opportunities. Sectors are adjacent when the same companies are strong in both:
proximity φ(a, b) = companies at level ≥ 2 in both ÷ the larger of the two sectors' counts
(Hidalgo et al., 2007, "The product space conditions the development of nations"). A company
strong in a (level ≥ 2) and not yet strong in an under-supplied sector b (gap index G(b) > 0)
of another top sector is an opportunity, ranked by φ(a, b) × G(b); each company appears once, at
its best opportunity.
"""
from __future__ import annotations

from typing import NamedTuple

import duckdb
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field

from analytics import partner_facts
from analytics.errors import ClusterBoardError
from analytics.gaps import gap_scores
from analytics.market_filters import FIRMS, InvalidSelection, MarketFilters, query, selection, validated

LEVEL_NAMES = {0: "none", 1: "basic", 2: "proven", 3: "BSO-qualified"}


class MatchPoints(BaseModel):
    """Points of the partner-finder match score."""

    model_config = ConfigDict(frozen=True)

    level_3: int = Field(50, ge=0, description="BSO-qualified (level 3) in the sector")
    level_2: int = Field(35, ge=0, description="proven (level 2) in the sector")
    level_1: int = Field(15, ge=0, description="basic (level 1) in the sector")
    prior_supplier: int = Field(20, ge=0, description="has supplied a Big Science organisation before")
    related_each: int = Field(5, ge=0, description="per other sub-sector of the same top sector at level 2 or more")
    related_max: int = Field(15, ge=0, description="cap on the related-strength points")
    bso_member: int = Field(15, ge=0, description="the company's country contributes to the chosen BSO")

    def maximum(self, with_bso: bool) -> int:
        return (max(self.level_1, self.level_2, self.level_3) + self.prior_supplier + self.related_max
                + (self.bso_member if with_bso else 0))


class PartnerQuery(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sector_id: str = Field(min_length=1, description="sector or top sector needed")
    min_level: int = Field(2, ge=1, le=3, description="minimum competency level (1 basic, 2 proven, 3 BSO-qualified)")
    countries: tuple[str, ...] | None = Field(None, description="supplier countries; none = all")
    bso_id: str | None = Field(None, description="the BSO with the need; none = any")
    limit: int = Field(50, ge=1, le=100_000, description="most companies returned")


def formulas(points: MatchPoints | None = None) -> dict[str, str]:
    p = points or MatchPoints()
    return {
        "match points": f"level in the sector: BSO-qualified {p.level_3}, proven {p.level_2}, basic {p.level_1}; "
                        f"prior BSO supplier {p.prior_supplier}; {p.related_each} per other sub-sector of the same top "
                        f"sector at level 2 or more (at most {p.related_max}); country contributes to the chosen BSO "
                        f"{p.bso_member}",
        "match score": f"100 × points ÷ the most points possible ({p.maximum(True)} with a BSO chosen, "
                       f"{p.maximum(False)} without)",
        "proximity φ(a, b)": "companies at level 2 or more in both sectors ÷ the larger of the two sectors' counts",
        "opportunity": "φ(a, b) × gap index of b, for a company strong in a and below level 2 in an under-supplied "
                       "sector b of another top sector",
    }


def _query(**values) -> PartnerQuery:
    q = validated(PartnerQuery, **values)
    # Countries go through the shared filter model, so codes are checked the same way everywhere.
    countries = MarketFilters.of(countries=q.countries).countries
    return q.model_copy(update={"countries": countries})


def _require_sector(con: duckdb.DuckDBPyConnection, sector_id: str) -> None:
    if con.execute("SELECT count(*) FROM sectors WHERE sector_id = ?", [sector_id]).fetchone()[0] == 0:
        known = [r[0] for r in con.execute("SELECT sector_id FROM sectors ORDER BY sector_id").fetchall()]
        raise InvalidSelection(f"unknown sector {sector_id!r}; known: {', '.join(known) or 'none'}")


# The statement from the source tables: each company's best level and related strength grouped
# from the competencies of the need's sectors. Run when partner_facts is stale, and by the
# benchmark as the limit (the product's statement, bare).
_LIVE_SQL = """
WITH target AS (SELECT sector_id FROM sectors WHERE sector_id = $sector OR parent_id = $sector),
siblings AS (  -- the other sub-sectors of the need's top sector: where related strength counts
    SELECT sector_id FROM sectors
    WHERE coalesce(parent_id, sector_id) = (SELECT coalesce(parent_id, sector_id) FROM sectors WHERE sector_id = $sector)
      AND sector_id NOT IN (SELECT sector_id FROM target)
),
best AS (
    SELECT company_id, max(level) AS level, first(sector_id ORDER BY level DESC, sector_id) AS best_sector
    FROM competencies WHERE sector_id IN (SELECT sector_id FROM target)
    GROUP BY company_id HAVING max(level) >= $min_level
),
cand AS (
    SELECT co.company_id, co.country, co.employees, co.prior_bso_supplier, co.name, b.level, b.best_sector
    FROM companies co JOIN best b USING (company_id)
    WHERE CAST($countries AS VARCHAR[]) IS NULL OR list_contains(CAST($countries AS VARCHAR[]), co.country)
),
related_n AS (
    SELECT c.company_id, count(*) AS n_related
    FROM competencies c JOIN cand USING (company_id)
    WHERE c.level >= 2 AND c.sector_id IN (SELECT sector_id FROM siblings)
    GROUP BY c.company_id
),
{member},
points AS (
    SELECT cand.*, coalesce(r.n_related, 0) AS n_related, m.share AS contribution_share,
           {points}
    FROM cand LEFT JOIN related_n r USING (company_id) LEFT JOIN member m ON m.country = cand.country
),
-- Ranked on numbers alone; the words (reasons, related sectors) are built for the few returned.
ranked AS (
    SELECT *, {total} AS points, {score} AS match_score
    FROM points
    ORDER BY match_score DESC, level DESC, prior_bso_supplier DESC, employees DESC NULLS LAST, name, company_id
    LIMIT $limit
),
related AS (
    SELECT c.company_id, string_agg(s.name, ', ' ORDER BY c.level DESC, s.name) AS related
    FROM competencies c JOIN ranked USING (company_id) JOIN sectors s ON s.sector_id = c.sector_id
    WHERE c.level >= 2 AND c.sector_id IN (SELECT sector_id FROM siblings)
    GROUP BY c.company_id
)
{answer}
ORDER BY r.match_score DESC, r.level DESC, r.prior_bso_supplier DESC, r.employees DESC NULLS LAST, r.name, r.company_id
"""

# The statement from partner_facts (analytics.partner_facts): the same numbers, kept per sector
# and company, so a request reads the need's sector's rows and groups nothing. tiebreak stands for
# employees DESC NULLS LAST, name, company_id; a row past the limit in its class_rank cannot be
# among the first $limit (see analytics.partner_facts). ranked is materialized: read twice, inlined
# it would be ranked twice. The related sectors' words read the facts' rows of the siblings (a
# company's own level in each) for the returned companies, found by tiebreak: one number per
# company, so the join's filter reaches the scan (~200 rows read at L; by company_id ~30,000). The
# siblings come as a list ($siblings, from need_of): a subquery over sectors here costs more to
# plan (~7 ms at L) than the whole ranking takes to run.
_KEPT_SQL = """
WITH {member},
points AS (
    SELECT f.company_id, f.country, f.prior_bso_supplier, f.level, f.best_sector, f.n_related, f.tiebreak,
           m.share AS contribution_share,
           {points}
    FROM partner_facts f LEFT JOIN member m ON m.country = f.country
    WHERE f.sector_id = $sector AND f.level >= $min_level AND f.class_rank <= $limit
      AND (CAST($countries AS VARCHAR[]) IS NULL OR list_contains(CAST($countries AS VARCHAR[]), f.country))
),
ranked AS MATERIALIZED (
    SELECT *, {total} AS points, {score} AS match_score
    FROM points
    ORDER BY match_score DESC, level DESC, prior_bso_supplier DESC, tiebreak
    LIMIT $limit
),
related AS (
    SELECT f.tiebreak, string_agg(s.name, ', ' ORDER BY f.own_level DESC, s.name) AS related
    FROM partner_facts f JOIN (SELECT tiebreak FROM ranked WHERE n_related > 0) USING (tiebreak)
    JOIN sectors s ON s.sector_id = f.sector_id
    WHERE f.own_level >= 2 AND list_contains(CAST($siblings AS VARCHAR[]), f.sector_id)
    GROUP BY f.tiebreak
)
{answer}
ORDER BY r.match_score DESC, r.level DESC, r.prior_bso_supplier DESC, r.tiebreak
"""

_MEMBER = """member AS (  -- the latest recorded contribution share of each country to the chosen BSO
    SELECT country, arg_max(share, year) AS share, max(year) AS share_year
    FROM contributions WHERE bso_id = $bso GROUP BY country
)"""

_POINTS = """CASE level WHEN 3 THEN $p_level_3 WHEN 2 THEN $p_level_2 ELSE $p_level_1 END AS pts_level,
           CASE WHEN prior_bso_supplier THEN $p_prior ELSE 0 END AS pts_prior,
           least($p_related_each * {n_related}, $p_related_max) AS pts_related,
           CASE WHEN $bso IS NOT NULL AND m.share > 0 THEN $p_member ELSE 0 END AS pts_member"""

_TOTAL = "pts_level + pts_prior + pts_related + pts_member"

# The returned rows in words, from `ranked r` and `related rel`.
_ANSWER = """SELECT r.company_id, co.name, r.country, co.cluster, co.company_type, co.employees, r.prior_bso_supplier, r.level,
       bs.name AS best_sector, r.points, r.match_score,
       concat_ws(' · ',
           printf('%s in %s (+%d)',
                  CASE r.level WHEN 3 THEN 'BSO-qualified' WHEN 2 THEN 'proven' ELSE 'basic' END, bs.name, r.pts_level),
           CASE WHEN r.prior_bso_supplier THEN printf('has supplied a BSO (+%d)', r.pts_prior) END,
           CASE WHEN r.n_related > 0 THEN printf('also proven in %s (+%d)', rel.related, r.pts_related) END,
           CASE WHEN $bso IS NOT NULL AND r.contribution_share > 0
                THEN printf('%s funds %.1f %% of %s (+%d)', r.country, 100 * r.contribution_share, $bso, r.pts_member)
                WHEN $bso IS NOT NULL THEN printf('%s: no recorded share of %s (+0)', r.country, $bso) END
       ) AS reasons,
       r.pts_level, r.pts_prior, r.pts_related, r.pts_member, rel.related, r.contribution_share, co.is_sample
FROM ranked r JOIN companies co USING (company_id) JOIN sectors bs ON bs.sector_id = r.best_sector
LEFT JOIN related rel ON {related_key}"""


def _sql(template: str, n_related: str, related_key: str) -> str:
    return template.format(member=_MEMBER, points=_POINTS.format(n_related=n_related), total=_TOTAL,
                           score=f"round(100.0 * ({_TOTAL}) / $p_max, 1)",
                           answer=_ANSWER.format(related_key=related_key))


LIVE_SQL = _sql(_LIVE_SQL, "coalesce(r.n_related, 0)", "rel.company_id = r.company_id")
KEPT_SQL = _sql(_KEPT_SQL, "f.n_related", "rel.tiebreak = r.tiebreak")


class Need(NamedTuple):
    """What the finder needs to know of the sector asked for before choosing its statement."""

    known: bool  # the sector exists
    siblings: list[str]  # the other sectors of its top sector outside the need, where related strength counts
    kept: bool  # partner_facts is fresh


# target and siblings as in _LIVE_SQL; one round trip with the freshness of partner_facts
_NEED_SQL = """
SELECT count(*) FILTER (WHERE sector_id = $sector) > 0,
       coalesce(list(sector_id ORDER BY sector_id) FILTER (
           WHERE coalesce(parent_id, sector_id) = (SELECT coalesce(parent_id, sector_id) FROM sectors WHERE sector_id = $sector)
             AND sector_id <> $sector AND parent_id IS DISTINCT FROM $sector), []),
       ({fresh})
FROM sectors
"""


def need_of(con: duckdb.DuckDBPyConnection, sector_id: str) -> Need:
    row = con.execute(_NEED_SQL.format(fresh=partner_facts.fresh_sql()), {"sector": sector_id}).fetchone()
    return Need(*row)


def statement(q: PartnerQuery, points: MatchPoints | None = None, *,
              siblings: list[str] | None = None) -> tuple[str, dict]:
    """The one SQL statement behind find_partners and its parameters, for callers that time or
    explain it (the benchmark); run it with analytics.market_filters.query.

    With ``siblings`` (need_of(...).siblings) the statement reads partner_facts, which must be
    fresh (need_of(...).kept); without, it reads the source tables.
    """
    p = points or MatchPoints()
    params = {
        "sector": q.sector_id, "min_level": q.min_level, "bso": q.bso_id, "limit": q.limit,
        "countries": None if q.countries is None else list(q.countries), "siblings": siblings,
        "p_level_3": p.level_3, "p_level_2": p.level_2, "p_level_1": p.level_1, "p_prior": p.prior_supplier,
        "p_related_each": p.related_each, "p_related_max": p.related_max, "p_member": p.bso_member,
        "p_max": max(p.maximum(q.bso_id is not None), 1),
    }
    return (LIVE_SQL if siblings is None else KEPT_SQL), params


def find_partners(
    con: duckdb.DuckDBPyConnection,
    *,
    sector_id: str,
    min_level: int = 2,
    countries=None,
    bso_id: str | None = None,
    limit: int = 50,
    points: MatchPoints | None = None,
) -> pd.DataFrame:
    """Companies able to meet a need, best match first, with the reasons for each score.

    An unknown sector or BSO or a malformed country code raises InvalidSelection; a need nobody
    meets gives an empty frame with the same columns.
    """
    q = _query(sector_id=sector_id, min_level=min_level, countries=countries, bso_id=bso_id or None, limit=limit)
    need = need_of(con, q.sector_id)
    if not need.known:
        _require_sector(con, q.sector_id)  # raises, naming the known sectors
    if q.bso_id:
        selection(con, bsos=[q.bso_id])
    return query(con, *statement(q, points, siblings=need.siblings if need.kept else None))


_CROSS_SQL = """
WITH firms AS ({firms}),
sec AS (SELECT sector_id, coalesce(parent_id, sector_id) AS top_id FROM sectors),
strong AS (
    SELECT c.company_id, c.sector_id, c.level FROM competencies c JOIN firms USING (company_id)
    WHERE c.level >= 2
),
n AS (SELECT sector_id, count(*) AS n FROM strong GROUP BY sector_id),
pair AS (
    SELECT a.sector_id AS a, b.sector_id AS b, count(*) AS both_strong
    FROM strong a JOIN strong b ON a.company_id = b.company_id AND a.sector_id <> b.sector_id
    GROUP BY ALL
),
proximity AS (
    SELECT pair.a, pair.b, pair.both_strong / greatest(na.n, nb.n) AS phi
    FROM pair JOIN n na ON na.sector_id = pair.a JOIN n nb ON nb.sector_id = pair.b
),
gap AS (SELECT unnest(CAST($gap_sectors AS VARCHAR[])) AS sector_id, unnest(CAST($gap_values AS DOUBLE[])) AS gap_index),
opportunity AS (
    SELECT s.company_id, s.sector_id AS strong_in, s.level AS strong_level, gap.sector_id AS target,
           gap.gap_index, p.phi, p.phi * gap.gap_index AS opportunity
    FROM strong s
    JOIN proximity p ON p.a = s.sector_id
    JOIN gap ON gap.sector_id = p.b
    JOIN sec sa ON sa.sector_id = s.sector_id JOIN sec sb ON sb.sector_id = gap.sector_id
    WHERE sa.top_id <> sb.top_id AND p.phi >= $min_proximity
      AND NOT EXISTS (SELECT 1 FROM strong t WHERE t.company_id = s.company_id AND t.sector_id = gap.sector_id)
    -- each company once, at its best opportunity, so the list shows many companies
    QUALIFY row_number() OVER (PARTITION BY s.company_id
                               ORDER BY p.phi * gap.gap_index DESC, s.level DESC, gap.sector_id, s.sector_id) = 1
)
SELECT o.company_id, co.name, co.country, co.cluster,
       sa.name AS strong_in, o.strong_level, sb.name AS target_sector, o.target AS target_sector_id,
       coalesce(cur.level, 0) AS current_level, o.gap_index, o.phi AS proximity, o.opportunity,
       printf('level %d in %s; %s is under-supplied (gap index %+.2f); proximity %.2f: %.0f %% of the companies '
              'strong in the more common of the two are strong in both', o.strong_level, sa.name, sb.name,
              o.gap_index, o.phi, 100 * o.phi) AS reasons,
       co.is_sample
FROM opportunity o JOIN companies co USING (company_id)
JOIN sectors sa ON sa.sector_id = o.strong_in JOIN sectors sb ON sb.sector_id = o.target
LEFT JOIN competencies cur ON cur.company_id = o.company_id AND cur.sector_id = o.target
ORDER BY o.opportunity DESC, o.strong_level DESC, co.prior_bso_supplier DESC, co.name, o.target
LIMIT $limit
"""


def cross_sector_opportunities(
    con: duckdb.DuckDBPyConnection,
    *,
    bsos=None,
    years=None,
    clusters=None,
    countries=None,
    min_proximity: float = 0.25,
    limit: int = 50,
    gaps: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Companies strong in one top sector and adjacent to an under-supplied sector of another,
    each at its best opportunity, best first.

    `gaps` may pass the sub-sector gap scores already computed for the same selection.
    """
    if not 0 <= min_proximity <= 1:
        raise ClusterBoardError(f"min_proximity must be between 0 and 1, not {min_proximity}")
    if gaps is None:
        gaps = gap_scores(con, bsos=bsos, years=years, clusters=clusters, countries=countries)
    under = gaps[gaps["gap_index"] > 0]
    f = selection(con, bsos=bsos, years=years, clusters=clusters, countries=countries)
    params = f.params() | {
        "gap_sectors": under["sector_id"].tolist(), "gap_values": under["gap_index"].astype(float).tolist(),
        "min_proximity": float(min_proximity), "limit": int(limit),
    }
    return query(con, _CROSS_SQL.format(firms=FIRMS), params)
