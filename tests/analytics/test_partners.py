"""Partner finder and cross-sector opportunities against hand-computed points.

Market: top M (vacuum M.VAC, cryogenics M.CRYO), top E (RF E.RF); ESS funded by SE 35 % and DK 12.5 %.
    a DK, prior supplier: M.VAC 3, M.CRYO 2      b SE: M.VAC 2, M.CRYO 3, E.RF 2
    c LT, prior supplier: M.VAC 2, E.RF 1        d FI: M.VAC 1
    e DE: M.CRYO 3
Points (defaults): level 3 50, 2 35, 1 15; prior supplier 20; 5 per related sub-sector of the
same top at level >= 2 (at most 15); country funds the BSO 15. Maximum 100 with a BSO, 85 without.
"""
from __future__ import annotations

import pandas as pd
import pytest

from analytics import loader, partners, regions, store
from analytics.market_filters import InvalidSelection

SECTORS = [
    {"sector_id": "M", "name": "Mechanical", "enriitc_rank": 2},
    {"sector_id": "M.VAC", "name": "Vacuum", "parent_id": "M"},
    {"sector_id": "M.CRYO", "name": "Cryogenics", "parent_id": "M"},
    {"sector_id": "E", "name": "Electrical", "enriitc_rank": 1},
    {"sector_id": "E.RF", "name": "RF", "parent_id": "E"},
]
COMPANIES = [
    {"company_id": "a", "name": "Alfa Vakuum ApS", "country": "DK", "cluster": "BigScience.dk", "company_type": "sme",
     "employees": 40, "prior_bso_supplier": "true"},
    {"company_id": "b", "name": "Beta Cryo AB", "country": "SE", "company_type": "sme", "employees": 30},
    {"company_id": "c", "name": "Gama Vakuumas UAB", "country": "LT", "cluster": "LITEK", "company_type": "sme",
     "employees": 12, "prior_bso_supplier": "true"},
    {"company_id": "d", "name": "Delta Oy", "country": "FI", "company_type": "sme", "employees": 8},
    {"company_id": "e", "name": "Epsilon GmbH", "country": "DE", "company_type": "large", "employees": 900},
]
LEVELS = {"a": {"M.VAC": 3, "M.CRYO": 2}, "b": {"M.VAC": 2, "M.CRYO": 3, "E.RF": 2}, "c": {"M.VAC": 2, "E.RF": 1},
          "d": {"M.VAC": 1}, "e": {"M.CRYO": 3}}


@pytest.fixture(scope="module")
def market():
    con = store.memory()
    loader.load(con, {
        "bsos": ("bsos.csv", [{"bso_id": "ESS", "name": "European Spallation Source", "kind": "neutron source",
                               "site_country": "SE"}], 2),
        "sectors": ("sectors.csv", SECTORS, 2),
        "companies": ("companies.csv", COMPANIES, 2),
        "competencies": ("competencies.csv", [{"company_id": c, "sector_id": s, "level": lv}
                                              for c, levels in LEVELS.items() for s, lv in levels.items()], 2),
        "contributions": ("contributions.csv", [{"bso_id": "ESS", "country": "SE", "year": 2013, "share": 0.35},
                                                {"bso_id": "ESS", "country": "DK", "year": 2013, "share": 0.125}], 2),
    })
    yield con
    con.close()


def test_ess_vacuum_level_2_nordic_or_baltic_by_hand(market):
    found = partners.find_partners(market, sector_id="M.VAC", min_level=2, bso_id="ESS",
                                   countries=regions.expand(["Nordic", "Baltic"]))
    # a 50 + 20 + 5 (cryogenics) + 15 (DK funds ESS) = 90; c 35 + 20 = 55; b 35 + 5 + 15 = 55 (RF is another top)
    assert found["company_id"].tolist() == ["a", "c", "b"]  # c before b on the tie: prior supplier
    assert found["points"].tolist() == [90, 55, 55]
    assert found["match_score"].tolist() == [90.0, 55.0, 55.0]
    assert found.loc[0, "reasons"] == ("BSO-qualified in Vacuum (+50) · has supplied a BSO (+20) · "
                                       "also proven in Cryogenics (+5) · DK funds 12.5 % of ESS (+15)")
    assert found.loc[1, "reasons"] == "proven in Vacuum (+35) · has supplied a BSO (+20) · LT: no recorded share of ESS (+0)"


def test_without_a_bso_the_score_is_out_of_85(market):
    found = partners.find_partners(market, sector_id="M.VAC")
    assert found["company_id"].tolist() == ["a", "c", "b"]
    assert found["match_score"].tolist() == [round(100 * 75 / 85, 1), round(100 * 55 / 85, 1), round(100 * 40 / 85, 1)]
    assert "funds" not in " ".join(found["reasons"])


def test_minimum_level_and_country_filter(market):
    assert partners.find_partners(market, sector_id="M.VAC", min_level=3)["company_id"].tolist() == ["a"]
    level_1 = partners.find_partners(market, sector_id="M.VAC", min_level=1)
    assert level_1["company_id"].tolist() == ["a", "c", "b", "d"]
    assert level_1.loc[3, "points"] == 15
    assert partners.find_partners(market, sector_id="M.VAC", countries=["se"])["company_id"].tolist() == ["b"]


