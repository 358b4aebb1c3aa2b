"""All or nothing, and never twice: re-imports change nothing, updates keep what they replace,
refused writes write nothing, and a killed import leaves the database exactly as it was."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from decimal import Decimal

import pytest

from analytics import store
from analytics.access import LOCAL_ADMIN, Actor
from analytics.importing import import_file
from analytics.importing import rows as import_rows
from analytics.loader import Problem
from tests.analytics.import_helpers import db, db_path, import_log, seeded_file_template, snapshot  # noqa: F401
from tests.conftest import ROOT

CHECKINS = (b"project_id,code,checked_on,value,confidence,note\n"
            b"CE4BIG,SPL,2021-09-30,3,on_track,plans drafted\n"
            b"CE4BIG,EUP,2021-09-30,0,at_risk,\n")


def test_reimporting_the_same_file_changes_nothing_and_says_so(db):
    first = import_file(db, "checkins", CHECKINS, actor=LOCAL_ADMIN, file_name="c.csv")
    assert (first.inserted, first.updated, first.same, first.outcome) == (2, 0, 0, "ok")
    after_first = snapshot(db)
    again = import_file(db, "checkins", CHECKINS, actor=LOCAL_ADMIN, file_name="c.csv")
    assert (again.inserted, again.updated, again.same, again.outcome) == (0, 0, 2, "unchanged")
    assert again.unchanged
    assert len(again.warnings) == 1 and again.warnings[0].startswith(
        f"this file was already imported into checkins on ") and again.warnings[0].endswith(
        f"by local (import #{first.import_id})")
    assert snapshot(db) == after_first
    assert import_log(db) == [("c.csv", "checkins", 2, 0, "ok"), ("c.csv", "checkins", 0, 0, "unchanged")]


def test_an_update_keeps_the_value_it_replaces(db):
    import_file(db, "checkins", CHECKINS, actor=LOCAL_ADMIN, file_name="c.csv")
    changed = CHECKINS.replace(b"2021-09-30,3,on_track", b"2021-09-30,3.5,at_risk")
    result = import_file(db, "checkins", changed, actor=LOCAL_ADMIN, file_name="c2.csv")
    assert (result.inserted, result.updated, result.same) == (0, 1, 1)
    assert db.execute("SELECT value, confidence FROM checkins WHERE code = 'SPL' AND checked_on = '2021-09-30'").fetchone() \
        == (3.5, "at_risk")
    log = db.execute("SELECT user_name, via, import_id, row_key, action, old_values->>'value', new_values->>'value', "
                     "old_values->>'confidence' FROM change_log").fetchall()
    assert log == [("local", "import", result.import_id, "CE4BIG / SPL / 2021-09-30", "update", "3.0", "3.5", "on_track")]


def test_columns_the_file_leaves_out_keep_their_stored_values(db):
    import_file(db, "checkins", CHECKINS, actor=LOCAL_ADMIN, file_name="c.csv")
    without_note = b"project_id,code,checked_on,value,confidence\nCE4BIG,SPL,2021-09-30,4,on_track\n"
    result = import_file(db, "checkins", without_note, actor=LOCAL_ADMIN, file_name="c2.csv")
    assert result.updated == 1
    assert db.execute("SELECT value, note FROM checkins WHERE code = 'SPL' AND checked_on = '2021-09-30'").fetchone() \
        == (4.0, "plans drafted")


def test_a_partial_row_is_checked_with_the_stored_values(db):
    """A new target alone must still exceed the stored baseline of an increasing KPI."""
    db.execute("UPDATE kpis SET baseline = 10, target = 20 WHERE project_id = 'CE4BIG' AND code = 'XCH'")
    data = (b"project_id,code,name,unit,measure,target\n"
            b"CE4BIG,XCH,Organisations taking part in ClusterXchange,organisations,organisations_exchanged,8\n")
    before = snapshot(db)
    result = import_file(db, "kpis", data, actor=LOCAL_ADMIN, file_name="k.csv")
    assert [(p.row, p.column, p.reason) for p in result.problems] == [(2, None, (
        "an increasing KPI needs target > baseline (8 < 10) (checked with the stored baseline, direction, "
        "due_date, min_label_level, interpolation, owner, is_placeholder, source, which the file leaves out)"))]
    assert snapshot(db) == before


def test_a_dry_run_writes_nothing_not_even_the_log(db):
    before = snapshot(db)
    result = import_file(db, "checkins", CHECKINS, actor=LOCAL_ADMIN, file_name="c.csv", dry_run=True)
    assert (result.ok, result.inserted, result.outcome) == (True, 2, "checked")
    assert snapshot(db) == before and import_log(db) == []


@pytest.mark.parametrize(("actor", "table", "data", "reason"), [
    (Actor("vera", "viewer"), "checkins", CHECKINS, "vera (viewer) may not import checkins on CE4BIG: viewers only read"),
    (Actor("bob", "editor", frozenset({"BIGINN"})), "checkins", CHECKINS,
     "bob (editor) may not import checkins on CE4BIG: an editor of BIGINN only"),
    (Actor("eve", "editor", frozenset({"CE4BIG"})), "sectors", b"sector_id,name\nQUANT,Quantum technologies\n",
     "eve (editor) may not import sectors on shared reference data: an editor of CE4BIG only"),
])
def test_a_refused_import_writes_nothing_and_is_logged(db, actor, table, data, reason):
    before = snapshot(db)
    result = import_file(db, table, data, actor=actor, file_name="f.csv")
    assert result.problems == [Problem("f.csv", None, "project_id" if table == "checkins" else None, None, reason)]
    assert result.outcome == "refused" and snapshot(db) == before
    assert import_log(db) == [("f.csv", table, 0, 0, "refused")]


def test_an_editor_imports_their_own_project(db):
    result = import_file(db, "checkins", CHECKINS, actor=Actor("eve", "editor", frozenset({"CE4BIG"})), file_name="c.csv")
    assert result.ok and result.inserted == 2
    assert db.execute("SELECT DISTINCT user_name FROM import_log").fetchall() == [("eve",)]


def _expenses_csv(path, rows: int) -> None:
    partners = ["Atlanpole Biotherapies", "BioWin", "BioM Biotech Cluster Development", "LifeScience Kraków"]
    lines = [f"K{i:07d},CE4BIG,{partners[i % 4]},C{1 + i % 3},{(i % 9000) / 7:.2f},2021-{1 + i % 12:02d}-15"
             for i in range(rows)]
    path.write_text("expense_id,project_id,partner,category,amount,spent_on\n" + "\n".join(lines) + "\n",
                    encoding="utf-8")


def test_workers_read_a_large_file_exactly_as_one_process(db, tmp_path, monkeypatch):
    """The same rows and the same problems, in the same order, from 2 processes as from 1."""
    path = tmp_path / "big.csv"
    _expenses_csv(path, 3_000)
    text = path.read_text(encoding="utf-8").replace("K0000100,CE4BIG,", "K0000100,NOPE,").replace(
        ",1500.00,", ",n/a,")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(import_rows, "CHUNK", 250)
    monkeypatch.setattr(import_rows, "PARALLEL_MIN_ROWS", 0)
    results = {}
    for workers in ("1", "2"):
        monkeypatch.setenv("CLUSTERBOARD_IMPORT_WORKERS", workers)
        results[workers] = import_file(db, "expenses", path, actor=LOCAL_ADMIN, dry_run=True)
    assert results["1"].problems == results["2"].problems and len(results["1"].problems) >= 2
    good = path.read_text(encoding="utf-8").replace("K0000100,NOPE,", "K0000100,CE4BIG,").replace(",n/a,", ",1500.00,")
    path.write_text(good, encoding="utf-8")
    monkeypatch.setenv("CLUSTERBOARD_IMPORT_WORKERS", "2")
    result = import_file(db, "expenses", path, actor=LOCAL_ADMIN)
    assert result.ok and result.inserted == 3_000
    assert db.execute("SELECT sum(amount) FROM expenses WHERE expense_id LIKE 'K%'").fetchone()[0] == sum(
        Decimal(f"{(i % 9000) / 7:.2f}") for i in range(3_000))


def test_a_worker_that_dies_falls_back_to_one_process(db, tmp_path, monkeypatch):
    path = tmp_path / "big.csv"
    _expenses_csv(path, 1_000)
    monkeypatch.setattr(import_rows, "CHUNK", 250)
    monkeypatch.setattr(import_rows, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setenv("CLUSTERBOARD_IMPORT_WORKERS", "2")
    parent, read = os.getpid(), import_rows.ChunkReader.read

    def dies_in_a_worker(self, chunk, mark):
        if os.getpid() != parent:
            os._exit(3)
        return read(self, chunk, mark)

    monkeypatch.setattr(import_rows.ChunkReader, "read", dies_in_a_worker)  # the forks inherit it
    result = import_file(db, "expenses", path, actor=LOCAL_ADMIN)
    assert result.ok and result.inserted == 1_000


KILLED_IMPORT = """
import sys, time
from analytics import loader
from analytics.access import LOCAL_ADMIN
from analytics.importing import import_file
from analytics import store
db, path, when = sys.argv[1:4]

