-- Pre-aggregated supply (issue 8): the Big Science gap scores read competencies summed per
-- sector row and country instead of grouping 100,000 companies' competencies per request.
-- Derived data only: analytics.supply_facts rebuilds it whenever companies, competencies or
-- sectors are written through the loader, in the same transaction.
CREATE TABLE supply_facts (
    granularity VARCHAR NOT NULL,      -- 'sub' (every sector) or 'top' (rolled up to top sectors)
    sector_id   VARCHAR NOT NULL,      -- the row the competencies count in
    country     VARCHAR(2) NOT NULL,   -- the companies' country: the filter the page offers
    at_level_1  BIGINT NOT NULL,       -- competency rows at each level (capacity weighs them)
    at_level_2  BIGINT NOT NULL,
    at_level_3  BIGINT NOT NULL,
    companies   BIGINT NOT NULL,       -- distinct companies at level 1 or more in the row
    coverage    BIGINT NOT NULL,       -- distinct companies at level 2 or more in the row
    is_sample   BOOLEAN NOT NULL
);

-- Row counts of the sources the facts were built from: readers compare them (a metadata lookup)
-- and compute from the source tables when a write went around the loader.
CREATE TABLE supply_sources (
    table_name VARCHAR NOT NULL,
    row_count  BIGINT NOT NULL
);
