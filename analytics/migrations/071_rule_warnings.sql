-- Pre-computed ClusterXchange and mission rule warnings (issue 8): the Portfolio's Needs-attention
-- list reads ~200,000 of them at 1,000 projects, which take ~0.2 s to compute from 200,000 stays
-- per request. Derived data only: analytics.warning_facts rebuilds it whenever exchanges,
-- missions or projects are written through the loader, in the same transaction.
CREATE TABLE rule_warning_facts (
    project_id VARCHAR NOT NULL,   -- the project the warning is reported under
    org        VARCHAR,            -- lower(visitor_org) of the stay; NULL for a mission
    record     VARCHAR NOT NULL,   -- exchange_id or mission_id
    rule       VARCHAR NOT NULL,   -- a key of analytics.stays.RULES
    what       VARCHAR,            -- the Needs-attention text: record · title: message
    since      DATE NOT NULL,      -- the stay's or mission's end: on record from that date
    settled_on DATE                -- from this as-of date on, the stays before it by start have all ended
);

-- Per stay that ended before a stay of its organisation that started earlier: between its end
-- (from_on) and the latest end of those (to_on, excluded) its visit number, first visit and
-- amount paid before differ from the warnings above, so readers check that organisation's stays
-- live on those dates.
CREATE TABLE rule_warning_unsettled (
    org     VARCHAR NOT NULL,
    from_on DATE NOT NULL,
    to_on   DATE NOT NULL
);

-- What the warnings were built from: source row counts and the rule parameters (JSON). Readers
-- compare them and compute the warnings live when a write went around the loader or the rules differ.
CREATE TABLE rule_warning_sources (
    table_name VARCHAR NOT NULL,
    row_count  BIGINT NOT NULL,
    rules      VARCHAR NOT NULL
);

-- The stays of the organisations in rule_warning_unsettled, as in exchanges: what the live check
-- reads (recreated by every rebuild, with the columns exchanges has then).
CREATE TABLE rule_warning_stays AS SELECT * FROM exchanges LIMIT 0;
