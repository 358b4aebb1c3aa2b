"""Accounts: who may sign in, with which role and projects. Managed by admins only.

Passwords are kept as argon2id hashes (argon2-cffi's defaults: salted, memory-hard, slow on
purpose); the plain password never reaches the database or a log. An account without a password
signs in through the identity provider (OIDC) and is matched on the e-mail address it reports.
"""
from __future__ import annotations

from datetime import datetime

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator

from analytics import audit
from analytics.access import Actor, Role, require_admin
from analytics.errors import ClusterBoardError

MIN_PASSWORD = 10
_hasher = PasswordHasher()


class AccountError(ClusterBoardError):
    """An account that cannot be added or removed as asked."""


class NewAccount(BaseModel):
    """An account as an admin gives it (CLI `user add`, the Users page)."""

    name: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9._@+-]*$",
                      description="sign-in name or e-mail (letters, digits, . _ @ + -), stored in lower case")
    role: Role = Field(description="viewer, editor or admin")
    projects: list[str] = Field(default_factory=list,
                                description="editor: the projects they may change; viewer: the only projects they see")
    password: SecretStr | None = Field(None, description="None: signs in through the identity provider only")

    @field_validator("name", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("password")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_PASSWORD:
            raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
        return value

    @model_validator(mode="after")
    def _projects_fit_role(self) -> "NewAccount":
        if self.role == "editor" and not self.projects:
            raise ValueError("an editor needs at least one project")
        if self.role == "admin":
            self.projects = []  # admins see and change everything; a list would only mislead
        self.projects = sorted(set(self.projects))
        return self


class Account(BaseModel):
    """An account as listed: never the hash."""

    name: str
    role: Role
    projects: list[str]
    has_password: bool
    created_at: datetime
    created_by: str

    def actor(self) -> Actor:
        return Actor(self.name, self.role, frozenset(self.projects))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    """Verify in constant-ish time: a missing account still costs one argon2 verification."""
    try:
        return _hasher.verify(stored_hash or _dummy_hash(), password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    # Verifying against this when the name is unknown makes "no such user" as slow as "wrong password".
    if not _DUMMY:
        _DUMMY.append(_hasher.hash("not a password of anyone"))
    return _DUMMY[0]


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def _has_table(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"
    ).fetchone()[0] > 0


def has_accounts(con: duckdb.DuckDBPyConnection) -> bool:
    """False on a database without any account (or without the table yet): single-user local mode."""
    return _has_table(con) and con.execute("SELECT count(*) FROM users").fetchone()[0] > 0


def list_accounts(con: duckdb.DuckDBPyConnection) -> list[Account]:
    if not _has_table(con):
        return []
    rows = con.execute(
        "SELECT name, role, projects, password_hash IS NOT NULL, created_at, created_by FROM users ORDER BY name"
    ).fetchall()
    return [Account(name=r[0], role=r[1], projects=list(r[2]), has_password=r[3], created_at=r[4], created_by=r[5])
            for r in rows]


def get_account(con: duckdb.DuckDBPyConnection, name: str) -> Account | None:
    if not _has_table(con):
        return None
    row = con.execute(
        "SELECT name, role, projects, password_hash IS NOT NULL, created_at, created_by FROM users WHERE name = ?",
        [name.strip().lower()],
    ).fetchone()
    if row is None:
        return None
    return Account(name=row[0], role=row[1], projects=list(row[2]), has_password=row[3], created_at=row[4],
                   created_by=row[5])


def stored_hash(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    row = con.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def add_account(con: duckdb.DuckDBPyConnection, actor: Actor, account: NewAccount, *, replace: bool = False) -> Account:
    """Create the account (or, with ``replace``, change its role, projects and password)."""
    require_admin(actor, "manage accounts", con=con)
    known = {r[0] for r in con.execute("SELECT project_id FROM projects").fetchall()}
    unknown = [p for p in account.projects if p not in known]
    if unknown:
        raise AccountError(f"unknown project(s) {', '.join(unknown)}; known: {', '.join(sorted(known)) or 'none'}")
    exists = get_account(con, account.name) is not None
    if exists and not replace:
        raise AccountError(f"an account {account.name!r} exists already; use --replace to change it")
    digest = hash_password(account.password.get_secret_value()) if account.password else None
    con.execute(
        "INSERT OR REPLACE INTO users (name, password_hash, role, projects, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [account.name, digest, account.role, account.projects, audit.utcnow(), actor.name],
    )
    audit.record(audit.AccessEvent("account_updated" if exists else "account_added", actor=actor.name,
                                   role=actor.role, action=f"{account.role} {account.name}",
                                   scope=", ".join(account.projects) or None), con)
    return get_account(con, account.name)


def remove_account(con: duckdb.DuckDBPyConnection, actor: Actor, name: str) -> None:
    require_admin(actor, "manage accounts", con=con)
    name = name.strip().lower()
    if get_account(con, name) is None:
        raise AccountError(f"no account {name!r}")
    if name == actor.name:
        # Signing oneself out for good from the app is never what was meant; the CLI acts as 'local'.
        raise AccountError("you cannot remove your own account while signed in with it")
    con.execute("DELETE FROM users WHERE name = ?", [name])
    audit.record(audit.AccessEvent("account_removed", actor=actor.name, role=actor.role, action=f"remove {name}"), con)


def rehash(con: duckdb.DuckDBPyConnection, name: str, password: str) -> None:
    """After a good sign-in, upgrade a hash made with older, weaker parameters."""
    con.execute("UPDATE users SET password_hash = ? WHERE name = ?", [hash_password(password), name])

