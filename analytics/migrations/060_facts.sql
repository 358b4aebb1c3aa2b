-- Pre-aggregated facts (issue 8): the KPI and budget analytics read these instead of scanning
-- every activity row, so a portfolio of 1,000 projects and a million records answers in
-- milliseconds. Derived data only: analytics.facts rebuilds them from the source tables, and the
-- loader's AFTER_WRITE hook refreshes the projects a write touched, in the same transaction.
-- No keys or indexes: rows are replaced per project, and an index would only slow that down.

-- One row per measure, project, partner and day with records: the additive parts of the
-- measures (analytics.measures) whose aggregate is distinct, count or sum.
CREATE TABLE measure_daily (
    measure        VARCHAR NOT NULL,
    project_id     VARCHAR NOT NULL,
    partner        VARCHAR,
    d              DATE NOT NULL,
    events         INTEGER NOT NULL,   -- records dated d
    amount         DOUBLE NOT NULL,    -- their amounts, summed
    new_in_project INTEGER NOT NULL,   -- entities first seen in the project on d (distinct measures)
    new_in_partner INTEGER NOT NULL    -- entities first seen for this partner on d
);

-- Cumulative checkpoints at every month end from a project's first record to its last, so a
-- value at any date is one checkpoint plus the days since it (see analytics.facts).
CREATE TABLE measure_monthly (
    measure        VARCHAR NOT NULL,
    project_id     VARCHAR NOT NULL,
    month_end      DATE NOT NULL,
    is_last        BOOLEAN NOT NULL,   -- the month of the last record: holds for every later date
    events         BIGINT NOT NULL,
    amount         DOUBLE NOT NULL,
    new_in_project BIGINT NOT NULL,
    last_d         DATE NOT NULL
);

-- Expenses per project, partner, category and day, in exact decimals like the expenses.
CREATE TABLE expense_daily (
    project_id VARCHAR NOT NULL,
    partner    VARCHAR NOT NULL,
    category   VARCHAR NOT NULL,
    d          DATE NOT NULL,
    n          INTEGER NOT NULL,
    amount     DECIMAL(38, 2) NOT NULL
);

CREATE TABLE expense_monthly (
    project_id    VARCHAR NOT NULL,
    month_end     DATE NOT NULL,
    is_last       BOOLEAN NOT NULL,
    n             BIGINT NOT NULL,
    amount        DECIMAL(38, 2) NOT NULL,  -- all direct costs
    indirect_base DECIMAL(38, 2) NOT NULL,  -- A + C1 + C2 + C3: the costs that carry the flat rate E
    fstp          DECIMAL(38, 2) NOT NULL,  -- D1, reimbursed at 100 %
    last_d        DATE NOT NULL
);

-- What the facts were built from: rows and a content hash per source table and project. A write
-- refreshes the projects whose hash changed; readers compare the row counts (cheap) and fall
-- back to computing from the source tables when a write went around the loader.
CREATE TABLE fact_sources (
    table_name VARCHAR NOT NULL,
    project_id VARCHAR NOT NULL,
    row_count  BIGINT NOT NULL,
    row_hash   UBIGINT NOT NULL
);
