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


def project_tables_only(counts: dict[str, int]) -> dict[str, int]:
    """The counts of the tables the portfolio shows: projects, what belongs to them and their
    partners' labels, not the shared Big Science tables."""
    return {t: n for t, n in counts.items() if t in PROJECT_TABLES or t in ("projects", "label_awards")}


def sample_labels(con: duckdb.DuckDBPyConnection, project_id: str) -> dict[str, int]:
    """Sample label awards of the project's partner clusters (the labels page shows those only)."""
    n = con.execute("SELECT count(*) FROM label_awards WHERE is_sample AND organisation IN "
                    "(SELECT organisation FROM partners WHERE project_id = ?)", [project_id]).fetchone()[0]
    return {"label_awards": n} if n else {}


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {table.replace('_', ' ')}" for table, n in sorted(counts.items()))
