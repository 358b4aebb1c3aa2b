"""The connection's memory bound (issue 8): DuckDB's buffer pool is capped and spills to disk."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from analytics import store
from analytics.errors import ClusterBoardError


def setting(con, name: str) -> str:
    return con.execute("SELECT current_setting($n)", {"n": name}).fetchone()[0]


def test_the_buffer_pool_is_bounded_at_512_mb(tmp_path, monkeypatch):
    monkeypatch.delenv("CLUSTERBOARD_DUCKDB_MEMORY", raising=False)
    con = store.connect(tmp_path / "cb.duckdb", read_only=False)
    # DuckDB shows 512 MB (512,000,000 bytes) in binary units: 512e6 / 2**20 = 488.28 MiB
    assert setting(con, "memory_limit") == "488.2 MiB"
    assert setting(con, "temp_directory") == str(tmp_path / "cb.duckdb.tmp")
    con.close()


def test_read_only_connections_are_bounded_too(tmp_path, monkeypatch):
    monkeypatch.delenv("CLUSTERBOARD_DUCKDB_MEMORY", raising=False)
    store.connect(tmp_path / "cb.duckdb", read_only=False).close()
    con = store.connect(tmp_path / "cb.duckdb", read_only=True)
    assert setting(con, "memory_limit") == "488.2 MiB"
    con.close()


def test_the_limit_can_be_raised_for_a_bigger_machine(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERBOARD_DUCKDB_MEMORY", "1GB")
    con = store.connect(tmp_path / "cb.duckdb", read_only=False)
    assert setting(con, "memory_limit") == "953.6 MiB"  # 1e9 / 2**20 = 953.67
    con.close()


@pytest.mark.parametrize("value", ["lots", "512", "-1GB", "80%"])
def test_a_malformed_limit_is_named_back(tmp_path, monkeypatch, value):
    monkeypatch.setenv("CLUSTERBOARD_DUCKDB_MEMORY", value)
    with pytest.raises(ClusterBoardError, match="CLUSTERBOARD_DUCKDB_MEMORY"):
        store.connect(tmp_path / "cb.duckdb", read_only=False)


def test_a_read_only_folder_spills_under_the_system_temp_directory(monkeypatch):
    monkeypatch.setattr(store.os, "access", lambda path, mode: False)
    spill = store._spill_directory(Path("/srv/ro/cb.duckdb"))
    assert spill.parent == Path(tempfile.gettempdir())
    assert spill.name.startswith("clusterboard-") and spill.name.endswith("-cb.tmp")


def test_a_statement_larger_than_the_limit_spills_instead_of_failing(tmp_path, monkeypatch):
    # 3 million groups need well over 32 MB of hash table; with the temp directory DuckDB spills
    monkeypatch.setenv("CLUSTERBOARD_DUCKDB_MEMORY", "32MB")
    con = store.connect(tmp_path / "cb.duckdb", read_only=False)
    n = con.execute("SELECT count(*) FROM (SELECT i % 3000000 AS k, count(*) FROM range(6000000) t(i) GROUP BY k)"
                    ).fetchone()[0]
    assert n == 3_000_000
    con.close()
