"""Independent read statements of one request, run at once, each on a cursor of its own.

Why (issue 8): DuckDB plans a statement on one core, and at portfolio scale planning takes about
as long as running it (~35 of ~80 ms for the Needs-attention list's deliverable and label
findings). Run one after the other on two cores, the second core idles through every plan; run
side by side, a page's wait is the longest statement, not their sum.

Reads only: a cursor is a connection of its own and does not see what the caller's connection has
not committed.
"""
from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, wait
from typing import TypeVar

import duckdb

T = TypeVar("T")

# Tasks never wait on one another, so a shared pool cannot deadlock; concurrent page runs queue.
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="side-by-side")


def run(con: duckdb.DuckDBPyConnection, *tasks: Callable[[duckdb.DuckDBPyConnection], T]) -> list[T]:
    """Each task's result, in order; every task is given its own cursor of ``con``."""
    cursors = [con.cursor() for _ in tasks]
    futures = []
    try:
        futures = [_POOL.submit(task, cur) for task, cur in zip(tasks, cursors)]
        return [future.result() for future in futures]
    finally:
        wait(futures)  # when one task failed, the others finish before their cursors close
        for cur in cursors:
            cur.close()
