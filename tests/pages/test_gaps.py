"""AppTest of the Sector gaps page: it shows what the analytics compute and follows filters and weights."""
from __future__ import annotations

from analytics import gaps

PAGE = "pages/gaps.py"


def plain(markdown: str) -> str:
    """Text as read on screen: the page escapes Markdown in values from the data."""
    return markdown.replace("\\", "")


def ranking(at) -> list[str]:
    return at.dataframe[0].value["sector"].tolist()


def test_page_shows_the_ranked_gap_scores(app, seeded):
    at = app(PAGE)
    assert at.title[0].value == "Sector gaps"
    assert not at.error
    expected = gaps.gap_scores(seeded)
    assert ranking(at) == expected["sector"].tolist()
    assert at.dataframe[0].value["score"].tolist()[:3] == expected["score"].tolist()[:3]
    assert any("Sample data" in m.value for m in at.markdown)
    assert any(r"\text{gap score}" in latex.value for latex in at.latex)  # the formula is on the page
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Companies in the selection"] == "420"
    assert metrics["Single-supplier risks"] == "1"


def test_weight_sliders_state_their_defaults(app):
    at = app(PAGE)
    sliders = {s.key: s for s in at.slider}
    assert sliders["w_demand"].value == 0.40 and "Default 0.40" in sliders["w_demand"].help
    assert sliders["w_gap"].value == 0.30 and sliders["w_coverage"].value == 0.15 and sliders["w_return"].value == 0.15
    assert any("Defaults: demand size 0.40, supply gap 0.30, thin coverage 0.15, weak return 0.15" in c.value
               for c in at.caption)


def test_moving_a_weight_slider_reranks_as_computed(app, seeded):
    at = app(PAGE)
    before = ranking(at)
    at.slider(key="w_demand").set_value(0.0).run()
    assert not at.exception
    expected = gaps.gap_scores(seeded, weights={"demand": 0.0})
    after = ranking(at)
    assert after == expected["sector"].tolist()
    assert after != before
    # demand size no longer counts: the biggest market (Earth observation) gives way to the one sector
    # with a single supplier, which thin coverage and supply gap now carry
    assert (before[0], after[0]) == ("Earth observation", "Heating systems (fusion)")


def test_filters_change_the_selection(app, seeded):
    at = app(PAGE)
    at.multiselect(key="bso").set_value(["CERN", "ESS"]).run()
    at.multiselect(key="cluster").set_value(["BigScience.dk", "LITEK"]).run()
    expected = gaps.gap_scores(seeded, bsos=["CERN", "ESS"], clusters=["BigScience.dk", "LITEK"])
    assert ranking(at) == expected["sector"].tolist()
    assert any("BSOs: CERN, ESS" in plain(c.value) for c in at.caption)


def test_top_sectors(app, seeded):
    at = app(PAGE)
    at.segmented_control(key="level").set_value("top").run()
    assert ranking(at) == gaps.gap_scores(seeded, granularity="top")["sector"].tolist()


def test_no_supply_in_the_selection_is_a_message_not_a_traceback(app):
    at = app(PAGE)
    at.multiselect(key="cluster").set_value(["LITEK"]).run()
    at.multiselect(key="country").set_value(["DK"]).run()
    assert not at.exception
    assert "no companies match (clusters: LITEK · countries: DK)" in plain(at.error[0].value)
    assert at.multiselect(key="country").value == ["DK"]  # the filters stay, to be changed


def test_all_weights_at_zero_is_a_message(app):
    at = app(PAGE)
    for key in ("w_demand", "w_gap", "w_coverage", "w_return"):
        at.slider(key=key).set_value(0.0)
    at.run()
    assert not at.exception
    assert "at least one score weight must be above 0" in plain(at.error[0].value)
