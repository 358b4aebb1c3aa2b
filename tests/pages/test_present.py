"""Presentation mode: steps from the URL, previous/next, no sidebar and no editing controls."""
from __future__ import annotations

from datetime import date

from analytics.ui.components import md_escape


def _present(app, **params):
    at = app("pages/present.py", state={})
    if params:
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_first_step_is_the_cover_without_sidebar_widgets(app):
    at = _present(app)
    # The title quotes data, so it reaches Markdown escaped (components.md_escape); it reads the same.
    assert at.title[0].value == md_escape("CE4BIG: Cluster Excellence for Business, Innovation and Growth in the health sector")
    assert at.query_params["step"] == "1"
    # No sidebar and nothing to edit: only the step buttons.
    assert len(at.sidebar.selectbox) == 0 and len(at.sidebar.date_input) == 0 and len(at.sidebar.button) == 0
    assert not at.selectbox and not at.date_input and not at.text_input and not at.number_input
    assert [b.key for b in at.button] == ["present-previous", "present-next"]
    assert at.button(key="present-previous").disabled


def test_next_and_previous_move_through_the_steps(app):
    at = _present(app)
    at.button(key="present-next").click().run()
    assert at.query_params["step"] == "2"
    assert at.title[0].value == "KPIs at a glance"
    at.button(key="present-next").click().run()
    assert at.title[0].value == "Progress towards target"
    at.button(key="present-previous").click().run()
    assert at.query_params["step"] == "2" and at.title[0].value == "KPIs at a glance"


def test_a_step_opens_directly_from_the_link(app):
    at = _present(app, project="CE4BIG", as_of="2022-02-02", step="2")
    assert at.title[0].value == "KPIs at a glance"
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "4 of 4 clusters" in html and "Achieved" in html  # the final figures of 2 February 2022
    assert "step 2 of" in at.caption[0].value


def test_last_step_disables_next_and_out_of_range_steps_are_clamped(app):
    at = _present(app, project="BIGINN", as_of="2023-06-30", step="999")
    assert at.button(key="present-next").disabled
    assert at.title[0].value == "Data and filters"


def test_a_bad_date_in_the_link_is_one_message(app):
    at = _present(app, project="CE4BIG", as_of="30.06.2021")
    assert "is not a date in the form YYYY-MM-DD" in at.error[0].value.replace("\\", "")  # the frame escapes markdown
