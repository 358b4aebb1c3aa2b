"""The import log: every import, accepted, refused or rejected, with who, when and which file."""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics.access import Actor
from analytics.importing.result import ImportResult


def write(con: duckdb.DuckDBPyConnection, result: ImportResult, actor: Actor, import_id: int | None = None) -> int:
    """Record an import inside the caller's transaction (or on its own); returns its id."""
    if import_id is None:
        import_id = con.execute("SELECT nextval('import_log_seq')").fetchone()[0]
    message = result.summary()
    if result.problems:
        message += ": " + "; ".join(str(p) for p in result.problems[:5])
    con.execute(
        """INSERT INTO import_log (import_id, user_name, file_name, file_sha256, table_name, rows_inserted,
                                   rows_updated, result, message)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [import_id, actor.name, result.file_name, result.sha256, result.table, result.inserted,
         result.updated, result.outcome, message[:2000]],
    )
    return import_id


def seen_before(con: duckdb.DuckDBPyConnection, sha256: str, table: str) -> list[tuple]:
    """Earlier accepted imports of the same bytes into the same table: (id, when, who)."""
    return con.execute(
        """SELECT import_id, imported_at, user_name FROM import_log
           WHERE file_sha256 = ? AND table_name = ? AND result IN ('ok', 'unchanged')
           ORDER BY imported_at""",
        [sha256, table],
    ).fetchall()


def recent(con: duckdb.DuckDBPyConnection, limit: int = 100) -> pd.DataFrame:
    return con.execute(
        """SELECT import_id, imported_at, user_name, table_name, file_name, rows_inserted, rows_updated,
                  result, message, file_sha256
           FROM import_log ORDER BY import_id DESC LIMIT ?""",
        [limit],
    ).df()
