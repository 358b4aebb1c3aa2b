"""Who may write what. Checked in the layer that writes, not only by hiding buttons.

Every function that changes data takes an ``Actor`` and calls ``require_write`` first; a refused
write raises PermissionDenied and is logged.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

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


# Single-user local mode (no accounts configured) and the command line on the server itself.
LOCAL_ADMIN = Actor("local", "admin")


def require_write(actor: Actor, action: str, project_ids: Iterable[str | None] = ()) -> None:
    """Raise PermissionDenied (and log it) unless the actor may do ``action`` on those projects."""
    projects = sorted({p for p in project_ids}, key=lambda p: p or "")
    if actor.can_write(projects):
        return
    scope = ", ".join(p or "shared reference data" for p in projects) or "this database"
    log.warning("refused: %s (%s) tried to %s on %s", actor.name, actor.role, action, scope)
    raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action} on {scope}")


def require_admin(actor: Actor, action: str) -> None:
    if actor.role != "admin":
        log.warning("refused: %s (%s) tried to %s", actor.name, actor.role, action)
        raise PermissionDenied(f"{actor.name} ({actor.role}) may not {action}: admins only")
