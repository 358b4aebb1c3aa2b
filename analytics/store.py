"""The one module that owns the DuckDB file: connecting and versioned schema migrations.

Streamlit runs sessions in threads; DuckDB connections are not meant to be shared across
threads, so callers keep one connection per process and take a ``cursor()`` per query.
"""
from __future__ import annotations

import os
import re
import tempfile
from importlib import resources
from pathlib import Path

import duckdb

from analytics import settings
from analytics.errors import ClusterBoardError

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


# DuckDB's buffer pool may grow to 80 % of the machine's RAM (18.8 GiB on a 24 GB host) and keeps
# every block a query has read until that limit is reached, so unbounded the app server's memory
# follows the largest thing anyone did on it. Measured at scale L (195 MB file): the pages hold
# ~50 MB of table blocks; exporting every table keeps ~200 MB more, rebuilding the derived tables
# after a migration ~340 MB. The heaviest write, the full facts rebuild of 1M activity rows
# (facts.rebuild, as the generator and an import run it), fails at 256 MB and passes at 384 MB;
# 512 MB gives it headroom, and beyond it DuckDB spills to the temp directory instead of growing
# the process. CLUSTERBOARD_DUCKDB_MEMORY raises it for a bigger database on a bigger machine.
MEMORY_LIMIT = "512MB"


def _memory_limit() -> str:
    value = (os.environ.get("CLUSTERBOARD_DUCKDB_MEMORY") or MEMORY_LIMIT).strip()
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", value, re.IGNORECASE):
        raise ClusterBoardError(f"CLUSTERBOARD_DUCKDB_MEMORY {value!r}: give a size such as 512MB or 2GB")
    return value


def _spill_directory(target: Path) -> Path:
    """Where DuckDB spills what exceeds the memory limit: beside the database as DuckDB does by
    default, or under the system temp directory when that folder is not writable (a read-only
    deployment), named by process so two servers on one file never share spill files."""
    if os.access(target.parent, os.W_OK):
        return target.with_name(target.name + ".tmp")
    return Path(tempfile.gettempdir()) / f"clusterboard-{os.getpid()}-{target.stem}.tmp"


def connect(path: str | Path | None = None, *, read_only: bool | None = None) -> duckdb.DuckDBPyConnection:
    """Open the database file; read-only when asked or when CLUSTERBOARD_READ_ONLY is set. The
    buffer pool is bounded (MEMORY_LIMIT) and spills to a temp directory beyond it."""
    target = settings.db_path(path)
    if read_only is None:
        read_only = settings.read_only_mode()
    if not read_only:
        target.parent.mkdir(parents=True, exist_ok=True)
    limit = _memory_limit()
    con = duckdb.connect(str(target), read_only=read_only)
    # SET after opening, not connect(config=...): DuckDB refuses a second connection to the same
    # file with a different configuration, and the settings belong to the shared instance anyway.
    con.execute("SET memory_limit = $v", {"v": limit})
    if str(target) != ":memory:":
        con.execute("SET temp_directory = $v", {"v": str(_spill_directory(target))})
    return con


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
