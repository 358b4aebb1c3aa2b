"""A kept table: rows derived from source tables, rebuilt whole by the loader inside the write
transaction that touched a source, with the sources' row counts recorded beside it.

Readers compare those counts with today's (a count per table is a metadata lookup) and compute
the same rows from the source tables when they differ: a write went around the loader. A write
around the loader that keeps every row count is not seen; write through the loader, or rebuild.
Used where a whole rebuild takes a second or two at the largest scale and writes are rare
(the market side: analytics.supply_facts, analytics.partner_facts).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import duckdb

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def row_counts_sql(tables: Iterable[str]) -> str:
    """(table_name, row_count) of each table; the names are modules' constants, never input."""
    names = list(tables)
    if bad := [t for t in names if not _NAME.match(t)]:
        raise ValueError(f"not a table name: {bad}")
    return " UNION ALL ".join(f"SELECT '{t}' AS table_name, count(*) AS row_count FROM {t}" for t in names)


@dataclass(frozen=True)
class Kept:
    table: str  # the kept rows
    rows_sql: Callable[[], str]  # the SELECT computing them from the sources
    order: str  # how they are laid out: what readers filter on, so scans skip row groups
    record: str  # (table_name, row_count) of the sources they were built from
    sources: tuple[str, ...]

    def __post_init__(self) -> None:
        row_counts_sql([self.table, self.record, *self.sources])  # checks the names

    def fresh_sql(self) -> str:
        """A query of one boolean: were the rows built from tables of today's row counts? (for
        callers that ask it within a statement of their own)"""
        return (f"SELECT count(*) = 0 FROM ({row_counts_sql(self.sources)}) live "
                f"LEFT JOIN {self.record} kept USING (table_name) WHERE kept.row_count IS DISTINCT FROM live.row_count")

    def fresh(self, con: duckdb.DuckDBPyConnection) -> bool:
        return con.execute(self.fresh_sql()).fetchall()[0][0]

    def rebuild(self, con: duckdb.DuckDBPyConnection) -> None:
        """Recompute every row; call inside the transaction that wrote the sources."""
        con.execute(f"DELETE FROM {self.table}")
        con.execute(f"INSERT INTO {self.table} BY NAME SELECT * FROM ({self.rows_sql()}) ORDER BY {self.order}")
        con.execute(f"DELETE FROM {self.record}")
        con.execute(f"INSERT INTO {self.record} {row_counts_sql(self.sources)}")

    def after_write(self, con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
        """The loader's hook: rebuild when a source was written, or when one changed around the loader."""
        if set(tables) & set(self.sources) or not self.fresh(con):
            self.rebuild(con)
