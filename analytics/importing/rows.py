"""From the rows of a sheet to validated rows in the stage, a chunk at a time.

Cells are read column by column (one converter per column, each distinct cell text converted
once: a million rows hold a few thousand dates and a handful of project ids), then each row is
validated with the table's pydantic model and the valid ones are staged (analytics.loader). Memory
stays bounded by the chunk, whatever the size of the file.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pyarrow as pa

from analytics import loader
from analytics.columns import column_map
from analytics.importing.cells import CellError, ColumnReader
from analytics.importing.headers import Layout
from analytics.importing.matrix import mark_level
from analytics.importing.numbers import decimal_evidence
from analytics.importing.sheets import Sheet, Uncalculated
from analytics.loader import MAX_PROBLEMS, Problem, RowValidator
from analytics.models import model_for
from analytics.settings import RowLimits

log = logging.getLogger("clusterboard.import")

CHUNK = 20_000
PARALLEL_MIN_ROWS = 100_000  # below this, starting workers costs more than it saves
NUMERIC = ("integer", "number", "decimal")
_MARK_NAMES = {".": "decimal point", ",": "decimal comma"}
# The one shape whose reading depends on the file's decimal mark: "1.234", "-12,500", "€ 1.234".
_THREE_AFTER_MARK = re.compile(r"[.,]\d{3}\b")  # a cheap first look: most files never have the shape
_AMBIGUOUS = re.compile(r"(?:^|\n)[^\n\d]{0,6}\d{1,3}[.,]\d{3}[^\n\d]{0,6}(?:\n|$)")


class DecimalMark:
    """The file's decimal mark, learnt from the values that prove it as the rows are read.

    Until a value proves a mark, the default is used (a decimal comma in semicolon-separated files,
    else a point). Only "1.234"-shaped values depend on it; if such a value was read before a later
    row proved the other mark, the rows are read again (MarkChanged). A file that proves both marks
    (a column typed by hand in another locale) has no mark: its ambiguous values are refused, every
    other number still reads unambiguously. A column chunk without a mark's character is passed
    over in one string search.
    """

    def __init__(self, default: str):
        self.default = default
        self.first: dict[str, str] = {}  # mark -> the first value that proved it
        self.read_ambiguous = False

    @property
    def mark(self) -> str | None:
        if len(self.first) == 2:
            return None
        return next(iter(self.first), self.default)

    def learn(self, columns: list[list[object]]) -> bool:
        """Learn from a chunk's numeric columns; True if it holds an ambiguous value."""
        ambiguous = False
        for cells in columns:
            text = [c for c in cells if isinstance(c, str)]
            blob = "\n".join(text)
            for mark in (".", ","):
                if mark not in self.first and mark in blob:
                    for cell in text:
                        if mark in cell and decimal_evidence(cell) == mark:
                            self.first[mark] = cell
                            break
            ambiguous = ambiguous or bool(_THREE_AFTER_MARK.search(blob) and _AMBIGUOUS.search(blob))
        return ambiguous

    def describe(self) -> str:
        if len(self.first) == 2:
            return (f"numbers written both with a decimal comma ({self.first[',']!r}) and a decimal point "
                    f"({self.first['.']!r})")
        if self.first:
            mark, example = next(iter(self.first.items()))
            return f"{_MARK_NAMES[mark]} (as in {example!r})"
        return _MARK_NAMES[self.default] + (" (usual in semicolon-separated files)" if self.default == "," else "")


class MarkChanged(Exception):
    """A row proved the other decimal mark after an ambiguous value was read with the first one."""


def _chunks(sheet: Sheet, layout: Layout):
    """The data rows of a sheet in lists of CHUNK (row number, cells), blank rows left out."""
    chunk = []
    for number, cells in sheet.rows():
        if number <= layout.header_row:
            continue
        first = cells[0] if cells else None
        if not (isinstance(first, str) and first.strip()) and _blank(cells):  # most rows start with a value
            continue
        chunk.append((number, cells))
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _blank(cells: Sequence[object]) -> bool:
    try:
        return not "".join(cells).strip()
    except TypeError:  # a workbook row: numbers, dates, None
        return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _shown(cell: object) -> object:
    """A cell as the problem table shows it: long values cut, so a 10 MB cell stays readable."""
    if isinstance(cell, Uncalculated):
        return str(cell)
    if isinstance(cell, str) and len(cell) > 80:
        return f"{cell[:60]}… ({len(cell):,} characters)"
    return cell


