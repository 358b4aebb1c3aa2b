"""Local sign-in: right and wrong passwords, the rate limit (5 per 15 minutes), the log."""
from __future__ import annotations

from datetime import timedelta

import pytest

from analytics import audit, signin, users
from analytics.access import LOCAL_ADMIN, Actor
from tests.access_helpers import PASSWORD, add_account, add_projects


@pytest.fixture
def db(con):
    add_projects(con, "CE4BIG")
    add_account(con, "alice", "editor", ["CE4BIG"])
    return con


def events(con) -> list[tuple]:
    return con.execute("SELECT event, actor, session FROM access_log WHERE action = 'sign in' ORDER BY id").fetchall()


def test_right_password_gives_the_accounts_actor(db):
    actor = signin.sign_in(db, " Alice ", PASSWORD, session="s1")
    assert actor == Actor("alice", "editor", frozenset({"CE4BIG"}))
    assert events(db) == [("sign_in", "alice", "s1")]


@pytest.mark.parametrize(("name", "password"), [("alice", "wrong password!"), ("nobody", PASSWORD), ("", "")],
                         ids=["wrong-password", "unknown-user", "empty"])
def test_wrong_credentials_same_message_and_logged(db, name, password):
    with pytest.raises(signin.SignInRefused, match="^Wrong user name or password.$"):
        signin.sign_in(db, name, password, session="s1")
    assert events(db) == [("sign_in_failed", name, "s1")]


@pytest.mark.parametrize("name", ["' OR 1=1 --", "alice' --", "alice\"; DROP TABLE users; --"],
                         ids=["or-1-1", "comment", "drop-table"])
def test_sql_in_the_user_name_is_just_a_wrong_name(db, name):
    with pytest.raises(signin.SignInRefused):
        signin.sign_in(db, name, PASSWORD, session="s1")
    assert [a.name for a in users.list_accounts(db)] == ["alice"]
    assert events(db)[-1][1] == name.lower()


def test_sixth_attempt_within_15_minutes_is_throttled_even_with_the_right_password(db):
    t0 = audit.utcnow()
    for i in range(5):
        with pytest.raises(signin.SignInRefused, match="Wrong"):
            signin.sign_in(db, "alice", f"guess {i}", session=f"s{i}", now=t0 + timedelta(minutes=i))
    with pytest.raises(signin.SignInRefused, match="Too many failed sign-ins"):
        signin.sign_in(db, "alice", PASSWORD, session="fresh", now=t0 + timedelta(minutes=6))
    assert events(db)[-1][0] == "sign_in_throttled"


def test_limit_lifts_after_the_window(db):
    t0 = audit.utcnow()
    for i in range(5):
        with pytest.raises(signin.SignInRefused):
            signin.sign_in(db, "alice", "nope nope", session="s", now=t0)
    assert signin.sign_in(db, "alice", PASSWORD, session="s", now=t0 + timedelta(minutes=16)).name == "alice"


def test_per_session_limit_across_user_names(db):
    t0 = audit.utcnow()
    for i in range(5):
        with pytest.raises(signin.SignInRefused):
            signin.sign_in(db, f"user{i}", "nope nope", session="sprayer", now=t0)
    with pytest.raises(signin.SignInRefused, match="Too many"):
        signin.sign_in(db, "alice", PASSWORD, session="sprayer", now=t0)
    # Another session may still sign alice in: the name itself has no failures.
    assert signin.sign_in(db, "alice", PASSWORD, session="other", now=t0).name == "alice"


def test_good_sign_in_resets_the_name_counter(db):
    t0 = audit.utcnow()
    for i in range(4):
        with pytest.raises(signin.SignInRefused):
            signin.sign_in(db, "alice", "typo typo", session=f"a{i}", now=t0)
    signin.sign_in(db, "alice", PASSWORD, session="b", now=t0 + timedelta(seconds=1))
    assert signin.attempts_left(db, "alice", "c", now=t0 + timedelta(seconds=2)) == 5


def test_warning_when_few_attempts_left(db):
    t0 = audit.utcnow()
    messages = []
    for i in range(5):
        with pytest.raises(signin.SignInRefused) as exc:
            signin.sign_in(db, "alice", "nope nope", session="s", now=t0)
        messages.append(str(exc.value))
    assert "attempt(s) left" not in messages[0]
    assert messages[-1].endswith("0 attempt(s) left before a 15-minute pause.")


def test_oidc_only_account_cannot_sign_in_with_a_password(db):
    users.add_account(db, LOCAL_ADMIN, users.NewAccount(name="po@ec.europa.eu", role="viewer", password=None))
    with pytest.raises(signin.SignInRefused, match="Wrong"):
        signin.sign_in(db, "po@ec.europa.eu", "", session="s")
