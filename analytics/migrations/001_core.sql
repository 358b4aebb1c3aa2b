-- Schema version 1: the whole domain model of DESIGN.md.
-- Every table carries is_sample (TRUE for illustrative rows) and, where facts live, a source.
-- Natural keys are the primary keys so a re-import upserts instead of duplicating.
-- References between tables are checked by the loader (analytics.loader), not by FOREIGN KEY
-- clauses: DuckDB refuses to update a referenced row, which would make every upsert of a
-- project fail, and the loader names the file, row and value where the database would not.

CREATE TABLE projects (
    project_id        VARCHAR PRIMARY KEY,          -- acronym, e.g. BIGINN
    title             VARCHAR NOT NULL,
    programme         VARCHAR NOT NULL,
    call_id           VARCHAR,
    grant_agreement   VARCHAR,
    start_date        DATE NOT NULL,
    end_date          DATE NOT NULL,
    original_end_date DATE,                         -- set when the grant was extended
    total_budget      DECIMAL(14, 2) NOT NULL,
    eu_rate           DECIMAL(5, 4) NOT NULL,       -- share of eligible costs reimbursed
    indirect_rate     DECIMAL(5, 4) NOT NULL,       -- flat rate on direct costs (E)
    source            VARCHAR,
    is_sample         BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (end_date >= start_date)
);

CREATE TABLE partners (
    project_id    VARCHAR NOT NULL,
    organisation  VARCHAR NOT NULL,
    country       VARCHAR(2) NOT NULL,
    org_type      VARCHAR NOT NULL,                 -- cluster, support_org, sme, research, large
    role          VARCHAR NOT NULL,                 -- coordinator, partner
    budget_share  DECIMAL(6, 4),
    source        VARCHAR,
    is_sample     BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, organisation)
);

CREATE TABLE kpis (
    project_id      VARCHAR NOT NULL,
    code            VARCHAR NOT NULL,
    name            VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,
    measure         VARCHAR NOT NULL,
    target          DOUBLE NOT NULL,
    baseline        DOUBLE NOT NULL DEFAULT 0,
    direction       VARCHAR NOT NULL,               -- increase, decrease, stay_above, stay_below
    due_date        DATE,                           -- NULL: the project end
    min_label_level VARCHAR,                        -- bronze, silver, gold (labels_awarded only)
    interpolation   VARCHAR NOT NULL DEFAULT 'linear', -- linear or step, between milestones
    owner           VARCHAR,
    is_placeholder  BOOLEAN NOT NULL DEFAULT FALSE, -- target not yet agreed
    source          VARCHAR,
    is_sample       BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, code)
);

CREATE TABLE kpi_milestones (
    project_id  VARCHAR NOT NULL,
    code        VARCHAR NOT NULL,
    month       INTEGER,                            -- project month M1..Mn, when given that way
    on_date     DATE NOT NULL,                      -- the date; for a month, the last day of it
    expected    DOUBLE NOT NULL,
    is_sample   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, code, on_date)
);

CREATE TABLE checkins (
    project_id   VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,
    checked_on   DATE NOT NULL,
    value        DOUBLE NOT NULL,
    confidence   VARCHAR NOT NULL,                  -- on_track, at_risk, off_track
    note         VARCHAR,
    evidence_url VARCHAR,
    author       VARCHAR,
    is_sample    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, code, checked_on)
);

CREATE TABLE exchanges (
    exchange_id          VARCHAR PRIMARY KEY,
    project_id           VARCHAR NOT NULL, -- the paying project
    partner              VARCHAR NOT NULL,         -- the partner that organised/paid it
    visitor_org          VARCHAR NOT NULL,
    visitor_country      VARCHAR(2) NOT NULL,
    visitor_type         VARCHAR NOT NULL,
    host_org             VARCHAR NOT NULL,
    host_country         VARCHAR(2) NOT NULL,
    start_date           DATE NOT NULL,
    end_date             DATE NOT NULL,
    working_days         INTEGER NOT NULL,
    distance_km          DOUBLE,
    is_virtual           BOOLEAN NOT NULL DEFAULT FALSE,
    lump_sum             DECIMAL(10, 2),
    bso_id               VARCHAR,                  -- set when the host is a Big Science organisation
    counted_by_project   VARCHAR,                  -- a project that reports it without paying (warned)
    is_sample            BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (end_date >= start_date)
);

CREATE TABLE trainings (
    project_id   VARCHAR NOT NULL,
    partner      VARCHAR NOT NULL,
    person       VARCHAR NOT NULL,
    organisation VARCHAR NOT NULL,
    course       VARCHAR NOT NULL,
    trained_on   DATE NOT NULL,
    hours        DOUBLE NOT NULL,
    evidence_url VARCHAR,
    is_sample    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, person, organisation, course, trained_on)
);

