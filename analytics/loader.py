"""Validate rows with the pydantic models and write them all-or-nothing: the seed, every import and
every form.

Rows are validated one by one with the models, then *staged*: copied into a temporary table with
the line each came from. Everything that concerns more than one row is then checked in SQL over
the staged rows, set-based, so it scales to a million rows: duplicate keys, references to other
tables (in the database or staged in the same batch), dates inside the project, values that do not
fit the column's type. Only when nothing is wrong is the batch written, in one transaction: new
keys inserted, changed rows updated (their previous values kept in change_log), identical rows left
alone, so loading the same data twice changes nothing.
"""
from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import Annotated

import duckdb
import pyarrow as pa
from pydantic import TypeAdapter, ValidationError

from analytics.columns import columns
from analytics.errors import ClusterBoardError
from analytics.models import TABLE_MODELS, Row, model_for

# Enough to fix a file by; past this a file is wrong in bulk and listing more helps nobody.
MAX_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, in the words a person needs to fix it."""

    file: str
    row: int | None  # spreadsheet row in the file: the header is row 1
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


class ConcurrentChange(ClusterBoardError):
    """Another session wrote the same rows first; nothing of this write was kept."""


@dataclass(frozen=True)
class Change:
    """Who makes a change and how: written beside every previous value kept in change_log."""

    user: str
    via: str  # form, import, seed, remove_sample
    import_id: int | None = None
    log_inserts: bool = False  # forms log every new row; bulk loads count them in import_log


SYSTEM = Change("system", "seed")

# Called inside the write transaction with the connection and the tables written, so state
# derived from the tables (pre-aggregations, snapshots) is kept current in the same commit.
def _refresh_facts(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    from analytics import facts  # the pre-aggregates the KPI and budget figures read (issue 8)

    facts.after_write(con, tables)


def _refresh_supply(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    from analytics import supply_facts  # the supply sums the gap scores read (issue 8)

    supply_facts.after_write(con, tables)


def _refresh_partners(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    from analytics import partner_facts  # the candidates the partner finder ranks (issue 8)

    partner_facts.after_write(con, tables)


def _refresh_warnings(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    from analytics import warning_facts  # the rule warnings the Needs-attention list reads (issue 8)

    warning_facts.after_write(con, tables)


def _refresh_kpi_history(con: duckdb.DuckDBPyConnection, tables: set[str]) -> None:
    from analytics import kpi_history  # since when KPIs are off track, read by Needs attention (issue 8)

    kpi_history.after_write(con, tables)


# In order: the KPI history is evaluated from the facts, so they are refreshed first.
AFTER_WRITE: list[Callable[[duckdb.DuckDBPyConnection, set[str]], None]] = [
    _refresh_facts, _refresh_supply, _refresh_partners, _refresh_warnings, _refresh_kpi_history]


@contextmanager
def gc_paused():
    """Validating a million rows allocates millions of objects that all live until the batch is
    written; the cyclic garbage collector would rescan them over and over for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """One transaction around the block: committed at its end, rolled back on any error. A write
    that collides with another session's (DuckDB is optimistic) becomes a message to try again."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException as exc:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed COMMIT has ended the transaction already
        if isinstance(exc, duckdb.TransactionException):
            raise ConcurrentChange(f"another change was saved at the same moment, so nothing of this one was "
                                   f"written; please try again ({exc})") from None
        raise


# -- one row at a time: the models -----------------------------------------------------------

_SHOULD = re.compile(r"^(?:Input|Decimal input|String|Value|List) should (?:be )?")


def _reason(error: dict) -> str:
    """pydantic's message in the words of the page: "must be greater than or equal to 0"."""
    msg = error["msg"]
    if msg.startswith("Value error, "):
        return msg[len("Value error, "):]
    if error["type"] == "missing" or (error.get("input", 0) is None and error["loc"]):
        return "is required but empty or missing"
    if error["type"] == "extra_forbidden":
        return "is not a column of this table"
    if error["type"] == "literal_error":
        return msg.replace("Input should be", "must be one of")
    return _SHOULD.sub(lambda m: "must be " if m.group().endswith("be ") else "must ", msg)


