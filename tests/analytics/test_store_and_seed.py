from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analytics import seed, store
from analytics.errors import SeedError
from analytics.models import TABLE_MODELS


def counts(con):
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLE_MODELS}


def test_every_model_has_a_table_with_the_same_columns(con):
    for table, model in TABLE_MODELS.items():
        columns = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table]).fetchall()}
        assert set(model.model_fields) <= columns, table


def test_migrations_are_idempotent(con):
    assert store.migrate(con) == []


def test_seeding_twice_changes_nothing(seeded_rw):
    before = counts(seeded_rw)
    result = seed.seed(seeded_rw)
    assert all(inserted == 0 for inserted, _ in result.values())
    assert counts(seeded_rw) == before


def test_no_sample_loads_only_facts(con):
    seed.seed(con, include_sample=False)
    assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM expenses").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM kpis WHERE project_id = 'CE4BIG'").fetchone()[0] == 6


def test_facts_carry_their_source(seeded):
    rows = seeded.execute("SELECT project_id, grant_agreement, total_budget, source FROM projects ORDER BY 1").fetchall()
    assert [(r[0], r[1], float(r[2])) for r in rows] == [("BIGINN", "101037928", 496261.0), ("CE4BIG", "874436", 420709.52)]
    assert all(r[3] for r in rows)


def _copy_seed(tmp_path: Path) -> Path:
    target = tmp_path / "data" / "seed"
    shutil.copytree(seed.SEED_DIR, target)
    return target


def test_malformed_seed_file_names_file_row_and_column(tmp_path, con):
    seed_dir = _copy_seed(tmp_path)
    path = seed_dir / "projects.csv"
    text = path.read_text(encoding="utf-8").replace("2024-01-31", "2021-13-45")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedError) as err:
        seed.seed(con, seed_dir)
    assert "projects.csv, row 2, column end_date" in str(err.value)
    assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 0  # nothing half-written


def test_project_ending_before_it_starts_is_rejected(tmp_path, con):
    seed_dir = _copy_seed(tmp_path)
    path = seed_dir / "projects.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2024-01-31", "2021-01-31"), encoding="utf-8")
    with pytest.raises(SeedError, match="row 2.*end_date 2021-01-31 precedes start_date 2022-02-01"):
        seed.seed(con, seed_dir)


def test_kpi_with_target_equal_to_baseline_is_rejected(tmp_path, con):
    seed_dir = _copy_seed(tmp_path)
    path = seed_dir / "kpis.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",4,0,increase,", ",4,4,increase,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedError, match="kpis.csv, row 2: target equals baseline"):
        seed.seed(con, seed_dir)


def test_a_date_outside_the_project_is_rejected(tmp_path, con):
    seed_dir = _copy_seed(tmp_path)
    path = seed_dir / "trainings.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = lines[1].split(",")
    date_col = lines[0].split(",").index("trained_on")
    first[date_col] = "2019-01-01"
    lines[1] = ",".join(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SeedError, match="trainings.csv, row 2, column trained_on: value '2019-01-01': outside project"):
        seed.seed(con, seed_dir)


def test_threads_share_one_connection_through_cursors(seeded_db_file):
    """Streamlit runs each session in a thread: one connection, a cursor per thread, same answers."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date

    from analytics import kpis

    con = store.connect(seeded_db_file)
    expected = kpis.kpi_table(con.cursor(), "CE4BIG", date(2021, 6, 30))["actual"].tolist()

    def work(_):
        cur = con.cursor()
        try:
            return kpis.kpi_table(cur, "CE4BIG", date(2021, 6, 30))["actual"].tolist()
        finally:
            cur.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(32)))
    con.close()
    assert all(r == expected for r in results)


def test_read_only_connection_refuses_writes(seeded_db_file):
    import duckdb

    con = store.connect(seeded_db_file, read_only=True)
    with pytest.raises(duckdb.Error):
        con.execute("DELETE FROM projects")
    assert con.execute("SELECT count(*) FROM projects").fetchone()[0] == 2
    con.close()
