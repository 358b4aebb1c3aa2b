"""The Data page's bound on a file's data rows (settings.WEB_IMPORT_MAX_ROWS): counted as read,
past the header and blank rows, for CSV and workbooks alike; a file over it changes nothing and
the problem names the first row past the bound and the command that takes any size."""
from __future__ import annotations

import io

import openpyxl
import pytest

from analytics.access import LOCAL_ADMIN
from analytics.importing import import_file
from analytics.settings import RowLimits
from tests.analytics.import_helpers import db, db_path, seeded_file_template, snapshot  # noqa: F401 (fixtures)

HEADER = ["expense_id", "project_id", "partner", "category", "amount", "spent_on"]


def _rows(n: int) -> list[list[str]]:
    return [[f"LIM-{i}", "CE4BIG", "BioWin", "C1", "10.00", "2021-03-04"] for i in range(1, n + 1)]


def _csv(rows: list[list[str]], *, blank_after: int | None = None) -> bytes:
    lines = [",".join(HEADER)]
    for i, row in enumerate(rows, start=1):
        lines.append(",".join(row))
        if i == blank_after:
            lines += ["", ",,,,,"]  # an empty line and a row of empty cells: neither is a data row
    return ("\n".join(lines) + "\n").encode()


def _xlsx(rows: list[list[str]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "expenses"
    for row in [HEADER, *rows]:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _stored(con) -> int:
    return con.execute("SELECT count(*) FROM expenses WHERE expense_id LIKE 'LIM-%'").fetchone()[0]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_one_row_past_the_bound_is_refused_and_changes_nothing(db, kind):
    data = _csv(_rows(4)) if kind == "csv" else _xlsx(_rows(4))
    before = snapshot(db)
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name=f"e.{kind}", row_limits=RowLimits(csv=3, xlsx=3))
    assert not result.ok
    [problem] = result.problems
    # header in row 1, data rows 2-5: the fourth data row is spreadsheet row 5
    assert (problem.row, problem.column) == (5, None)
    assert "is data row 4: the Data page imports up to 3 rows" in problem.reason
    assert "python -m analytics import expenses FILE" in problem.reason
    assert snapshot(db) == before


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_of_exactly_the_bound_imports(db, kind):
    data = _csv(_rows(3)) if kind == "csv" else _xlsx(_rows(3))
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name=f"e.{kind}", row_limits=RowLimits(csv=3, xlsx=3))
    assert result.ok, result.problems
    assert (result.inserted, _stored(db)) == (3, 3)


def test_blank_rows_do_not_count_towards_the_bound(db):
    result = import_file(db, "expenses", _csv(_rows(3), blank_after=1), actor=LOCAL_ADMIN, file_name="e.csv",
                         row_limits=RowLimits(csv=3, xlsx=3))
    assert result.ok, result.problems
    assert _stored(db) == 3


def test_without_a_bound_as_the_command_line_imports_any_size(db):
    result = import_file(db, "expenses", _csv(_rows(40)), actor=LOCAL_ADMIN, file_name="e.csv")
    assert result.ok and _stored(db) == 40


def test_the_bound_past_the_first_chunk(db, monkeypatch):
    # rows are handed out in chunks; the row named is still the first past the bound
    from analytics.importing import rows as staging

    monkeypatch.setattr(staging, "CHUNK", 4)
    result = import_file(db, "expenses", _csv(_rows(12)), actor=LOCAL_ADMIN, file_name="e.csv", row_limits=RowLimits(csv=9, xlsx=9))
    assert [p.row for p in result.problems] == [11]  # data row 10
    assert _stored(db) == 0


def test_a_workbook_has_its_own_lower_bound_and_is_told_to_save_as_csv(db):
    limits = RowLimits(csv=5, xlsx=3)
    refused = import_file(db, "expenses", _xlsx(_rows(4)), actor=LOCAL_ADMIN, file_name="e.xlsx", row_limits=limits)
    assert [p.row for p in refused.problems] == [5]
    assert ("the Data page imports up to 3 rows from a workbook (5 from a CSV file, which reads ten times "
            "faster), as it runs inside the shared server; save the sheet as CSV") in refused.problems[0].reason
    assert _stored(db) == 0
    same_rows_as_csv = import_file(db, "expenses", _csv(_rows(4)), actor=LOCAL_ADMIN, file_name="e.csv",
                                   row_limits=limits)
    assert same_rows_as_csv.ok and _stored(db) == 4
