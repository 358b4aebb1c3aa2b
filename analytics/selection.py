"""A selection of projects, as the participation pages take it: one project, several, or all."""
from __future__ import annotations

from collections.abc import Iterable

import duckdb

from analytics.errors import UnknownProject
from analytics.projects import project_ids as all_project_ids


def checked_projects(con: duckdb.DuckDBPyConnection, project_ids: Iterable[str] | None) -> list[str]:
    """The given projects in order, each known (UnknownProject names the known ones); None means all."""
    known = all_project_ids(con)
    if project_ids is None:
        return known
    chosen = list(dict.fromkeys(project_ids))
    for project_id in chosen:
        if project_id not in known:
            raise UnknownProject(project_id, known)
    return chosen
