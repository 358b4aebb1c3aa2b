"""Remove sample data: every sample row goes in one step, kept in the history; admins only; never
orphaning a real row."""
from __future__ import annotations

import pytest

from analytics import cleanup
from analytics.access import LOCAL_ADMIN, Actor
from analytics.errors import ClusterBoardError, PermissionDenied
from analytics.models import TABLE_MODELS
from analytics.sample import sample_counts
from tests.analytics.import_helpers import db, db_path, import_log, seeded_file_template, snapshot  # noqa: F401


def test_every_sample_row_goes_and_every_real_row_stays(db):
    counts = sample_counts(db)
    real = {t: db.execute(f"SELECT * FROM {t} WHERE NOT is_sample ORDER BY ALL").fetchall() for t in TABLE_MODELS}
    removed = cleanup.remove_sample_data(db, LOCAL_ADMIN)
    assert removed == counts and sum(removed.values()) > 0
    assert sample_counts(db) == {}
    assert {t: db.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLE_MODELS} == real
    assert db.execute("SELECT count(*), min(action), min(via) FROM change_log").fetchone() == (
        sum(counts.values()), "delete", "remove_sample")
    assert import_log(db) == [("(remove sample data)", "*", 0, 0, "sample_removed")]
    assert cleanup.remove_sample_data(db, LOCAL_ADMIN) == {}  # nothing left: nothing to do


def test_only_an_admin_removes_sample_data(db):
    before = snapshot(db)
    with pytest.raises(PermissionDenied, match="admins only"):
        cleanup.remove_sample_data(db, Actor("eve", "editor", frozenset({"CE4BIG"})))
    assert snapshot(db) == before


def test_a_real_row_referring_to_a_sample_row_stops_the_removal(db):
    """A real check-in of a sample KPI would be orphaned: nothing is removed."""
    db.execute("UPDATE kpis SET is_sample = true WHERE project_id = 'CE4BIG' AND code = 'SPL'")
    db.execute("UPDATE checkins SET is_sample = false WHERE project_id = 'CE4BIG' AND code = 'SPL' "
               "AND checked_on = '2021-06-30'")
    before = snapshot(db)
    with pytest.raises(ClusterBoardError, match=r"real rows still refer to sample rows: 1 row\(s\) of checkins refer "
                                                r"to kpis that would be gone \(e.g. CE4BIG/SPL\)"):
        cleanup.remove_sample_data(db, LOCAL_ADMIN)
    assert snapshot(db) == before
