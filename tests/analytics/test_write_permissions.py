"""The Data page's write functions called directly with the wrong role: refused, logged, nothing
written. (Import: analytics.importing; forms: analytics.entry; sample removal: analytics.cleanup.)"""
from __future__ import annotations

from datetime import date

import pytest

from analytics import cleanup, entry, sample
from analytics.access import Actor
from analytics.errors import PermissionDenied
from analytics.importing.pipeline import import_file
from tests.access_helpers import SQL_FRAGMENTS, fingerprint

VIEWER = Actor("vera", "viewer")
EDITOR = Actor("eddie", "editor", frozenset({"CE4BIG"}))
ADMIN = Actor("ada", "admin")

CHECKIN_HEADER = "project_id,code,checked_on,value,confidence,note,evidence_url,author\n"
CE4BIG_CHECKIN = CHECKIN_HEADER + "CE4BIG,SPL,2021-03-31,2,on_track,imported,,eddie\n"
BIGINN_CHECKIN = CHECKIN_HEADER + "BIGINN,MIS,2022-06-30,3,on_track,imported,,eddie\n"
LOGS = ("access_log", "import_log", "change_log")  # a refusal may be logged; data must not change
COMPANY = "company_id,name,country,company_type\nXX-001,New Co,DK,sme\n"


def refused(con) -> list[tuple]:
    return con.execute("SELECT actor, action FROM access_log WHERE event = 'write_refused' ORDER BY id").fetchall()


@pytest.mark.parametrize(
    ("actor", "table", "csv", "action"),
    [
        (VIEWER, "checkins", CE4BIG_CHECKIN, "import checkins"),
        (EDITOR, "checkins", BIGINN_CHECKIN, "import checkins"),  # another consortium's project
        (EDITOR, "companies", COMPANY, "import companies"),  # shared reference data
    ],
    ids=["viewer", "editor-other-project", "editor-reference-data"],
)
def test_import_refused_for_the_wrong_role(seeded_rw, actor, table, csv, action):
    before = fingerprint(seeded_rw, LOGS)
    result = import_file(seeded_rw, table, csv.encode(), actor=actor, file_name=f"{table}.csv")
    assert not result.ok and result.outcome == "refused"
    assert any("may not" in p.reason for p in result.problems)
    assert fingerprint(seeded_rw, LOGS) == before
    assert refused(seeded_rw) == [(actor.name, action)]


def test_import_allowed_for_the_projects_editor(seeded_rw):
    result = import_file(seeded_rw, "checkins", CE4BIG_CHECKIN.encode(), actor=EDITOR, file_name="checkins.csv")
    assert result.ok and result.inserted == 1
    assert refused(seeded_rw) == []


def test_import_refused_to_admin_in_public_read_only_mode(seeded_rw, monkeypatch):
    monkeypatch.setenv("CLUSTERBOARD_READ_ONLY", "1")
    result = import_file(seeded_rw, "checkins", CE4BIG_CHECKIN.encode(), actor=ADMIN, file_name="checkins.csv")
    assert not result.ok and "public read-only mode" in " ".join(p.reason for p in result.problems)


@pytest.mark.parametrize("fragment", SQL_FRAGMENTS, ids=["drop-table", "or-1-1", "stacked-delete"])
def test_sql_fragments_in_file_name_and_cells_are_just_text(seeded_rw, fragment):
    """The file field: a hostile file name and hostile cell values are stored or reported, never run."""
    csv = CHECKIN_HEADER + f'CE4BIG,SPL,2021-03-31,2,on_track,"{fragment.replace(chr(34), chr(34) * 2)}",,eddie\n'
    projects = seeded_rw.execute("SELECT count(*) FROM projects").fetchone()[0]
    result = import_file(seeded_rw, "checkins", csv.encode(), actor=EDITOR, file_name=f"{fragment}.csv")
    assert result.ok, result.problems
    note = seeded_rw.execute("SELECT note FROM checkins WHERE project_id = 'CE4BIG' AND code = 'SPL' "
                             "AND checked_on = DATE '2021-03-31'").fetchone()[0]
    assert note == fragment
    assert seeded_rw.execute("SELECT count(*) FROM projects").fetchone()[0] == projects

    bad_key = CHECKIN_HEADER + f'"{fragment.replace(chr(34), chr(34) * 2)}",SPL,2021-03-31,2,on_track,,,eddie\n'
    result = import_file(seeded_rw, "checkins", bad_key.encode(), actor=ADMIN, file_name="checkins.csv")
    assert not result.ok  # an unknown project, reported as a problem with the value quoted
    assert seeded_rw.execute("SELECT count(*) FROM projects").fetchone()[0] == projects


@pytest.mark.parametrize("actor", [VIEWER, Actor("bea", "editor", frozenset({"BIGINN"}))],
                         ids=["viewer", "editor-other-project"])
def test_data_entry_forms_refused_for_the_wrong_role(seeded_rw, actor):
    before = fingerprint(seeded_rw, LOGS)
    with pytest.raises(PermissionDenied):
        entry.add_checkin(seeded_rw, actor, project_id="CE4BIG", code="SPL", checked_on=date(2021, 3, 31),
                          value=2, confidence="on_track")
    with pytest.raises(PermissionDenied):
        entry.update_kpi(seeded_rw, actor, project_id="CE4BIG", code="LAB", target=40, baseline=0, due_date=None)
    with pytest.raises(PermissionDenied):
        entry.save_milestone(seeded_rw, actor, project_id="CE4BIG", code="LAB", month=6, on_date=None, expected=1)
    assert fingerprint(seeded_rw, LOGS) == before
    assert [a for a, _ in refused(seeded_rw)] == [actor.name] * 3


@pytest.mark.parametrize("actor", [VIEWER, EDITOR], ids=["viewer", "editor"])
def test_removing_sample_data_is_for_admins_only(seeded_rw, actor):
    counts = sample.sample_counts(seeded_rw)
    with pytest.raises(PermissionDenied, match="admins only"):
        cleanup.remove_sample_data(seeded_rw, actor)
    assert sample.sample_counts(seeded_rw) == counts and counts
    assert refused(seeded_rw) == [(actor.name, "remove sample data")]
