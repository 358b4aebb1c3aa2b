"""import_file: one CSV or XLSX file into one table, all or nothing.

Read (encoding, delimiter, sheet) -> find the header -> decide the decimal mark -> convert,
validate and stage every row -> check the staged rows together (keys, references, project dates,
column limits) -> check the actor may write those projects -> compare with the database -> write
new and changed rows, the previous values and the import log in one transaction.

Any problem anywhere means nothing is written, and every problem is reported, not just the first.
A column the file does not have keeps the value stored for each existing row (the row is checked
with it); the one exception is is_sample: a row you import is your data, so it is marked real
unless the file says otherwise.
"""
from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from os import PathLike
from pathlib import Path

import duckdb

from analytics import loader
from analytics.access import Actor, require_write
from analytics.columns import columns
from analytics.errors import ClusterBoardError, PermissionDenied
from analytics.importing import log
from analytics.importing.headers import Layout, find_layout
from analytics.importing.matrix import sector_ids
from analytics.importing.result import ImportResult
from analytics.importing.rows import RowStager
from analytics.importing.sheets import FileProblem, open_sheet
from analytics.loader import Change, Problem, stage_name
from analytics.models import TABLE_MODELS
from analytics.settings import RowLimits

ProgressCallback = Callable[[float, str], None]
PREVIEW_ROWS = 50
STATE_LABELS = {"new": "new", "changed": "changes", "same": "unchanged"}


class UnknownTable(ClusterBoardError):
    def __init__(self, table: str):
        super().__init__(f"unknown table {table!r}; one of: {', '.join(TABLE_MODELS)}")


class _Progress:
    """Phases share the bar: reading 0-10 %, rows 10-80 %, checks 80-90 %, writing 90-100 %."""

    def __init__(self, callback: ProgressCallback | None, total_rows: int = 0):
        self.callback, self.total = callback, max(total_rows, 1)

    def __call__(self, fraction: float, message: str) -> None:
        if self.callback:
            self.callback(min(max(fraction, 0.0), 1.0), message)

    def rows(self, done: int) -> None:
        self(0.10 + 0.70 * min(done / self.total, 1.0), f"validated {done:,} of about {self.total:,} rows")


def _read(source: str | PathLike | bytes, file_name: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), file_name or "upload"
    path = Path(source)
    try:
        return path.read_bytes(), file_name or path.name
    except FileNotFoundError:
        raise ClusterBoardError(f"no file at {path}") from None
    except IsADirectoryError:
        raise ClusterBoardError(f"{path} is a folder, not a file") from None


def import_file(
    con: duckdb.DuckDBPyConnection,
    table: str,
    path: str | PathLike | bytes,
    *,
    actor: Actor,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
    file_name: str | None = None,
    encoding: str | None = None,
    row_limits: RowLimits | None = None,
) -> ImportResult:
    """Validate a file (a path or its bytes) and, unless ``dry_run`` or anything is wrong, write it.

    ``encoding`` forces the character encoding of a CSV (otherwise detected); ``sheet`` picks a
    workbook's sheet (otherwise the one named like the table, else the first); ``progress`` is
    called with (fraction done 0..1, what is happening) for a progress bar or line; ``row_limits``
    refuses a file of more data rows than its kind may have (the Data page's bound on the
    server's memory, settings.WEB_IMPORT_MAX_ROWS). Expected
    problems never raise: they are in the result's ``problems`` and nothing is written.
    """
    if table not in TABLE_MODELS:
        raise UnknownTable(table)
    data, name = _read(path, file_name)
    result = ImportResult(table, name, hashlib.sha256(data).hexdigest(), dry_run)
    started = time.perf_counter()
    try:
        with loader.gc_paused():
            importer = _Import(con, table, result, actor, _Progress(progress), row_limits)
            importer.data, data = data, None  # its only holder, so the bytes go once decoded
            importer.run(sheet, encoding)
    finally:
        loader.drop_stages(con, [table])
        result.seconds = time.perf_counter() - started
    return result


