"""The app's database connection and the sidebar selection (project, as-of date).

One DuckDB connection per server process (st.cache_resource), one cursor per use: Streamlit runs
sessions in threads and a DuckDB cursor is a thread's own handle on the shared database.
"""
from __future__ import annotations

from datetime import date

import duckdb
import streamlit as st

from analytics import seed, settings, store


@st.cache_resource(show_spinner="Opening the database…")
def _connection(path: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    con = store.connect(path, read_only=read_only)
    if not read_only and store.schema_version(con) == 0:
        # A fresh checkout run without `make run`: create and seed, so the app still opens.
        seed.seed(con)
    elif not read_only:
        store.migrate(con)
    return con


def _leave_legacy_pages_mode() -> None:
    """Make sure dashboard.py frames every page.

    Streamlit treats a pages/ folder beside the entry point as a legacy multipage app until some
    session calls st.navigation; a deep link (say /kpis?project=CE4BIG) opened first after a server
    start would run pages/kpis.py alone, without the sidebar. The flag is process-wide, so this
    switches it once and reruns, and the rerun goes through dashboard.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def db() -> duckdb.DuckDBPyConnection:
    """A cursor on the shared connection for this rerun."""
    _leave_legacy_pages_mode()
    return connection()


def connection() -> duckdb.DuckDBPyConnection:
    """A cursor without db()'s frame check: for widget callbacks, where its rerun would cut the
    callback short (they run before the script, so there is no page to frame yet)."""
    return _connection(str(settings.db_path()), settings.read_only_mode()).cursor()


def selected_project() -> str | None:
    from analytics.ui.session import current_actor

    project = st.session_state.get("project")
    # The picker offers only the actor's projects; a value from elsewhere (a stale session, a
    # hand-made URL) is not trusted to be one of them.
    return project if project is not None and current_actor().sees(project) else None


def as_of() -> date:
    value = st.session_state.get("as_of")
    return value if isinstance(value, date) else date.today()
