"""ClusterBoard entry point: page config, sign-in gate, sidebar (project, as-of date) and navigation."""
import streamlit as st

from analytics.ui import auth, layout

st.set_page_config(page_title="ClusterBoard", page_icon=":material/hub:", layout="wide")
session = auth.gate()  # before navigation: nobody signed in means no page is registered at all
page = layout.navigation(actor=session.actor)
if layout.chrome(page):  # presentation mode is full screen: no sidebar
    layout.sidebar()
    auth.sidebar(session)
layout.run(page)
