"""The actor of the current Streamlit session: who is signed in, with which role.

With no accounts configured the app runs in single-user local mode: the local user is an admin,
and every page says so. Sign-in (analytics.ui.auth, when present) sets st.session_state["actor"].
"""
from __future__ import annotations

import streamlit as st

from analytics.access import LOCAL_ADMIN, Actor


def current_actor() -> Actor:
    actor = st.session_state.get("actor")
    return actor if isinstance(actor, Actor) else LOCAL_ADMIN
