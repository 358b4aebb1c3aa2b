"""ClusterXchange stays and missions against hand-computed values (analytics.exchanges, analytics.stays).

The fixture's stays (project TEST, 2021), with the rule amount worked out by hand (full rate EUR 780,
halved once under 5 working days or under 200 km, EUR 1,100 cap per visiting organisation):

  X1 Gamma SME    5 days, 200 km, paid 780: full rate 780 (exactly 5 days, exactly 200 km)
  X2 Delta Org    4 days, 800 km, paid 390: halved 390
  X3 Epsilon SME  5 days, 199 km, paid 780: halved 390 -> 390 above the rule; hosted by CERN
  X4 Gamma SME    again, 5 days, 1000 km, paid 780: full 780, but 780 already paid of the 1,100
                  cap -> allowed 320 -> 460 above; and a second visit
  X5 Zeta Org     virtual, 2 days, paid 0: rule 0; shorter than 3 working days
  X6 Eta Org      1 July to 1 August: ends on the same day of the next month -> longer than a month
  X7 Theta Org    1 to 30 September (exactly one month), paid 700 of 780 -> 80 below, not a breach
Paid 780+390+780+780+0+780+700 = 4,210; allowed 780+390+390+320+0+780+780 = 3,440.
"""
from __future__ import annotations

from datetime import date

import pytest

from analytics import exchanges, loader, stays
from analytics.errors import UnknownProject
from tests.analytics.builders import PARTNERS, build
from tests.analytics.participation_rows import mission, partner, project, stay

END = date(2021, 12, 31)


@pytest.fixture(scope="module")
def con():
    c = build(exchanges=[
        stay("X1", "Gamma SME", "2021-03-01", "2021-03-05", 5, 200, "780.00"),
        stay("X2", "Delta Org", "2021-04-06", "2021-04-09", 4, 800, "390.00", visitor_type="cluster"),
        stay("X3", "Epsilon SME", "2021-05-03", "2021-05-07", 5, 199, "780.00", visitor_country="LT",
             host_org="CERN", host_country="CH", bso_id="CERN"),
        stay("X4", "gamma sme", "2021-06-07", "2021-06-11", 5, 1000, "780.00"),
        stay("X5", "Zeta Org", "2021-06-14", "2021-06-15", 2, 500, "0.00", visitor_type="research", is_virtual=True),
        stay("X6", "Eta Org", "2021-07-01", "2021-08-01", 22, 500, "780.00", visitor_type="research"),
        stay("X7", "Theta Org", "2021-09-01", "2021-09-30", 21, 300, "700.00", visitor_type="research"),
    ], missions=[mission("M1", 20, 13), mission("M2", 10, 2, end="2021-10-02", bso_id="ESS")])
    yield c
    c.close()


def by_id(con, as_of=END):
    return stays.stays(con, ["TEST"], as_of).set_index("exchange_id")


def test_exactly_5_working_days_and_exactly_200_km_is_full_rate(con):
    x1 = by_id(con).loc["X1"]
    assert x1["rule_amount"] == 780
    assert x1["rule_basis"] == "full rate"
    assert x1["allowed"] == 780 and x1["above_allowed"] == 0


def test_4_working_days_is_halved(con):
    x2 = by_id(con).loc["X2"]
    assert x2["rule_amount"] == 390
    assert x2["rule_basis"] == "halved: under 5 working days"


def test_199_km_is_halved_and_paying_full_rate_is_above_the_rule(con):
    x3 = by_id(con).loc["X3"]
    assert x3["rule_amount"] == 390
    assert x3["above_allowed"] == 390
    assert x3["warnings"] == "Lump sum above the rule"


def test_cap_of_1100_per_visiting_organisation_limits_the_second_stay(con):
    x4 = by_id(con).loc["X4"]
    assert x4["visit_no"] == 2  # "gamma sme" is Gamma SME: matched by name, case-insensitive
    assert x4["rule_amount"] == 780
    assert x4["allowed"] == 320  # 1,100 − 780 already paid for X1
    assert x4["above_allowed"] == 460
    assert x4["warnings"] == "Lump sum above the rule; Organisation visiting again"