class RowValidator:
    """Validates records of one table with its model, collecting every problem it finds."""

    def __init__(self, table: str, file_name: str, problems: list[Problem]):
        # problems may be swapped for a fresh list per batch; the validator keeps no other state
        self.model = model_for(table)
        self.file_name = file_name
        self.problems = problems
        self._validate = self.model.__pydantic_validator__.validate_python

    @cached_property
    def _field_adapters(self) -> dict[str, TypeAdapter]:
        return {name: TypeAdapter(Annotated[field.annotation, field])
                for name, field in self.model.model_fields.items()}

    def partial(self, record: Mapping[str, object], fields: Iterable[str]) -> dict:
        """The values of ``fields`` that are valid on their own, from a row that is not: staged so
        the row's unknown references are reported in the same run as its other problems."""
        valid = {}
        for name in fields:
            if record.get(name) is not None:
                try:
                    valid[name] = self._field_adapters[name].validate_python(record[name])
                except ValidationError:
                    pass
        return valid

    def __call__(self, line: int, record: Mapping[str, object], skip: frozenset[str] = frozenset()) -> Row | None:
        """The validated row, or None after noting its problems (except for columns in ``skip``,
        whose problems are already noted or stated once for the whole file)."""
        try:
            return self._validate(record)
        except ValidationError as exc:
            for err in exc.errors():
                column = ".".join(str(p) for p in err["loc"]) or None
                if column in skip:
                    continue
                value = record.get(column) if column else None
                self.problems.append(Problem(self.file_name, line, column, value, _reason(err)))
            return None


def clean_record(record: Mapping[str, object]) -> dict:
    """Empty cells are absent values: the model's default applies, or 'required' is reported."""
    return {k: v for k, v in record.items()
            if not (v is None or (isinstance(v, str) and v.strip() == ""))}


def validate_records(
    table: str,
    records: Iterable[Mapping[str, object]],
    file_name: str,
    *,
    first_line: int = 2,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[Row], list[int], list[Problem]]:
    """Validate each record; return the good rows, their line numbers and every problem."""
    problems: list[Problem] = []
    validate = RowValidator(table, file_name, problems)
    rows, lines = [], []
    for offset, record in enumerate(records):
        row = validate(first_line + offset, clean_record(record))
        if row is not None:
            rows.append(row)
            lines.append(first_line + offset)
        if progress and offset % 10_000 == 0:
            progress(offset)
    return rows, lines, problems


# -- the schema, as the checks need it -------------------------------------------------------

@dataclass(frozen=True)
class TableInfo:
    """What the checks and the writes need of a table's schema, read once per operation."""

    name: str
    types: dict[str, str]  # column -> SQL type
    key: tuple[str, ...]  # the key rows are matched on: the primary key (milestones: the resolved date)

    @property
    def non_key(self) -> list[str]:
        return [c.name for c in columns(self.name) if c.name not in self.key]


def table_info(con: duckdb.DuckDBPyConnection, table: str) -> TableInfo:
    described = con.execute("SELECT name, type, pk FROM pragma_table_info(?)", [table]).fetchall()
    return TableInfo(table, {n: t for n, t, _ in described}, tuple(n for n, _, pk in described if pk))


# -- staging ---------------------------------------------------------------------------------

_ARROW = {"text": pa.string(), "choice": pa.string(), "integer": pa.int64(), "number": pa.float64(),
          "date": pa.date32(), "boolean": pa.bool_(), "decimal": pa.string()}
# Staged as text and as BIGINT so a value the column cannot hold is reported, not rounded or
# refused by a cast: DuckDB rounds '0.12345' into DECIMAL(5,4) without a word.
_STAGE_SQL = {"integer": "BIGINT", "decimal": "VARCHAR"}


def stage_name(table: str) -> str:
    return f"_stage_{table}"


