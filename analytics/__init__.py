"""ClusterBoard analytics: everything except rendering.

Plain functions over a DuckDB connection, computed in SQL; no Streamlit imports outside
``analytics.ui``.
"""
