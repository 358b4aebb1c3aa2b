"""Data entry from the Data page's forms: a check-in, a KPI's target, baseline or due date, a
milestone. One row at a time through the same model, the same checks (references, project dates)
and the same writer as an import, so a form can accept nothing a file could not; every change is
kept in change_log with the value it replaced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import duckdb
import pandas as pd

from analytics import loader
from analytics.access import Actor, require_write
from analytics.errors import ClusterBoardError
from analytics.loader import Change, Problem

FORM = "form"


@dataclass
class Saved:
    action: str = ""  # inserted, updated, unchanged, deleted; empty when refused
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def messages(self) -> list[str]:
        return [f"{p.column}: {p.reason}" if p.column else p.reason for p in self.problems]


def _current(con, table: str, key: dict) -> dict | None:
    """The stored row as plain Python values (dates as dates, decimals as Decimal), or None."""
    where = " AND ".join(f"{k} = ?" for k in key)  # column names from the models
    result = con.execute(f"SELECT * FROM {table} WHERE {where}", list(key.values()))
    row = result.fetchone()
    return None if row is None else dict(zip([d[0] for d in result.description], row))


def save_row(con: duckdb.DuckDBPyConnection, table: str, values: dict, *, actor: Actor,
             replaces: dict | None = None) -> Saved:
    """Insert or update one row by its key; ``replaces`` is the key of a row it supersedes (a
    milestone moved to another date), deleted in the same transaction."""
    problems: list[Problem] = []
    row = loader.RowValidator(table, FORM, problems)(1, loader.clean_record(values))
    if row is None:
        return Saved(problems=problems)
    require_write(actor, f"edit {table}", [getattr(row, "project_id", None)], con=con)
    info = loader.table_info(con, table)
    loader.create_stage(con, info)
    try:
        loader.append_stage(con, table, [row], [1])
        loader.resolve_stage(con, table, set())
        problems = loader.stage_problems(con, info, FORM, set())
        if problems:
            return Saved(problems=problems)
        with loader.transaction(con):
            counts = loader.classify(con, info, info.non_key)
            new_key = con.execute(f"SELECT {', '.join(info.key)} FROM {loader.stage_name(table)}_cls").fetchone()
            if replaces and tuple(replaces[k] for k in info.key) != tuple(new_key):
                _delete(con, info, replaces, actor)
            loader.write_classified(con, info, info.non_key, Change(actor.name, FORM, log_inserts=True))
            loader.after_write(con, {table})
    finally:
        loader.drop_stages(con, [table])
    return Saved("inserted" if counts.inserted else "updated" if counts.updated else "unchanged")


def _delete(con, info: loader.TableInfo, key: dict, actor: Actor) -> None:
    loader.delete_logged(con, info, " AND ".join(f"t.{k} = ?" for k in info.key), [key[k] for k in info.key],
                         Change(actor.name, FORM))


def delete_row(con: duckdb.DuckDBPyConnection, table: str, key: dict, *, actor: Actor) -> Saved:
    current = _current(con, table, key)
    if current is None:
        return Saved(problems=[Problem(FORM, None, None, None, f"no such row in {table}: it was deleted meanwhile")])
    require_write(actor, f"edit {table}", [current.get("project_id")], con=con)
    info = loader.table_info(con, table)
    with loader.transaction(con):
        _delete(con, info, key, actor)
        loader.after_write(con, {table})
    return Saved("deleted")


def add_checkin(con, actor: Actor, *, project_id: str, code: str, checked_on: date, value: float,
                confidence: str, note: str | None = None, evidence_url: str | None = None) -> Saved:
    """A manual update of a KPI; a second check-in on the same day replaces the first (kept in history)."""
    return save_row(con, "checkins", {
        "project_id": project_id, "code": code, "checked_on": checked_on, "value": value,
        "confidence": confidence, "note": note, "evidence_url": evidence_url, "author": actor.name,
    }, actor=actor)


def kpi(con, project_id: str, code: str) -> dict:
    current = _current(con, "kpis", {"project_id": project_id, "code": code})
    if current is None:
        raise ClusterBoardError(f"no KPI {code} in project {project_id}")
    return current


def update_kpi(con, actor: Actor, *, project_id: str, code: str, target: float, baseline: float,
               due_date: date | None) -> Saved:
    """A new target, baseline or due date (empty: the project end), checked with the KPI's other values."""
    current = kpi(con, project_id, code)
    current.update(target=target, baseline=baseline, due_date=due_date)
    return save_row(con, "kpis", current, actor=actor)


def kpi_list(con, project_id: str) -> pd.DataFrame:
    """A project's KPIs, the manual ones (fed by check-ins) first."""
    return con.execute("SELECT code, name, unit, measure FROM kpis WHERE project_id = ? "
                       "ORDER BY measure <> 'manual', code", [project_id]).df()


def milestones(con, project_id: str, code: str) -> list[dict]:
    """A KPI's milestones in date order: month (None when given by date), on_date, expected, is_sample."""
    result = con.execute(
        "SELECT month, on_date, expected, is_sample FROM kpi_milestones WHERE project_id = ? AND code = ? ORDER BY on_date",
        [project_id, code],
    )
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def save_milestone(con, actor: Actor, *, project_id: str, code: str, month: int | None, on_date: date | None,
                   expected: float, replaces: date | None = None) -> Saved:
    """Add a milestone, or change one (``replaces``: the date of the milestone it supersedes)."""
    old = {"project_id": project_id, "code": code, "on_date": replaces} if replaces else None
    return save_row(con, "kpi_milestones", {"project_id": project_id, "code": code, "month": month,
                                            "on_date": on_date, "expected": expected}, actor=actor, replaces=old)


def delete_milestone(con, actor: Actor, *, project_id: str, code: str, on_date: date) -> Saved:
    return delete_row(con, "kpi_milestones", {"project_id": project_id, "code": code, "on_date": on_date}, actor=actor)