def create_stage(con: duckdb.DuckDBPyConnection, info: TableInfo) -> None:
    cols = ", ".join(f"{c.name} {_STAGE_SQL.get(c.kind, info.types[c.name])}" for c in columns(info.name))
    # _partial: a row that failed validation, staged with its valid values only so its references
    # are checked too; it is never written.
    con.execute(f"CREATE OR REPLACE TEMP TABLE {stage_name(info.name)} ({cols}, _line INTEGER, _partial BOOLEAN)")


def stage_table(table: str, rows: Sequence[Row] | Sequence[Mapping], lines: Sequence[int], *,
                partial: bool = False) -> pa.Table:
    """Validated rows (or, ``partial``, dicts of a failed row's valid values) as an Arrow table in
    the stage's layout: built column-wise, no per-value SQL. Pure, so import workers build it."""
    cols = columns(table)
    names = [c.name for c in cols]
    if partial:
        by_column = [[d.get(name) for d in rows] for name in names]
    else:  # two passes in C: each row's values in model order, then transposed
        by_column = list(zip(*map(itemgetter(*names), (r.__dict__ for r in rows)))) or [[] for _ in names]
    arrays = []
    for col, vals in zip(cols, by_column):
        if col.kind == "decimal":
            vals = [None if v is None else str(v) for v in vals]
        arrays.append(pa.array(vals, type=_ARROW[col.kind]))
    arrays.append(pa.array(lines, type=pa.int32()))
    arrays.append(pa.array([partial] * len(lines), type=pa.bool_()))
    return pa.Table.from_arrays(arrays, names=[c.name for c in cols] + ["_line", "_partial"])


def insert_stage(con: duckdb.DuckDBPyConnection, table: str, chunk: pa.Table) -> None:
    if chunk.num_rows == 0:
        return
    con.register("_stage_chunk", chunk)
    try:
        con.execute(f"INSERT INTO {stage_name(table)} SELECT * FROM _stage_chunk")
    finally:
        con.unregister("_stage_chunk")


def append_stage(con: duckdb.DuckDBPyConnection, table: str, rows: Sequence[Row] | Sequence[Mapping],
                 lines: Sequence[int], *, partial: bool = False) -> None:
    insert_stage(con, table, stage_table(table, rows, lines, partial=partial))


def drop_stages(con: duckdb.DuckDBPyConnection, tables: Iterable[str]) -> None:
    for table in tables:
        con.execute(f"DROP TABLE IF EXISTS {stage_name(table)}")
        con.execute(f"DROP TABLE IF EXISTS {stage_name(table)}_cls")


def _relation(table: str, columns_sql: str, staged: set[str]) -> str:
    """The rows of a table as the batch will leave them: the database's plus the batch's own."""
    if table in staged:
        return f"(SELECT {columns_sql} FROM {table} UNION ALL SELECT {columns_sql} FROM {stage_name(table)})"
    return f"(SELECT {columns_sql} FROM {table})"


def resolve_stage(con: duckdb.DuckDBPyConnection, table: str, staged: set[str]) -> None:
    """Fill the columns a table derives from other tables when the file leaves them empty."""
    if table == "kpi_milestones":  # a milestone given as project month Mn is due on the last day of it
        projects = _relation("projects", "project_id, start_date", staged)
        con.execute(
            f"""UPDATE {stage_name(table)} s
                SET on_date = CAST(p.start_date + to_months(CAST(s.month AS INTEGER)) - INTERVAL 1 DAY AS DATE)
                FROM {projects} p WHERE p.project_id = s.project_id AND s.on_date IS NULL"""
        )


# -- checks over the staged rows -------------------------------------------------------------

def _join_text(cols: Sequence[str], alias: str = "s") -> str:
    return " || '/' || ".join(f"CAST({alias}.{c} AS VARCHAR)" for c in cols)


def _singular(table: str) -> str:
    return {"kpis": "KPI", "bsos": "BSO"}.get(table, table[:-1] if table.endswith("s") else table)


