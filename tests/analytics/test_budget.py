"""Budget formulas by hand. Test project: 2021-01-01..2021-12-31 (365 days), EU rate 75 %,
indirect 7 %. Planned 12,700: A 10,000, E 700, D1 2,000."""
from __future__ import annotations

from datetime import date

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
