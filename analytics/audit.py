"""The access log: refused writes, sign-ins (failed, throttled, successful), account changes.

Rows go to the ``access_log`` table (migration 050). A refusal is logged on its own cursor, so it
survives when the caller's transaction rolls back after the PermissionDenied it raises; and a
database that cannot take the row (opened read-only, or without the table yet) leaves it in the
server log only, never turning a refusal into a crash.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

import duckdb

log = logging.getLogger("clusterboard.audit")

Event = Literal[
    "write_refused", "sign_in", "sign_in_failed", "sign_in_throttled", "sign_out",
    "account_added", "account_updated", "account_removed",
]


def utcnow() -> datetime:
    """Naive UTC: what the TIMESTAMP columns hold, whatever the server's time zone."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class AccessEvent:
    event: Event
    actor: str | None = None
    role: str | None = None
    action: str | None = None
    scope: str | None = None
    session: str | None = None
    detail: str | None = None
    at: datetime = field(default_factory=utcnow)


# Where to log when the caller passes no connection: the app sets this to its own database
# (analytics.ui.auth), so write functions that only hand require_write an Actor are logged too.
_fallback: Callable[[], duckdb.DuckDBPyConnection | None] | None = None


def set_fallback(provider: Callable[[], duckdb.DuckDBPyConnection | None] | None) -> None:
    global _fallback
    _fallback = provider


def record(event: AccessEvent, con: duckdb.DuckDBPyConnection | None = None) -> bool:
    """Append the event to the access log; True when it reached the database."""
    if con is None and _fallback is not None:
        try:
            con = _fallback()
        except Exception:  # the fallback is best effort; the server log below still has the event
            log.exception("no database for the access log")
            con = None
    if con is None:
        return False
    try:
        cur = con.cursor()
        try:
            cur.execute(
                "INSERT INTO access_log (logged_at, event, actor, role, action, scope, session, detail) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [event.at, event.event, event.actor, event.role, event.action, event.scope,
                 event.session, event.detail],
            )
        finally:
            cur.close()
    except duckdb.Error as exc:
        log.warning("access log not written (%s): %s", exc.__class__.__name__, event)
        return False
    return True


def recent(con: duckdb.DuckDBPyConnection, *, events: list[str] | None = None, limit: int = 200):
    """The latest events, newest first, as a DataFrame (the Users page shows them)."""
    sql = "SELECT logged_at, event, actor, role, action, scope, detail FROM access_log"
    params: list = []
    if events:
        sql += " WHERE event IN (SELECT unnest(?))"
        params.append(list(events))
    sql += " ORDER BY logged_at DESC, id DESC LIMIT ?"
    params.append(int(limit))
    return con.execute(sql, params).df()


def failures_since(con: duckdb.DuckDBPyConnection, *, since: datetime, name: str | None = None,
                   session: str | None = None) -> int:
    """Failed sign-ins after ``since``, for a user name (since its last success) or a session."""
    if name is not None:
        return con.execute(
            """SELECT count(*) FROM access_log
               WHERE event = 'sign_in_failed' AND actor = $name
                 AND logged_at > greatest($since, coalesce(
                     (SELECT max(logged_at) FROM access_log WHERE event = 'sign_in' AND actor = $name), $since))""",
            {"name": name, "since": since},
        ).fetchone()[0]
    return con.execute(
        "SELECT count(*) FROM access_log WHERE event = 'sign_in_failed' AND session = ? AND logged_at > ?",
        [session, since],
    ).fetchone()[0]
