"""The Portfolio's "Needs attention" list against hand-computed findings (analytics.attention).

Project TEST runs 1 January to 31 December 2021; the list is taken on 2 July 2021 (day 182 of 364).

- TRN, 10 managers, linear: 3 trained on 15.01. Expected 10 × days/364: 31.01 0.82 (on track), ...,
  30.04 3.27 (pace 0.92, on track), 31.05 4.12 (0.73, at risk), 30.06 4.95 (0.61, off track),
  02.07 5.00 (0.60): off track since 30.06. No record since 15.01 (168 days): stale too.
- DUE, the same count due 30.06: overdue since 01.07 (an overdue KPI is not also listed as stale).
- SPL, manual, check-in of 03.05 = exactly 60 days before: stale; EUP's of 04.05, 59 days: not.
- D1 due M3 (31.03), pending: overdue since 01.04, 93 days late.
- X1, a 2-day stay ending 03.03: shorter than 3 working days.
- Alpha Cluster's bronze, valid until 30.09.2021, lapses 01.10 before the end (31.12); known since
  the project start (the label was assessed before it).
"""
from __future__ import annotations

from datetime import date

import pytest

from analytics import attention
from tests.analytics.builders import build, kpi, training
from tests.analytics.participation_rows import deliverable, label, stay

AS_OF = date(2021, 7, 2)


@pytest.fixture(scope="module")
def con():
    c = build(
        kpis=[kpi("TRN", "managers_trained", 10), kpi("DUE", "managers_trained", 10, due_date="2021-06-30"),
              kpi("SPL", "manual", 4), kpi("EUP", "manual", 2)],
        trainings=[training("Ann", "2021-01-15"), training("Bob", "2021-01-15"), training("Cy", "2021-01-15")],
        checkins=[{"project_id": "TEST", "code": "SPL", "checked_on": "2021-05-03", "value": 3, "confidence": "on_track"},
                  {"project_id": "TEST", "code": "EUP", "checked_on": "2021-05-04", "value": 1, "confidence": "on_track"}],
        deliverables=[deliverable("D1", 3)],
        exchanges=[stay("X1", "Gamma SME", "2021-03-02", "2021-03-03", 2, 800, "390.00")],
        label_awards=[label("Alpha Cluster", "bronze", "2020-03-01", "2021-09-30")],
    )
    yield c
    c.close()


def test_findings_most_severe_first_then_oldest(con):
    items = attention.needs_attention(con, AS_OF)
    assert items[["severity", "area", "what", "since"]].values.tolist() == [
        ["high", "Deliverables", "D1 Deliverable D1 (M3, due 31.03.2021) not submitted: 93 days late", date(2021, 4, 1)],
        ["high", "KPIs", "TRN TRN KPI: off track, 3 of 10 units with 5 expected by now", date(2021, 6, 30)],
        ["high", "KPIs", "DUE DUE KPI: overdue, 3 of 10 units on the as-of date, due 30.06.2021", date(2021, 7, 1)],
        ["medium", "Labels", "Alpha Cluster: bronze label lapses on 01.10.2021, before the project ends on 31.12.2021",
         date(2021, 1, 1)],
        ["medium", "Exchanges", "X1 · Stay shorter than 3 working days: 2 working days; a stay lasts at least 3 "
                                "working days", date(2021, 3, 3)],
        ["low", "KPIs", "TRN TRN KPI: no record or check-in since 15.01.2021 (168 days)", date(2021, 1, 15)],
        ["low", "KPIs", "SPL SPL KPI: no record or check-in since 03.05.2021 (60 days)", date(2021, 5, 3)],
    ]


def test_each_finding_links_to_its_page_with_project_and_as_of_date(con):
    items = attention.needs_attention(con, AS_OF)
    assert items["link"].iloc[0] == "deliverables?project=TEST&as_of=2021-07-02"
    assert dict(zip(items["area"], items["page"])) == {
        "Deliverables": "deliverables", "KPIs": "kpis", "Labels": "labels", "Exchanges": "exchanges"}


def test_stale_is_60_days_without_a_record_59_is_not(con):
    stale = attention.kpi_items(con, ["TEST"], AS_OF)
    stale = stale[stale["severity"] == "low"]
    assert sorted(stale["what"].str.split(" ").str[0]) == ["SPL", "TRN"]  # EUP, 59 days: not stale
    one_day_later = attention.kpi_items(con, ["TEST"], date(2021, 7, 3))
    assert "EUP EUP KPI: no record or check-in since 04.05.2021 (60 days)" in one_day_later["what"].tolist()


def test_placeholder_targets_are_named(con):
    c = build(kpis=[kpi("TRN", "managers_trained", 10, is_placeholder=True)])
    items = attention.kpi_items(c, ["TEST"], AS_OF)
    assert items["what"].tolist() == [
        "TRN TRN KPI (placeholder target): off track, 0 of 10 units with 5 expected by now",
        "TRN TRN KPI (placeholder target): no record or check-in since 01.01.2021 (182 days)",
    ]
    assert items["since"].dt.date.tolist() == [date(2021, 1, 31), date(2021, 1, 1)]  # off track from the first month-end


def test_before_the_project_starts_only_known_label_problems_show(con):
    items = attention.needs_attention(con, date(2020, 12, 1))
    assert items[["area", "what", "since"]].values.tolist() == [
        ["Labels", "Alpha Cluster: bronze label lapses on 01.10.2021, before the project ends on 31.12.2021",
         date(2020, 12, 1)]]  # not later than the as-of date


def test_nothing_to_report_is_an_empty_list():
    items = attention.needs_attention(build(), AS_OF)
    assert items.empty
    assert list(items.columns) == attention.COLUMNS
