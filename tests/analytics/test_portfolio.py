from __future__ import annotations

from datetime import date

import pytest

from analytics import portfolio, projects


def test_overview_one_row_per_project(seeded):
    df = portfolio.overview(seeded, date(2021, 6, 30)).set_index("project_id")
    assert list(df.index) == ["BIGINN", "CE4BIG"]
    assert df.loc["BIGINN", "not_started"] == 6  # BIGINN starts in 2022
    assert df.loc["BIGINN", "elapsed_share"] == 0
    assert df.loc["CE4BIG", "elapsed_share"] == pytest.approx(514 / 731)
    assert df.loc["CE4BIG", "kpis"] == 6


def test_portfolio_burn_matches_the_budget_page(seeded):
    from analytics import budget

    day = date(2021, 6, 30)
    row = portfolio.budget_burn(seeded, day).set_index("project_id").loc["CE4BIG"]
    s = budget.summary(seeded, "CE4BIG", day)
    assert row["spent"] == pytest.approx(s["spent"])
    assert row["burn_index"] == pytest.approx(s["burn_index"])


@pytest.mark.parametrize("day,month", [(date(2020, 2, 3), 1), (date(2020, 3, 2), 1), (date(2020, 3, 3), 2),
                                       (date(2022, 2, 2), 24), (date(2020, 2, 2), None)])
def test_project_month(day, month):
    assert projects.project_month(date(2020, 2, 3), day) == month


def test_month_end():
    assert projects.month_end(date(2020, 2, 3), 1) == date(2020, 3, 2)
    assert projects.month_end(date(2021, 1, 1), 12) == date(2021, 12, 31)