def pause(message):
    print(message, flush=True)
    time.sleep(120)

def progress(fraction, message):
    if when == "validating" and message.startswith("validated") and fraction > 0.4:
        pause("validating")

if when == "writing":  # inside the transaction, every row written, before COMMIT
    loader.AFTER_WRITE.append(lambda con, tables: pause("writing"))
import_file(store.connect(db, read_only=False), "expenses", path, actor=LOCAL_ADMIN, progress=progress)
print("finished", flush=True)
"""


@pytest.mark.parametrize("when", ["validating", "writing"])
def test_a_killed_import_leaves_the_database_as_before(db_path, tmp_path, when):
    con = store.connect(db_path, read_only=False)
    before = snapshot(con)
    log_before = import_log(con)
    con.close()
    path = tmp_path / "big.csv"
    _expenses_csv(path, 60_000)
    env = os.environ | {"CLUSTERBOARD_IMPORT_WORKERS": "1", "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", KILLED_IMPORT, str(db_path), str(path), when],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        assert child.stdout.readline().strip() == when, child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
    finally:
        child.kill()
    assert child.returncode == -signal.SIGKILL
    con = store.connect(db_path, read_only=False)  # opens: the file is intact
    try:
        assert snapshot(con) == before
        assert import_log(con) == log_before
        # and it still takes writes: the same file imports in full
        assert import_file(con, "expenses", path, actor=LOCAL_ADMIN).inserted == 60_000
    finally:
        con.close()
