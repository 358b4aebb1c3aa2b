"""Shared by the import tests: a picture of the database to prove an import changed nothing."""
from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.models import TABLE_MODELS

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every data table and of the change history, in a fixed order."""
    tables = [*TABLE_MODELS, "change_log"]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def import_log(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT file_name, table_name, rows_inserted, rows_updated, result FROM import_log "
                       "ORDER BY import_id").fetchall()
