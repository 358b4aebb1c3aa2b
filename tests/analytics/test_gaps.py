"""Sector gap scores against hand-computed values on the tiny market of tests/analytics/market_rows.py."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics import gaps, returns
from analytics.errors import ClusterBoardError
from analytics.gaps import GapWeights, LevelWeights, NoCapacity, NoDemand
from analytics.market_filters import InvalidSelection
from tests.analytics import market_rows
from tests.analytics.market_rows import build

# Hand-computed for 2023 (see market_rows): D = demand ÷ 1000, S = capacity ÷ 11/3.
D = {"A.1": 0.5, "A.2": 0.2, "B.1": 0.2, "B.2": 0.1, "B.3": 0.0}
S = {"A.1": 3 / 11, "A.2": 2 / 11, "B.1": 6 / 11, "B.2": 0.0, "B.3": 0.0}
G = {"A.1": 2.5 / 8.5, "A.2": 0.2 / 4.2, "B.1": -3.8 / 8.2, "B.2": 1.0}
# DK and SE (the companies' countries) fund X with 0.25 + 0.10 in 2023: A.1 won 100 of 400 -> 100 / 140.
RC_A1_2023 = 100 / (400 * 0.35)


@pytest.fixture(scope="module")
def market():
    con = build()
    yield con
    con.close()


def by_sector(df):
    return df.set_index("sector_id")


def test_shares_gap_index_and_coverage_by_hand(market):
    df = by_sector(gaps.gap_scores(market, years=[2023]))
    for s in D:
        assert df.loc[s, "demand_share"] == pytest.approx(D[s])
        assert df.loc[s, "supply_share"] == pytest.approx(S[s])
    for s in G:
        assert df.loc[s, "gap_index"] == pytest.approx(G[s])
    assert df["coverage"].to_dict() == {"A.1": 1, "B.2": 0, "A.2": 1, "B.1": 2, "B.3": 0}
    assert df["single_supplier_risk"].to_dict() == {"A.1": True, "B.2": True, "A.2": True, "B.1": False, "B.3": True}
    assert df.loc["B.1", "capacity"] == pytest.approx(2 / 3 + 1 / 3 + 1)  # levels 2, 1, 3 with linear weights
    assert df.loc["B.1", "companies"] == 3


def test_sector_with_no_suppliers_is_fully_under_supplied(market):
    row = by_sector(gaps.gap_scores(market, years=[2023])).loc["B.2"]
    assert row["supply_share"] == 0 and row["gap_index"] == 1.0 and row["coverage"] == 0
    assert row["single_supplier_risk"]


def test_sector_with_neither_demand_nor_supply_has_no_gap_index_and_no_score(market):
    row = by_sector(gaps.gap_scores(market, years=[2023])).loc["B.3"]
    assert math.isnan(row["gap_index"]) and math.isnan(row["score"])
    assert row["rank"] == 5  # ranked last, not dropped


def test_default_weights_score_by_hand(market):
    df = by_sector(gaps.gap_scores(market, years=[2023]))
    # weights 0.40 demand size, 0.30 supply gap, 0.15 thin coverage (target 5), 0.15 weak return
    a1 = 100 * (0.40 * 1 + 0.30 * (1 + G["A.1"]) / 2 + 0.15 * (1 - 1 / 5) + 0.15 * (1 - RC_A1_2023))
    a2 = 100 * (0.40 * 0.2 / 0.5 + 0.30 * (1 + G["A.2"]) / 2 + 0.15 * (1 - 1 / 5) + 0.15 * (1 - 0.0))
    # no awards in B: the return weight is left out and the other three count in full (÷ 0.85)
    b1 = 100 * (0.40 * 0.2 / 0.5 + 0.30 * (1 + G["B.1"]) / 2 + 0.15 * (1 - 2 / 5)) / 0.85
    b2 = 100 * (0.40 * 0.1 / 0.5 + 0.30 * 1.0 + 0.15 * 1.0) / 0.85
    assert df.loc["A.1", "score"] == pytest.approx(a1)  # 75.70
    assert df.loc["A.2", "score"] == pytest.approx(a2)  # 58.71
    assert df.loc["B.1", "score"] == pytest.approx(b1)  # 38.88
    assert df.loc["B.2", "score"] == pytest.approx(b2)  # 62.35
    assert list(gaps.gap_scores(market, years=[2023])["sector_id"]) == ["A.1", "B.2", "A.2", "B.1", "B.3"]


def test_component_points_add_up_to_the_score(market):
    df = gaps.gap_scores(market, years=[2023]).dropna(subset=["score"])
    points = df[["pts_demand", "pts_supply_gap", "pts_coverage", "pts_weak_return"]].fillna(0).sum(axis=1)
    assert points.to_numpy() == pytest.approx(df["score"].to_numpy())


def test_moving_the_weights_changes_the_ranking_as_computed(market):
    only_gap = gaps.gap_scores(market, years=[2023], weights={"demand": 0, "supply_gap": 1, "coverage": 0,
                                                               "weak_return": 0})
    # score = 100 × (G + 1) ÷ 2: B.2 100, A.1 64.7, A.2 52.4, B.1 26.8
    assert list(only_gap["sector_id"]) == ["B.2", "A.1", "A.2", "B.1", "B.3"]
    assert by_sector(only_gap).loc["A.1", "score"] == pytest.approx(100 * (1 + G["A.1"]) / 2)


def test_return_coefficient_uses_the_share_in_force_each_year(market):
    df = by_sector(gaps.gap_scores(market))  # both years: 2022 awards meet DK's 2009 share 0.20
    assert df.loc["A.1", "return_coefficient"] == pytest.approx((100 + 50) / (400 * 0.35 + 100 * 0.30))
    assert df.loc["A.1", "return_class"] == "poorly balanced"


def test_return_coefficient_zero_when_nothing_won_and_none_without_awards(market):
    df = by_sector(gaps.gap_scores(market, years=[2023]))
    assert df.loc["A.2", "return_coefficient"] == 0.0
    assert df.loc["A.2", "return_class"] == "very poorly balanced"
    assert pd.isna(df.loc["B.1", "return_coefficient"]) and pd.isna(df.loc["B.1", "return_class"])


def test_filters_select_demand_and_supply(market):
    # cluster K1 = c1 and c2 (DK): capacity A.1 1, A.2 2/3, B.1 2/3 + 1/3 = 1; total 8/3
    df = by_sector(gaps.gap_scores(market, years=[2023], clusters=["K1"]))
    assert df.loc["B.1", "supply_share"] == pytest.approx(1 / (8 / 3))
    # DK alone funds X with 0.25 in 2023: A.1 won 100 of 400 -> 1.00, exactly "well balanced"
    assert df.loc["A.1", "return_coefficient"] == pytest.approx(1.0)
    assert df.loc["A.1", "return_class"] == "well balanced"
    only_y = by_sector(gaps.gap_scores(market, bsos=["Y"], years=[2023]))
    assert only_y.loc["B.1", "demand_share"] == pytest.approx(200 / 300)
    assert only_y.loc["A.1", "demand_share"] == 0
    both_years = by_sector(gaps.gap_scores(market))
    assert both_years.loc["A.1", "demand_eur"] == 600


def test_top_sectors_roll_up(market):
    df = by_sector(gaps.gap_scores(market, years=[2023], granularity="top"))
    assert list(df.index) == ["A", "B"]
    assert df.loc["A", "demand_share"] == pytest.approx(0.7)
    assert df.loc["A", "supply_share"] == pytest.approx((1 + 2 / 3) / (11 / 3))
    assert df.loc["A", "coverage"] == 2  # c1 (A.1 level 3) and c2 (A.2 level 2), each counted once
    assert df.loc["B", "coverage"] == 2  # c1 and c3
    assert df.loc["A", "gap_index"] == pytest.approx((0.7 - 5 / 11) / (0.7 + 5 / 11))


def test_level_weights_are_a_setting(market):
    df = by_sector(gaps.gap_scores(market, years=[2023], levels=LevelWeights(basic=0, proven=1, qualified=1)))
    # B.1: c1 2 -> 1, c2 1 -> 0, c3 3 -> 1; total A.1 1 + A.2 1 + B.1 2 = 4
    assert df.loc["B.1", "supply_share"] == pytest.approx(2 / 4)


def test_no_demand_for_the_chosen_bsos_is_a_clear_error(market):
    with pytest.raises(NoDemand, match="no demand recorded for this selection.*BSOs: Y.*years: 2022"):
        gaps.gap_scores(market, bsos=["Y"], years=[2022])


def test_no_matching_companies_is_a_clear_error(market):
    with pytest.raises(NoCapacity, match=r"no companies match \(clusters: K2 · countries: DK\)"):
        gaps.gap_scores(market, clusters=["K2"], countries=["DK"])


def test_zero_total_capacity_is_a_clear_error(market):
    # c4 (cluster K3) has a competency row, at level 0: capacity 0, no division by zero
    with pytest.raises(NoCapacity, match="none of the 1 companies that match has a competency at level 1 or more"):
        gaps.gap_scores(market, clusters=["K3"])


def test_valid_country_without_companies_is_zero_capacity(market):
    with pytest.raises(NoCapacity, match="countries: IS"):
        gaps.gap_scores(market, countries=["IS"])


def test_unknown_bso_names_the_known_ones(market):
    with pytest.raises(InvalidSelection, match="unknown BSO 'ZZZ'; known: X, Y"):
        gaps.gap_scores(market, bsos=["ZZZ"])


def test_unknown_country_code_is_refused(market):
    with pytest.raises(InvalidSelection, match="'XX' is not an ISO 3166 alpha-2 country code"):
        gaps.gap_scores(market, countries=["XX"])


def test_unknown_cluster_is_refused(market):
    with pytest.raises(InvalidSelection, match="unknown cluster 'K9'"):
        gaps.gap_scores(market, clusters=["K9"])


def test_lower_case_country_and_empty_lists_are_accepted(market):
    assert gaps.gap_scores(market, countries=["dk"], years=[]).equals(gaps.gap_scores(market, countries=["DK"]))


def test_all_zero_weights_are_refused():
    with pytest.raises(InvalidSelection, match="at least one score weight must be above 0"):
        gaps.make_weights(demand=0, supply_gap=0, coverage=0, weak_return=0)


def test_no_sectors_at_all(con):
    with pytest.raises(ClusterBoardError, match="no sectors"):
        gaps.gap_scores(con)


def test_summary_counts(market):
    head = gaps.summary(gaps.gap_scores(market, years=[2023]))
    assert head == {"demand_eur": 1000.0, "companies": 4, "under_supplied": 3, "single_supplier_risks": 4,
                    "sectors": 5, "top": "Alpha one"}


def test_demand_matrix_by_bso_and_sector(market):
    m = gaps.demand_matrix(market, years=[2023])
    assert m[["bso_id", "sector_id", "demand_eur"]].values.tolist() == [
        ["X", "A.1", 500.0], ["X", "A.2", 200.0], ["Y", "B.1", 200.0], ["Y", "B.2", 100.0]]
    top = gaps.demand_matrix(market, granularity="top")
    assert top[["bso_id", "sector_id", "demand_eur"]].values.tolist() == [["X", "A", 800.0], ["Y", "B", 300.0]]
    with pytest.raises(NoDemand):
        gaps.demand_matrix(market, bsos=["Y"], years=[2022])


# Return coefficients by country and the CERN class boundaries --------------------------------------------------

def test_return_by_country_by_hand(market):
    df = returns.by_country(market).set_index("country")
    # all years: totals 2023 500, 2022 100; DK's share 0.25 in 2023 and 0.20 in 2022
    assert df.loc["DK", "return_coefficient"] == pytest.approx(150 / (500 * 0.25 + 100 * 0.20))
    assert df.loc["CH", "return_coefficient"] == pytest.approx(450 / (600 * 0.65))
    assert df.loc["SE", "return_coefficient"] == 0.0 and df.loc["SE", "return_class"] == "very poorly balanced"
    assert df.loc["DK", "award_share"] == pytest.approx(150 / 600)


def boundary_market():
    """Z's contract value 400, shares P 0.25, Q 0.50, R 0.15, S 0.10: coefficients 0.40, 1.00, 2.42, 0.375."""
    shares = {"PT": 0.25, "NL": 0.50, "IT": 0.15, "AT": 0.10}
    won = {"PT": 40, "NL": 200, "IT": 145, "AT": 15}
    return build(
        bsos=market_rows.BSOS + [{"bso_id": "Z", "name": "Lab Z", "kind": "laser", "site_country": "CZ"}],
        contributions=[{"bso_id": "Z", "country": c, "year": 2020, "share": s} for c, s in shares.items()],
        awards=[{"bso_id": "Z", "country": c, "sector_id": "A.1", "year": 2021, "value_eur": v} for c, v in won.items()],
    )


