"""Pre-computed candidates for the partner finder (issue 8).

Why: a need for a top sector at L (ELEC: the sector and its seven sub-sectors) groups ~160,000
competencies of ~90,000 companies per request, ~100 ms on two cores, to find each company's best
level, best sector and related strength. Those change only when companies, competencies or sectors
are written, so the loader recomputes them then, in the same transaction (~1 s at L), and a request
reads one sector's rows (the table is sorted by sector, so its scan skips the other sectors').

One row per (sector the finder can be asked for, company at level 1 or more there) with the numbers
the live statement (analytics.partners) derives, so ranking from them gives the same rows; the
score's other inputs (points, the BSO, countries, the minimum level) are the request's. A
company's level in the row's own sector (own_level) is kept too: the words of related strength
list a company's sectors at level 2 or more, read from the rows of those sectors.

class_rank: a row's place by the ranking's last keys (employees, name, company_id: tiebreak) among
the rows of its sector with the same level, prior-supplier flag, related count and country. Those
rows score the same under any points, BSO, country filter and minimum level, so a request for n
companies never returns a row whose class_rank is above n, and ranks a few thousand rows instead
of every candidate (~60,000 for ELEC at level 2 at L). It costs about half of the rebuild.

Readers compare the sources' row counts with those the rows were built from and rank from the
source tables when they differ (a write around the loader). Updates around the loader that keep
the row counts are not seen: write through the loader, or call ``rebuild`` afterwards.
"""
from __future__ import annotations

from analytics.kept import Kept

SOURCES = ("companies", "competencies", "sectors")

# covers: for a sector with sub-sectors, the sectors a need for it covers (itself and its
# sub-sectors: the finder's target); a sector without is its own target, so its rows are its
# competencies, not grouped. Related strength counts the company's sectors at level 2 or more in
# the asked sector's top sector outside the need (the finder's siblings): all of them in that top
# (strong) less those inside the need (n_inside), so no competency is joined to every sector it is
# a sibling of. min() of (-level, sector_id) is the finder's first(sector_id ORDER BY level DESC,
# sector_id) without an ordered aggregate. tiebreak: the ranking's last keys as one number;
# class_rank: see the module's doc.
ROWS_SQL = """
WITH sec AS (
    SELECT s.sector_id, s.parent_id, coalesce(s.parent_id, s.sector_id) AS top_id, k.parent_id IS NOT NULL AS has_subs
    FROM sectors s LEFT JOIN (SELECT DISTINCT parent_id FROM sectors) k ON k.parent_id = s.sector_id
),
covers AS (
    SELECT a.sector_id AS asked, a.top_id AS asked_top, x.sector_id, x.top_id
    FROM sec a JOIN sec x ON x.sector_id = a.sector_id OR x.parent_id = a.sector_id
    WHERE a.has_subs
),
strong AS (
    SELECT c.company_id, s.top_id, count(*) AS n
    FROM competencies c JOIN sec s USING (sector_id) WHERE c.level >= 2 GROUP BY ALL
),
alone AS (
    SELECT c.sector_id, c.company_id, s.top_id AS asked_top, c.level, c.sector_id AS best_sector,
           c.level AS own_level, CAST(c.level >= 2 AS BIGINT) AS n_inside
    FROM competencies c JOIN sec s USING (sector_id)
    WHERE c.level >= 1 AND NOT s.has_subs
),
grouped AS (
    SELECT v.asked AS sector_id, c.company_id, any_value(v.asked_top) AS asked_top,
           min({'l': -c.level, 's': c.sector_id}) AS top_pick,
           max(c.level) FILTER (WHERE c.sector_id = v.asked) AS own_level,
           count(*) FILTER (WHERE c.level >= 2 AND v.top_id = v.asked_top) AS n_inside
    FROM competencies c JOIN covers v USING (sector_id)
    GROUP BY v.asked, c.company_id
),
best AS (
    SELECT * FROM alone
    UNION ALL
    SELECT sector_id, company_id, asked_top, -top_pick.l, top_pick.s, own_level, n_inside
    FROM grouped WHERE top_pick.l <= -1
),
co AS (
    SELECT company_id, country, prior_bso_supplier,
           row_number() OVER (ORDER BY employees DESC NULLS LAST, name, company_id) AS tiebreak
    FROM companies
),
row AS (
    SELECT b.sector_id, b.company_id, b.level, b.best_sector, b.own_level, coalesce(st.n, 0) - b.n_inside AS n_related,
           co.country, co.prior_bso_supplier, co.tiebreak
    FROM best b JOIN co USING (company_id)
    LEFT JOIN strong st ON st.company_id = b.company_id AND st.top_id = b.asked_top
)
SELECT *, row_number() OVER (PARTITION BY sector_id, level, prior_bso_supplier, n_related, country
                             ORDER BY tiebreak) AS class_rank
FROM row
"""


# sorted by sector so a request's scan skips the other sectors' row groups
_KEPT = Kept("partner_facts", lambda: ROWS_SQL, "sector_id", "partner_sources", SOURCES)
rebuild, after_write, fresh, fresh_sql = _KEPT.rebuild, _KEPT.after_write, _KEPT.fresh, _KEPT.fresh_sql