def duplicate_problems(con, info: TableInfo, file_name: str) -> list[Problem]:
    part = ", ".join(info.key)
    rows = con.execute(
        f"""SELECT _line, {_join_text(info.key)}, first_value(_line) OVER w
            FROM {stage_name(info.name)} s WHERE NOT _partial
            WINDOW w AS (PARTITION BY {part} ORDER BY _line)
            QUALIFY row_number() OVER w > 1 ORDER BY _line LIMIT {MAX_PROBLEMS}"""
    ).fetchall()
    return [Problem(file_name, line, part, value, f"duplicate key: the same {part} as row {first}")
            for line, value, first in rows]


def unmatched_references_sql(source: str, reference: tuple, known: str) -> str:
    """SELECT the rows of ``source`` (aliased s) whose ``reference`` finds no row in ``known``."""
    cols, _target, target_cols = reference
    match = " AND ".join(f"k.{t} = s.{c}" for c, t in zip(cols, target_cols))
    present = " AND ".join(f"s.{c} IS NOT NULL" for c in cols)
    return f"FROM {source} s WHERE {present} AND NOT EXISTS (SELECT 1 FROM {known} k WHERE {match})"


def reference_problems(con, table: str, file_name: str, staged: set[str]) -> list[Problem]:
    """Every reference must point at a row in the database or in the same batch."""
    problems = []
    for reference in model_for(table).references:
        cols, target, target_cols = reference
        known = _relation(target, ", ".join(target_cols), staged)
        rows = con.execute(
            f"SELECT s._line, {_join_text(cols)} {unmatched_references_sql(stage_name(table), reference, known)} "
            f"ORDER BY s._line LIMIT {MAX_PROBLEMS}"
        ).fetchall()
        for line, value in rows:
            problems.append(Problem(
                file_name, line, ", ".join(cols), value,
                f"unknown {_singular(target)}: no row in {target} with {', '.join(target_cols)} = {value}",
            ))
    return problems


def dangling_references(con) -> list[str]:
    """Rows of the database whose references find nothing (after a delete), in words."""
    found = []
    for table, model in TABLE_MODELS.items():
        for reference in model.references:
            cols, target, target_cols = reference
            n, example = con.execute(
                f"SELECT count(*), min({_join_text(cols)}) {unmatched_references_sql(table, reference, target)}"
            ).fetchone()
            if n:
                found.append(f"{n} row(s) of {table} refer to {target} that would be gone (e.g. {example})")
    return found


# Dated records must fall inside their project (EU rule: costs and activities in the project period).
PROJECT_DATES = {
    "trainings": ("trained_on",),
    "expenses": ("spent_on",),
    "exchanges": ("start_date", "end_date"),
    "missions": ("start_date", "end_date"),
    "checkins": ("checked_on",),
    "kpis": ("due_date",),
}


def project_date_problems(con, table: str, file_name: str, staged: set[str]) -> list[Problem]:
    problems = []
    if table not in PROJECT_DATES:
        return problems
    if "projects" in staged:  # the batch's own project dates win over the database's
        mine = stage_name("projects")
        periods = (f"(SELECT project_id, start_date, end_date FROM {mine} UNION ALL "
                   f"SELECT project_id, start_date, end_date FROM projects "
                   f"WHERE project_id NOT IN (SELECT project_id FROM {mine}))")
    else:
        periods = "projects"
    for column in PROJECT_DATES[table]:
        rows = con.execute(
            f"""SELECT s._line, s.{column}, s.project_id, p.start_date, p.end_date
                FROM {stage_name(table)} s JOIN {periods} p ON p.project_id = s.project_id
                WHERE s.{column} < p.start_date OR s.{column} > p.end_date
                ORDER BY s._line LIMIT {MAX_PROBLEMS}"""
        ).fetchall()
        problems += [Problem(file_name, line, column, str(value), f"outside project {pid} ({start} to {end})")
                     for line, value, pid, start, end in rows]
    return problems


