"""Remove sample data: every sample-flagged row of every table, in one transaction.

Admins only. Each deleted row is kept in change_log (so the removal can be undone by hand) and the
removal is logged in import_log. Refused, with nothing deleted, when a real row still refers to a
sample row (a real expense of a sample partner): removing the sample would orphan it.
"""
from __future__ import annotations

import duckdb

from analytics import loader
from analytics.access import Actor, require_admin
from analytics.errors import ClusterBoardError
from analytics.models import TABLE_MODELS
from analytics.sample import sample_counts


def remove_sample_data(con: duckdb.DuckDBPyConnection, actor: Actor) -> dict[str, int]:
    """Delete every is_sample row; returns the rows deleted per table."""
    require_admin(actor, "remove sample data", con=con)
    counts = sample_counts(con)
    if not counts:
        return {}
    with loader.transaction(con):
        for table in reversed(TABLE_MODELS):  # rows that refer to others go first
            if table not in counts:
                continue
            loader.delete_logged(con, loader.table_info(con, table), "t.is_sample", [],
                                 loader.Change(actor.name, "remove_sample"))
        orphans = loader.dangling_references(con)
        if orphans:
            raise ClusterBoardError("sample data not removed: real rows still refer to sample rows: "
                                    + "; ".join(orphans) + ". Change or remove those rows first.")
        total = sum(counts.values())
        con.execute(
            """INSERT INTO import_log (user_name, file_name, file_sha256, table_name, rows_inserted, rows_updated,
                                       result, message) VALUES (?, '(remove sample data)', '', '*', 0, 0, 'sample_removed', ?)""",
            [actor.name, f"deleted {total:,} sample rows: "
             + ", ".join(f"{n} {t}" for t, n in sorted(counts.items()))],
        )
        loader.after_write(con, set(counts))
    return counts
