"""The history of changes: what each change wrote, and the value it replaced."""
from __future__ import annotations

import duckdb
import pandas as pd

# One row per changed value. An update lists the columns whose value changed; an insert lists the
# values written, a delete the values removed.
_CHANGES = """
    WITH recent AS (
        SELECT * FROM change_log
        WHERE ($project IS NULL OR project_id = $project) AND ($table IS NULL OR table_name = $table)
        ORDER BY change_id DESC LIMIT $limit),
    values AS (
        SELECT r.change_id, r.changed_at, r.user_name, r.via, r.table_name, r.row_key, r.action,
               f.name AS column_name,
               json_extract_string(r.old_values, '$."' || f.name || '"') AS old_value,
               json_extract_string(r.new_values, '$."' || f.name || '"') AS new_value
        FROM recent r, unnest(json_keys(coalesce(r.new_values, r.old_values))) AS f(name))
    SELECT * FROM values
    WHERE CASE action WHEN 'update' THEN old_value IS DISTINCT FROM new_value
                      ELSE coalesce(old_value, new_value) IS NOT NULL AND column_name <> 'is_sample' END
"""


def changes(con: duckdb.DuckDBPyConnection, *, project_id: str | None = None, table: str | None = None,
            limit: int = 200) -> pd.DataFrame:
    """Changed values of the latest ``limit`` changes, newest first."""
    return con.execute(_CHANGES + " ORDER BY change_id DESC, column_name",
                       {"project": project_id, "table": table, "limit": limit}).df()


def summary(con: duckdb.DuckDBPyConnection, *, project_id: str | None = None, table: str | None = None,
            limit: int = 100) -> pd.DataFrame:
    """One line per change: "target: 52 → 60" for an update, the values written or removed otherwise."""
    return con.execute(
        f"""SELECT changed_at, user_name, via, table_name, row_key, action,
                   string_agg(CASE WHEN action = 'update'
                                   THEN column_name || ': ' || coalesce(old_value, '(empty)') || ' → '
                                        || coalesce(new_value, '(empty)')
                                   ELSE column_name || ' ' || coalesce(old_value, new_value) END,
                              '; ' ORDER BY column_name) AS what
            FROM ({_CHANGES}) GROUP BY ALL ORDER BY max(change_id) DESC""",
        {"project": project_id, "table": table, "limit": limit},
    ).df()
