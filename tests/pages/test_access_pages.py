"""Signed-in sessions in AppTest: what each role sees, and what each is refused."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics import store, users
from analytics.access import Actor
from analytics.errors import PermissionDenied
from tests.access_helpers import PASSWORD, add_account
from tests.conftest import ROOT

# name -> (role, projects): one account per kind of person the issue names.
ACCOUNTS = {
    "ada": ("admin", ()),
    "eddie": ("editor", ("CE4BIG",)),
    "vera": ("viewer", ()),  # a funder: every project, read-only
    "bea": ("viewer", ("BIGINN",)),  # a consortium member: their project only
}


@pytest.fixture
def accounts_db(seeded_db_file):
    con = store.connect(seeded_db_file, read_only=False)
    for name, (role, projects) in ACCOUNTS.items():
        add_account(con, name, role, projects)
    con.close()
    return seeded_db_file


def open_app(**state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.session_state["as_of"] = date(2021, 6, 30)
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def sign_in(at: AppTest, name: str, password: str = PASSWORD) -> AppTest:
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def offered(at: AppTest, page: str) -> bool:
    """Whether navigation registered the page (switch_page refuses pages that are not)."""
    try:
        at.switch_page(page)
    except ValueError:
        return False
    return True


def sidebar_text(at: AppTest) -> str:
    return " ".join([m.value for m in at.sidebar.markdown] + [w.value for w in at.sidebar.warning]
                    + [i.value for i in at.sidebar.info])


def test_no_accounts_is_single_user_local_mode_labelled(seeded_db_file):
    at = open_app()
    assert not at.exception
    assert titles(at) == ["Portfolio"]
    assert "Single-user local mode" in sidebar_text(at)
    assert offered(at, "pages/users.py")  # the local user is an admin


def test_accounts_mean_sign_in_first_and_nothing_else(accounts_db):
    at = open_app(project="CE4BIG")
    assert titles(at) == ["Sign in to ClusterBoard"]
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert len(at.sidebar.selectbox) == 0 and not at.dataframe and not at.metric  # no data before sign-in
    for page in ("pages/portfolio.py", "pages/kpis.py", "pages/users.py"):
        assert not offered(at, page)


def test_wrong_password_refused_and_logged(accounts_db):
    at = sign_in(open_app(), "eddie", "not the password")
    assert titles(at) == ["Sign in to ClusterBoard"]
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    con = store.connect(accounts_db, read_only=False)
    assert con.execute("SELECT event, actor FROM access_log WHERE action = 'sign in'").fetchall() == [
        ("sign_in_failed", "eddie")]


def test_sixth_failure_is_throttled(accounts_db):
    at = open_app()
    for _ in range(5):
        at = sign_in(at, "ada", "guessing wrong")
    at = sign_in(at, "ada", PASSWORD)
    assert titles(at) == ["Sign in to ClusterBoard"]
    assert "Too many failed sign-ins" in at.error[0].value


@pytest.mark.parametrize(
    ("name", "describe", "projects", "users_page"),
    [
        ("ada", "Administrator", ["BIGINN", "CE4BIG"], True),
        ("eddie", "Editor of CE4BIG", ["CE4BIG"], False),
        ("vera", "Viewer of all projects", ["BIGINN", "CE4BIG"], False),
        ("bea", "Viewer of BIGINN", ["BIGINN"], False),
    ],
    ids=["admin", "editor", "viewer", "viewer-of-one-project"],
)
def test_each_role_sees(accounts_db, name, describe, projects, users_page):
    at = sign_in(open_app(), name)
    assert not at.exception
    assert titles(at) == ["Portfolio"]
    assert describe in sidebar_text(at) and name in sidebar_text(at)
    assert at.sidebar.selectbox(key="project").options == projects  # another consortium's projects are not offered
    assert list(at.dataframe[0].value["project_id"]) == projects  # nor shown on the portfolio
    assert offered(at, "pages/kpis.py")
    assert offered(at, "pages/users.py") is users_page
    assert at.session_state["actor"] == Actor(name, ACCOUNTS[name][0], frozenset(ACCOUNTS[name][1]))


def test_restricted_viewer_cannot_reach_another_project_by_url(accounts_db):
    at = sign_in(open_app(), "bea")
    at.query_params["project"] = "CE4BIG"
    at.switch_page("pages/kpis.py").run()
    assert not at.exception
    assert titles(at) == ["BIGINN · KPIs"]
    assert "CE4BIG" not in " ".join(c.value for c in at.caption)


@pytest.mark.parametrize("name", ["eddie", "vera"], ids=["editor", "viewer"])
def test_non_admins_are_refused_account_changes(accounts_db, name):
    at = sign_in(open_app(), name)
    actor = at.session_state["actor"]
    con = store.connect(accounts_db, read_only=False)
    with pytest.raises(PermissionDenied, match="admins only"):
        users.add_account(con, actor, users.NewAccount(name="mallory", role="admin", password=PASSWORD))
    with pytest.raises(PermissionDenied, match="admins only"):
        users.remove_account(con, actor, "ada")
    assert sorted(a.name for a in users.list_accounts(con)) == sorted(ACCOUNTS)
    assert con.execute("SELECT count(*) FROM access_log WHERE event = 'write_refused' AND actor = ?",
                       [name]).fetchone()[0] == 2


def test_admin_sees_accounts_and_the_access_log(accounts_db):
    """Saving and removing through the forms is in the browser test: AppTest starts every run of
    a non-default page in legacy pages mode, whose rerun drops a form's submit click."""
    at = sign_in(open_app(), "ada")
    at.switch_page("pages/users.py").run()
    assert not at.exception
    assert titles(at) == ["Users and access"]
    listed = at.dataframe[0].value
    assert sorted(listed["name"]) == sorted(ACCOUNTS)
    assert dict(zip(listed["name"], listed["projects"])) == {"ada": "all", "bea": "BIGINN", "eddie": "CE4BIG",
                                                             "vera": "all"}
    log = at.dataframe[1].value
    assert list(log["event"][:1]) == ["sign_in"] and list(log["actor"][:1]) == ["ada"]
    remove = next(s for s in at.selectbox if s.label == "Account")
    assert "ada" not in remove.options  # nobody removes the account they are signed in with


