-- Since when each KPI has been off track (issue 8): the Needs-attention list says, for every KPI
-- off track on the as-of date, the first month-end of its current unbroken off-track run. Found
-- per request, that evaluates ~1,100 KPIs at ~35 month-ends each at 1,000 projects (~120 ms).
-- A KPI's status at a month-end depends only on the records dated up to it, so the runs are
-- kept: derived data only, rebuilt by analytics.kpi_history for the projects whose inputs a
-- write through the loader changed, in the same transaction.
CREATE TABLE kpi_off_track_runs (
    project_id VARCHAR NOT NULL,
    code       VARCHAR NOT NULL,
    month_end  DATE NOT NULL,     -- a month-end on which the KPI was off track
    run_start  DATE NOT NULL      -- the first month-end of the unbroken off-track run it belongs to
);

-- What the runs were built from: per input table and project a row count and content hash
-- (project_id NULL: the whole table's row count, which readers compare), and the status
-- thresholds. Readers find the runs live when a write went around the loader or the thresholds differ.
CREATE TABLE kpi_history_sources (
    table_name VARCHAR NOT NULL,
    project_id VARCHAR,
    row_count  BIGINT NOT NULL,
    row_hash   UBIGINT
);
CREATE TABLE kpi_history_thresholds (
    on_track DOUBLE NOT NULL,
    at_risk  DOUBLE NOT NULL
);
