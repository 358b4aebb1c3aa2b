-- Issue 4: every change to a row keeps the value it replaced, so nothing typed or imported is lost
-- and the Data page can show the history of a KPI. Row values are JSON objects of column -> value.
-- Imports record the rows they change (not the rows they add: those are counted in import_log and
-- would double the size of a million-row load); forms record every insert, update and delete;
-- "remove sample data" records every row it deletes, so even that can be undone by hand.

CREATE SEQUENCE change_log_seq;
CREATE TABLE change_log (
    change_id   BIGINT PRIMARY KEY DEFAULT nextval('change_log_seq'),
    changed_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    user_name   VARCHAR NOT NULL,
    via         VARCHAR NOT NULL,                   -- form, import, seed, remove_sample
    import_id   BIGINT,                             -- the import_log row, for changes an import made
    table_name  VARCHAR NOT NULL,
    project_id  VARCHAR,                            -- the row's project, where the table has one
    row_key     VARCHAR NOT NULL,                   -- natural key, readable: CE4BIG / SPL / 2021-06-30
    action      VARCHAR NOT NULL,                   -- insert, update, delete
    old_values  VARCHAR,                            -- JSON of the row before (NULL for an insert)
    new_values  VARCHAR                             -- JSON of the row after (NULL for a delete)
);
CREATE INDEX change_log_project ON change_log (project_id, table_name);