def test_virtual_stay_has_no_lump_sum_and_two_days_is_too_short(con):
    x5 = by_id(con).loc["X5"]
    assert x5["rule_amount"] == 0 and x5["rule_basis"] == "virtual: no lump sum"
    assert x5["warnings"] == "Stay shorter than 3 working days"


def test_stay_ending_on_the_same_day_next_month_is_longer_than_a_month(con):
    assert by_id(con).loc["X6"]["warnings"] == "Stay longer than a month"


def test_exactly_one_month_is_not_too_long_and_paying_less_is_no_breach(con):
    x7 = by_id(con).loc["X7"]
    assert x7["warnings"] is None or x7["warnings"] != x7["warnings"]  # no warning
    assert x7["above_allowed"] == -80


def test_rule_warnings_one_row_per_broken_rule_with_its_message(con):
    w = stays.rule_warnings(con, ["TEST"], END)
    assert list(zip(w["record"], w["rule"])) == [
        ("X3", "above_rule"), ("X4", "above_rule"), ("X4", "repeat_visit"), ("X5", "too_short"), ("X6", "too_long")]
    messages = dict(zip(w["record"] + "/" + w["rule"], w["message"]))
    assert messages["X3/above_rule"] == "paid €780.00, the rule allows €390.00 (halved: under 200 km)"
    assert messages["X4/above_rule"] == ("paid €780.00, the rule allows €320.00 (full rate; €780.00 already paid "
                                         "to this organisation, cap €1,100.00)")
    assert messages["X4/repeat_visit"] == "gamma sme already visited on 01.03.2021 (X1); this is visit 2"
    assert messages["X5/too_short"] == "2 working days; a stay lasts at least 3 working days"
    assert messages["X6/too_long"] == "32 days (01.07.2021 to 01.08.2021): a stay lasts at most one month"
    assert w.set_index("record").loc["X6", "since"].date() == date(2021, 8, 1)  # the stay's end


def test_organisation_visiting_twice_is_flagged_on_the_second_visit_only(con):
    w = stays.rule_warnings(con, ["TEST"], END)
    assert w[w["rule"] == "repeat_visit"]["record"].tolist() == ["X4"]


def test_lump_sum_totals(con):
    assert stays.lump_sum_totals(con, ["TEST"], END) == {
        "paid": 4210.0, "allowed": 3440.0, "stays_above": 2, "paid_above": 850.0,
        "stays_below": 1, "paid_below": 80.0, "stays_unchecked": 0}


def test_summary_distinct_organisations_against_participations(con):
    s = exchanges.summary(con, ["TEST"], END)
    assert s["participations"] == 7
    assert s["organisations"] == 6  # Gamma SME twice
    assert s["repeat_stays"] == 1
    assert s["sme_organisations"] == 2  # Gamma, Epsilon
    assert s["sme_organisation_share"] == pytest.approx(2 / 6)
    assert s["virtual_stays"] == 1
    assert (s["visitor_countries"], s["host_countries"]) == (2, 2)  # FI, LT -> SE, CH
    assert s["missions"] == 2
    assert s["mission_participants"] == 30
    assert s["mission_sme_share"] == pytest.approx(15 / 30)
    assert (s["bso_stays"], s["bso_missions"], s["bso_visits"]) == (1, 1, 2)


def test_stays_finished_after_the_as_of_date_are_not_counted_yet(con):
    s = exchanges.summary(con, ["TEST"], date(2021, 6, 11))  # X4 ends that day: counted
    assert s["participations"] == 4
    assert s["stays_later"] == 3
    assert s["missions"] == 1 and s["missions_later"] == 1
    assert stays.rule_warnings(con, ["TEST"], date(2021, 6, 10))["record"].tolist() == ["X3"]  # X4 not yet


