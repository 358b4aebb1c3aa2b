"""The frame around every page: navigation, the sidebar selection and error containment."""
from __future__ import annotations

import logging
from datetime import date

import streamlit as st

from analytics import settings
from analytics.access import Actor, may
from analytics.errors import ClusterBoardError
from analytics.projects import project_ids
from analytics.ui.components import md_escape
from analytics.ui.navigation import PAGES
from analytics.ui.session import current_actor
from analytics.ui.state import db

log = logging.getLogger("clusterboard")
ROOT_PATH = "home"  # the hidden page behind the root URL: it opens the first page


def navigation(pages=PAGES, actor: Actor | None = None):
    """Register only the pages this actor is offered: a hidden page has no URL either.

    The root URL is a hidden page that opens the first page at its own URL. Streamlit serves its
    default page at "/" only and answers that page's own path ("/portfolio", as in a bookmark or
    a shared link) with "Page not found"; with no real page as the default, every page keeps
    one URL that always works.
    """
    actor = actor or current_actor()
    pages = [spec for spec in pages if may(actor, spec.needs)]
    sections: dict[str, list] = {}
    first = None
    for spec in pages:
        page = st.Page(spec.file, title=spec.title, icon=spec.icon, url_path=spec.url_path)
        first = first or page
        sections.setdefault(spec.section, []).append(page)
    if first is not None:
        root = st.Page(lambda: None, title=first.title, url_path=ROOT_PATH, default=True, visibility="hidden")
        sections[next(iter(sections))].insert(0, root)
    page = st.navigation(sections)
    if first is not None and page.url_path == "":
        # before the sidebar binds the project and date to the URL: switching clears the URL's
        # parameters, which Streamlit refuses once widgets are bound to them
        st.switch_page(first, query_params=st.query_params.to_dict())
    return page


def chrome(page) -> bool:
    """Whether the page wants the sidebar (project picker, sign-in); presentation mode does not."""
    spec = next((s for s in PAGES if s.url_path == getattr(page, "url_path", None)), None)
    return spec is None or spec.chrome


def sidebar() -> None:
    """Project picker and as-of date, both kept in the URL so a view can be shared as a link."""
    con = db()
    projects = current_actor().visible(project_ids(con))  # another consortium's projects are not offered
    with st.sidebar:
        st.markdown("### ClusterBoard")
        if not projects:
            st.warning("No projects in the database yet. Load data on the Data page or run `make run`.")
            return
        st.selectbox("Project", projects, key="project", bind="query-params",
                     help="The project the project pages show; the portfolio shows all.")
        st.date_input("As of", value=date.today(), key="as_of", bind="query-params", format="YYYY-MM-DD",
                      min_value=date(2000, 1, 1), max_value=date(2100, 12, 31),
                      help="Every number is recomputed as it stood on this date.")
        st.caption(f"Data: `{settings.db_path().name}`"
                   + (" · read-only" if settings.read_only_mode() else ""))


def run(page) -> None:
    """Run the page; expected errors become a message, unexpected ones a message and a log line."""
    try:
        page.run()
    except ClusterBoardError as exc:
        st.error(md_escape(exc), icon=":material/error:")  # messages quote values from the data
    except Exception:  # a traceback never reaches the screen; it goes to the server log
        log.exception("page %s failed", getattr(page, "title", page))
        st.error("This page could not be shown because of an internal error. It has been logged; "
                 "please tell the ClusterBoard administrator the time it happened.", icon=":material/error:")
