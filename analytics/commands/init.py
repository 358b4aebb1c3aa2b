"""init [--no-sample]: create or migrate the schema and load the seed; idempotent."""
from __future__ import annotations

from analytics import seed, store
from analytics.settings import db_path


def add_parser(sub):
    p = sub.add_parser("init", help="create or migrate the database and load the seed (idempotent)")
    p.add_argument("--no-sample", action="store_true", help="load only facts, no sample rows")
    return p


def run(args) -> int:
    path = db_path(args.db)
    con = store.connect(path, read_only=False)
    try:
        applied = store.migrate(con)
        counts = seed.seed(con, include_sample=not args.no_sample)
    finally:
        con.close()
    inserted = sum(i for i, _ in counts.values())
    updated = sum(u for _, u in counts.values())
    print(f"{path}: schema v{max([0] + [int(a[:3]) for a in applied]) or 'current'}"
          f"{' (migrated: ' + ', '.join(applied) + ')' if applied else ''}; "
          f"seed: {inserted} rows inserted, {updated} already present")
    return 0
