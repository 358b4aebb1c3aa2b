-- Per organisation visiting (lower(visitor_org)): its stays' count and a hash of their rows when
-- the rule warnings were built, so a write of stays rebuilds the warnings of the organisations it
-- changed (a stay is checked against its organisation's stays only), not all of them (~2 s at L).
CREATE TABLE rule_warning_orgs (
    org       VARCHAR NOT NULL,
    row_count BIGINT NOT NULL,
    row_hash  UBIGINT NOT NULL
);
-- stale now: rebuilt by the heal that follows the migration (store._heal_derived_tables)
DELETE FROM rule_warning_sources;
