"""Seeding: the CSV files in data/seed/ (facts with their source, sample rows flagged).

Idempotent: rows upsert on their natural keys, so running it twice changes nothing. A seed file
that does not validate raises SeedError naming file, row and column; nothing is written.
"""
from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from analytics import loader, store
from analytics.errors import SeedError
from analytics.models import TABLE_MODELS
from analytics.settings import DATA_DIR

SEED_DIR = DATA_DIR / "seed"


def read_csv_records(path: Path) -> list[dict[str, str]]:
    """Plain UTF-8 CSV with a header; the seed is ours, so it is strict (ISO dates, dot decimals)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_sources(seed_dir: Path = SEED_DIR, *, include_sample: bool = True) -> dict:
    sources = {}
    for table in TABLE_MODELS:
        path = seed_dir / f"{table}.csv"
        if not path.exists():
            continue
        records = read_csv_records(path)
        if not include_sample:
            records = [r for r in records if r.get("is_sample", "").strip().lower() not in ("true", "1")]
        sources[table] = (str(path.relative_to(seed_dir.parent.parent) if seed_dir.is_relative_to(DATA_DIR.parent) else path), records, 2)
    return sources


def seed(con: duckdb.DuckDBPyConnection, seed_dir: Path = SEED_DIR, *, include_sample: bool = True) -> dict:
    """Migrate, then load every seed file in one transaction. Returns rows per table."""
    store.migrate(con)
    try:
        return loader.load(con, seed_sources(seed_dir, include_sample=include_sample))
    except loader.LoadError as exc:
        raise SeedError(str(exc)) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SeedError(f"seed file unreadable: {exc}") from exc
