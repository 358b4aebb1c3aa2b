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

import pandas as pd
import pytest

from analytics import attention, labels
from tests.analytics.builders import build, kpi, training
from tests.analytics.participation_rows import deliverable, label, partner, project, stay

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


def test_off_track_since_is_the_start_of_the_current_run_only():
    """Two manual KPIs (target 12 by 31.12, linear) on 20.07.2021, expected 12 × 200/364 = 6.6.

    RUN, 3 from 15.02: off track at 31.01 (0 of 0.99), on track at 28.02 and 31.03 (pace 1.57,
    1.02), at risk at 30.04 (3 of 3.92: 0.77), off track at 31.05 (0.61), 30.06 and 20.07: since
    31.05, not 31.01 (that run ended). NEW, 6 from 20.06 and 2 from 10.07: on track at 30.06
    (6 of 5.93), off track on 20.07 (2 of 6.6): since the as-of date itself."""
    def checkin(code: str, on: str, value: float) -> dict:
        return {"project_id": "TEST", "code": code, "checked_on": on, "value": value, "confidence": "on_track"}

    c = build(kpis=[kpi("RUN", "manual", 12), kpi("NEW", "manual", 12)],
              checkins=[checkin("RUN", "2021-02-15", 3), checkin("NEW", "2021-06-20", 6), checkin("NEW", "2021-07-10", 2)])
    items = attention.kpi_items(c, ["TEST"], date(2021, 7, 20))
    high = items[items["severity"] == "high"].sort_values("what")
    assert high[["what", "since"]].values.tolist() == [
        ["NEW NEW KPI: off track, 2 of 12 units with 6.6 expected by now", pd.Timestamp(2021, 7, 20)],
        ["RUN RUN KPI: off track, 3 of 12 units with 6.6 expected by now", pd.Timestamp(2021, 5, 31)],
    ]


LABELS_AS_OF = date(2022, 1, 1)


@pytest.fixture(scope="module")
def clusters():
    """Four projects sharing clusters, on 01.01.2022 (LABELS_AS_OF):

    - Shared, a cluster of ONE (to 31.12.2022), TWO (to 30.06.2022) and ENDED (to 30.06.2021):
      bronze 01.03.2020-28.02.2022, silver 01.03.2021-30.09.2022, 12 months after the bronze
      (too early: 18 needed). Its silver lapses on 01.10.2022: before ONE's end, not TWO's; ENDED
      has ended, so only the ladder problem is listed there, as under ONE and TWO.
    - Solo, in ONE only: bronze 01.06.2019-31.05.2021, lapsed during ONE on 01.06.2021.
    - Smeco, an SME of TWO holding a label (so one of its clusters): bronze valid one day longer
      than 2 years.
    - Bare, a cluster of TWO whose only label is assessed after the as-of date: nothing yet.
    - NOCL has one SME partner and no labels: no clusters, nothing.
    """
    sme = {"org_type": "sme"}
    c = build(
        projects=[project("ONE", "2021-01-01", "2022-12-31"), project("TWO", "2021-06-01", "2022-06-30"),
                  project("ENDED", "2020-01-01", "2021-06-30"), project("NOCL", "2021-01-01", "2022-12-31")],
        partners=[partner("Shared", "ONE"), partner("Solo", "ONE"), partner("Shared", "TWO"), partner("Bare", "TWO"),
                  partner("Smeco", "TWO") | sme, partner("Shared", "ENDED"), partner("Plain", "NOCL") | sme],
        label_awards=[label("Shared", "bronze", "2020-03-01", "2022-02-28"),
                      label("Shared", "silver", "2021-03-01", "2022-09-30"),
                      label("Solo", "bronze", "2019-06-01", "2021-05-31"),
                      label("Smeco", "bronze", "2021-09-01", "2023-09-02"),
                      label("Bare", "bronze", "2022-05-01", "2024-04-30")],
    )
    yield c
    c.close()


def _rows(items):
    return sorted(zip(items["project_id"], items["what"], items["since"].dt.date))


def test_label_findings_of_many_projects_in_one_statement(clusters):
    too_early = "Shared: silver assessed 12 months after the first bronze of 01.03.2020: at least 18 are needed"
    assert _rows(labels.attention_items_of(clusters, ["ONE", "TWO", "ENDED", "NOCL"], LABELS_AS_OF)) == [
        ("ENDED", too_early, date(2021, 3, 1)),
        ("ONE", too_early, date(2021, 3, 1)),
        ("ONE", "Shared: silver label lapses on 01.10.2022, before the project ends on 31.12.2022", date(2021, 3, 1)),
        ("ONE", "Solo: label lapsed on 01.06.2021, no valid label since", date(2021, 6, 1)),
        ("TWO", too_early, date(2021, 3, 1)),
        ("TWO", "Smeco: bronze label valid until 02.09.2023: more than 2 years after its assessment on 01.09.2021",
         date(2021, 9, 1)),
    ]


@pytest.mark.parametrize("as_of", [date(2021, 6, 30), LABELS_AS_OF, date(2022, 7, 1), date(2022, 10, 1)])
def test_label_findings_of_many_projects_are_each_projects_own(clusters, as_of):
    """The set-based statement against the per-project one (a project's Labels page), at dates
    around the lapses and the project ends; the selection None is every project."""
    per_project = [labels.attention_items(clusters, p, as_of) for p in ("ONE", "TWO", "ENDED", "NOCL")]
    expected = sorted(row for items in per_project for row in _rows(items))
    assert _rows(labels.attention_items_of(clusters, ["ONE", "TWO", "ENDED", "NOCL"], as_of)) == expected
    assert _rows(labels.attention_items_of(clusters, None, as_of)) == expected
    assert _rows(labels.attention_items_of(clusters, ["TWO"], as_of)) == _rows(per_project[1])


def test_summary_counts_the_list_and_keeps_its_first_rows(con):
    got = attention.summary(con, AS_OF, rows=3)
    # most severe first, then the areas in a fixed order (Deliverables, KPIs, Exchanges, Labels),
    # not as they first appear in the list (Labels, 01.01, before Exchanges, 03.03): the order
    # must not need every finding's text (see attention._COUNTS)
    assert got.counts.values.tolist() == [["high", "Deliverables", 1], ["high", "KPIs", 2],
                                          ["medium", "Exchanges", 1], ["medium", "Labels", 1], ["low", "KPIs", 2]]
    assert got.counts.equals(attention.counts(attention.needs_attention(con, AS_OF)))
    assert got.total == 7
    assert attention.headline(got) == "7 findings (3 high, 2 medium, 2 low)"
    assert got.head["what"].tolist() == [
        "D1 Deliverable D1 (M3, due 31.03.2021) not submitted: 93 days late",
        "TRN TRN KPI: off track, 3 of 10 units with 5 expected by now",
        "DUE DUE KPI: overdue, 3 of 10 units on the as-of date, due 30.06.2021",
    ]
