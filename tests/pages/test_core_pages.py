"""AppTest of the grant pages: they render, show the seed's values and follow the as-of date."""
from __future__ import annotations

from datetime import date


def metric_values(at) -> list[str]:
    return [m.value for m in at.metric]


def test_portfolio_lists_both_projects(app):
    at = app()  # the default page
    assert at.title[0].value == "Portfolio"
    table = at.dataframe[0].value
    assert list(table["project_id"]) == ["BIGINN", "CE4BIG"]
    assert any("Sample data" in m.value for m in at.markdown)  # st.badge renders as markdown


def test_kpi_cards_show_the_seed_values(app):
    at = app("pages/kpis.py", project="CE4BIG", as_of=date(2021, 6, 30))
    assert at.title[0].value == "CE4BIG · KPIs"
    values = metric_values(at)
    assert "8 of 8" in values  # TRN achieved
    assert "28 of 52" in values  # XCH organisations
    assert "3 of 4" in values  # LAB and C2C


def test_kpi_page_follows_the_as_of_date(app):
    at = app("pages/kpis.py", project="CE4BIG", as_of=date(2020, 6, 30))
    early = metric_values(at)
    at.session_state["as_of"] = date(2022, 2, 2)
    at.run()
    final = metric_values(at)
    assert early != final
    assert final.count("4 of 4") == 3  # LAB, C2C, SPL
    assert "1 of 1" in final  # EUP


def test_placeholder_targets_are_announced(app):
    at = app("pages/kpis.py", project="BIGINN", as_of=date(2023, 6, 30))
    assert any("Placeholder target" in i.value for i in at.info)


def test_budget_page_metrics(app):
    at = app("pages/budget.py", project="CE4BIG", as_of=date(2021, 6, 30))
    assert at.title[0].value == "CE4BIG · Budget"
    values = metric_values(at)
    assert values[0] == "€420,710"
    assert values[1] == "€209,223"
    assert values[2] == "0.71"


def test_budget_page_before_the_start(app):
    at = app("pages/budget.py", project="BIGINN", as_of=date(2021, 6, 30))
    assert at.metric[2].value == "–"
    assert any("not started" in i.value for i in at.info)
