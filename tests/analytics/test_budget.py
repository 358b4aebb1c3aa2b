"""Budget formulas by hand. Test project: 2021-01-01..2021-12-31 (365 days), EU rate 75 %,
indirect 7 %. Planned 12,700: A 10,000, E 700, D1 2,000."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import budget
from analytics.settings import BurnThresholds
from tests.analytics.builders import build

LINES = [{"project_id": "TEST", "partner": "Alpha Cluster", "category": c, "amount": a}
         for c, a in (("A", "10000.00"), ("E", "700.00"), ("D1", "2000.00"))]


def expense(n, category, amount, on, partner="Alpha Cluster"):
    return {"expense_id": f"E{n}", "project_id": "TEST", "partner": partner, "category": category,
            "amount": amount, "spent_on": on}


@pytest.fixture
def con():
    return build(budget_lines=LINES, expenses=[
        expense(1, "A", "3000.00", "2021-03-01"),
        expense(2, "D1", "1000.00", "2021-04-01"),
        expense(3, "B", "500.00", "2021-04-01", partner="Beta Cluster"),
        expense(4, "A", "2000.00", "2021-09-01"),
    ])


def test_summary_half_way(con):
    s = budget.summary(con, "TEST", date(2021, 7, 1))
    assert s["planned"] == 12700
    assert s["spent"] == pytest.approx(3000 + 210 + 1000 + 500)  # E = 7 % of A; none on B and D1
    assert s["elapsed_days"] == 182
    assert s["elapsed_share"] == pytest.approx(182 / 365)
    assert s["burn_index"] == pytest.approx((4710 / 12700) / (182 / 365))
    assert s["burn_flag"] == "in line"
    assert s["projected_spend"] == pytest.approx(4710 / (182 / 365))
    assert s["eu_contribution"] == pytest.approx(0.75 * (4710 - 1000) + 1000)  # FSTP at 100 %


def test_before_start_no_burn_index(con):
    s = budget.summary(con, "TEST", date(2020, 12, 1))
    assert s["spent"] == 0
    assert s["burn_index"] is None
    assert s["burn_flag"] == "not started"
    assert s["projected_spend"] is None


def test_under_spending_flag(con):
    s = budget.summary(con, "TEST", date(2021, 12, 31))
    assert s["burn_index"] == pytest.approx((4710 + 2140) / 12700)  # elapsed share 1
    assert s["burn_flag"] == "under-spending"  # 0.54 < 0.7


def test_over_spending_flag():
    con = build(budget_lines=LINES, expenses=[expense(1, "A", "9000.00", "2021-02-01")])
    s = budget.summary(con, "TEST", date(2021, 3, 1), BurnThresholds())
    assert s["burn_flag"] == "over-spending"


def test_by_category_includes_unplanned_spend(con):
    df = budget.by(con, "TEST", date(2021, 7, 1), "category").set_index("category")
    assert list(df.index) == ["A", "B", "D1", "E"]  # in EU category order
    assert df.loc["B", "planned"] == 0 and df.loc["B", "spent"] == 500
    assert df.loc["E", "spent"] == pytest.approx(210)
    assert df.loc["A", "spent_share"] == pytest.approx(0.3)


def test_by_partner(con):
    df = budget.by(con, "TEST", date(2021, 7, 1), "partner").set_index("partner")
    assert df.loc["Alpha Cluster", "spent"] == pytest.approx(4210)
    assert df.loc["Beta Cluster", "spent"] == 500


def test_by_rejects_an_unknown_dimension(con):
    with pytest.raises(ValueError):
        budget.by(con, "TEST", date(2021, 7, 1), "country; DROP TABLE expenses")


def test_burn_series_ends_at_the_as_of_date(con):
    s = budget.burn_series(con, "TEST", date(2021, 7, 1))
    assert s["as_of"].iloc[-1].date() == date(2021, 7, 1)
    assert s["spent"].iloc[-1] == pytest.approx(4710)
    assert s["spent"].is_monotonic_increasing


def test_seeded_budget_lines_add_up_to_the_grant_totals(seeded):
    assert budget.summary(seeded, "BIGINN", date(2024, 1, 31))["planned"] == pytest.approx(496261.00)
    assert budget.summary(seeded, "CE4BIG", date(2022, 2, 2))["planned"] == pytest.approx(420709.52)


def test_the_page_view_at_the_half_way_date(con):
    """project_budget: the page's one statement, the same figures as each function on its own."""
    view = budget.project_budget(con, "TEST", date(2021, 7, 1))
    assert view.summary["spent"] == pytest.approx(4710)
    assert view.summary["eu_contribution"] == pytest.approx(0.75 * (4710 - 1000) + 1000)
    assert view.by_category.set_index("category")["spent"].to_dict() == pytest.approx(
        {"A": 3000, "B": 500, "D1": 1000, "E": 210})
    assert view.by_partner.set_index("partner")["spent"].to_dict() == pytest.approx(
        {"Alpha Cluster": 4210, "Beta Cluster": 500})
    assert view.breakdown["spent"].sum() == pytest.approx(4710)
    # the start, the month-ends Jan..Jun and the as-of date; March brings A 3,000 + E 210, April
    # D1 1,000 + B 500
    assert view.burn_series["spent"].tolist() == pytest.approx([0, 0, 0, 3210, 4710, 4710, 4710, 4710])


@pytest.mark.parametrize("day", [date(2020, 6, 1), date(2021, 1, 1), date(2021, 4, 1), date(2021, 7, 1),
                                 date(2021, 12, 31), date(2023, 1, 1)],
                         ids=["before start", "first day", "day of two expenses", "half way", "last day", "after end"])
def test_the_page_view_equals_each_function(con, day):
    view = budget.project_budget(con, "TEST", day)
    assert view.summary == budget.summary(con, "TEST", day)
    pd.testing.assert_frame_equal(view.breakdown, budget.breakdown(con, "TEST", day))
    pd.testing.assert_frame_equal(view.by_category, budget.by(con, "TEST", day, "category"))
    pd.testing.assert_frame_equal(view.by_partner, budget.by(con, "TEST", day, "partner"))
    pd.testing.assert_frame_equal(view.burn_series, budget.burn_series(con, "TEST", day))


def test_the_page_view_of_a_project_without_expenses_or_lines():
    con = build()
    view = budget.project_budget(con, "TEST", date(2021, 7, 1))
    assert (view.summary["planned"], view.summary["spent"], view.summary["burn_index"]) == (0, 0, None)
    assert view.breakdown.empty and view.by_category.empty
    assert view.burn_series["spent"].tolist() == [0] * 8


def test_indirect_costs_are_rounded_to_cents_per_partner():
    """Each partner declares its flat-rate E in cents: 7 % of 0.50 is 0.035, 0.04 each, so the
    project's E is 0.08 (not 7 % of the 1.00 together, 0.07), and the summary adds up the table."""
    con = build(expenses=[expense(1, "A", "0.50", "2021-03-01"),
                          expense(2, "A", "0.50", "2021-03-01", partner="Beta Cluster")])
    view = budget.project_budget(con, "TEST", date(2021, 7, 1))
    assert view.breakdown[view.breakdown["category"] == "E"]["spent"].tolist() == [0.04, 0.04]
    assert view.by_category.set_index("category").loc["E", "spent"] == 0.08
    assert view.summary["spent"] == 1.08 == round(view.breakdown["spent"].sum(), 2)
    assert view.burn_series["spent"].iloc[-1] == 1.08