def test_cern_class_boundaries_exactly_040_and_100_in_sql():
    con = boundary_market()
    df = returns.by_country(con, bsos=["Z"]).set_index("country")
    assert df.loc["PT", "return_coefficient"] == 0.40 and df.loc["PT", "return_class"] == "poorly balanced"
    assert df.loc["NL", "return_coefficient"] == 1.00 and df.loc["NL", "return_class"] == "well balanced"
    assert df.loc["AT", "return_coefficient"] == pytest.approx(0.375)
    assert df.loc["AT", "return_class"] == "very poorly balanced"
    assert df.loc["IT", "return_class"] == "well balanced"


@pytest.mark.parametrize("rc, expected", [
    (0.0, "very poorly balanced"), (0.3999, "very poorly balanced"), (0.40, "poorly balanced"),
    (0.9999, "poorly balanced"), (1.00, "well balanced"), (2.5, "well balanced"), (None, None), (float("nan"), None),
])
def test_cern_class_boundaries_in_python(rc, expected):
    assert returns.return_class(rc) == expected


def test_country_filter_and_non_contributors(market):
    df = returns.by_country(market, countries=["DK", "NO"])
    assert list(df["country"]) == ["DK"]  # NO contributes nothing to X: no coefficient, left out


def test_gap_scores_defaults_are_documented():
    w = GapWeights()
    assert (w.demand, w.supply_gap, w.coverage, w.weak_return, w.coverage_target) == (0.40, 0.30, 0.15, 0.15, 5)
    assert "w_D 0.40" in gaps.formulas()["gap score"]
    assert LevelWeights().as_list() == pytest.approx([0, 1 / 3, 2 / 3, 1])
