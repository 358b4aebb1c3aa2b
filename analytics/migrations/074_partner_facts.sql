-- Pre-computed partner-finder candidates (issue 8): the partner finder reads one sector's rows
-- instead of grouping ~160,000 competencies of ~90,000 companies per request (a top sector at L).
-- Derived data only: analytics.partner_facts rebuilds it whenever companies, competencies or
-- sectors are written through the loader, in the same transaction.
CREATE TABLE partner_facts (
    sector_id   VARCHAR NOT NULL,    -- the sector the finder is asked for (a sub-sector or a top sector)
    company_id  VARCHAR NOT NULL,    -- a company at level 1 or more in it
    level       INTEGER NOT NULL,    -- its best level in the sector and the sector's sub-sectors
    best_sector VARCHAR NOT NULL,    -- where that level is (first by level, then sector_id)
    own_level   INTEGER,             -- its level in this very sector, not its sub-sectors (NULL: none)
    n_related   BIGINT NOT NULL,     -- its other sectors of the same top sector at level 2 or more
    country     VARCHAR(2) NOT NULL, -- the company's, for the country filter and BSO membership
    prior_bso_supplier BOOLEAN NOT NULL,
    tiebreak    BIGINT NOT NULL,     -- the company's place by employees (most first), name, company_id
    class_rank  BIGINT NOT NULL      -- its place by tiebreak among the sector's rows of equal score inputs
);

-- Row counts of the sources the rows were built from: readers compare them and rank from the
-- source tables when a write went around the loader.
CREATE TABLE partner_sources (
    table_name VARCHAR NOT NULL,
    row_count  BIGINT NOT NULL
);
