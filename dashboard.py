"""ClusterBoard entry point: page config, sidebar (project, as-of date) and navigation."""
import streamlit as st

from analytics.ui import layout

st.set_page_config(page_title="ClusterBoard", page_icon=":material/hub:", layout="wide")
page = layout.navigation()
layout.sidebar()
layout.run(page)