class _Import:
    def __init__(self, con, table: str, result: ImportResult, actor: Actor, progress: _Progress,
                 row_limits: RowLimits | None = None):
        self.con, self.table, self.result, self.actor, self.progress = con, table, result, actor, progress
        self.row_limits = row_limits
        self.problems = result.problems
        self.info = loader.table_info(con, table)
        self.data: bytes | None = None

    def run(self, sheet_name: str | None, encoding: str | None) -> None:
        r = self.result
        self.progress(0.0, f"reading {r.file_name}")
        try:
            data, self.data = self.data, None
            sheet = open_sheet(data, table=self.table, sheet=sheet_name, encoding=encoding)
            del data  # a million-row file is ~90 MB of bytes and as much text: hold one, not both
            layout = find_layout(sheet, self.table)
        except FileProblem as exc:
            rows = exc.rows or [(None, None)]
            self.problems += [Problem(r.file_name, row, None, value or None, str(exc)) for row, value in rows]
            return self._reject()
        r.warnings += sheet.warnings + layout.warnings
        self.problems += [Problem(r.file_name, layout.header_row, column, None, "is a required column but the header lacks it")
                          for column in layout.missing]
        self.progress.total = max(sheet.total_rows - layout.header_row, 1)
        loader.create_stage(self.con, self.info)
        stager = RowStager(self.con, sheet, layout, self.table, r.file_name, self.problems,
                           sectors=self._matrix_sectors(layout), row_limits=self.row_limits)
        r.rows_read = stager.run(self.progress.rows)
        sheet.release()  # every row is staged: the checks and the write read the stage
        r.description = f"{sheet.description}; {stager.decimal.describe()}; header in row {layout.header_row}"
        if r.rows_read == 0:
            self.problems.append(Problem(r.file_name, layout.header_row, None, None,
                                         f"has a header (row {layout.header_row}) but no data rows below it"))
        self.progress(0.80, "checking keys and references")
        if len(self.problems) < loader.MAX_PROBLEMS:
            loader.resolve_stage(self.con, self.table, set())
            self._keep_stored_values(layout)
            self.problems += loader.stage_problems(self.con, self.info, r.file_name, set())
        if self.problems:
            return self._reject()
        if not self._permitted():
            return self._reject("refused")
        self._compare()
        if r.dry_run:
            return
        self._write()

    def _matrix_sectors(self, layout: Layout) -> dict[int, str] | None:
        if not layout.wide:
            return None
        known = [row[0] for row in self.con.execute("SELECT sector_id FROM sectors").fetchall()]
        found, unknown = sector_ids(known, layout.sectors)
        for _index, label in unknown:
            self.problems.append(Problem(self.result.file_name, layout.header_row, label, label,
                                         f"is not a sector id: no row in sectors with sector_id = {label}"))
        return found

    def _present(self, layout: Layout) -> set[str]:
        return set(layout.fields) | ({"sector_id", "level"} if layout.wide else set())

    def _keep_stored_values(self, layout: Layout) -> None:
        """Columns the file lacks take the stored values of existing rows, then those rows are
        validated again as they will be stored (a new target must suit the stored baseline)."""
        absent = [c for c in self.info.non_key if c not in self._present(layout) and c != "is_sample"]
        if not absent:
            return
        stage = stage_name(self.table)
        join = " AND ".join(f"t.{k} = s.{k}" for k in self.info.key)
        self.con.execute(f"UPDATE {stage} s SET {', '.join(f'{c} = t.{c}' for c in absent)} "
                         f"FROM {self.table} t WHERE {join} AND NOT s._partial")
        merged = self.con.execute(f"SELECT s.* EXCLUDE (_partial) FROM {stage} s JOIN {self.table} t ON {join} "
                                  "WHERE NOT s._partial ORDER BY s._line")
        names = [d[0] for d in merged.description]
        before = len(self.problems)
        validate = loader.RowValidator(self.table, self.result.file_name, self.problems)
        while batch := merged.fetchmany(10_000):
            for values in batch:
                record = dict(zip(names, values))
                validate(record.pop("_line"), loader.clean_record(record))
        for i in range(before, len(self.problems)):
            p = self.problems[i]
            self.problems[i] = Problem(p.file, p.row, p.column, p.value,
                                       f"{p.reason} (checked with the stored {', '.join(absent)}, which the file leaves out)")

    def _permitted(self) -> bool:
        if "project_id" in self.info.types:
            projects = [r[0] for r in self.con.execute(f"SELECT DISTINCT project_id FROM {stage_name(self.table)}").fetchall()]
        else:
            projects = [None]  # shared reference data
        try:
            require_write(self.actor, f"import {self.table}", projects, con=self.con)
        except PermissionDenied as exc:
            self.problems.append(Problem(self.result.file_name, None, "project_id" if projects != [None] else None, None, str(exc)))
            return False
        return True

    def _compare(self) -> None:
        r = self.result
        counts = loader.classify(self.con, self.info, self.info.non_key)
        r.inserted, r.updated, r.same = counts.inserted, counts.updated, counts.unchanged
        cls = f"{stage_name(self.table)}_cls"
        preview = self.con.execute(f"SELECT * FROM {cls} ORDER BY _line LIMIT {PREVIEW_ROWS}").df()
        preview["_state"] = preview["_state"].map(STATE_LABELS)
        r.preview = preview.rename(columns={"_line": "row", "_state": "status"})[
            ["row", "status"] + [c.name for c in columns(self.table)]]
        join = " AND ".join(f"t.{k} = s.{k}" for k in self.info.key)
        replaced = self.con.execute(
            f"SELECT count(*) FROM {cls} s JOIN {self.table} t ON {join} WHERE t.is_sample AND NOT s.is_sample"
        ).fetchone()[0]
        if replaced:
            r.warnings.append(f"{replaced:,} row(s) replace sample rows and are now marked as real data "
                              "(is_sample false); check their other columns")
        for import_id, when, who in log.seen_before(self.con, r.sha256, self.table):
            r.warnings.append(f"this file was already imported into {self.table} on {when:%Y-%m-%d %H:%M} "
                              f"by {who} (import #{import_id})")
        r.outcome = "checked"

    def _write(self) -> None:
        r = self.result
        self.progress(0.90, "writing")
        r.outcome = "unchanged" if r.unchanged else "ok"
        try:
            with loader.transaction(self.con):
                r.import_id = log.write(self.con, r, self.actor)
                if not r.unchanged:
                    loader.write_classified(self.con, self.info, self.info.non_key,
                                            Change(self.actor.name, "import", r.import_id))
                    loader.after_write(self.con, {self.table})
        except BaseException:
            r.outcome, r.import_id = "rejected", None
            raise
        self.progress(1.0, "done")

    def _reject(self, outcome: str = "rejected") -> None:
        r = self.result
        r.outcome = outcome
        order = {c.name: i for i, c in enumerate(columns(self.table))}
        self.problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))
        if not r.dry_run:
            try:
                r.import_id = log.write(self.con, r, self.actor)
            except duckdb.Error as exc:  # a read-only database cannot log; the refusal still stands
                r.warnings.append(f"the refusal could not be written to the import log: {exc}")