@dataclass(frozen=True)
class ChunkSpec:
    """What reading a chunk needs to know of the file: small and picklable, for the workers."""

    table: str
    file_name: str
    fields: dict[str, int]
    width: int
    missing: frozenset[str]
    text_cells: bool  # a CSV: every cell is a str
    excel_epoch: datetime | None
    uncalculated: bool  # a workbook with formula cells that have no value
    sectors: dict[int, str]  # wide matrix: cell index -> sector id
    sector_labels: dict[int, str]  # wide matrix: cell index -> the header as written


@dataclass
class ChunkOut:
    rows: int  # data rows read
    valid: pa.Table  # staged rows
    partial: pa.Table  # what is valid of the invalid rows, for their references
    problems: list[Problem]


class ChunkReader:
    """Converts and validates one chunk of rows; touches no database, so it may run in a worker."""

    def __init__(self, spec: ChunkSpec):
        self.spec = spec
        self.kinds = column_map(spec.table)
        self.validate = RowValidator(spec.table, spec.file_name, [])
        self._readers: dict[str | None, dict[str, ColumnReader]] = {}
        model = model_for(spec.table)
        self.partial_fields = ({c for cols, _target, _cols in model.references for c in cols}
                               | set(loader.PROJECT_DATES.get(spec.table, ())) | {"project_id", "month", "on_date"}
                               ) & set(self.kinds)

    def readers(self, mark: str | None) -> dict[str, ColumnReader]:
        if mark not in self._readers:
            self._readers[mark] = {name: ColumnReader(self.kinds[name], decimal=mark, excel_epoch=self.spec.excel_epoch,
                                                      uncalculated=self.spec.uncalculated)
                                   for name in self.spec.fields}
        return self._readers[mark]

    def read(self, chunk: list[tuple[int, Sequence[object]]], mark: str | None) -> ChunkOut:
        spec, problems = self.spec, []
        self.validate.problems = problems
        lines = [n for n, _ in chunk]
        grid = [cells if len(cells) == spec.width else self._fit(n, cells, problems) for n, cells in chunk]
        by_column = list(zip(*grid))
        names = list(spec.fields)
        readers = self.readers(mark)
        values, bad = [], {}
        for name in names:
            col, errors = readers[name].many(list(by_column[spec.fields[name]]), text_cells=spec.text_cells)
            for i, cell, reason in errors:
                problems.append(Problem(spec.file_name, lines[i], name, _shown(cell), reason))
                bad.setdefault(i, set()).add(name)
            values.append(col)
        staged = _Staged(self)
        if spec.sectors:
            self._wide(lines, grid, names, values, bad, staged, problems)
        else:
            validate, skip = self.validate, spec.missing
            valid_rows, valid_lines = staged.rows, staged.lines
            for i, vals in enumerate(zip(*values)):
                record = dict(zip(names, vals))
                known = len(problems)
                if i in bad:
                    for name in bad[i]:
                        del record[name]
                    row = validate(lines[i], record, skip | bad[i])
                else:
                    row = validate(lines[i], record, skip)
                if row is not None:  # the common case, without a call
                    valid_rows.append(row)
                    valid_lines.append(lines[i])
                else:
                    self._as_written(problems, known, by_column, i)
                    staged.add(lines[i], record, row)
        return ChunkOut(len(chunk), loader.stage_table(spec.table, staged.rows, staged.lines),
                        loader.stage_table(spec.table, staged.partial, staged.partial_lines, partial=True), problems)

    def _as_written(self, problems: list[Problem], known: int, by_column, i: int) -> None:
        """Show the model's problems with the cell as the file has it ("1,5"), not as converted."""
        for k in range(known, len(problems)):
            p = problems[k]
            if p.column in self.spec.fields:
                problems[k] = Problem(p.file, p.row, p.column, _shown(by_column[self.spec.fields[p.column]][i]), p.reason)

    def _fit(self, number: int, cells: Sequence[object], problems: list[Problem]) -> Sequence[object]:
        """Cells padded to the header's width; cells beyond it must be empty (no header, no column)."""
        width = self.spec.width
        extra = [c for c in cells[width:] if not _blank([c])]
        if extra:
            problems.append(Problem(
                self.spec.file_name, number, None, _shown(extra[0]),
                f"has {len(cells)} cells but the header has {width} columns; a value containing the "
                f"delimiter must be in double quotes",
            ))
        return list(cells[:width]) + [None] * (width - len(cells))

    def _wide(self, lines, grid, names, values, bad, staged: _Staged, problems: list[Problem]) -> None:
        """A matrix row becomes one competency per marked sector cell."""
        spec = self.spec
        for i, vals in enumerate(zip(*values)):
            base = {n: v for n, v in zip(names, vals) if n not in bad.get(i, ())}
            skip = spec.missing | bad.get(i, set())
            for index, sector in spec.sectors.items():
                cell = grid[i][index]
                try:
                    level = mark_level(cell)
                except CellError as exc:
                    problems.append(Problem(spec.file_name, lines[i], spec.sector_labels[index], _shown(cell), str(exc)))
                    continue
                if level is not None:
                    record = base | {"sector_id": sector, "level": level}
                    staged.add(lines[i], record, self.validate(lines[i], record, skip))


