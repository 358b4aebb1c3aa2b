-- Rule warnings on every as-of date from the one table (issue 8): a stay whose organisation's
-- earlier stays have not all ended reads differently until they have (visit number, cap), and
-- 071 had readers check those organisations live (~50 ms at L). Each row now says from which
-- as-of date it holds (from_on) and until which it does no longer (to_on, NULL: for good), and
-- the rows of those dates are kept beside the others.
ALTER TABLE rule_warning_facts ADD COLUMN from_on DATE;
ALTER TABLE rule_warning_facts ADD COLUMN to_on DATE;
DROP TABLE rule_warning_unsettled;
DROP TABLE rule_warning_stays;
-- stale now: rebuilt by the heal that follows the migration (store._heal_derived_tables)
DELETE FROM rule_warning_sources;
