"""KPI formulas against hand-computed values (DESIGN.md: actual, expected, progress, pace, status,
forecast, required rate). The test project runs 2021-01-01 to 2021-12-31: 364 days from start to
due date, so 2021-07-02 (day 182) is exactly half-way."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics import kpis
from analytics.errors import UnknownProject
from analytics.settings import StatusThresholds
from tests.analytics.builders import build, kpi, training

HALF_WAY = date(2021, 7, 2)


def row(con, code: str, as_of: date, **kw) -> dict:
    table = kpis.kpi_table(con, "TEST", as_of, **kw)
    return table.set_index("code").loc[code].to_dict()


@pytest.fixture
def trained():
    """TRN: target 10 managers; 4 distinct people by half-way, one of them trained twice."""
    return build(
        kpis=[kpi("TRN", "managers_trained", 10)],
        trainings=[training("Ann", "2021-02-01"), training("Ann", "2021-03-01", course="Second"),
                   training("Bob", "2021-03-15"), training("Cy", "2021-05-01", partner="Beta Cluster"),
                   training("Di", "2021-06-30"), training("Ed", "2021-09-01")],
    )


def test_half_way_linear_ramp_values(trained):
    r = row(trained, "TRN", HALF_WAY)
    assert r["actual"] == 4  # Ann counted once
    assert r["expected"] == pytest.approx(5.0)  # 10 × 182 / 364
    assert r["progress"] == pytest.approx(0.4)
    assert r["pace"] == pytest.approx(0.8)
    assert r["status"] == "at_risk"  # 0.7 <= 0.8 < 0.9
    assert r["forecast"] == pytest.approx(8.0)  # 4 × 364 / 182
    assert r["required_rate_per_month"] == pytest.approx(6 / (182 / 30.4375))
    assert r["days_left"] == 182


def test_same_person_trained_twice_counts_once(trained):
    assert row(trained, "TRN", date(2021, 3, 1))["actual"] == 1


def test_before_start_is_not_started(trained):
    r = row(trained, "TRN", date(2020, 12, 31))
    assert r["status"] == "not_started"
    assert r["expected"] == 0
    assert r["actual"] == 0
    assert r["required_rate_per_month"] == pytest.approx(10 / (364 / 30.4375))


def test_on_the_start_day_nothing_is_expected_yet(trained):
    r = row(trained, "TRN", date(2021, 1, 1))
    assert r["expected"] == 0
    assert r["pace"] is None or r["pace"] != r["pace"]  # undefined (NaN/None): nothing was due
    assert r["status"] == "on_track"
    assert r["forecast"] is None or r["forecast"] != r["forecast"]


def test_after_the_end_not_reached_is_overdue(trained):
    r = row(trained, "TRN", date(2022, 1, 15))
    assert r["actual"] == 5
    assert r["status"] == "overdue"
    assert r["forecast"] == 5  # nothing left to extrapolate
    assert r["required_rate_per_month"] is None or r["required_rate_per_month"] != r["required_rate_per_month"]


def test_zero_remaining_time_on_the_due_day(trained):
    r = row(trained, "TRN", date(2021, 12, 31))
    assert r["days_left"] == 0
    assert r["expected"] == 10
    assert r["pace"] == pytest.approx(0.5)
    assert r["status"] == "off_track"  # due today, not reached, pace 0.5
    assert r["required_rate_per_month"] != r["required_rate_per_month"]  # no time left: undefined


def test_target_reached_early_is_achieved():
    con = build(kpis=[kpi("TRN", "managers_trained", 2)],
                trainings=[training("Ann", "2021-02-01"), training("Bob", "2021-02-02")])
    r = row(con, "TRN", date(2021, 3, 1))
    assert r["status"] == "achieved"
    assert r["progress"] == 1.0
    assert r["required_rate_per_month"] == 0


def test_progress_may_exceed_100_percent():
    con = build(kpis=[kpi("TRN", "managers_trained", 2)],
                trainings=[training(p, "2021-02-01") for p in ("Ann", "Bob", "Cy")])
    assert row(con, "TRN", date(2021, 12, 31))["progress"] == pytest.approx(1.5)


def test_thresholds_are_settings(trained):
    loose = StatusThresholds(on_track=0.8, at_risk=0.5)
    assert row(trained, "TRN", HALF_WAY, thresholds=loose)["status"] == "on_track"


def test_thresholds_must_be_ordered():
    with pytest.raises(ValueError):
        StatusThresholds(on_track=0.5, at_risk=0.7)


MILESTONES = [{"project_id": "TEST", "code": "XCH", "month": 3, "expected": 3},
              {"project_id": "TEST", "code": "XCH", "month": 6, "expected": 6}]


def test_milestone_steps_hold_the_last_milestone():
    con = build(kpis=[kpi("XCH", "organisations_exchanged", 12, interpolation="step")], kpi_milestones=MILESTONES)
    assert row(con, "XCH", date(2021, 3, 30))["expected"] == 0  # before M3 ends
    assert row(con, "XCH", date(2021, 3, 31))["expected"] == 3  # last day of M3
    assert row(con, "XCH", date(2021, 5, 15))["expected"] == 3
    assert row(con, "XCH", date(2021, 12, 30))["expected"] == 6  # the target only at the due date
    assert row(con, "XCH", date(2021, 12, 31))["expected"] == 12


def test_milestones_linear_interpolates_between_points():
    con = build(kpis=[kpi("XCH", "organisations_exchanged", 12)], kpi_milestones=MILESTONES)
    # between (2021-03-31, 3) and (2021-06-30, 6): 45 of 91 days
    assert row(con, "XCH", date(2021, 5, 15))["expected"] == pytest.approx(3 + 3 * 45 / 91)
    # between (2021-01-01, 0) and (2021-03-31, 3): 30 of 89 days
    assert row(con, "XCH", date(2021, 1, 31))["expected"] == pytest.approx(3 * 30 / 89)


def test_decreasing_kpi_measures_progress_from_the_baseline():
    con = build(kpis=[kpi("CO2", "manual", 50, baseline=100, direction="decrease")],
                checkins=[{"project_id": "TEST", "code": "CO2", "checked_on": "2021-06-01", "value": 80,
                           "confidence": "on_track"}])
    r = row(con, "CO2", HALF_WAY)
    assert r["expected"] == pytest.approx(75)
    assert r["progress"] == pytest.approx(0.4)  # (80 - 100) / (50 - 100)
    assert r["pace"] == pytest.approx(0.8)  # (80 - 100) / (75 - 100)
    assert r["status"] == "at_risk"
    assert r["confidence"] == "on_track"  # the owner's view, shown beside the computed status


def test_manual_kpi_without_checkin_is_at_baseline():
    con = build(kpis=[kpi("SPL", "manual", 4, baseline=1)])
    assert row(con, "SPL", HALF_WAY)["actual"] == 1


def test_manual_kpi_takes_the_latest_checkin_on_or_before_the_date():
    checkins = [{"project_id": "TEST", "code": "SPL", "checked_on": d, "value": v, "confidence": "at_risk"}
                for d, v in (("2021-03-01", 1), ("2021-06-01", 3), ("2021-08-01", 2))]
    con = build(kpis=[kpi("SPL", "manual", 4)], checkins=checkins)
    assert row(con, "SPL", date(2021, 6, 1))["actual"] == 3
    assert row(con, "SPL", date(2021, 9, 1))["actual"] == 2  # latest, not maximum


def label(org: str, level: str, on: str, until: str) -> dict:
    return {"organisation": org, "level": level, "assessed_on": on, "valid_until": until}


def test_a_label_that_expired_no_longer_counts():
    con = build(kpis=[kpi("LAB", "labels_awarded", 2, min_label_level="bronze")],
                label_awards=[label("Alpha Cluster", "bronze", "2019-06-01", "2021-05-31"),
                              label("Beta Cluster", "silver", "2021-02-01", "2023-01-31")])
    assert row(con, "LAB", date(2021, 5, 31))["actual"] == 2  # valid_until is inclusive
    assert row(con, "LAB", date(2021, 6, 1))["actual"] == 1


def test_after_the_due_date_labels_are_counted_on_the_due_date():
    """A target reached at the end stays reached when the labels lapse afterwards (the project
    ends 2021-12-31; Alpha's bronze lapses 2022-03-31, Beta's silver 2023-01-31)."""
    con = build(kpis=[kpi("LAB", "labels_awarded", 2, min_label_level="bronze")],
                label_awards=[label("Alpha Cluster", "bronze", "2020-04-01", "2022-03-31"),
                              label("Beta Cluster", "silver", "2021-02-01", "2023-01-31")])
    at_end = row(con, "LAB", date(2021, 12, 31))
    later = row(con, "LAB", date(2022, 6, 30))
    assert (at_end["actual"], at_end["status"]) == (2, "achieved")
    assert (later["actual"], later["status"]) == (2, "achieved")  # 1 holds a label on 30.06.2022, 2 did at the end


def test_a_label_lapsing_before_the_due_date_still_stops_counting():
    con = build(kpis=[kpi("LAB", "labels_awarded", 2, min_label_level="bronze")],
                label_awards=[label("Alpha Cluster", "bronze", "2019-10-01", "2021-09-30"),
                              label("Beta Cluster", "silver", "2021-02-01", "2023-01-31")])
    assert row(con, "LAB", date(2021, 9, 30))["status"] == "achieved"
    after = row(con, "LAB", date(2022, 6, 30))
    assert (after["actual"], after["status"]) == (1, "overdue")  # counted on 31.12.2021: Alpha had lapsed


def test_label_minimum_level_filters_lower_labels():
    con = build(kpis=[kpi("LAB", "labels_awarded", 2, min_label_level="silver")],
                label_awards=[label("Alpha Cluster", "bronze", "2021-01-10", "2023-01-09"),
                              label("Beta Cluster", "gold", "2021-02-01", "2023-01-31")])
    assert row(con, "LAB", date(2021, 6, 1))["actual"] == 1


def exchange(n: int, visitor: str, end: str) -> dict:
    return {"exchange_id": f"X{n}", "project_id": "TEST", "partner": "Alpha Cluster", "visitor_org": visitor,
            "visitor_country": "DK", "visitor_type": "sme", "host_org": "Host", "host_country": "ES",
            "start_date": "2021-03-01", "end_date": end, "working_days": 5}


def test_the_same_organisation_visiting_twice_counts_once_as_an_organisation():
    con = build(kpis=[kpi("ORG", "organisations_exchanged", 10), kpi("PAR", "exchanges", 10)],
                exchanges=[exchange(1, "Nordic Cryo ApS", "2021-03-05"), exchange(2, "nordic cryo aps", "2021-04-09"),
                           exchange(3, "Baltic Laser UAB", "2021-03-05")])
    assert row(con, "ORG", HALF_WAY)["actual"] == 2
    assert row(con, "PAR", HALF_WAY)["actual"] == 3


def test_an_exchange_counts_when_it_ends():
    con = build(kpis=[kpi("PAR", "exchanges", 10)], exchanges=[exchange(1, "A", "2021-03-05")])
    assert row(con, "PAR", date(2021, 3, 4))["actual"] == 0
    assert row(con, "PAR", date(2021, 3, 5))["actual"] == 1


def test_stay_above_kpi_holds_or_not():
    checkins = [{"project_id": "TEST", "code": "SAT", "checked_on": "2021-03-01", "value": 85, "confidence": "on_track"},
                {"project_id": "TEST", "code": "SAT", "checked_on": "2021-09-01", "value": 70, "confidence": "at_risk"}]
    con = build(kpis=[kpi("SAT", "manual", 80, direction="stay_above")], checkins=checkins)
    assert row(con, "SAT", date(2021, 6, 1))["status"] == "on_track"
    assert row(con, "SAT", date(2021, 10, 1))["status"] == "off_track"
    assert row(con, "SAT", date(2022, 1, 2))["status"] == "overdue"


def test_budget_spent_measure_adds_flat_rate_indirect_costs():
    expenses = [{"expense_id": "E1", "project_id": "TEST", "partner": "Alpha Cluster", "category": "A",
                 "amount": "1000.00", "spent_on": "2021-02-01"},
                {"expense_id": "E2", "project_id": "TEST", "partner": "Alpha Cluster", "category": "B",
                 "amount": "500.00", "spent_on": "2021-02-01"}]
    con = build(kpis=[kpi("BUD", "budget_spent", 12700)], expenses=expenses)
    assert row(con, "BUD", HALF_WAY)["actual"] == pytest.approx(1000 * 1.07 + 500)


def test_partner_breakdown_counts_within_each_partner(trained):
    df = kpis.partner_breakdown(trained, "TEST", HALF_WAY)
    assert dict(zip(df["partner"], df["value"])) == {"Alpha Cluster": 3, "Beta Cluster": 1}


def test_series_has_no_actual_after_the_as_of_date(trained):
    s = kpis.kpi_series(trained, "TEST", HALF_WAY)
    assert s[s["as_of"].dt.date > HALF_WAY]["actual"].isna().all()
    assert s[s["as_of"].dt.date == HALF_WAY]["actual"].item() == 4


def test_the_page_view_is_the_table_and_the_series(trained):
    """project_kpis: the cards and the burn-up from one statement, as kpi_table and kpi_series."""
    view = kpis.project_kpis(trained, "TEST", HALF_WAY)
    assert view.table.set_index("code").loc["TRN", "actual"] == 4
    assert view.series[view.series["as_of"].dt.date == HALF_WAY]["actual"].item() == 4


@pytest.mark.parametrize("project, day", [
    ("CE4BIG", date(2019, 1, 1)), ("CE4BIG", date(2020, 6, 30)), ("CE4BIG", date(2022, 2, 2)),
    ("CE4BIG", date(2023, 5, 1)), ("BIGINN", date(2023, 3, 15)), ("BIGINN", date(2024, 1, 31)),
], ids=["before the start", "a month-end", "the last day", "after the end", "mid-month", "BIGINN's last day"])
def test_the_page_view_equals_the_table_and_the_series_on_the_seed(seeded, project, day):
    view = kpis.project_kpis(seeded, project, day)
    table = kpis.kpi_table(seeded, project, day)
    # an all-empty column (no check-in yet) is None alone and NaN beside other dates' values
    def missing_as_none(df):
        return df.astype(object).where(df.notna(), None)
    pd.testing.assert_frame_equal(missing_as_none(view.table), missing_as_none(table))
    pd.testing.assert_frame_equal(view.series, kpis.kpi_series(seeded, project, day))


def test_unknown_project_names_the_known_ones(trained):
    with pytest.raises(UnknownProject, match="known projects: TEST"):
        kpis.kpi_table(trained, "NOPE", HALF_WAY)


def test_seeded_ce4big_final_figures(seeded):
    """The closing report: 4 labels, 8 managers, 4 C2C missions, 4 plans, 1 partnership all reached."""
    table = kpis.kpi_table(seeded, "CE4BIG", date(2022, 2, 2)).set_index("code")
    for code, actual in {"LAB": 4, "TRN": 8, "C2C": 4, "SPL": 4, "EUP": 1}.items():
        assert table.loc[code, "actual"] == actual
        assert table.loc[code, "status"] == "achieved"


def test_seeded_biginn_missions_match_the_reported_results(seeded):
    table = kpis.kpi_table(seeded, "BIGINN", date(2024, 1, 31)).set_index("code")
    assert table.loc["MIS", "actual"] == 10
    assert table.loc["PAR", "actual"] == 180
    assert table.loc["MIS", "is_placeholder"]


@pytest.mark.parametrize("source", ["kept steps", "stored facts", "facts computed on the fly"])
def test_a_few_kpis_each_from_its_project_start_equal_the_full_evaluation(seeded, monkeypatch, request, source):
    """kpis.evaluation(kpi_keys=...): the rows of those KPIs only, at the dates on or after their
    project's start, as the evaluation of every KPI gives them (a mid-month date reads the facts'
    daily tail; per KPI the facts are read, for every KPI the kept steps unless they are off)."""
    if source != "kept steps":
        request.getfixturevalue("no_kept_steps")
    if source == "facts computed on the fly":
        monkeypatch.setattr(kpis.facts, "fresh", lambda con: False)
    dates = [date(2020, 12, 31), date(2021, 3, 17), date(2021, 6, 30), date(2022, 1, 31), date(2023, 5, 31)]
    keys = [("CE4BIG", "TRN"), ("CE4BIG", "LAB"), ("CE4BIG", "SPL"), ("BIGINN", "MIS"), ("BIGINN", "PAR")]
    full = kpis.evaluate(seeded, dates, project_ids=["CE4BIG", "BIGINN"])
    full = full[[key in keys for key in zip(full["project_id"], full["code"])]]
    expected = full[full["as_of"] >= full["start_date"]].reset_index(drop=True)
    sql, params = kpis.evaluation(seeded, dates, kpi_keys=keys)
    got = seeded.execute(sql, params).df()
    assert len(got) > len(keys) and set(zip(got["project_id"], got["code"])) == set(keys)
    pd.testing.assert_frame_equal(got, expected)


def test_month_grid_has_every_month_end_between_the_start_and_the_end():
    """By hand, the month-ends pd.date_range(start, end, freq="ME") gives, with the start, the end and
    the as-of date when it falls inside."""
    from datetime import timedelta

    starts = [date(2019, 12, 31), date(2020, 1, 1), date(2020, 2, 29), date(2020, 3, 15), date(2021, 2, 28)]
    for start in starts:
        for days in (0, 1, 27, 28, 29, 30, 31, 58, 59, 365, 366, 1096):
            end = start + timedelta(days=days)
            for as_of in (start - timedelta(days=1), start, start + timedelta(days=days // 2), end, end + timedelta(1)):
                expected = {start, end, *pd.date_range(start, end, freq="ME").date.tolist()}
                if start <= as_of <= end:
                    expected.add(as_of)
                assert kpis.month_grid(start, end, as_of) == sorted(expected), (start, end, as_of)
    assert kpis.month_grid(date(2021, 3, 1), date(2021, 2, 1), date(2021, 3, 1)) == [date(2021, 2, 1), date(2021, 3, 1)]
