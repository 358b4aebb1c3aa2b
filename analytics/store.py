"""The one module that owns the DuckDB file: connecting and versioned schema migrations.

Streamlit runs sessions in threads; DuckDB connections are not meant to be shared across
threads, so callers keep one connection per process and take a ``cursor()`` per query.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import duckdb

from analytics import settings

MIGRATIONS_PACKAGE = "analytics.migrations"


def _migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every NNN_name.sql file, in version order."""
    found = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:3].isdigit():
            found.append((int(name[:3]), name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration the database has not had yet, each in its own transaction."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR, "
        "applied_at TIMESTAMP DEFAULT current_timestamp)"
    )
    # By set, not by the highest number: engineers own number ranges (e.g. 050-059), so a
    # lower-numbered migration may arrive after a database already has a higher one.
    done = {r[0] for r in con.execute("SELECT version FROM schema_version").fetchall()}
    applied = []
    for version, name, sql in _migrations():
        if version in done:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(sql)
            con.execute("INSERT INTO schema_version (version, name) VALUES (?, ?)", [version, name])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        applied.append(name)
    if applied and done:
        _heal_derived_tables(con)
    return applied


def _heal_derived_tables(con: duckdb.DuckDBPyConnection) -> None:
    """A migration that adds a derived table (pre-aggregates) finds it empty beside existing
    records: build it now, as the loader does after every write, so readers need not fall back
    to the slower computation from the source tables."""
    from analytics import loader  # the loader owns what is derived from the tables it writes

    con.execute("BEGIN TRANSACTION")
    try:
        loader.after_write(con, set())
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise


def connect(path: str | Path | None = None, *, read_only: bool | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database file; read-only when asked or when CLUSTERBOARD_READ_ONLY is set."""
    target = settings.db_path(path)
    if read_only is None:
        read_only = settings.read_only_mode()
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    return duckdb.connect(str(target), read_only=read_only)


def memory() -> duckdb.DuckDBPyConnection:
    """An in-memory database with the schema: for tests and dry runs."""
    con = duckdb.connect(":memory:")
    migrate(con)
    return con


def table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
        "AND table_type = 'BASE TABLE' ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]
