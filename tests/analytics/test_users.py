"""Accounts: argon2 hashes, admins only, validation at the boundary."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from analytics import users
from analytics.access import LOCAL_ADMIN, Actor
from analytics.errors import PermissionDenied
from tests.access_helpers import PASSWORD, add_projects


@pytest.fixture
def db(con):
    add_projects(con, "CE4BIG", "BIGINN")
    return con


def new(name="alice", role="editor", projects=("CE4BIG",), password=PASSWORD):
    return users.NewAccount(name=name, role=role, projects=list(projects), password=password)


def test_add_stores_only_an_argon2id_hash(db):
    account = users.add_account(db, LOCAL_ADMIN, new())
    assert (account.name, account.role, account.projects, account.has_password) == ("alice", "editor", ["CE4BIG"], True)
    stored = db.execute("SELECT password_hash FROM users WHERE name = 'alice'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert users.password_matches(stored, PASSWORD) and not users.password_matches(stored, PASSWORD + "x")


def test_same_password_gets_different_salts(db):
    users.add_account(db, LOCAL_ADMIN, new("a1"))
    users.add_account(db, LOCAL_ADMIN, new("a2"))
    h1, h2 = (r[0] for r in db.execute("SELECT password_hash FROM users ORDER BY name").fetchall())
    assert h1 != h2


def test_names_are_case_insensitive(db):
    users.add_account(db, LOCAL_ADMIN, new("Alice@Example.org"))
    assert users.get_account(db, "ALICE@example.ORG").name == "alice@example.org"


def test_admin_gets_no_project_list(db):
    assert users.add_account(db, LOCAL_ADMIN, new("root", "admin", ("CE4BIG",))).projects == []


def test_oidc_account_without_password(db):
    account = users.add_account(db, LOCAL_ADMIN, new("po@ec.europa.eu", "viewer", (), None))
    assert not account.has_password
    assert not users.password_matches(users.stored_hash(db, "po@ec.europa.eu"), "")


@pytest.mark.parametrize("actor", [Actor("vera", "viewer"), Actor("eddie", "editor", frozenset({"CE4BIG"}))],
                         ids=["viewer", "editor"])
def test_only_admins_manage_accounts(db, actor):
    users.add_account(db, LOCAL_ADMIN, new("victim", "viewer", ()))
    with pytest.raises(PermissionDenied):
        users.add_account(db, actor, new("mallory", "admin", ()))
    with pytest.raises(PermissionDenied):
        users.remove_account(db, actor, "victim")
    assert [a.name for a in users.list_accounts(db)] == ["victim"]
    logged = db.execute("SELECT actor, action FROM access_log WHERE event = 'write_refused'").fetchall()
    assert logged == [(actor.name, "manage accounts")] * 2


def test_existing_account_needs_replace(db):
    users.add_account(db, LOCAL_ADMIN, new())
    with pytest.raises(users.AccountError, match="exists already"):
        users.add_account(db, LOCAL_ADMIN, new(role="viewer", projects=()))
    changed = users.add_account(db, LOCAL_ADMIN, new(role="viewer", projects=()), replace=True)
    assert changed.role == "viewer"


def test_unknown_project_refused(db):
    with pytest.raises(users.AccountError, match="unknown project\\(s\\) NOPE"):
        users.add_account(db, LOCAL_ADMIN, new(projects=("NOPE",)))


def test_remove_and_back_to_local_mode(db):
    users.add_account(db, LOCAL_ADMIN, new())
    assert users.has_accounts(db)
    users.remove_account(db, LOCAL_ADMIN, "ALICE")
    assert not users.has_accounts(db)
    events = [r[0] for r in db.execute("SELECT event FROM access_log ORDER BY id").fetchall()]
    assert events == ["account_added", "account_removed"]


def test_cannot_remove_own_account(db):
    users.add_account(db, LOCAL_ADMIN, new("root", "admin", ()))
    with pytest.raises(users.AccountError, match="your own account"):
        users.remove_account(db, Actor("root", "admin"), "root")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"password": "short"}, "at least 10 characters"),
        ({"role": "editor", "projects": []}, "editor needs at least one project"),
        ({"role": "owner"}, "Input should be 'viewer', 'editor' or 'admin'"),
        ({"name": "'; DROP TABLE users; --"}, "should match pattern"),
        ({"name": "<script>alert(1)</script>"}, "should match pattern"),
        ({"name": ""}, "at least 1 character"),
    ],
    ids=["short-password", "editor-without-project", "unknown-role", "sql-in-name", "html-in-name", "empty-name"],
)
def test_account_validation(fields, problem):
    values = {"name": "alice", "role": "viewer", "projects": [], "password": PASSWORD} | fields
    with pytest.raises(ValidationError, match=problem):
        users.NewAccount(**values)


def test_database_without_accounts_table_is_local_mode(tmp_path):
    import duckdb

    bare = duckdb.connect(str(tmp_path / "old.duckdb"))
    assert not users.has_accounts(bare) and users.list_accounts(bare) == [] and users.get_account(bare, "x") is None