def fit_problems(con, info: TableInfo, file_name: str) -> list[Problem]:
    """Values the models accept but the column cannot hold exactly: too many decimals, too large."""
    problems = []
    for col in columns(info.name):
        db_type = info.types[col.name]
        if col.kind == "decimal":
            precision, scale = (int(x) for x in db_type[db_type.index("(") + 1:-1].split(","))
            misfit = (f"TRY_CAST(s.{col.name} AS {db_type}) IS NULL OR "
                      f"TRY_CAST(s.{col.name} AS {db_type}) <> TRY_CAST(s.{col.name} AS DECIMAL(38, 18))")
            reason = (f"does not fit the column: at most {precision - scale} digits before the decimal "
                      f"mark and {scale} after")
        elif col.kind == "integer" and db_type == "INTEGER":
            misfit = f"s.{col.name} NOT BETWEEN -2147483648 AND 2147483647"
            reason = "is too large for the column (a whole number up to 2,147,483,647)"
        else:
            continue
        rows = con.execute(
            f"SELECT _line, {col.name} FROM {stage_name(info.name)} s "
            f"WHERE s.{col.name} IS NOT NULL AND ({misfit}) ORDER BY _line LIMIT {MAX_PROBLEMS}"
        ).fetchall()
        problems += [Problem(file_name, line, col.name, str(value), reason) for line, value in rows]
    return problems


def stage_problems(con, info: TableInfo, file_name: str, staged: set[str]) -> list[Problem]:
    """Every problem the staged rows of one table have, given the other tables staged with them
    (call resolve_stage first: a milestone's key is its resolved date)."""
    return (fit_problems(con, info, file_name) + duplicate_problems(con, info, file_name)
            + reference_problems(con, info.name, file_name, staged)
            + project_date_problems(con, info.name, file_name, staged)
            + _deliverable_due_problems(con, info.name, file_name, staged))


def _deliverable_due_problems(con, table: str, file_name: str, staged: set[str]) -> list[Problem]:
    from analytics.deliverables import due_after_end_problems  # the rule lives with the deliverables
    return due_after_end_problems(con, table, file_name, staged)


# -- writing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


def classify(con, info: TableInfo, update_columns: Sequence[str]) -> Counts:
    """Compare the stage with the table: which rows are new, which change, which are the same.

    Only ``update_columns`` are compared (and later written): a column the file did not have keeps
    the value the database holds.
    """
    names = [c.name for c in columns(info.name)]
    casts = ", ".join(f"CAST(s.{c} AS {info.types[c]}) AS {c}" for c in names)
    differs = " OR ".join(f"CAST(s.{c} AS {info.types[c]}) IS DISTINCT FROM t.{c}" for c in update_columns) or "FALSE"
    join = " AND ".join(f"t.{k} = s.{k}" for k in info.key)
    stage = stage_name(info.name)
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {stage}_cls AS
            SELECT {casts}, s._line,
                   CASE WHEN t.{info.key[0]} IS NULL THEN 'new' WHEN {differs} THEN 'changed' ELSE 'same' END AS _state
            FROM {stage} s LEFT JOIN {info.name} t ON {join} WHERE NOT s._partial"""
    )
    con.execute(f"DROP TABLE {stage}")  # everything is in the classified copy now; a large stage is memory
    counts = dict(con.execute(f"SELECT _state, count(*) FROM {stage}_cls GROUP BY _state").fetchall())
    return Counts(counts.get("new", 0), counts.get("changed", 0), counts.get("same", 0))


def row_key_sql(key: Sequence[str], alias: str) -> str:
    return "concat_ws(' / ', " + ", ".join(f"CAST({alias}.{k} AS VARCHAR)" for k in key) + ")"


def json_sql(cols: Sequence[str], alias: str) -> str:
    return "to_json(struct_pack(" + ", ".join(f"{c} := {alias}.{c}" for c in cols) + "))"


CHANGE_LOG_INSERT = ("INSERT INTO change_log (user_name, via, import_id, table_name, project_id, row_key, "
                     "action, old_values, new_values) ")


def delete_logged(con, info: TableInfo, where: str, params: Sequence[object], change: Change) -> None:
    """Delete the rows of ``info``'s table matching ``where`` (over alias t), each kept in change_log."""
    project = "t.project_id" if "project_id" in info.types else "NULL"
    con.execute(CHANGE_LOG_INSERT + f"""SELECT ?, ?, ?, ?, {project}, {row_key_sql(info.key, 't')}, 'delete',
                                           to_json(t), NULL FROM {info.name} t WHERE {where}""",
                [change.user, change.via, change.import_id, info.name, *params])
    con.execute(f"DELETE FROM {info.name} t WHERE {where}", list(params))