CREATE TABLE label_awards (
    organisation VARCHAR NOT NULL,
    level        VARCHAR NOT NULL,                  -- bronze < silver < gold
    assessed_on  DATE NOT NULL,
    valid_until  DATE NOT NULL,                     -- inclusive
    score_pct    DOUBLE,
    source       VARCHAR,
    is_sample    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (organisation, level, assessed_on),
    CHECK (valid_until >= assessed_on)
);

CREATE TABLE missions (
    mission_id          VARCHAR PRIMARY KEY,
    project_id          VARCHAR NOT NULL,
    partner             VARCHAR NOT NULL,
    title               VARCHAR NOT NULL,
    kind                VARCHAR NOT NULL,          -- c2c, b2b, bso_visit
    destination_country VARCHAR(2) NOT NULL,
    start_date          DATE NOT NULL,
    end_date            DATE NOT NULL,
    participants        INTEGER NOT NULL,
    sme_participants    INTEGER NOT NULL,
    bso_id              VARCHAR,
    is_sample           BOOLEAN NOT NULL DEFAULT FALSE,
    CHECK (end_date >= start_date),
    CHECK (sme_participants <= participants)
);

CREATE TABLE budget_lines (
    project_id VARCHAR NOT NULL,
    partner    VARCHAR NOT NULL,
    category   VARCHAR NOT NULL,                    -- A, B, C1, C2, C3, D1, E
    amount     DECIMAL(14, 2) NOT NULL,
    is_sample  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, partner, category)
);

CREATE TABLE expenses (
    expense_id  VARCHAR PRIMARY KEY,
    project_id  VARCHAR NOT NULL,
    partner     VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,                   -- A, B, C1, C2, C3, D1 (E is a flat rate)
    amount      DECIMAL(14, 2) NOT NULL,
    spent_on    DATE NOT NULL,
    description VARCHAR,
    is_sample   BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE deliverables (
    project_id   VARCHAR NOT NULL,
    code         VARCHAR NOT NULL,                  -- D1.1, or MS1 for a milestone
    title        VARCHAR NOT NULL,
    work_package VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL DEFAULT 'deliverable', -- deliverable or milestone
    due_month    INTEGER NOT NULL,
    submitted_on DATE,
    status       VARCHAR NOT NULL,                  -- pending, draft, submitted
    late_justification VARCHAR,
    is_sample    BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (project_id, code)
);

-- Big Science side ---------------------------------------------------------------------------

CREATE TABLE bsos (
    bso_id        VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    site_country  VARCHAR(2) NOT NULL,
    yearly_budget_eur DOUBLE,
    budget_note   VARCHAR,
    source        VARCHAR,
    is_sample     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE sectors (
    sector_id  VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    parent_id  VARCHAR,                             -- NULL for the five ENRIITC top sectors
    enriitc_rank INTEGER,
    source     VARCHAR,
    is_sample  BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE bso_demand (
    bso_id      VARCHAR NOT NULL,
    sector_id   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    demand_eur  DOUBLE,
    tender_count INTEGER,
    source      VARCHAR,
    is_estimate BOOLEAN NOT NULL DEFAULT TRUE,
    is_sample   BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (bso_id, sector_id, year)
);

CREATE TABLE companies (
    company_id    VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    country       VARCHAR(2) NOT NULL,
    cluster       VARCHAR,
    company_type  VARCHAR NOT NULL,                 -- sme, large, research
    employees     INTEGER,
    prior_bso_supplier BOOLEAN NOT NULL DEFAULT FALSE,
    is_sample     BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE TABLE competencies (
    company_id VARCHAR NOT NULL,
    sector_id  VARCHAR NOT NULL,
    level      INTEGER NOT NULL CHECK (level BETWEEN 0 AND 3),
    evidence   VARCHAR,
    is_sample  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (company_id, sector_id)
);

CREATE TABLE contributions (
    bso_id     VARCHAR NOT NULL,
    country    VARCHAR(2) NOT NULL,
    year       INTEGER NOT NULL,
    share      DOUBLE NOT NULL,                     -- 0..1 of the BSO budget
    source     VARCHAR,
    is_sample  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (bso_id, country, year)
);

CREATE TABLE awards (
    bso_id     VARCHAR NOT NULL,
    country    VARCHAR(2) NOT NULL,
    sector_id  VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    value_eur  DOUBLE NOT NULL,
    source     VARCHAR,
    is_sample  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (bso_id, country, sector_id, year)
);

-- Housekeeping -------------------------------------------------------------------------------

CREATE SEQUENCE import_log_seq;
CREATE TABLE import_log (
    import_id   BIGINT PRIMARY KEY DEFAULT nextval('import_log_seq'),
    imported_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_name   VARCHAR NOT NULL,
    file_name   VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    table_name  VARCHAR NOT NULL,
    rows_inserted INTEGER NOT NULL DEFAULT 0,
    rows_updated  INTEGER NOT NULL DEFAULT 0,
    result      VARCHAR NOT NULL,                   -- ok, rejected, unchanged
    message     VARCHAR
);
