-- Each KPI's actual as a step function of the as-of date (issue 8, analytics.kpi_steps): per KPI
-- and day on which its actual, record count or last record date changes, the values from d_from
-- up to (not including) d_to. The Portfolio reads one interval per KPI instead of aggregating
-- every measure's records at the as-of date. Derived data only: rebuilt with the KPI history
-- (analytics.kpi_history) for the KPIs whose inputs a write through the loader changed.
CREATE TABLE kpi_steps (
    project_id     VARCHAR NOT NULL,
    code           VARCHAR NOT NULL,
    d_from         DATE NOT NULL,     -- first day of the interval
    d_to           DATE NOT NULL,     -- the day after its last (9999-12-31: open-ended)
    actual         DOUBLE NOT NULL,
    records        BIGINT NOT NULL,   -- records on or before the day
    last_record_on DATE
);

-- The steps and the off-track runs share kpi_history_sources, the record of what they were built
-- from. Emptied here so an existing database reads both live (not from an empty kpi_steps) until
-- the heal after this migration builds them (store._heal_derived_tables).
DELETE FROM kpi_history_sources;
