"""Which cell of a row holds which column: the header row, matched to the model's columns.

Header names match in any case, with stray spaces, hyphens or a unit in brackets ("Amount (EUR)"
is amount), and a reference may drop its _id ("Project" is project_id). A header may sit below a
title row or two. Columns the table does not have are ignored with a warning; a column named twice
or a required column missing is a problem with the file.

The competency matrix also comes *wide*, as people keep it in Excel: one row per company, one
column per sector id, a mark in each cell (see analytics.importing.matrix).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analytics.columns import columns
from analytics.importing.sheets import FileProblem, Sheet

HEADER_SEARCH_ROWS = 10
_UNIT = re.compile(r"\s*[\(\[].*[\)\]]\s*$")
_SEPARATORS = re.compile(r"[\s\-./]+")
# Columns of a company that people keep beside the matrix; they belong to the companies table.
MATRIX_INFO_COLUMNS = {c.name for c in columns("companies")} - {"company_id", "is_sample"}


def normalise(name: object) -> str:
    text = "" if name is None else str(name)
    text = _UNIT.sub("", text.replace("\ufeff", "").strip().strip("*").strip())
    return _SEPARATORS.sub("_", text.lower()).strip("_")


def _match(name: str, known: set[str]) -> str | None:
    if name in known:
        return name
    if f"{name}_id" in known:
        return f"{name}_id"
    return None


@dataclass
class Layout:
    header_row: int
    width: int
    fields: dict[str, int]  # model column -> index of its cell
    sectors: list[tuple[int, str]] = field(default_factory=list)  # wide matrix: (index, sector as written)
    missing: list[str] = field(default_factory=list)  # required columns the file lacks
    warnings: list[str] = field(default_factory=list)

    @property
    def wide(self) -> bool:
        return bool(self.sectors)


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def find_layout(sheet: Sheet, table: str) -> Layout:
    known = {c.name for c in columns(table)}
    skipped = []
    for number, cells in sheet.rows():
        if number > HEADER_SEARCH_ROWS:
            break
        names = [normalise(c) for c in cells]
        if any(_match(n, known) for n in names):
            return _layout(number, cells, names, table, known, skipped)
        if any(n for n in names):
            skipped.append(number)
    expected = ", ".join(c.name for c in columns(table) if c.required)
    raise FileProblem(f"has no header row: none of its first {HEADER_SEARCH_ROWS} rows names a column of "
                      f"{table} (expected a header such as {expected})")


def _layout(number: int, cells, names: list[str], table: str, known: set[str], skipped: list[int]) -> Layout:
    fields: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    duplicates = []
    for index, name in enumerate(names):
        if not name:
            continue
        column = _match(name, known)
        if column is None:
            unknown.append((index, str(cells[index]).strip()))
        elif column in fields:
            duplicates.append(f"{column} (columns {_letter(fields[column])} and {_letter(index)})")
        else:
            fields[column] = index
    if duplicates:
        raise FileProblem(f"names a column twice: {'; '.join(duplicates)}", [(number, "")])
    layout = Layout(number, len(cells), fields)
    if skipped:
        layout.warnings.append(f"rows {', '.join(map(str, skipped))} above the header (row {number}) were ignored")
    sectors = [(i, label) for i, label in unknown if normalise(label) not in MATRIX_INFO_COLUMNS]
    if table == "competencies" and "company_id" in fields and not {"sector_id", "level"} & set(fields) and sectors:
        for index, label in unknown:
            if (index, label) not in sectors:
                layout.warnings.append(f"column {label!r} describes the company; it belongs to the companies "
                                       "table and was ignored")
        layout.sectors, unknown = sectors, []
        required = {"company_id"}
    else:
        required = {c.name for c in columns(table) if c.required}
    for index, label in unknown:
        layout.warnings.append(f"column {label!r} ({_letter(index)}) is not a column of {table}: ignored")
    layout.missing = [c.name for c in columns(table) if c.name in required and c.name not in fields]
    return layout
