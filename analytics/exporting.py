"""Export: any table as CSV or XLSX, or all of them, in a form `import` reads back exactly.

Columns come in model order (the template's order) with their model names; numbers are written
as the shortest text that reads back to the same value, dates as YYYY-MM-DD, true/false, and an
empty cell for no value. CSV files are UTF-8 with a byte-order mark so Excel shows "Kraków"
correctly.

Formula injection: a text cell starting with = + - @ (or a tab or carriage return) would be run as
a formula by a spreadsheet program. Such a text is written with a leading apostrophe ('=cmd), which
spreadsheets show as text, and import removes one apostrophe before those characters again
(analytics.importing.cells). To keep that exact, a text that already starts with apostrophes
followed by such a character gets one more apostrophe. Numbers are never prefixed: a negative
amount stays a number.
"""
from __future__ import annotations

import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from analytics.access import Actor
from analytics.columns import columns
from analytics.models import TABLE_MODELS, model_for
from analytics.projects import project_ids

FORMATS = ("csv", "xlsx")
FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
_FORMULA_START_SQL = r"^''*[=+\-@\t\r]"  # inside a SQL literal: '' is one quote
BOM = b"\xef\xbb\xbf"


def neutralise(text: str) -> str:
    return f"'{text}" if FORMULA_START.match(text) else text


def frame_csv(frame: pd.DataFrame) -> bytes:
    """A frame shown on a page as a CSV download: UTF-8 with BOM (Excel reads it right) and text
    that would start a formula neutralised, as in every export."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out.to_csv(index=False).encode("utf-8-sig")


def projects_in_scope(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[str] | None:
    """The projects whose rows an actor may take out (None: all). Shared reference data (BSOs,
    sectors, companies, labels) has no project and goes to everyone who may see the page."""
    if actor.role == "admin" or not actor.projects:
        return None
    return actor.visible(project_ids(con))


def _select(con: duckdb.DuckDBPyConnection, table: str, projects: Sequence[str] | None) -> str:
    """The table's columns in model order, text columns neutralised (names from the models)."""
    model_for(table)
    where = ""
    if projects is not None and "project_id" in model_for(table).model_fields:
        con.execute("CREATE OR REPLACE TEMP TABLE _export_projects AS SELECT unnest(?::VARCHAR[]) AS project_id",
                    [list(projects)])
        where = " WHERE project_id IN (SELECT project_id FROM _export_projects)"
    parts = []
    for col in columns(table):
        if col.is_text:
            parts.append(f"CASE WHEN regexp_matches({col.name}, '{_FORMULA_START_SQL}') "
                         f"THEN '''' || {col.name} ELSE {col.name} END AS {col.name}")
        else:
            parts.append(col.name)
    return f"SELECT {', '.join(parts)} FROM {table}{where}"


def _write_csv(con: duckdb.DuckDBPyConnection, table: str, target: Path, projects: Sequence[str] | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "plain.csv"
        # COPY writes doubles in their shortest round-trip form and quotes only where needed.
        con.execute(f"COPY ({_select(con, table, projects)}) TO '{plain}' (HEADER, DELIMITER ',', QUOTE '\"')")
        with target.open("wb") as out, plain.open("rb") as src:
            out.write(BOM)
            while block := src.read(1 << 20):
                out.write(block)


def _cell(value: object) -> object:
    # Excel holds numbers as doubles; DECIMAL(14,2) amounts have at most 14 digits, which a double
    # and its shortest text carry exactly.
    return float(value) if isinstance(value, Decimal) else value


def _write_xlsx(con: duckdb.DuckDBPyConnection, table: str, target: Path, projects: Sequence[str] | None) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(table)
    cols = columns(table)
    header = []
    for col in cols:
        cell = WriteOnlyCell(ws, value=col.name)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    dates = [i for i, c in enumerate(cols) if c.kind == "date"]
    result = con.execute(_select(con, table, projects))
    while batch := result.fetchmany(10_000):
        for row in batch:
            values = [_cell(v) for v in row]
            for i in dates:
                if isinstance(values[i], date):
                    cell = WriteOnlyCell(ws, value=values[i])
                    cell.number_format = "yyyy-mm-dd"
                    values[i] = cell
            ws.append(values)
    wb.save(target)


def table_bytes(con: duckdb.DuckDBPyConnection, table: str, fmt: str, projects: Sequence[str] | None = None) -> bytes:
    """One table as the bytes of a CSV or XLSX file (the page's download)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{table}.{fmt}"
        export_table(con, table, path, fmt, projects)
        return path.read_bytes()


def export_table(con: duckdb.DuckDBPyConnection, table: str, path: Path, fmt: str = "csv",
                 projects: Sequence[str] | None = None) -> int:
    """Write one table to ``path`` (only the rows of ``projects``, when given); returns the rows written."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    (_write_csv if fmt == "csv" else _write_xlsx)(con, table, path, projects)
    return con.execute(f"SELECT count(*) FROM ({_select(con, table, projects)})").fetchone()[0]


def export_all(con: duckdb.DuckDBPyConnection, directory: Path, fmt: str = "csv",
               projects: Sequence[str] | None = None) -> dict[str, int]:
    """Every table into ``directory`` as TABLE.csv (or .xlsx); returns rows per table.

    The files import back in TABLE_MODELS order (a table after those it refers to).
    """
    directory.mkdir(parents=True, exist_ok=True)
    return {table: export_table(con, table, directory / f"{table}.{fmt}", fmt, projects) for table in TABLE_MODELS}


def zip_bytes(con: duckdb.DuckDBPyConnection, fmt: str = "csv", projects: Sequence[str] | None = None) -> bytes:
    """Every table, zipped: the page's "export everything"."""
    with tempfile.TemporaryDirectory() as tmp:
        export_all(con, Path(tmp), fmt, projects)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for table in TABLE_MODELS:
                archive.write(Path(tmp) / f"{table}.{fmt}", f"{table}.{fmt}")
        return buffer.getvalue()
