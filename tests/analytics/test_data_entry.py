"""The Data page's forms: validated like an import, every change in the history with what it replaced."""
from __future__ import annotations

from datetime import date

import pytest

from analytics import entry, history
from analytics.access import Actor
from analytics.errors import PermissionDenied
from tests.analytics.import_helpers import db, db_path, seeded_file_template  # noqa: F401 (fixtures)

EDITOR = Actor("eve", "editor", frozenset({"CE4BIG"}))


def test_a_checkin_then_a_second_on_the_same_day_replaces_it(db):
    first = entry.add_checkin(db, EDITOR, project_id="CE4BIG", code="SPL", checked_on=date(2021, 9, 30), value=3,
                              confidence="on_track", note="plans drafted", evidence_url="https://example.org/m")
    assert (first.ok, first.action) == (True, "inserted")
    second = entry.add_checkin(db, EDITOR, project_id="CE4BIG", code="SPL", checked_on=date(2021, 9, 30), value=3.5,
                               confidence="at_risk")
    assert (second.ok, second.action) == (True, "updated")
    assert db.execute("SELECT value, confidence, note, evidence_url, author FROM checkins "
                      "WHERE code = 'SPL' AND checked_on = '2021-09-30'").fetchone() == (3.5, "at_risk", None, None, "eve")
    lines = history.summary(db, project_id="CE4BIG")[["user_name", "via", "table_name", "row_key", "action", "what"]]
    assert lines.values.tolist() == [
        ["eve", "form", "checkins", "CE4BIG / SPL / 2021-09-30", "update",
         "confidence: on_track → at_risk; evidence_url: https://example.org/m → (empty); "
         "note: plans drafted → (empty); value: 3.0 → 3.5"],
        ["eve", "form", "checkins", "CE4BIG / SPL / 2021-09-30", "insert",
         "author eve; checked_on 2021-09-30; code SPL; confidence on_track; evidence_url https://example.org/m; "
         "note plans drafted; project_id CE4BIG; value 3.0"],
    ]


@pytest.mark.parametrize(("values", "messages"), [
    ({"checked_on": date(2025, 1, 1)}, ["checked_on: outside project CE4BIG (2020-02-03 to 2022-02-02)"]),
    ({"code": "NOPE"}, ["project_id, code: unknown KPI: no row in kpis with project_id, code = CE4BIG/NOPE"]),
    ({"confidence": "fine"}, ["confidence: must be one of 'on_track', 'at_risk' or 'off_track'"]),
])
def test_a_checkin_is_checked_like_an_import(db, values, messages):
    before = db.execute("SELECT count(*) FROM checkins").fetchone()
    fields = {"project_id": "CE4BIG", "code": "SPL", "checked_on": date(2021, 9, 30), "value": 1,
              "confidence": "on_track"} | values
    saved = entry.add_checkin(db, EDITOR, **fields)
    assert not saved.ok and saved.messages() == messages
    assert db.execute("SELECT count(*) FROM checkins").fetchone() == before
    assert db.execute("SELECT count(*) FROM change_log").fetchone() == (0,)


def test_a_viewer_or_an_editor_of_another_project_is_refused(db):
    for actor in (Actor("vera", "viewer"), Actor("bob", "editor", frozenset({"BIGINN"}))):
        with pytest.raises(PermissionDenied):
            entry.add_checkin(db, actor, project_id="CE4BIG", code="SPL", checked_on=date(2021, 9, 30), value=1,
                              confidence="on_track")
    assert db.execute("SELECT count(*) FROM change_log").fetchone() == (0,)


def test_kpi_target_baseline_and_due_date(db):
    saved = entry.update_kpi(db, EDITOR, project_id="CE4BIG", code="XCH", target=60, baseline=2, due_date=date(2021, 12, 31))
    assert (saved.ok, saved.action) == (True, "updated")
    assert db.execute("SELECT target, baseline, due_date, name FROM kpis WHERE project_id = 'CE4BIG' AND code = 'XCH'"
                      ).fetchone() == (60.0, 2.0, date(2021, 12, 31), "Organisations taking part in ClusterXchange")
    assert history.summary(db, project_id="CE4BIG")["what"].tolist() == [
        "baseline: 0.0 → 2.0; due_date: (empty) → 2021-12-31; target: 52.0 → 60.0"]
    refused = entry.update_kpi(db, EDITOR, project_id="CE4BIG", code="XCH", target=1, baseline=2, due_date=None)
    assert refused.messages() == ["an increasing KPI needs target > baseline (1 < 2)"]


def test_milestones_add_move_and_delete(db):
    added = entry.save_milestone(db, EDITOR, project_id="CE4BIG", code="XCH", month=9, on_date=None, expected=12)
    assert added.ok and added.action == "inserted"
    m9 = [m for m in entry.milestones(db, "CE4BIG", "XCH") if m["month"] == 9]
    assert m9 == [{"month": 9, "on_date": date(2020, 11, 2), "expected": 12.0, "is_sample": False}]
    moved = entry.save_milestone(db, EDITOR, project_id="CE4BIG", code="XCH", month=None, on_date=date(2020, 12, 1),
                                 expected=13, replaces=date(2020, 11, 2))
    assert moved.ok
    dates = [m["on_date"] for m in entry.milestones(db, "CE4BIG", "XCH")]
    assert date(2020, 11, 2) not in dates and date(2020, 12, 1) in dates
    assert entry.delete_milestone(db, EDITOR, project_id="CE4BIG", code="XCH", on_date=date(2020, 12, 1)).action == "deleted"
    actions = history.summary(db, project_id="CE4BIG")[["row_key", "action"]].values.tolist()
    assert actions == [["CE4BIG / XCH / 2020-12-01", "delete"], ["CE4BIG / XCH / 2020-12-01", "insert"],
                       ["CE4BIG / XCH / 2020-11-02", "delete"], ["CE4BIG / XCH / 2020-11-02", "insert"]]
    assert entry.delete_milestone(db, EDITOR, project_id="CE4BIG", code="XCH", on_date=date(2020, 12, 1)).messages() == [
        "no such row in kpi_milestones: it was deleted meanwhile"]
