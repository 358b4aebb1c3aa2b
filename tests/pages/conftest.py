"""AppTest helpers: run the real entry point with a seeded database, on a chosen page."""
from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


@pytest.fixture
def app(seeded_db_file):
    """app(page_file, project=..., as_of=...) -> an AppTest that has run the page."""

    def make(page: str | None = None, *, project: str = "CE4BIG", as_of: date = date(2021, 6, 30), state=None):
        at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
        at.session_state["project"] = project
        at.session_state["as_of"] = as_of
        for key, value in (state or {}).items():
            at.session_state[key] = value
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return make
