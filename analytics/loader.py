"""Validate rows with the pydantic models and write them all-or-nothing: the seed and every import.

A batch is a mapping table -> records (dicts of column -> value, as read from a file). Loading
validates every row of every table, checks keys and references against the batch and the
database, and only when nothing is wrong writes the whole batch in one transaction, upserting on
the natural key, so re-loading the same data changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import duckdb
import pandas as pd
from pydantic import ValidationError

from analytics.models import TABLE_MODELS, Row, model_for


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, in the words a person needs to fix it."""

    file: str
    row: int | None  # 1-based line in the file (the header is line 1)
    column: str | None
    value: object
    reason: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        value = "" if self.value is None else f" value {self.value!r}:"
        return f"{', '.join(where)}:{value} {self.reason}"

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "column": self.column,
                "value": None if self.value is None else str(self.value), "reason": self.reason}


class LoadError(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:50])
        more = f"\n... and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"{len(problems)} problem(s), nothing was written:\n{shown}{more}")


@dataclass
class Batch:
    """Validated rows per table, with the file and line each came from."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)


def _reason(error: dict) -> str:
    msg = error["msg"]
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    if error["type"] == "missing":
        return "is required but empty or missing"
    if error["type"] == "extra_forbidden":
        return "is not a column of this table"
    if error["type"] == "literal_error":
        return msg.replace("Input should be", "must be one of")
    return msg


def validate_records(
    table: str,
    records: Iterable[Mapping[str, object]],
    file_name: str,
    *,
    first_line: int = 2,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Row], list[int], list[Problem]]:
    """Validate each record; return the good rows, their line numbers and every problem."""
    model = model_for(table)
    rows, lines, problems = [], [], []
    for offset, record in enumerate(records):
        line = first_line + offset
        cleaned = {k: (None if v is None or (isinstance(v, str) and v.strip() == "") else v) for k, v in record.items()}
        try:
            rows.append(model.model_validate(cleaned))
            lines.append(line)
        except ValidationError as exc:
            for err in exc.errors():
                column = ".".join(str(p) for p in err["loc"]) or None
                value = cleaned.get(column) if column else None
                problems.append(Problem(file_name, line, column, value, _reason(err)))
        if progress and offset % 10_000 == 0:
            progress(offset)
    return rows, lines, problems


def _key(row: Row, columns: tuple[str, ...]) -> tuple:
    return tuple(getattr(row, c) for c in columns)


def duplicate_key_problems(table: str, rows: list[Row], lines: list[int], file_name: str) -> list[Problem]:
    model = model_for(table)
    if table == "kpi_milestones":  # keyed by the resolved date; month and date may both be given
        return []
    seen: dict[tuple, int] = {}
    problems = []
    for row, line in zip(rows, lines):
        key = _key(row, model.key)
        if key in seen:
            problems.append(Problem(file_name, line, ", ".join(model.key), "/".join(map(str, key)),
                                    f"duplicate key: the same {', '.join(model.key)} as row {seen[key]}"))
        else:
            seen[key] = line
    return problems


def reference_problems(con: duckdb.DuckDBPyConnection, batch: Batch) -> list[Problem]:
    """Every reference must point at a row in the database or in the same batch."""
    problems = []
    for table, rows in batch.rows.items():
        model = model_for(table)
        for columns, target, target_columns in model.references:
            known = set(batch_keys(batch, target, target_columns))
            existing = con.execute(
                f"SELECT DISTINCT {', '.join(target_columns)} FROM {target}"  # names from the models
            ).fetchall()
            known.update(tuple(r) for r in existing)
            for row, line in zip(rows, batch.lines[table]):
                key = _key(row, columns)
                if any(v is None for v in key):
                    continue
                if key not in known:
                    problems.append(Problem(
                        batch.files[table], line, ", ".join(columns), "/".join(map(str, key)),
                        f"unknown {target[:-1] if target.endswith('s') else target}: no row in {target} "
                        f"with {', '.join(target_columns)} = {'/'.join(map(str, key))}",
                    ))
    return problems


# Dated records must fall inside their project (EU rule: costs and activities in the project period).
PROJECT_DATES = {
    "trainings": ("trained_on",),
    "expenses": ("spent_on",),
    "exchanges": ("start_date", "end_date"),
    "missions": ("start_date", "end_date"),
    "checkins": ("checked_on",),
    "kpis": ("due_date",),
}


def project_date_problems(con: duckdb.DuckDBPyConnection, batch: Batch) -> list[Problem]:
    periods = {r.project_id: (r.start_date, r.end_date) for r in batch.rows.get("projects", [])}
    for pid, start, end in con.execute("SELECT project_id, start_date, end_date FROM projects").fetchall():
        periods.setdefault(pid, (start, end))
    problems = []
    for table, columns in PROJECT_DATES.items():
        for row, line in zip(batch.rows.get(table, []), batch.lines.get(table, [])):
            period = periods.get(row.project_id)
            if period is None:
                continue  # reported as an unknown project
            for column in columns:
                value = getattr(row, column)
                if value is not None and not (period[0] <= value <= period[1]):
                    problems.append(Problem(
                        batch.files[table], line, column, str(value),
                        f"outside project {row.project_id} ({period[0]} to {period[1]})",
                    ))
    return problems


def batch_keys(batch: Batch, table: str, columns: tuple[str, ...]) -> list[tuple]:
    return [_key(r, columns) for r in batch.rows.get(table, [])]


def _frame(table: str, rows: list[Row]) -> pd.DataFrame:
    """Rows as text columns; the INSERT casts each to the table's own type (exact for decimals)."""
    columns = list(model_for(table).model_fields)

    def text(v: object) -> str | None:
        if v is None:
            return None
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (date, Decimal)):
            return str(v)
        return str(v)

    data = {c: [text(getattr(r, c)) for r in rows] for c in columns}
    return pd.DataFrame(data, columns=columns, dtype=object)


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    return dict(con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall())


