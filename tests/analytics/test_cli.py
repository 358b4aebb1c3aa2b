"""The command-line contract: exit codes, one-line errors, JSON output."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def cli(*args, env_db=None):
    env = None
    if env_db is not None:
        import os
        env = os.environ | {"CLUSTERBOARD_DB": str(env_db)}
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


def test_init_is_idempotent(tmp_path):
    db = tmp_path / "x.duckdb"
    first = cli("init", "--db", str(db))
    assert first.returncode == 0, first.stderr
    second = cli("init", "--db", str(db))
    assert second.returncode == 0
    assert "0 rows inserted" in second.stdout


def test_kpis_json(seeded_db_file):
    out = cli("kpis", "CE4BIG", "--as-of", "2022-02-02", "--json", "--db", str(seeded_db_file))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["as_of"] == "2022-02-02"
    by_code = {k["code"]: k for k in data["kpis"]}
    assert by_code["TRN"]["actual"] == 8 and by_code["TRN"]["status"] == "achieved"
    assert set(by_code["XCH"]) >= {"code", "target", "actual", "expected", "progress", "pace", "status", "forecast"}


def test_budget_json(seeded_db_file):
    out = cli("budget", "CE4BIG", "--as-of", "2021-06-30", "--json", "--db", str(seeded_db_file))
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["summary"]["planned"] == pytest.approx(420709.52)
    assert [c["category"] for c in data["by_category"]] == ["A", "B", "C1", "C3", "D1", "E"]


def test_unknown_project_is_one_line_and_exit_1(seeded_db_file):
    out = cli("kpis", "NOPE", "--db", str(seeded_db_file))
    assert out.returncode == 1
    assert out.stderr.strip() == "error: unknown project 'NOPE'; known projects: BIGINN, CE4BIG"


def test_bad_as_of_date_names_the_argument(seeded_db_file):
    out = cli("kpis", "CE4BIG", "--as-of", "31.12.2021", "--db", str(seeded_db_file))
    assert out.returncode == 2
    assert "--as-of '31.12.2021' is not a date in the form YYYY-MM-DD" in out.stderr


def test_missing_database_says_run_init(tmp_path):
    out = cli("kpis", "CE4BIG", "--db", str(tmp_path / "missing.duckdb"))
    assert out.returncode == 1
    assert "run `python -m analytics init` first" in out.stderr
    assert not (tmp_path / "missing.duckdb").exists()


def test_a_reader_that_stops_early_is_no_error(seeded_db_file):
    """`... --json | head -1`: the reader goes away before the output is written (here, before the
    command has even started, so its first write meets a closed pipe); no traceback, exit 0."""
    proc = subprocess.Popen([sys.executable, "-m", "analytics", "gaps", "--json", "--db", str(seeded_db_file)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr
