"""The opening of a page about one project: the sidebar's project and its facts, or a prompt."""
from __future__ import annotations

import duckdb
import streamlit as st

from analytics.projects import project_info
from analytics.ui.state import selected_project


def chosen_project(con: duckdb.DuckDBPyConnection) -> tuple[str, dict]:
    """(project id, its projects row); without a project the page asks for one and stops."""
    project = selected_project()
    if project is None:
        st.info("Choose a project in the sidebar.")
        st.stop()
    return project, project_info(con, project)
