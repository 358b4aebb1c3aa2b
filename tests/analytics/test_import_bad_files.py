"""The corpus of bad files (tests/data/bad/): each is refused with exactly the problems a person
needs to fix it, every problem at once, and the database is left exactly as it was (the refusal
itself is logged)."""
from __future__ import annotations

import pytest

from analytics.access import LOCAL_ADMIN
from analytics.importing import import_file
from analytics.loader import Problem
from tests.analytics.import_helpers import BAD, db, db_path, import_log, seeded_file_template, snapshot  # noqa: F401 (fixtures)

MIXED = ("is in Windows-1250 (Central European), the rest of the file in UTF-8: the file mixes character "
         "encodings; save the whole file again as UTF-8 (in Excel: 'CSV UTF-8')")

CORPUS = {
    "wrong_types.csv": [
        Problem("wrong_types.csv", 2, "value", "three", "is not a number"),
        Problem("wrong_types.csv", 3, "checked_on", "31.02.2021", "is not a date: there is no day 31 in month 2 of 2021"),
        Problem("wrong_types.csv", 4, "confidence", "maybe", "must be one of 'on_track', 'at_risk' or 'off_track'"),
        Problem("wrong_types.csv", 4, "is_sample", "perhaps", "is not true/false (write true or false, yes or no, 1 or 0)"),
    ],
    "missing_columns.csv": [
        Problem("missing_columns.csv", 1, "value", None, "is a required column but the header lacks it"),
        Problem("missing_columns.csv", 1, "confidence", None, "is a required column but the header lacks it"),
    ],
    "unknown_keys.csv": [
        Problem("unknown_keys.csv", 2, "project_id, code", "CE4BIG/NOPE",
                "unknown KPI: no row in kpis with project_id, code = CE4BIG/NOPE"),
        Problem("unknown_keys.csv", 3, "project_id, code", "NOPROJ/SPL",
                "unknown KPI: no row in kpis with project_id, code = NOPROJ/SPL"),
    ],
    # 30.09.2021 is the same day as 2021-09-30: the key is compared as a date, not as text.
    "duplicate_keys.csv": [
        Problem("duplicate_keys.csv", 4, "project_id, code, checked_on", "CE4BIG/SPL/2021-09-30",
                "duplicate key: the same project_id, code, checked_on as row 2"),
    ],
    "empty.csv": [Problem("empty.csv", None, None, None, "is empty")],
    "header_only.csv": [Problem("header_only.csv", 1, None, None, "has a header (row 1) but no data rows below it")],
    "binary_garbage.csv": [Problem("binary_garbage.csv", None, None, None,
                                   "is not a CSV or Excel (.xlsx) file: it holds binary data")],
    # Rows 3 and 4 were pasted in from a Windows-1250 export below a UTF-8 header and row.
    "mixed_encodings.csv": [
        Problem("mixed_encodings.csv", 3, None, "CE4BIG;SPL;2021-10-31;2;on_track;Łódź visit", MIXED),
        Problem("mixed_encodings.csv", 4, None, "CE4BIG;EUP;2021-10-31;0;at_risk;Gdańsk talks", MIXED),
    ],
}


def test_the_corpus_is_complete():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(CORPUS)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_bad_file_is_refused_with_every_problem_and_nothing_changes(db, name):
    before = snapshot(db)
    result = import_file(db, "checkins", BAD / name, actor=LOCAL_ADMIN)
    assert result.problems == CORPUS[name]
    assert result.outcome == "rejected" and not result.ok and result.inserted == 0
    assert snapshot(db) == before
    assert import_log(db) == [(name, "checkins", 0, 0, "rejected")]


def test_a_10_mb_single_line_is_reported_by_row_and_column(db, tmp_path):
    """One note of 10 MB on one line: read in full, refused for the spreadsheet cell limit."""
    path = tmp_path / "long_line.csv"
    path.write_text("project_id,code,checked_on,value,confidence,note\n"
                    "CE4BIG,SPL,2021-09-30,3,on_track," + "x" * 10_000_000 + "\n", encoding="utf-8")
    before = snapshot(db)
    result = import_file(db, "checkins", path, actor=LOCAL_ADMIN)
    assert result.problems == [Problem("long_line.csv", 2, "note", "x" * 60 + "… (10,000,000 characters)",
                                       "is 10,000,000 characters long; a cell holds at most 32,767 (the spreadsheet limit)")]
    assert snapshot(db) == before


def test_a_10_mb_line_without_a_header_is_not_a_table(db, tmp_path):
    path = tmp_path / "one_line.csv"
    path.write_bytes(b"a" * 10_000_000)
    result = import_file(db, "checkins", path, actor=LOCAL_ADMIN)
    assert [p.reason for p in result.problems] == [
        "has no header row: none of its first 10 rows names a column of checkins (expected a header such as "
        "project_id, code, checked_on, value, confidence)"]


def test_a_problem_in_every_row_reports_every_row(db, tmp_path):
    """Not just the first: all 500 bad rows are listed, in file order."""
    rows = "".join(f"CE4BIG,SPL,2021-09-{1 + i % 28:02d},n/a,on_track\n" for i in range(500))
    path = tmp_path / "all_bad.csv"
    path.write_text("project_id,code,checked_on,value,confidence\n" + rows, encoding="utf-8")
    result = import_file(db, "checkins", path, actor=LOCAL_ADMIN)
    assert [p.row for p in result.problems] == list(range(2, 502))
    assert {p.reason for p in result.problems} == {"is not a number"}


def test_an_old_xls_file_is_refused_with_what_to_do(db, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    result = import_file(db, "checkins", path, actor=LOCAL_ADMIN)
    assert [p.reason for p in result.problems] == [
        "is an old-style Excel file (.xls); save it as .xlsx or as CSV and upload that"]


def test_a_damaged_workbook_is_refused(db, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"not really a zip" * 10)
    result = import_file(db, "checkins", path, actor=LOCAL_ADMIN)
    assert len(result.problems) == 1
    assert result.problems[0].reason.startswith("is not a readable Excel workbook (.xlsx)")


def test_a_row_with_more_cells_than_the_header_is_refused(db, tmp_path):
    """An unquoted comma in a note shifts the row: refused rather than silently cut."""
    path = tmp_path / "shifted.csv"
    path.write_text("project_id,code,checked_on,value,confidence,note\n"
                    "CE4BIG,SPL,2021-09-30,3,on_track,workshops, then plans\n", encoding="utf-8")
    result = import_file(db, "checkins", path, actor=LOCAL_ADMIN)
    assert result.problems == [Problem("shifted.csv", 2, None, " then plans",
                                       "has 7 cells but the header has 6 columns; a value containing the "
                                       "delimiter must be in double quotes")]
