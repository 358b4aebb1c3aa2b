"""Signing in with a local account: password check, rate limit, access log.

At most MAX_FAILURES failed sign-ins per user name (counted since its last good sign-in) and per
browser session within WINDOW; past that every attempt is refused without checking the password,
so guessing costs 15 minutes per 5 tries whatever name or session the guesser uses. Failures are
counted in the access log, so the limit holds across sessions, server threads and restarts.
The messages never say whether a user name exists.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from analytics import audit, users
from analytics.access import Actor
from analytics.errors import ClusterBoardError

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


class SignInRefused(ClusterBoardError):
    """Wrong name or password, or too many failures: the message is safe to show."""


def attempts_left(con: duckdb.DuckDBPyConnection, name: str, session: str, *, now: datetime | None = None) -> int:
    since = (now or audit.utcnow()) - WINDOW
    used = max(audit.failures_since(con, since=since, name=name),
               audit.failures_since(con, since=since, session=session))
    return max(MAX_FAILURES - used, 0)


def sign_in(con: duckdb.DuckDBPyConnection, name: str, password: str, *, session: str,
            now: datetime | None = None) -> Actor:
    """The account's Actor when name and password match; SignInRefused (logged) otherwise."""
    now = now or audit.utcnow()
    name = (name or "").strip().lower()[:100]  # the log keeps what was tried, within reason

    def refuse(event: audit.Event, message: str) -> SignInRefused:
        audit.record(audit.AccessEvent(event, actor=name, action="sign in", session=session, at=now), con)
        return SignInRefused(message)

    if attempts_left(con, name, session, now=now) == 0:
        raise refuse("sign_in_throttled", f"Too many failed sign-ins. Try again in {WINDOW.seconds // 60} minutes.")
    digest = users.stored_hash(con, name) if name else None
    if not users.password_matches(digest, password or ""):
        left = attempts_left(con, name, session, now=now) - 1
        raise refuse("sign_in_failed", "Wrong user name or password."
                     + (f" {left} attempt(s) left before a {WINDOW.seconds // 60}-minute pause." if left < 3 else ""))
    if users.needs_rehash(digest):
        users.rehash(con, name, password)
    account = users.get_account(con, name)
    audit.record(audit.AccessEvent("sign_in", actor=name, role=account.role, action="sign in", session=session, at=now),
                 con)
    return account.actor()