# Columns a table derives at load time from other tables, as SQL over the staging rows.
RESOLVERS = {
    "kpi_milestones": """UPDATE staging SET on_date = CAST(p.start_date + to_months(staging.month) - INTERVAL 1 DAY AS DATE)
                         FROM projects p WHERE p.project_id = staging.project_id AND staging.on_date IS NULL""",
}


def upsert(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row]) -> tuple[int, int]:
    """Insert or update rows by natural key inside the caller's transaction: (inserted, updated)."""
    if not rows:
        return 0, 0
    model = model_for(table)
    types = _column_types(con, table)
    frame = _frame(table, rows)
    con.register("staging_frame", frame)
    try:
        casts = ", ".join(f"CAST({c} AS {types[c]}) AS {c}" for c in frame.columns)
        con.execute(f"CREATE OR REPLACE TEMP TABLE staging AS SELECT {casts} FROM staging_frame")
    finally:
        con.unregister("staging_frame")
    if table in RESOLVERS:
        con.execute(RESOLVERS[table])
    key = list(model.key if table != "kpi_milestones" else ("project_id", "code", "on_date"))
    match = " AND ".join(f"t.{c} IS NOT DISTINCT FROM s.{c}" for c in key)
    updated = con.execute(f"SELECT count(*) FROM {table} t JOIN staging s ON {match}").fetchone()[0]
    others = [c for c in frame.columns if c not in key]
    cols = ", ".join(frame.columns)
    if others:
        sets = ", ".join(f"{c} = excluded.{c}" for c in others)
        conflict = f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
    else:
        conflict = "ON CONFLICT DO NOTHING"
    # Dedupe inside the batch on the key (last row wins), as a second load of the row would.
    con.execute(
        f"INSERT INTO {table} ({cols}) SELECT {cols} FROM staging "
        f"QUALIFY row_number() OVER (PARTITION BY {', '.join(key)}) = 1 {conflict}"
    )
    con.execute("DROP TABLE staging")
    return len(rows) - updated, updated


def load(
    con: duckdb.DuckDBPyConnection,
    sources: Mapping[str, tuple[str, list[Mapping[str, object]], int]],
    *,
    dry_run: bool = False,
) -> dict[str, tuple[int, int]]:
    """Validate every table's records, then write all of them in one transaction.

    ``sources`` maps table -> (file name, records, line of the first record). Raises LoadError
    with every problem and writes nothing when anything is wrong.
    """
    batch = Batch()
    problems: list[Problem] = []
    for table in TABLE_MODELS:  # dependency order
        if table not in sources:
            continue
        file_name, records, first_line = sources[table]
        rows, lines, found = validate_records(table, records, file_name, first_line=first_line)
        problems += found
        problems += duplicate_key_problems(table, rows, lines, file_name)
        batch.rows[table], batch.lines[table], batch.files[table] = rows, lines, file_name
    problems += reference_problems(con, batch)
    problems += project_date_problems(con, batch)
    if problems:
        raise LoadError(problems)
    if dry_run:
        return {t: (len(r), 0) for t, r in batch.rows.items()}
    counts = {}
    con.execute("BEGIN TRANSACTION")
    try:
        for table, rows in batch.rows.items():
            counts[table] = upsert(con, table, rows)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return counts