def test_country_flows_and_big_science_visits(con):
    flows = exchanges.country_flows(con, ["TEST"], END)
    assert flows.to_dict("records") == [
        {"visitor_country": "FI", "host_country": "SE", "stays": 6, "organisations": 5},
        {"visitor_country": "LT", "host_country": "CH", "stays": 1, "organisations": 1},
    ]
    bso = exchanges.bso_visits(con, ["TEST"], END).set_index("bso_id")
    assert bso.loc["CERN", "stays"] == 1 and bso.loc["CERN", "missions"] == 0
    assert bso.loc["ESS", "missions"] == 1 and bso.loc["ESS", "mission_participants"] == 10


def test_exchange_counted_by_a_project_that_did_not_pay_is_reported_under_the_counting_project():
    con = build(projects=[project(), project("OTHER")],
                partners=PARTNERS + [partner("Other Cluster", "OTHER")],
                exchanges=[stay("X1", "Gamma SME", "2021-03-01", "2021-03-05", 5, 800, "780.00",
                                counted_by_project="OTHER")])
    w = stays.rule_warnings(con, ["OTHER"], END)
    assert w[["project_id", "paid_by", "record", "rule"]].values.tolist() == [["OTHER", "TEST", "X1", "counted_by_other"]]
    assert w["message"].iloc[0] == "counted by OTHER, which did not pay for it (paid by TEST)"
    assert len(stays.rule_warnings(con, ["TEST"], END)) == 1  # the paying project sees it too
    assert exchanges.summary(con, ["OTHER"], END)["participations"] == 0  # it counts for the payer only


def test_distance_missing_means_the_lump_sum_cannot_be_checked():
    con = build(exchanges=[stay("X1", "Gamma SME", "2021-03-01", "2021-03-05", 5, None, "780.00")])
    row = stays.stays(con, ["TEST"], END).iloc[0]
    assert row["rule_basis"] == "distance missing"
    assert row["warnings"] == "Lump sum cannot be checked"
    assert stays.lump_sum_totals(con, ["TEST"], END)["stays_unchecked"] == 1


def test_biginn_seed_mission_sme_share_is_the_reported_65_percent(seeded):
    s = exchanges.summary(seeded, ["BIGINN"], date(2024, 1, 31))
    assert (s["mission_participants"], s["mission_sme_participants"]) == (180, 117)
    assert s["mission_sme_share"] == pytest.approx(0.65)


def test_seed_shows_every_exchange_warning(seeded):
    rules = set(stays.rule_warnings(seeded, None, date(2024, 1, 31))["rule"])
    assert {"repeat_visit", "counted_by_other", "too_short", "too_long", "above_rule"} <= rules


def test_import_rejects_an_exchange_ending_before_it_starts(con):
    with pytest.raises(loader.LoadError, match="end_date 2021-03-01 precedes start_date 2021-03-05"):
        loader.load(con, {"exchanges": ("x.csv", [stay("X9", "New Org", "2021-03-05", "2021-03-01", 3, 800, "390")], 2)})
    assert "X9" not in by_id(con).index


def test_import_rejects_a_mission_with_zero_participants(con):
    with pytest.raises(loader.LoadError, match="column participants: value 0: must be greater than 0"):
        loader.load(con, {"missions": ("m.csv", [mission("M9", 0, 0)], 2)})


def test_mission_with_zero_participants_already_in_the_database_is_flagged():
    con = build()
    con.execute("""INSERT INTO missions VALUES ('M0', 'TEST', 'Alpha Cluster', 'Empty visit', 'c2c', 'SE',
                   DATE '2021-02-01', DATE '2021-02-02', 0, 0, NULL, TRUE)""")
    w = stays.rule_warnings(con, ["TEST"], END)
    assert w[["record", "rule", "message"]].values.tolist() == [
        ["M0", "no_participants", 'mission "Empty visit" records 0 participants']]


def test_unknown_project_is_a_clear_error(con):
    with pytest.raises(UnknownProject, match="unknown project 'NOPE'; known projects: TEST"):
        exchanges.summary(con, ["NOPE"], END)
