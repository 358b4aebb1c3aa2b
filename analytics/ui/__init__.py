"""Streamlit helpers shared by the pages. The only part of analytics that imports Streamlit."""
