"""Deliverables by project month and their portal status, against hand-computed dates.

Project TEST runs 1 January to 31 December 2021: M3 ends 31.03, M6 30.06, M7 31.07, M12 31.12.

  D1 due M3, submitted 31.03 (on the due day): on time
  D2 due M3, submitted 01.04 without a justification: 1 day late, flagged
  D3 due M6, pending: due on 30.06 itself is not late; from 01.07 overdue
  D4 due M7, draft: 30 days after 01.07 is 31.07, so due soon on 01.07; 31 days on 30.06: upcoming
  D5 due M12, submitted 15.12 with a justification line: still pending at 01.07
  MS1 milestone due M12, pending
"""
from __future__ import annotations

from datetime import date

import pytest

from analytics import deliverables, loader
from analytics.projects import month_end
from tests.analytics.builders import build
from tests.analytics.participation_rows import deliverable, project

JUNE_30, JULY_1 = date(2021, 6, 30), date(2021, 7, 1)


@pytest.fixture(scope="module")
def con():
    c = build(deliverables=[
        deliverable("D1", 3, "2021-03-31"),
        deliverable("D2", 3, "2021-04-01"),
        deliverable("D3", 6),
        deliverable("D4", 7, status="draft"),
        deliverable("D5", 12, "2021-12-15", late_justification="not late: kept for the record"),
        deliverable("MS1", 12, kind="milestone"),
    ])
    yield c
    c.close()


def plan(con, as_of):
    return deliverables.schedule(con, ["TEST"], as_of).set_index("code")


def test_due_date_is_the_last_day_of_the_project_month(con):
    due = plan(con, JULY_1)["due_on"].dt.date.to_dict()
    assert due == {"D1": date(2021, 3, 31), "D2": date(2021, 3, 31), "D3": date(2021, 6, 30),
                   "D4": date(2021, 7, 31), "D5": date(2021, 12, 31), "MS1": date(2021, 12, 31)}


def test_submitted_on_the_due_day_is_on_time_and_one_day_after_is_late(con):
    p = plan(con, JULY_1)
    assert (p.loc["D1", "timing"], p.loc["D1", "is_late"]) == ("on_time", False)
    assert (p.loc["D2", "timing"], p.loc["D2", "days_late"], p.loc["D2", "missing_justification"]) == ("late", 1, True)


def test_due_on_the_as_of_date_is_not_late_yet_and_overdue_the_day_after(con):
    assert plan(con, JUNE_30).loc["D3", ["timing", "is_late"]].tolist() == ["due_soon", False]
    after = plan(con, JULY_1).loc["D3"]
    assert (after["timing"], after["days_late"], after["portal_status"]) == ("overdue", 1, "pending")


def test_due_soon_window_is_30_days_both_days_included(con):
    assert plan(con, JULY_1).loc["D4", "timing"] == "due_soon"  # 31.07 = 01.07 + 30 days
    assert plan(con, JUNE_30).loc["D4", "timing"] == "upcoming"  # 31 days away
    assert deliverables.due_soon(con, ["TEST"], JULY_1)["code"].tolist() == ["D4"]
    assert deliverables.due_soon(con, ["TEST"], JUNE_30)["code"].tolist() == ["D3"]


def test_submitted_after_the_as_of_date_was_still_pending_then(con):
    d5 = plan(con, JULY_1).loc["D5"]
    assert (d5["portal_status"], d5["timing"]) == ("pending", "upcoming")
    assert d5["submitted_on"] != d5["submitted_on"]  # NaT: not on record at the as-of date
    assert d5["late_justification"] is None  # given with the submission, not known before
    assert plan(con, JULY_1).loc["D4", "portal_status"] == "draft"


def test_counts_at_the_as_of_date(con):
    assert deliverables.counts(con, ["TEST"], JULY_1) == {
        "total": 6, "on_time": 1, "late": 1, "overdue": 1, "due_soon": 1, "upcoming": 2,
        "missing_justification": 1, "due_after_end": 0}


def test_attention_items_overdue_and_late_without_justification(con):
    items = deliverables.attention_items(con, ["TEST"], date(2021, 7, 20))
    assert items[["severity", "what"]].values.tolist() == [
        ["high", "D3 Deliverable D3 (M6, due 30.06.2021) not submitted: 20 days late"],
        ["medium", "D2 Deliverable D2 submitted 1 day late without a justification"],
    ]
    assert items["since"].dt.date.tolist() == [JULY_1, date(2021, 4, 1)]


def test_import_rejects_a_deliverable_due_after_the_project_end(con):
    with pytest.raises(loader.LoadError) as error:
        loader.load(con, {"deliverables": ("deliverables.csv", [deliverable("D9", 13), deliverable("D8", 12)], 2)})
    assert [str(p) for p in error.value.problems] == [
        "deliverables.csv, row 2, column due_month: value 13: M13 ends on 2022-01-31, after the end of project "
        "TEST on 2021-12-31: a deliverable must be due within the project"]
    assert "D8" not in plan(con, JULY_1).index  # nothing of the file was written


def test_import_checks_against_the_project_dates_in_the_same_file():
    con = build()
    sources = {"projects": ("projects.csv", [project(end="2022-01-31")], 2),
               "deliverables": ("deliverables.csv", [deliverable("D9", 13)], 2)}
    loader.load(con, sources)  # the extended project makes M13 a project month
    assert plan(con, JULY_1).loc["D9", "due_on"].date() == date(2022, 1, 31)


def test_deliverable_due_after_the_end_already_in_the_database_is_flagged():
    con = build()
    con.execute("""INSERT INTO deliverables (project_id, code, title, work_package, due_month, status)
                   VALUES ('TEST', 'D9', 'Final report', 'WP1', 14, 'pending')""")
    p = plan(con, JULY_1)
    assert p.loc["D9", "due_after_end"]
    items = deliverables.attention_items(con, ["TEST"], JULY_1)
    assert items["what"].tolist() == ["D9 Final report is due in M14 (28.02.2022), after the project end"]


def test_project_starting_on_the_31st_due_dates_match_project_months():
    con = build(projects=[project(start="2021-01-31", end="2023-01-30")],
                deliverables=[deliverable(f"D{m}", m) for m in range(1, 25)])
    due = plan(con, JULY_1)["due_on"].dt.date
    assert all(due[f"D{m}"] == month_end(date(2021, 1, 31), m) for m in range(1, 25))
    assert due["D1"] == date(2021, 2, 27)  # 31 Jan + 1 month = 28 Feb, minus a day


def test_seed_has_an_overdue_then_unjustified_late_deliverable(seeded):
    items = deliverables.attention_items(seeded, ["CE4BIG"], date(2021, 6, 30))
    assert items["what"].tolist() == ["D2.2 Cluster benchmarking action plans (M15, due 02.05.2021) not submitted: "
                                      "59 days late"]
    later = deliverables.attention_items(seeded, ["CE4BIG"], date(2021, 8, 1))
    assert later["what"].tolist() == ["D2.2 Cluster benchmarking action plans submitted 74 days late without a "
                                      "justification"]  # 02.05 to 15.07
