"""Who may write what. Checked in the layer that writes, not only by hiding buttons.

Every function that changes data takes an ``Actor`` and calls ``require_write`` first; a refused
write raises PermissionDenied and is logged: to the server log and to the database's access_log
(pass ``con=`` so the row lands in that database; inside the app it lands in the app's database
either way).

Roles: a viewer reads (pages, reports, presentation mode); an editor imports and enters data for
their own projects only; an admin may do everything (accounts, sample data, shared reference
data). In public read-only mode (CLUSTERBOARD_READ_ONLY=1) nobody may write, whatever the role.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import duckdb

from analytics import audit, settings
from analytics.errors import PermissionDenied

log = logging.getLogger("clusterboard.access")

Role = Literal["viewer", "editor", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "admin")


@dataclass(frozen=True)
class Actor:
    """The signed-in person (or the CLI user) on whose behalf a write happens."""

    name: str
    role: Role
    projects: frozenset[str] = field(default_factory=frozenset)  # an editor's projects

    def can_write(self, project_ids: Iterable[str | None]) -> bool:
        if self.role == "admin":
            return True
        if self.role != "editor":
            return False
        # Rows without a project (BSOs, companies, labels) are shared reference data: admins only.
        return all(p is not None and p in self.projects for p in project_ids)

    def sees(self, project_id: str) -> bool:
        """Whether this actor may see a project's numbers: projects are not shown across consortia.

        Admins see every project; anyone else with projects sees only those; a viewer given no
        projects (a funder, a public screen) sees them all.
        """
        return self.role == "admin" or not self.projects or project_id in self.projects

    def visible(self, project_ids: Iterable[str]) -> list[str]:
        return [p for p in project_ids if self.sees(p)]

    def describe(self) -> str:
        """'Editor of BIGINN, CE4BIG', 'Viewer of all projects', 'Administrator'."""
        if self.role == "admin":
            return "Administrator"
        scope = ", ".join(sorted(self.projects)) if self.projects else "all projects"
        return f"{self.role.capitalize()} of {scope}"


# Single-user local mode (no accounts configured) and the command line on the server itself.
LOCAL_ADMIN = Actor("local", "admin")
# Every visitor in public read-only mode (CLUSTERBOARD_READ_ONLY=1): funder screens, no sign-in.
PUBLIC_VIEWER = Actor("public", "viewer")

Need = Literal["view", "write", "admin"]


def may(actor: Actor, need: Need) -> bool:
    """Whether to offer a page or control at all (the write functions still check on their own)."""
    if need == "view":
        return True
    if settings.read_only_mode():
        return False
    return actor.role == "admin" or (need == "write" and actor.role == "editor")


def _refuse(actor: Actor, action: str, scope: str | None, reason: str,
            con: duckdb.DuckDBPyConnection | None) -> PermissionDenied:
    log.warning("refused: %s (%s) tried to %s%s: %s", actor.name, actor.role, action,
                f" on {scope}" if scope else "", reason)
    audit.record(audit.AccessEvent("write_refused", actor=actor.name, role=actor.role, action=action,
                                   scope=scope, detail=reason), con)
    return PermissionDenied(f"{actor.name} ({actor.role}) may not {action}"
                            + (f" on {scope}" if scope else "") + f": {reason}")


def _refuse_if_read_only(actor: Actor, action: str, scope: str | None,
                         con: duckdb.DuckDBPyConnection | None) -> None:
    if settings.read_only_mode():
        raise _refuse(actor, action, scope, "the server runs in public read-only mode", con)


def require_write(actor: Actor, action: str, project_ids: Iterable[str | None] = (), *,
                  con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Raise PermissionDenied (and log it) unless the actor may do ``action`` on those projects."""
    projects = sorted({p for p in project_ids}, key=lambda p: p or "")
    scope = ", ".join(p or "shared reference data" for p in projects) or "this database"
    _refuse_if_read_only(actor, action, scope, con)
    if actor.can_write(projects):
        return
    reason = ("viewers only read" if actor.role == "viewer"
              else f"an editor of {', '.join(sorted(actor.projects)) or 'no project'} only")
    raise _refuse(actor, action, scope, reason, con)


def require_admin(actor: Actor, action: str, *, con: duckdb.DuckDBPyConnection | None = None) -> None:
    _refuse_if_read_only(actor, action, None, con)
    if actor.role != "admin":
        raise _refuse(actor, action, None, "admins only", con)
