"""Sign-in through an identity provider: [auth] in secrets, the identity in st.user (at.user).

No provider can be reached from the tests, so the redirect to it (st.login) is not followed here;
what is tested is everything around it: the configuration check, the screen before sign-in, the
mapping of the provider's identity to an account, and signing out.
"""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics import store
from analytics.access import Actor
from tests.access_helpers import add_account
from tests.conftest import ROOT

KEYCLOAK = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-string-for-the-tests-only",
    "keycloak": {
        "client_id": "clusterboard",
        "client_secret": "not-a-real-secret",
        "server_metadata_url": "https://keycloak.example.org/realms/clusters/.well-known/openid-configuration",
    },
}


@pytest.fixture
def oidc_db(seeded_db_file):
    con = store.connect(seeded_db_file, read_only=False)
    add_account(con, "eddie@example.org", "editor", ["CE4BIG"], password=None)
    con.close()
    return seeded_db_file


def run(user: dict, auth: dict = KEYCLOAK) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=90)
    at.secrets["auth"] = auth
    at.user = user
    return at.run()


def titles(at: AppTest) -> list[str]:
    return [t.value for t in at.title]


def test_signed_out_sees_only_the_provider_button(oidc_db):
    at = run({"is_logged_in": False})
    assert not at.exception
    assert titles(at) == ["Sign in to ClusterBoard"]
    assert [b.label for b in at.button] == ["Sign in with Keycloak"]
    assert not at.text_input and len(at.sidebar.selectbox) == 0  # no password form, no data


def test_unnamed_provider_gets_a_generic_button(oidc_db):
    unnamed = {k: v for k, v in KEYCLOAK.items() if k != "keycloak"} | KEYCLOAK["keycloak"]
    assert [b.label for b in run({"is_logged_in": False}, unnamed).button] == ["Sign in with your organisation account"]


def test_identity_maps_to_the_account_role_and_projects(oidc_db):
    at = run({"is_logged_in": True, "email": "Eddie@Example.org", "email_verified": True, "name": "Eddie"})
    assert not at.exception
    assert titles(at) == ["Portfolio"]
    assert at.session_state["actor"] == Actor("eddie@example.org", "editor", frozenset({"CE4BIG"}))
    assert at.sidebar.selectbox(key="project").options == ["CE4BIG"]


def test_entra_preferred_username_when_no_email(oidc_db):
    at = run({"is_logged_in": True, "preferred_username": "eddie@example.org", "tid": "tenant"})
    assert at.session_state["actor"].name == "eddie@example.org"


def test_identity_without_account_is_refused(oidc_db):
    at = run({"is_logged_in": True, "email": "stranger@example.org"})
    assert titles(at) == ["No ClusterBoard account"]
    assert "user add stranger@example.org --role viewer --no-password" in at.code[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert len(at.sidebar.selectbox) == 0


def test_unverified_email_is_not_trusted(oidc_db):
    at = run({"is_logged_in": True, "email": "eddie@example.org", "email_verified": False})
    assert titles(at) == ["Sign in to ClusterBoard"]


def test_half_configured_provider_fails_closed(seeded_db_file):
    """No accounts and a broken [auth]: never single-user local mode (everyone an admin)."""
    broken = {k: v for k, v in KEYCLOAK.items() if k != "cookie_secret"}
    at = run({"is_logged_in": True, "email": "eddie@example.org"}, broken)
    assert titles(at) == ["Sign-in is not available"]
    assert at.caption[0].value.replace("\\", "").endswith("cookie_secret: Field required")
    assert "actor" not in at.session_state


def test_sign_out_logs_out_of_the_provider(oidc_db):
    at = run({"is_logged_in": True, "email": "eddie@example.org"})
    at.sidebar.button(key="sign-out").click().run()
    assert at.user == {"is_logged_in": False}
    assert titles(at) == ["Sign in to ClusterBoard"]
    con = store.connect(oidc_db, read_only=False)
    assert con.execute("SELECT event, actor FROM access_log WHERE event = 'sign_out'").fetchall() == [
        ("sign_out", "eddie@example.org")]