class _Staged:
    """The valid rows of a chunk, and what is valid of its invalid ones (for their references)."""

    def __init__(self, reader: ChunkReader):
        self.reader = reader
        self.rows, self.lines, self.partial, self.partial_lines = [], [], [], []

    def add(self, line: int, record: dict, row) -> None:
        if row is not None:
            self.rows.append(row)
            self.lines.append(line)
        else:
            self.partial.append(self.reader.validate.partial(record, self.reader.partial_fields))
            self.partial_lines.append(line)


# -- workers: a large file is read by every core --------------------------------------------

_WORKER: ChunkReader | None = None


def _worker_start(spec: ChunkSpec) -> None:
    global _WORKER
    _WORKER = ChunkReader(spec)


def _worker_read(chunk, mark) -> ChunkOut:
    return _WORKER.read(chunk, mark)


def workers() -> int:
    """Processes that read a large file: CLUSTERBOARD_IMPORT_WORKERS, else one per core (1: none)."""
    configured = os.environ.get("CLUSTERBOARD_IMPORT_WORKERS", "").strip()
    return max(int(configured), 1) if configured.isdigit() else (os.cpu_count() or 1)


def _pool(spec: ChunkSpec, count: int) -> ProcessPoolExecutor | None:
    # fork, not spawn or forkserver: those re-import the __main__ module in every worker, and a
    # caller's unguarded script (or `python -m analytics`) would run again there. The workers only
    # convert and validate (Python, pydantic, Arrow arrays); they never touch DuckDB or Streamlit,
    # whose threads in the parent are the usual hazard of forking.
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(count, mp_context=context, initializer=_worker_start, initargs=(spec,))


