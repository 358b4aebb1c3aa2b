"""Helpers shared by the commands: argument types, opening the database, printing tables."""
from __future__ import annotations

import argparse
import json
import math
from datetime import date

import duckdb
import pandas as pd

from analytics import store
from analytics.errors import ClusterBoardError


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--as-of {text!r} is not a date in the form YYYY-MM-DD") from None


def open_existing(args, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """The database must exist and carry the schema; commands other than init never create it."""
    from analytics.settings import db_path

    path = db_path(args.db)
    if not path.exists():
        raise ClusterBoardError(f"no database at {path}; run `python -m analytics init` first")
    con = store.connect(path, read_only=read_only)
    if store.schema_version(con) == 0:
        raise ClusterBoardError(f"{path} has no ClusterBoard schema; run `python -m analytics init`")
    return con


def _clean(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, date)):
        return value.isoformat()[:10]
    if value is pd.NaT:
        return None
    return value


def records(df: pd.DataFrame, columns: list[str]) -> list[dict]:
    return [{c: _clean(v) for c, v in zip(columns, row)} for row in df[columns].itertuples(index=False)]


def print_json(payload) -> None:
    print(json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def print_table(rows: list[dict], formats: dict[str, str] | None = None) -> None:
    """A plain fixed-width table for terminals and logs."""
    formats = formats or {}
    if not rows:
        print("(no rows)")
        return
    cols = list(rows[0])

    def fmt(c, v):
        if v is None:
            return "-"
        if c in formats and isinstance(v, (int, float)):
            return format(v, formats[c])
        return str(v)

    cells = [[fmt(c, r[c]) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print("  ".join(v.rjust(w) if v[:1].isdigit() or v[:1] == "-" else v.ljust(w) for v, w in zip(row, widths)))
