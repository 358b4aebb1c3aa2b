"""Roles in the layer that writes: who may write what, and every refusal in the access log."""
from __future__ import annotations

import pytest

from analytics import access, audit
from analytics.access import LOCAL_ADMIN, PUBLIC_VIEWER, Actor, may, require_admin, require_write
from analytics.errors import PermissionDenied

VIEWER = Actor("vera", "viewer")
EDITOR = Actor("eddie", "editor", frozenset({"CE4BIG"}))
ADMIN = Actor("ada", "admin")


def refusals(con) -> list[tuple]:
    return con.execute(
        "SELECT actor, role, action, scope, detail FROM access_log WHERE event = 'write_refused' ORDER BY id"
    ).fetchall()


def test_admin_may_write_any_project_and_shared_reference_data(con):
    require_write(ADMIN, "import expenses", ["CE4BIG", "BIGINN"], con=con)
    require_write(ADMIN, "import bsos", [None], con=con)
    require_admin(ADMIN, "manage accounts", con=con)
    assert refusals(con) == []


def test_editor_may_write_own_project(con):
    require_write(EDITOR, "import expenses", ["CE4BIG"], con=con)
    assert refusals(con) == []


def test_editor_refused_other_project_and_logged(con):
    with pytest.raises(PermissionDenied, match="eddie \\(editor\\) may not import expenses on BIGINN"):
        require_write(EDITOR, "import expenses", ["BIGINN"], con=con)
    assert refusals(con) == [("eddie", "editor", "import expenses", "BIGINN", "an editor of CE4BIG only")]


def test_editor_refused_batch_mixing_own_and_other_project(con):
    with pytest.raises(PermissionDenied):
        require_write(EDITOR, "import checkins", ["CE4BIG", "BIGINN"], con=con)
    assert refusals(con)[0][3] == "BIGINN, CE4BIG"


def test_editor_refused_shared_reference_data(con):
    with pytest.raises(PermissionDenied, match="shared reference data"):
        require_write(EDITOR, "import companies", [None], con=con)


def test_viewer_refused_every_write(con):
    with pytest.raises(PermissionDenied, match="viewers only read"):
        require_write(VIEWER, "add a check-in", ["CE4BIG"], con=con)
    with pytest.raises(PermissionDenied, match="admins only"):
        require_admin(VIEWER, "remove sample data", con=con)
    assert [r[2] for r in refusals(con)] == ["add a check-in", "remove sample data"]


def test_editor_refused_admin_action(con):
    with pytest.raises(PermissionDenied, match="admins only"):
        require_admin(EDITOR, "manage accounts", con=con)


def test_refusal_logged_even_when_callers_transaction_rolls_back(con):
    con.execute("BEGIN TRANSACTION")
    with pytest.raises(PermissionDenied):
        require_write(VIEWER, "import expenses", ["CE4BIG"], con=con)
    con.execute("ROLLBACK")
    assert len(refusals(con)) == 1


def test_refusal_without_connection_goes_to_the_fallback_database(con):
    audit.set_fallback(lambda: con)
    try:
        with pytest.raises(PermissionDenied):
            require_write(VIEWER, "import expenses", ["CE4BIG"])
    finally:
        audit.set_fallback(None)
    assert refusals(con)[0][0] == "vera"


def test_refusal_on_a_read_only_database_still_raises(tmp_path):
    from analytics import store

    path = tmp_path / "ro.duckdb"
    store.connect(path, read_only=False).execute("SELECT 1").close()
    c = store.connect(path, read_only=False)
    store.migrate(c)
    c.close()
    ro = store.connect(path, read_only=True)
    with pytest.raises(PermissionDenied):
        require_write(VIEWER, "import expenses", ["CE4BIG"], con=ro)
    assert ro.execute("SELECT count(*) FROM access_log").fetchone()[0] == 0  # could not be written, not a crash


def test_public_read_only_mode_refuses_even_admins(con, monkeypatch):
    monkeypatch.setenv("CLUSTERBOARD_READ_ONLY", "1")
    with pytest.raises(PermissionDenied, match="public read-only mode"):
        require_write(LOCAL_ADMIN, "import expenses", ["CE4BIG"], con=con)
    with pytest.raises(PermissionDenied, match="public read-only mode"):
        require_admin(ADMIN, "manage accounts", con=con)
    assert not may(ADMIN, "write") and not may(ADMIN, "admin") and may(ADMIN, "view")


@pytest.mark.parametrize(
    ("actor", "need", "offered"),
    [
        (VIEWER, "view", True), (VIEWER, "write", False), (VIEWER, "admin", False),
        (EDITOR, "view", True), (EDITOR, "write", True), (EDITOR, "admin", False),
        (ADMIN, "view", True), (ADMIN, "write", True), (ADMIN, "admin", True),
        (PUBLIC_VIEWER, "write", False),
    ],
    ids=lambda v: v.name if isinstance(v, Actor) else str(v),
)
def test_pages_offered_by_role(actor, need, offered):
    assert may(actor, need) is offered


def test_projects_visible_by_role():
    every = ["BIGINN", "CE4BIG", "OTHER"]
    assert ADMIN.visible(every) == every
    assert EDITOR.visible(every) == ["CE4BIG"]  # an editor does not see another consortium's numbers
    assert Actor("funder", "viewer").visible(every) == every  # a viewer without projects: all
    assert Actor("member", "viewer", frozenset({"BIGINN"})).visible(every) == ["BIGINN"]


def test_describe_names_role_and_scope():
    assert EDITOR.describe() == "Editor of CE4BIG"
    assert VIEWER.describe() == "Viewer of all projects"
    assert ADMIN.describe() == "Administrator"
    assert access.ROLES == ("viewer", "editor", "admin")
