"""The Business Competency Matrix as people keep it in Excel: one row per company, one column per
sector id, a mark in each cell. Each marked cell becomes one row of competencies.

Marks: 0, 1, 2, 3 are the levels (0 none, 1 basic, 2 proven, 3 BSO-qualified). An "x" (or a tick)
says the company has the competence without saying how far: it is read as level 1, basic, the
level that claims nothing unproven; a sector's coverage counts only levels 2 and 3, so a
company enters them only where the matrix says so in figures. An empty cell is no statement: no
row is written and a level already stored for that company and sector stays as it is.
"""
from __future__ import annotations

from analytics.importing.cells import CellError

MARKS = {"x": 1, "\u2713": 1, "\u2714": 1, "0": 0, "1": 1, "2": 2, "3": 3}
MARKS_HELP = "x (= 1, basic), 0, 1, 2, 3 or empty"


def mark_level(cell: object) -> int | None:
    """The level a matrix cell states, None for an empty cell."""
    if cell is None:
        return None
    if isinstance(cell, (int, float)) and not isinstance(cell, bool) and float(cell).is_integer():
        cell = str(int(cell))
    text = str(cell).strip().lower()
    if not text:
        return None
    if text not in MARKS:
        raise CellError(f"is not a matrix mark: write {MARKS_HELP}")
    return MARKS[text]


def sector_ids(known: list[str], labels: list[tuple[int, str]]) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """Sector ids of the matrix columns, matched ignoring case: ({index: id}, unknown columns)."""
    folded = {k.lower(): k for k in known}
    found, unknown = {}, []
    for index, label in labels:
        if label.strip().lower() in folded:
            found[index] = folded[label.strip().lower()]
        else:
            unknown.append((index, label))
    return found, unknown
