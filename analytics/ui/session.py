"""The actor of the current Streamlit session: who is signed in, with which role.

With no accounts configured the app runs in single-user local mode: the local user is an admin,
and every page says so. The sign-in gate (analytics.ui.auth) sets st.session_state["actor"] on every
run, before navigation.
"""
from __future__ import annotations

import streamlit as st

from analytics.access import LOCAL_ADMIN, PUBLIC_VIEWER, Actor
from analytics.settings import read_only_mode


def current_actor() -> Actor:
    actor = st.session_state.get("actor")
    if isinstance(actor, Actor):
        return actor
    # The gate (analytics.ui.auth) sets the actor before any page runs; without it, a public
    # read-only server still grants nothing.
    return PUBLIC_VIEWER if read_only_mode() else LOCAL_ADMIN
