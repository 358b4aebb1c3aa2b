"""`python -m analytics import` and `export`: every problem printed, exit 1, nothing written."""
from __future__ import annotations

import os
import subprocess
import sys

from analytics import store
from analytics.models import TABLE_MODELS
from tests.analytics.import_helpers import BAD, db_path, import_log, seeded_file_template  # noqa: F401
from tests.conftest import ROOT


def _cli(*args, db):
    env = os.environ | {"CLUSTERBOARD_DB": str(db), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analytics", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=300)


def test_a_bad_file_prints_every_problem_and_exits_1(db_path):
    done = _cli("import", "checkins", str(BAD / "wrong_types.csv"), db=db_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "wrong_types.csv, row 2, column value: value 'three': is not a number",
        "wrong_types.csv, row 3, column checked_on: value '31.02.2021': is not a date: there is no day 31 in month 2 of 2021",
        "wrong_types.csv, row 4, column confidence: value 'maybe': must be one of 'on_track', 'at_risk' or 'off_track'",
        "wrong_types.csv, row 4, column is_sample: value 'perhaps': is not true/false (write true or false, yes or no, 1 or 0)",
        "wrong_types.csv: 4 problem(s) in 4 rows; nothing was written",
    ]
    assert "reading wrong_types.csv" in done.stderr  # the progress line


def test_dry_run_then_import_then_export(db_path, tmp_path):
    good = tmp_path / "checkins.csv"
    good.write_text("project_id;code;checked_on;value;confidence\nCE4BIG;SPL;30.09.2021;3,5;on track\n", encoding="utf-8")
    dry = _cli("import", "checkins", str(good), "--dry-run", db=db_path)
    assert dry.returncode == 0 and dry.stdout.strip() == (
        "checkins.csv: 1 row read; would insert 1, would update 0, 0 already as in the file (dry run: nothing written)")
    wet = _cli("import", "checkins", str(good), db=db_path)
    assert wet.returncode == 0 and "inserted 1" in wet.stdout
    out = tmp_path / "export"
    exported = _cli("export", str(out), db=db_path)
    assert exported.returncode == 0 and exported.stdout.splitlines()[-1].startswith(f"wrote {len(TABLE_MODELS)} files to")
    assert "CE4BIG,SPL,2021-09-30,3.5,on_track" in (out / "checkins.csv").read_text(encoding="utf-8-sig")
    con = store.connect(db_path, read_only=True)
    assert import_log(con) == [("checkins.csv", "checkins", 1, 0, "ok")]
    con.close()


def test_an_unknown_table_is_refused_by_the_parser(db_path):
    done = _cli("import", "nope", str(BAD / "empty.csv"), db=db_path)
    assert done.returncode == 2 and "invalid choice: 'nope'" in done.stderr
