"""Users and access (admins): accounts, their roles and projects, and the access log."""
import streamlit as st
from pydantic import ValidationError

from analytics import audit, users
from analytics.access import ROLES, may
from analytics.projects import project_ids
from analytics.ui import components as ui
from analytics.ui.session import current_actor
from analytics.ui.state import db

con = db()
actor = current_actor()
st.title("Users and access")
if not may(actor, "admin"):  # navigation hides the page from others; this covers a stale link
    st.error("Only administrators manage accounts.", icon=":material/lock:")
    st.stop()

if done := st.session_state.pop("users_done", None):
    st.success(ui.md_escape(done), icon=":material/check:")
accounts = users.list_accounts(con)
st.caption("Viewers read every page, report and presentation; editors import and enter data for their "
           "projects only; admins do everything. A viewer given projects sees only those projects.")
if not accounts:
    st.info("No accounts yet: the app runs in single-user local mode. The first account you add must be an "
            "admin with a password, so that you can still sign in once sign-in is on.", icon=":material/info:")
else:
    st.dataframe(
        [{"name": a.name, "role": a.role, "projects": ", ".join(a.projects) or ("all" if a.role != "editor" else "–"),
          "sign_in": "password" if a.has_password else "identity provider",
          "created_at": a.created_at, "created_by": a.created_by} for a in accounts],
        hide_index=True, width="stretch",
        column_config={"name": "Name", "role": "Role", "projects": "Projects", "sign_in": "Signs in with",
                       "created_at": st.column_config.DatetimeColumn("Added (UTC)", format="DD.MM.YYYY HH:mm"),
                       "created_by": "Added by"},
    )

left, right = st.columns(2)
with left, st.form("add-account", clear_on_submit=True):
    st.subheader("Add or change an account")
    first = not accounts
    name = st.text_input("Name", help="A sign-in name, or the e-mail address the identity provider reports.")
    role = st.selectbox("Role", ("admin",) if first else ROLES, index=0)
    projects = st.multiselect("Projects", project_ids(con), help="Editors: the projects they may change. "
                              "Viewers: the only projects they see (none: all projects).")
    password = st.text_input("Password", type="password", autocomplete="new-password",
                             help=f"At least {users.MIN_PASSWORD} characters. Leave empty for an account that "
                                  "signs in through the identity provider.")
    again = st.text_input("Password again", type="password", autocomplete="new-password")
    replace = st.checkbox("Change the account if it exists")
    if st.form_submit_button("Save account", type="primary", icon=":material/person_add:"):
        if password != again:
            st.error("The two passwords differ; nothing was saved.")
        elif first and not password:
            st.error("The first account needs a password: without one nobody could sign in.")
        else:
            try:
                saved = users.add_account(con, actor, users.NewAccount(
                    name=name, role=role, projects=projects, password=password or None), replace=replace)
            except ValidationError as exc:
                st.error("; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors()))
            except users.AccountError as exc:
                st.error(ui.md_escape(exc))
            else:
                # Rerun so the list above shows the change; the message survives in the session.
                st.session_state["users_done"] = f"Saved {saved.name}: {saved.actor().describe()}."
                st.rerun()

with right, st.form("remove-account"):
    st.subheader("Remove an account")
    others = [a.name for a in accounts if a.name != actor.name]
    chosen = st.selectbox("Account", others, index=None, placeholder="Choose an account")
    sure = st.checkbox("Yes, remove it")
    if st.form_submit_button("Remove", icon=":material/person_remove:", disabled=not others):
        if chosen and sure:
            users.remove_account(con, actor, chosen)
            st.session_state["users_done"] = f"Removed {chosen}."
            st.rerun()
        else:
            st.warning("Choose an account and tick the box.")

st.subheader("Access log")
st.caption("Refused writes, failed and throttled sign-ins, sign-ins and account changes, newest first.")
log = audit.recent(con)
if log.empty:
    st.caption("Nothing logged yet.")
else:
    st.dataframe(log, hide_index=True, width="stretch",
                 column_config={"logged_at": st.column_config.DatetimeColumn("When (UTC)", format="DD.MM.YYYY HH:mm:ss"),
                                "event": "Event", "actor": "Who", "role": "Role", "action": "Action",
                                "scope": "Projects", "detail": "Why"})