def write_classified(con, info: TableInfo, update_columns: Sequence[str], change: Change) -> None:
    """Apply a classified stage inside the caller's transaction, keeping previous values."""
    table = info.name
    names = [c.name for c in columns(table)]
    cls = f"{stage_name(table)}_cls"
    join = " AND ".join(f"t.{k} = s.{k}" for k in info.key)
    project = "s.project_id" if "project_id" in names else "NULL"
    params = [change.user, change.via, change.import_id, table]
    if update_columns:
        con.execute(
            CHANGE_LOG_INSERT + f"""SELECT ?, ?, ?, ?, {project}, {row_key_sql(info.key, 's')}, 'update',
                                           {json_sql(update_columns, 't')}, {json_sql(update_columns, 's')}
                                    FROM {cls} s JOIN {table} t ON {join} WHERE s._state = 'changed'""", params)
        sets = ", ".join(f"{c} = s.{c}" for c in update_columns)
        con.execute(f"UPDATE {table} t SET {sets} FROM {cls} s WHERE {join} AND s._state = 'changed'")
    if change.log_inserts:
        con.execute(CHANGE_LOG_INSERT + f"""SELECT ?, ?, ?, ?, {project}, {row_key_sql(info.key, 's')}, 'insert',
                                                   NULL, {json_sql(names, 's')}
                                            FROM {cls} s WHERE s._state = 'new'""", params)
    cols = ", ".join(names)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM {cls} WHERE _state = 'new'")


def after_write(con, tables: set[str]) -> None:
    for hook in AFTER_WRITE:
        hook(con, tables)


def upsert(con: duckdb.DuckDBPyConnection, table: str, rows: list[Row], change: Change = SYSTEM) -> tuple[int, int]:
    """Insert or update rows by natural key inside the caller's transaction: (inserted, updated)."""
    if not rows:
        return 0, 0
    info = table_info(con, table)
    create_stage(con, info)
    try:
        append_stage(con, table, rows, list(range(2, len(rows) + 2)))
        resolve_stage(con, table, set())
        counts = classify(con, info, info.non_key)
        write_classified(con, info, info.non_key, change)
    finally:
        drop_stages(con, [table])
    return counts.inserted, counts.updated


def load(
    con: duckdb.DuckDBPyConnection,
    sources: Mapping[str, tuple[str, list[Mapping[str, object]], int]],
    *,
    dry_run: bool = False,
    change: Change = SYSTEM,
) -> dict[str, tuple[int, int]]:
    """Validate every table's records, then write all of them in one transaction.

    ``sources`` maps table -> (file name, records, line of the first record). Raises LoadError
    with every problem and writes nothing when anything is wrong. Returns (inserted, updated)
    per table; rows identical to the stored ones count as neither.
    """
    infos = {t: table_info(con, t) for t in TABLE_MODELS if t in sources}  # dependency order
    problems: list[Problem] = []
    try:
        with gc_paused():
            for table, info in infos.items():
                file_name, records, first_line = sources[table]
                rows, lines, found = validate_records(table, records, file_name, first_line=first_line)
                problems += found
                create_stage(con, info)
                append_stage(con, table, rows, lines)
        for table, info in infos.items():
            resolve_stage(con, table, set(infos))
            problems += stage_problems(con, info, sources[table][0], set(infos))
        if problems:
            raise LoadError(problems)
        counts: dict[str, tuple[int, int]] = {}
        if dry_run:  # compared only: nothing to write, no transaction
            return {t: (c.inserted, c.updated) for t, c in ((t, classify(con, i, i.non_key)) for t, i in infos.items())}
        with transaction(con):
            for table, info in infos.items():  # in order: a milestone's project is written before it
                c = classify(con, info, info.non_key)
                counts[table] = (c.inserted, c.updated)
                write_classified(con, info, info.non_key, change)
            after_write(con, set(infos))
        return counts
    finally:
        drop_stages(con, infos)