def test_sign_out_returns_to_the_sign_in_screen(accounts_db):
    at = sign_in(open_app(), "vera")
    assert titles(at) == ["Portfolio"]
    at.sidebar.button(key="sign-out").click().run()
    assert titles(at) == ["Sign in to ClusterBoard"]
    assert "actor" not in at.session_state


def test_role_change_applies_at_the_next_click(accounts_db):
    at = sign_in(open_app(), "eddie")
    assert not offered(at, "pages/users.py")
    con = store.connect(accounts_db, read_only=False)
    users.add_account(con, Actor("local", "admin"), users.NewAccount(name="eddie", role="admin", password=None),
                      replace=True)
    con.close()
    at.run()
    assert at.session_state["actor"].role == "admin"
    assert offered(at, "pages/users.py")


def test_removed_account_is_signed_out(accounts_db):
    at = sign_in(open_app(), "vera")
    con = store.connect(accounts_db, read_only=False)
    con.execute("DELETE FROM users WHERE name = 'vera'")
    con.close()
    at.run()
    assert titles(at) == ["Sign in to ClusterBoard"]


def test_public_read_only_mode(accounts_db, monkeypatch):
    monkeypatch.setenv("CLUSTERBOARD_READ_ONLY", "1")
    at = open_app()
    assert not at.exception
    assert titles(at) == ["Portfolio"]  # no sign-in: a funder screen
    assert "Public read-only view" in sidebar_text(at)
    assert at.session_state["actor"] == Actor("public", "viewer")
    assert not offered(at, "pages/users.py")
