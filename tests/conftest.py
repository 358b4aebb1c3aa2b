"""Shared fixtures: databases built in the test, seeded from data/seed."""
from __future__ import annotations

from pathlib import Path

import pytest

from analytics import seed, store

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture
def con():
    """An empty in-memory database with the schema."""
    c = store.memory()
    yield c
    c.close()


@pytest.fixture(scope="session")
def seeded():
    """The seed in memory, shared read-only by the tests of a session: do not write to it."""
    c = store.memory()
    seed.seed(c)
    yield c
    c.close()


@pytest.fixture(scope="module")
def small():
    """A generated scale-S database (analytics.bench.generator: 10 projects, 10k records), one per
    test module."""
    from analytics.bench import generator

    c = store.memory()
    generator.generate(c, "S")
    yield c
    c.close()


@pytest.fixture
def seeded_rw():
    """The seed in memory, private to one test (may be written)."""
    c = store.memory()
    seed.seed(c)
    yield c
    c.close()


@pytest.fixture
def seeded_db_file(tmp_path, monkeypatch) -> Path:
    """A seeded database file, set as CLUSTERBOARD_DB for the app and the CLI."""
    path = tmp_path / "clusterboard.duckdb"
    c = store.connect(path, read_only=False)
    seed.seed(c)
    c.close()
    monkeypatch.setenv("CLUSTERBOARD_DB", str(path))
    return path


@pytest.fixture
def no_kept_steps(monkeypatch):
    """Evaluations read the facts (or the records), not the kept KPI steps (analytics.kpi_steps):
    for tests of the paths a stale database takes."""
    from analytics import kpi_history

    monkeypatch.setattr(kpi_history, "inputs_fresh_sql", lambda: "SELECT FALSE")
