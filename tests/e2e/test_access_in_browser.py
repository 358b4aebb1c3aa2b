"""Signing in and out with local accounts, the admin's Users page, public read-only mode and
hostile names, in a real browser. Screenshots go to tests/artifacts/screenshots/access-*.png."""
from __future__ import annotations

import re

import pytest

from analytics import seed, store
from analytics.ui.navigation import PAGES
from tests.access_helpers import HOSTILE_KPI, HOSTILE_ORG, HOSTILE_TITLE, PASSWORD, add_account, plant_hostile_names
from tests.e2e.conftest import SCREENSHOTS, open_page, screenshot, start_server, stop_server, wait_for_app

pytestmark = pytest.mark.browser


def _db(tmp_path_factory, name: str, prepare) -> str:
    path = tmp_path_factory.mktemp(name) / "clusterboard.duckdb"
    con = store.connect(path, read_only=False)
    seed.seed(con)
    prepare(con)
    con.close()
    return path


def _serve(path, env=None):
    proc, url, _ = start_server(path, env)
    return proc, url


@pytest.fixture(scope="module")
def accounts_server(tmp_path_factory):
    def accounts(con):
        add_account(con, "ada", "admin")
        add_account(con, "eddie", "editor", ["CE4BIG"])

    proc, url = _serve(_db(tmp_path_factory, "accounts", accounts))
    yield url
    stop_server(proc)


def nav_titles(pg) -> list[str]:
    # Each link reads "icon_name\n\nTitle": the title is the last line.
    return [t.strip().splitlines()[-1] for t in pg.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]


def sign_in(pg, url: str, name: str, password: str = PASSWORD) -> None:
    open_page(pg, url, f"access-sign-in-{name}")
    pg.get_by_label("User name", exact=True).fill(name)
    pg.get_by_label("Password", exact=True).fill(password)
    pg.get_by_role("button", name="Sign in").click()


def test_sign_in_and_out_with_a_local_account(accounts_server, page):
    open_page(page, accounts_server, "access-sign-in")
    assert page.locator("h1").first.inner_text() == "Sign in to ClusterBoard"
    assert nav_titles(page) == []  # no page is reachable before signing in

    sign_in(page, accounts_server, "eddie", "wrong password!")
    page.get_by_text("Wrong user name or password.").wait_for()
    screenshot(page, SCREENSHOTS / "access-wrong-password.png")

    sign_in(page, accounts_server, "eddie")
    page.get_by_role("heading", name="Portfolio").wait_for()
    wait_for_app(page)
    screenshot(page, SCREENSHOTS / "access-editor-portfolio.png")
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "eddie" in sidebar and "Editor of CE4BIG" in sidebar
    assert "Data" in nav_titles(page) and "Users and access" not in nav_titles(page)

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to ClusterBoard").wait_for()
    assert nav_titles(page) == []


def test_admin_adds_and_removes_an_account(accounts_server, page):
    sign_in(page, accounts_server, "ada")
    page.get_by_role("heading", name="Portfolio").wait_for()
    assert "Users and access" in nav_titles(page)
    page.locator("[data-testid='stSidebarNav'] a", has_text="Users and access").click()
    page.get_by_role("heading", name="Users and access").wait_for()
    wait_for_app(page)

    page.get_by_label("Name", exact=True).fill("funder@ec.europa.eu")
    page.get_by_label("Role", exact=True).click()
    page.get_by_role("option", name="viewer").click()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Save account").click()
    page.get_by_text("Saved funder@ec.europa.eu: Viewer of all projects.").wait_for()
    wait_for_app(page)
    screenshot(page, SCREENSHOTS / "access-users-page.png")

    page.get_by_label("Account", exact=True).click()
    page.get_by_role("option", name="funder@ec.europa.eu").click()
    page.get_by_text("Yes, remove it").click()
    page.get_by_role("button", name="Remove").click()
    page.get_by_text("Removed funder@ec.europa.eu.").wait_for()