class RowStager:
    """Reads the data rows of one sheet into one table's stage, in chunks, in order.

    The decimal mark is learnt here, in file order, before a chunk is handed to a reader (this
    process or a worker), so every chunk is read with the mark known at its place in the file.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, sheet: Sheet, layout: Layout, table: str,
                 file_name: str, problems: list[Problem], *, sectors: dict[int, str] | None = None,
                 row_limits: RowLimits | None = None):
        self.con, self.sheet, self.layout, self.table, self.problems = con, sheet, layout, table, problems
        self.limits = row_limits
        self.max_rows = None if row_limits is None else row_limits.of(sheet.kind)  # this file's kind
        self.spec = ChunkSpec(table, file_name, dict(layout.fields), layout.width, frozenset(layout.missing),
                              sheet.kind == "csv", sheet.excel_epoch, sheet.has_uncalculated, sectors or {},
                              dict(layout.sectors))
        kinds = column_map(table)
        self.numeric = [i for n, i in layout.fields.items() if kinds[n].kind in NUMERIC]
        self.decimal = DecimalMark("," if sheet.delimiter == ";" else ".")
        self.mark = self.decimal.mark
        self.file_name = file_name

    def run(self, progress: Callable[[int], None]) -> int:
        """Stage every data row; returns how many data rows the sheet has."""
        known_problems = len(self.problems)
        count = workers() if self.sheet.total_rows >= PARALLEL_MIN_ROWS else 1
        pool = _pool(self.spec, count) if count > 1 else None
        reader = ChunkReader(self.spec)
        try:
            while True:
                try:
                    return self._run(progress, reader, pool, count)
                except (MarkChanged, BrokenProcessPool) as exc:  # rare: read everything again
                    del self.problems[known_problems:]
                    self.con.execute(f"DELETE FROM {loader.stage_name(self.table)}")
                    if isinstance(exc, BrokenProcessPool):  # a worker died: read here instead
                        log.warning("import workers failed (%s); reading in one process", exc)
                        pool.shutdown(cancel_futures=True)
                        pool = None
                    else:  # now knowing the mark
                        self.decimal.read_ambiguous = False
                        self.mark = self.decimal.mark
        finally:
            if pool:
                pool.shutdown(cancel_futures=True)

    def _run(self, progress, reader: ChunkReader | None, pool: ProcessPoolExecutor | None, count: int) -> int:
        done = handed = 0
        pending: deque[Future] = deque()
        try:
            for chunk in _chunks(self.sheet, self.layout):
                handed += len(chunk)
                if self.max_rows is not None and handed > self.max_rows:
                    self.problems.append(self._too_many(chunk[self.max_rows - (handed - len(chunk))][0]))
                    return handed  # read from the file, though not staged: the file has rows
                self._learn_mark(chunk)
                if pool is None:
                    done += self._take(reader.read(chunk, self.mark))
                else:
                    pending.append(pool.submit(_worker_read, chunk, self.mark))
                    while len(pending) > 2 * count:  # bounded: memory stays a few chunks
                        done += self._take(pending.popleft().result())
                progress(done)
                if len(self.problems) >= MAX_PROBLEMS:
                    self.problems.append(Problem(self.file_name, None, None, None,
                                                 f"stopped after {MAX_PROBLEMS:,} problems: fix these and import again"))
                    return done
            while pending:
                done += self._take(pending.popleft().result())
                progress(done)
            return done
        finally:
            for future in pending:
                future.cancel()

    def _too_many(self, row: int) -> Problem:
        """The first data row past max_rows: counted as read, not from the file's stated size (a
        workbook's dimension can say a million rows for one formatted column)."""
        command = f"`python -m analytics import {self.table} FILE` (no limit, in a process of its own)"
        if self.sheet.kind == "xlsx":
            advice = (f"up to {self.max_rows:,} rows from a workbook ({self.limits.csv:,} from a CSV file, which "
                      f"reads ten times faster), as it runs inside the shared server; save the sheet as CSV, "
                      f"import it with {command}, or split it")
        else:
            advice = (f"up to {self.max_rows:,} rows a file, as it runs inside the shared server; import the "
                      f"file with {command} or split it")
        return Problem(self.file_name, row, None, None, f"is data row {self.max_rows + 1:,}: the Data page imports {advice}")

    def _take(self, out: ChunkOut) -> int:
        self.problems += out.problems
        loader.insert_stage(self.con, self.table, out.valid)
        loader.insert_stage(self.con, self.table, out.partial)
        return out.rows

    def _learn_mark(self, chunk) -> None:
        if not self.numeric:
            return
        numbers = [[cells[i] if i < len(cells) else None for _n, cells in chunk] for i in self.numeric]
        ambiguous = self.decimal.learn(numbers)
        if self.decimal.mark != self.mark:
            if self.decimal.read_ambiguous:
                raise MarkChanged
            self.mark = self.decimal.mark
        self.decimal.read_ambiguous |= ambiguous