def test_top_sector_need_takes_the_best_sub_sector(market):
    found = partners.find_partners(market, sector_id="M", min_level=3)
    # a (vacuum 3), b and e (cryogenics 3); all of M is the need itself, so no related points
    assert set(found["company_id"]) == {"a", "b", "e"}
    assert found.set_index("company_id").loc["b", "best_sector"] == "Cryogenics"
    assert found["pts_related"].tolist() == [0, 0, 0]


def test_limit(market):
    assert len(partners.find_partners(market, sector_id="M.VAC", limit=2)) == 2


def test_need_nobody_meets_gives_an_empty_frame_with_the_columns(market):
    found = partners.find_partners(market, sector_id="E.RF", min_level=3)
    assert found.empty
    assert {"match_score", "reasons", "name", "country"} <= set(found.columns)
    assert partners.find_partners(market, sector_id="M.VAC", countries=["IS"]).empty  # valid code, no companies


@pytest.mark.parametrize("kwargs, message", [
    ({"sector_id": "M.NOPE"}, "unknown sector 'M.NOPE'; known: E, E.RF, M, M.CRYO, M.VAC"),
    ({"sector_id": "M.VAC", "bso_id": "CERN"}, "unknown BSO 'CERN'; known: ESS"),
    ({"sector_id": "M.VAC", "countries": ["XX"]}, "'XX' is not an ISO 3166 alpha-2 country code"),
    ({"sector_id": "M.VAC", "min_level": 0}, "min_level 0"),
    ({"sector_id": "M.VAC", "min_level": 4}, "min_level 4"),
    ({"sector_id": "M.VAC", "limit": 0}, "limit 0"),
])
def test_bad_input_is_a_clear_error(market, kwargs, message):
    with pytest.raises(InvalidSelection, match=message.replace("(", r"\(").replace(")", r"\)")):
        partners.find_partners(market, **kwargs)


def test_unknown_region_is_refused():
    with pytest.raises(InvalidSelection, match="unknown region 'Arctic'"):
        regions.expand(["Arctic"])
    assert regions.expand([], []) is None
    assert regions.expand(["Baltic"], ["dk"]) == ["DK", "EE", "LT", "LV"]


# Cross-sector opportunities ---------------------------------------------------------------------------------

def given_gaps(**gap_index):
    return pd.DataFrame({"sector_id": list(gap_index), "gap_index": list(gap_index.values())})


def test_cross_sector_opportunities_by_hand(market):
    # strong (>= 2): vacuum a b c (3), cryogenics a b e (3), RF b (1). φ(vacuum, RF) = φ(cryogenics, RF) = 1 / 3.
    # RF under-supplied at G = 0.5: a, c and e are strong next to it; b already is strong in RF.
    found = partners.cross_sector_opportunities(market, gaps=given_gaps(**{"E.RF": 0.5, "M.VAC": -0.2}))
    assert found["company_id"].tolist() == ["a", "e", "c"]  # equal opportunity 1/6; level 3 first, then prior supplier
    assert found["opportunity"].tolist() == pytest.approx([1 / 6] * 3)
    assert found["proximity"].tolist() == pytest.approx([1 / 3] * 3)
    row = found.set_index("company_id").loc["c"]
    assert (row["strong_in"], row["target_sector"], row["current_level"]) == ("Vacuum", "RF", 1)
    assert row["reasons"].startswith("level 2 in Vacuum; RF is under-supplied (gap index +0.50); proximity 0.33")


def test_cross_sector_ignores_adjacent_sectors_of_the_same_top(market):
    # cryogenics is closest to vacuum (φ 2/3) but both are mechanical engineering: not cross-sector
    found = partners.cross_sector_opportunities(market, gaps=given_gaps(**{"M.CRYO": 0.9}))
    assert found.empty


def test_cross_sector_proximity_threshold_and_no_gap(market):
    assert partners.cross_sector_opportunities(market, gaps=given_gaps(**{"E.RF": 0.5}), min_proximity=0.4).empty
    assert partners.cross_sector_opportunities(market, gaps=given_gaps(**{"E.RF": -0.1})).empty
    with pytest.raises(Exception, match="min_proximity must be between 0 and 1"):
        partners.cross_sector_opportunities(market, gaps=given_gaps(), min_proximity=2)


def test_cross_sector_follows_the_company_filter(market):
    found = partners.cross_sector_opportunities(market, gaps=given_gaps(**{"E.RF": 0.5}), countries=["DK", "SE"])
    # among a and b only: vacuum a b, cryogenics a b, RF b -> φ(vacuum, RF) = 1/2; a is the one candidate
    assert found["company_id"].tolist() == ["a"]
    assert found.loc[0, "proximity"] == pytest.approx(0.5)


def test_points_are_documented():
    p = partners.MatchPoints()
    assert (p.maximum(True), p.maximum(False)) == (100, 85)
    assert "BSO-qualified 50" in partners.formulas()["match points"]
