"""Data: bring your own records in (files, forms), take everything out, and see what changed."""
import streamlit as st

from analytics import sample
from analytics.access import may
from analytics.settings import WEB_IMPORT_MAX_ROWS, read_only_mode
from analytics.ui import components as ui
from analytics.ui import data_admin, data_entry, data_export, data_import
from analytics.ui.session import current_actor
from analytics.ui.state import as_of, db, selected_project

con = db()
actor = current_actor()
project = selected_project()
can_write, is_admin = may(actor, "write"), may(actor, "admin")

st.title("Data")
st.caption(f"Load your records from CSV or Excel (up to {st.get_option('server.maxUploadSize')} MB and "
           f"{WEB_IMPORT_MAX_ROWS.csv:,} rows a file, {WEB_IMPORT_MAX_ROWS.xlsx:,} for a workbook), "
           "enter updates, export any table. Every file and form is checked with the same rules, nothing is "
           "written half-way, and every change keeps the value it replaced.")
ui.sample_badge(sample.sample_counts(con), where="this database")
if read_only_mode():
    st.info("This server is read-only: you can export data and download templates, not change anything.",
            icon=":material/lock:")

tabs = st.tabs(["Import", "Enter updates", "Export", "Templates", "History", "Sample data"])
with tabs[0]:
    if can_write:
        data_import.render(con, actor, can_write=can_write)
    else:
        st.info("Importing needs an editor or admin account.", icon=":material/lock:")
with tabs[1]:
    data_entry.render(con, actor, project, as_of(), can_write=can_write)
with tabs[2]:
    data_export.render_export(con, actor)
with tabs[3]:
    data_export.render_templates()
with tabs[4]:
    data_admin.render_history(con, project)
with tabs[5]:
    data_admin.render_sample(con, actor, is_admin=is_admin)