def test_public_read_only_mode(tmp_path_factory, page):
    proc, url = _serve(_db(tmp_path_factory, "public", lambda con: add_account(con, "ada", "admin")),
                       {"CLUSTERBOARD_READ_ONLY": "1"})
    try:
        open_page(page, url, "access-public-read-only")
        assert page.locator("h1").first.inner_text() == "Portfolio"  # no sign-in on a funder screen
        assert "Public read-only view" in page.locator("[data-testid='stSidebar']").inner_text()
        assert not {"Data", "Users and access"} & set(nav_titles(page))
        page.goto(f"{url}/users")  # a stale link: no such page here
        wait_for_app(page)
        assert page.locator("h1").first.inner_text() != "Users and access"
    finally:
        stop_server(proc)


def test_hostile_names_show_as_text_on_every_page(tmp_path_factory, page):
    proc, url = _serve(_db(tmp_path_factory, "hostile", plant_hostile_names))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        seen = ""
        for spec in PAGES:
            if spec.needs == "admin":
                continue
            open_page(page, f"{url}/{spec.url_path}?project=CE4BIG&as_of=2021-06-30", f"access-hostile-{spec.url_path}")
            text = page.locator("[data-testid='stMain']").inner_text()
            seen += text
            assert page.locator("img[src='x']").count() == 0, spec.url_path
            assert page.locator("[data-testid='stMain'] script").count() == 0, spec.url_path
            # A bare URL in text may be linked as itself, but never hidden behind other words.
            assert page.locator("[data-testid='stMain'] a", has_text=re.compile(r"^click$")).count() == 0, spec.url_path
        assert dialogs == []
        # The names are there, as the text they are (tables draw on a canvas, so the organisation
        # is looked for in the charts' SVG text as well).
        assert HOSTILE_TITLE in seen and HOSTILE_KPI in seen
        assert HOSTILE_ORG in seen + page.content()
    finally:
        stop_server(proc)


def test_identity_provider_sign_in_and_out(tmp_path_factory, tmp_path, page):
    """st.login end to end against a local OIDC provider: discovery, code, signed ID token."""
    from tests.e2e.conftest import free_port
    from tests.e2e.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider

    with FakeProvider() as idp:
        port = free_port()
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "a-long-random-string-for-the-tests-only"\n'
            "[auth.keycloak]\n"
            f'client_id = "{CLIENT_ID}"\nclient_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{idp.metadata_url}"\n'
        )
        db = _db(tmp_path_factory, "oidc", lambda con: add_account(con, "funder@ec.europa.eu", "viewer", password=None))
        proc, url, _ = start_server(db, {"STREAMLIT_SECRETS_FILES": str(secrets_file)}, port=port)
        try:
            open_page(page, url, "access-oidc-sign-in")
            assert nav_titles(page) == []
            page.get_by_role("button", name="Sign in with Keycloak").click()
            page.get_by_role("heading", name="Test identity provider").wait_for()
            page.get_by_label("E-mail").fill("Funder@EC.europa.eu")
            page.get_by_role("button", name="Continue").click()
            page.get_by_role("heading", name="Portfolio").wait_for()
            wait_for_app(page)
            screenshot(page, SCREENSHOTS / "access-oidc-signed-in.png")
            sidebar = page.locator("[data-testid='stSidebar']").inner_text()
            assert "funder@ec.europa.eu" in sidebar and "Viewer of all projects" in sidebar
            assert not {"Data", "Users and access"} & set(nav_titles(page))

            page.get_by_role("button", name="Sign out").click()
            page.get_by_role("button", name="Sign in with Keycloak").wait_for()

            # An identity the provider vouches for but ClusterBoard has no account for: no access.
            page.get_by_role("button", name="Sign in with Keycloak").click()
            page.get_by_label("E-mail").fill("stranger@example.org")
            page.get_by_role("button", name="Continue").click()
            page.get_by_role("heading", name="No ClusterBoard account").wait_for()
            assert nav_titles(page) == []
        finally:
            stop_server(proc)
