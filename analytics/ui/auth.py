"""The sign-in gate: decides who this session is before any page runs.

In order of precedence:
1. CLUSTERBOARD_READ_ONLY=1: public read-only mode (funder screens). No sign-in; every visitor is
   the public viewer and no write path exists.
2. [auth] in .streamlit/secrets.toml: sign-in through the identity provider (st.login); role and
   projects come from the account whose name is the e-mail the provider reports.
3. Accounts in the database: sign-in with user name and password (analytics.signin).
4. Neither: single-user local mode, so `make run` works with no set-up; the local user is an
   admin and the sidebar says so.
Whoever is signed in is re-read from the database on every rerun, so removing an account or
changing its role takes effect at the next click, not at the next sign-in.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analytics import audit, settings, signin, users
from analytics.access import LOCAL_ADMIN, PUBLIC_VIEWER, Actor
from analytics.ui import oidc
from analytics.ui.components import md_escape
from analytics.ui.state import connection, db

Mode = Literal["public", "oidc", "accounts", "local"]


@dataclass(frozen=True)
class Session:
    actor: Actor
    mode: Mode


def _audit_db():
    # Refusals raised by write functions that were handed no connection land in the app's
    # database, but only from inside a script run: elsewhere there is no "app database".
    return connection() if get_script_run_ctx() is not None else None


def _session_token() -> str:
    """A random id per browser session: the per-session sign-in limit counts on it."""
    return st.session_state.setdefault("_signin_session", secrets.token_hex(8))


def _stop_with(page, title: str) -> None:
    """Show only this screen: no page of the app is registered, so no URL reaches one."""
    st.navigation([st.Page(page, title=title, icon=":material/login:", default=True)], position="hidden").run()
    st.stop()


def gate() -> Session:
    """Who this session is; shows the sign-in screen and stops the run when nobody is."""
    # Only dashboard.py calls this, so this run frames its page already: leave legacy pages mode
    # here, without the rerun state.db() would do for a page run alone. That rerun would drop a
    # click (the "Sign in" button), and AppTest starts every run in legacy mode.
    PagesManager.uses_pages_directory = False
    audit.set_fallback(_audit_db)
    con = db()
    if settings.read_only_mode():
        return _remember(Session(PUBLIC_VIEWER, "public"))
    try:
        config = oidc.config()
    except oidc.OidcConfigError as exc:
        _stop_with(lambda: _misconfigured(str(exc)), "Sign-in unavailable")
    if config is not None:
        who = oidc.identity()
        if who is None:
            _stop_with(lambda: _provider_sign_in(config), "Sign in")
        account = users.get_account(con, who)
        if account is None:
            _stop_with(lambda: _no_account(who), "No account")
        return _remember(Session(account.actor(), "oidc"))
    if users.has_accounts(con):
        current = st.session_state.get("actor")
        account = users.get_account(con, current.name) if isinstance(current, Actor) else None
        if account is None:
            st.session_state.pop("actor", None)
            _stop_with(_password_sign_in, "Sign in")
        return _remember(Session(account.actor(), "accounts"))
    # No accounts: everyone here is the local admin. An actor already in the session (a test's,
    # or one signed in before the last account was removed) can only have fewer rights.
    current = st.session_state.get("actor")
    return _remember(Session(current if isinstance(current, Actor) else LOCAL_ADMIN, "local"))


def _remember(session: Session) -> Session:
    st.session_state["actor"] = session.actor  # what analytics.ui.session.current_actor() reads
    return session


def _heading() -> None:
    st.title("Sign in to ClusterBoard")
    st.caption("KPIs, budgets and Big Science market gaps of EU cluster projects. "
               "Ask your ClusterBoard administrator for an account.")


def _password_sign_in() -> None:
    _heading()
    with st.form("sign-in", border=True, width=420):
        name = st.text_input("User name", autocomplete="username", max_chars=100)
        password = st.text_input("Password", type="password", autocomplete="current-password", max_chars=200)
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/login:")
    if submitted:
        try:
            actor = signin.sign_in(db(), name, password, session=_session_token())
        except signin.SignInRefused as exc:
            st.error(str(exc), icon=":material/lock:")
            return
        st.session_state["actor"] = actor
        st.rerun()


def _provider_sign_in(config: oidc.OidcConfig) -> None:
    _heading()
    for name in config.providers:
        st.button(oidc.provider_label(name), type="primary", icon=":material/login:",
                  on_click=st.login, args=() if name is None else (name,), key=f"login-{name or 'default'}")


def _no_account(who: str) -> None:
    st.title("No ClusterBoard account")
    st.markdown(f"You are signed in as **{md_escape(who)}**, but ClusterBoard has no account for that address. "
                "Ask an administrator to add one, for example:")
    st.code(f"python -m analytics user add {who} --role viewer --no-password", language="bash")
    st.button("Sign out", icon=":material/logout:", on_click=st.logout)


def _misconfigured(problem: str) -> None:
    st.title("Sign-in is not available")
    st.error("The identity provider settings are incomplete, so nobody can sign in until an "
             "administrator fixes them.", icon=":material/lock:")
    st.caption(md_escape(problem))


def sign_out(session: Session) -> None:
    audit.record(audit.AccessEvent("sign_out", actor=session.actor.name, role=session.actor.role,
                                   action="sign out", session=_session_token()))
    st.session_state.pop("actor", None)
    if session.mode == "oidc":
        st.logout()


def sidebar(session: Session) -> None:
    """Who is signed in (or which mode this is), on every page."""
    with st.sidebar:
        if session.mode == "public":
            st.info("**Public read-only view.** Nothing can be changed here.", icon=":material/visibility:")
        elif session.mode == "local":
            st.warning("**Single-user local mode**: no accounts yet, so you act as administrator. "
                       "`python -m analytics user add NAME --role admin` turns sign-in on.",
                       icon=":material/person:")
        else:
            st.markdown(f":material/account_circle: **{md_escape(session.actor.name)}**  \n"
                        f"{md_escape(session.actor.describe())}")
            st.button("Sign out", icon=":material/logout:", on_click=sign_out, args=(session,), key="sign-out")
