"""Which of the data shown is sample data: every page states it (DESIGN.md)."""
from __future__ import annotations

import duckdb

from analytics.models import TABLE_MODELS

# Tables whose rows belong to a project (a project_id column).
PROJECT_TABLES = tuple(
    t for t, m in TABLE_MODELS.items() if "project_id" in m.model_fields and t != "projects"
)


def sample_counts(con: duckdb.DuckDBPyConnection, project_id: str | None = None) -> dict[str, int]:
    """Sample rows per table (of one project, where the table has a project), zero counts left out."""
    counts = {}
    for table, model in TABLE_MODELS.items():  # table names come from the models: a whitelist
        if "is_sample" not in model.model_fields:
            continue
        if project_id is not None and "project_id" in model.model_fields:
            n = con.execute(f"SELECT count(*) FROM {table} WHERE is_sample AND project_id = ?", [project_id]).fetchone()[0]
        else:
            n = con.execute(f"SELECT count(*) FROM {table} WHERE is_sample").fetchone()[0]
        if n:
            counts[table] = n
    return counts


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in sorted(counts.items()))
