"""Shared by the import tests: a seeded database per test (copied from one seeded file, so a test
does not pay for seeding), and a picture of the database to prove an import changed nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from analytics import seed, store
from analytics.models import TABLE_MODELS

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"


@pytest.fixture(scope="session")
def seeded_file_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "seeded.duckdb"
    con = store.connect(path, read_only=False)
    seed.seed(con)
    con.execute("CHECKPOINT")
    con.close()
    return path


@pytest.fixture
def db_path(seeded_file_template, tmp_path) -> Path:
    """A seeded database file of this test's own."""
    path = tmp_path / "clusterboard.duckdb"
    shutil.copy(seeded_file_template, path)
    return path


@pytest.fixture
def db(db_path):
    con = store.connect(db_path, read_only=False)
    yield con
    con.close()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every data table and of the change history, in a fixed order."""
    tables = [*TABLE_MODELS, "change_log"]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def import_log(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute("SELECT file_name, table_name, rows_inserted, rows_updated, result FROM import_log "
                       "ORDER BY import_id").fetchall()
