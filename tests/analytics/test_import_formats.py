"""Real-world files from the partner countries: encodings, delimiters, number and date styles,
headers as people write them, Excel cells, and the competency matrix long and wide."""
from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest

from analytics.access import LOCAL_ADMIN
from analytics.importing import import_file
from analytics.loader import Problem
from tests.analytics.import_helpers import db, db_path, seeded_file_template  # noqa: F401 (fixtures)

PARTNERS = ("project_id;organisation;country;org_type;role\n"
            "CE4BIG;Kraków Test Cluster;PL;cluster;partner\n"
            "CE4BIG;München Biotech;DE;sme;partner\n")
CITIES = {
    # Windows-1250 cannot write Liège, Windows-1252 cannot write Łódź: each file holds what it can.
    "cp1250": PARTNERS + "CE4BIG;Łódź Cluster;PL;cluster;partner\n",
    "latin-1": PARTNERS + "CE4BIG;Liège Cluster;BE;cluster;partner\n",
    "utf-8": PARTNERS + "CE4BIG;Łódź Cluster;PL;cluster;partner\nCE4BIG;Liège Cluster;BE;cluster;partner\n",
    "utf-8-sig": PARTNERS + "CE4BIG;Łódź Cluster;PL;cluster;partner\nCE4BIG;Liège Cluster;BE;cluster;partner\n",
    "utf-16": PARTNERS + "CE4BIG;Łódź Cluster;PL;cluster;partner\nCE4BIG;Liège Cluster;BE;cluster;partner\n",
}
LABELS = {"cp1250": "Windows-1250 (Central European)", "latin-1": "Windows-1252 / Latin-1 (Western European)",
          "utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "utf-16": "UTF-16"}


def _organisations(con, names):
    return [r[0] for r in con.execute(
        "SELECT organisation FROM partners WHERE organisation IN (SELECT unnest(?)) ORDER BY organisation",
        [names]).fetchall()]


@pytest.mark.parametrize("encoding", sorted(CITIES))
def test_kraków_łódź_münchen_liège_come_out_right(db, encoding):
    text = CITIES[encoding]
    result = import_file(db, "partners", text.encode(encoding), actor=LOCAL_ADMIN, file_name="partners.csv")
    assert result.ok, result.problems
    assert result.description.startswith(f"CSV, {LABELS[encoding]} (detected), semicolon-separated")
    expected = sorted(line.split(";")[1] for line in text.splitlines()[1:])
    assert _organisations(db, expected) == expected


def test_a_chosen_encoding_wins_over_detection(db):
    # Detection reads a lone "Ličge"-or-"Liège" as Western; the user can say otherwise.
    data = "project_id;organisation;country;org_type;role\nCE4BIG;Plzeň Cluster;CZ;cluster;partner\n".encode("cp1250")
    result = import_file(db, "partners", data, actor=LOCAL_ADMIN, encoding="cp1250", file_name="p.csv")
    assert result.ok and "Windows-1250 (Central European) (chosen)" in result.description
    assert _organisations(db, ["Plzeň Cluster"]) == ["Plzeň Cluster"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(db, delimiter):
    rows = [["expense_id", "project_id", "partner", "category", "amount", "spent_on"],
            ["T-1", "CE4BIG", "BioWin", "C1", "12.50", "2021-03-04"]]
    data = "\r\n".join(delimiter.join(r) for r in rows).encode()
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name="e.csv")
    assert result.ok, result.problems
    assert db.execute("SELECT amount FROM expenses WHERE expense_id = 'T-1'").fetchone()[0] == Decimal("12.50")


LINE_ENDS = {
    "unix": "a,b\nc,d\n",
    "windows": "a,b\r\nc,d\r\n",
    "mixed unix and windows": "a,b\r\nc,d\ne,f\r\n",
    "classic mac (lone CR)": "a,b\rc,d\r",
    "a windows file with a lone CR in a quoted cell": 'a,"b\rb"\r\nc,d\r\n',
    "no newline at the end": "a,b\nc,d",
    "a quoted cell spanning lines": 'a,"line 1\nline 2"\nc,d\n',
    "blank lines": "a,b\n\n\nc,d\n",
    "one line": "a,b",
}


@pytest.mark.parametrize("ends", sorted(LINE_ENDS))
def test_csv_lines_are_split_as_a_file_opened_with_newline_empty(ends):
    # The rows are read a line at a time from the decoded text (not through io.StringIO, which
    # holds the text again at four bytes a character): the same lines, ends kept, so the csv
    # module sees what it would reading the file.
    from analytics.importing.sheets import _lines

    text = LINE_ENDS[ends]
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


def test_a_sheet_lets_go_of_its_text_once_staged():
    from analytics.importing.sheets import open_sheet

    sheet = open_sheet(b"a,b\nc,d\n", table="partners")
    assert [cells for _n, cells in sheet.rows()] == [["a", "b"], ["c", "d"]]
    sheet.release()
    with pytest.raises(RuntimeError, match="released"):
        sheet.rows()


def _expenses(con, ids):
    return dict(con.execute("SELECT expense_id, amount FROM expenses WHERE expense_id IN (SELECT unnest(?))",
                            [ids]).fetchall())


def test_european_amounts_and_dates_in_a_semicolon_file(db):
    data = ("Expense ID;Project;Partner;Category;Amount (EUR);Spent on\n"
            'T-1;CE4BIG;BioWin;A;"420 709,52";04.03.2021\n'
            "T-2;CE4BIG;BioWin;A;1.234,50;04/03/2021\n"
            "T-3;CE4BIG;BioWin;A;1.234;2021-03-04\n"  # the file's comma makes this 1234
            "T-4;CE4BIG;BioWin;A;-12,5;4.3.2021\n").encode("cp1250")
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name="e.csv")
    assert result.ok, result.problems
    assert "decimal comma (as in '420 709,52')" in result.description
    assert _expenses(db, ["T-1", "T-2", "T-3", "T-4"]) == {
        "T-1": Decimal("420709.52"), "T-2": Decimal("1234.50"), "T-3": Decimal("1234.00"), "T-4": Decimal("-12.50")}
    assert {r[0] for r in db.execute("SELECT spent_on FROM expenses WHERE expense_id LIKE 'T-%'").fetchall()} \
        == {date(2021, 3, 4)}


def test_english_amounts_in_a_comma_file(db):
    data = ("expense_id,project_id,partner,category,amount,spent_on\n"
            'T-1,CE4BIG,BioWin,A,"1,234.50",2021-03-04\n'
            'T-2,CE4BIG,BioWin,A,"1,234",2021-03-04\n').encode()
    assert import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name="e.csv").ok
    assert _expenses(db, ["T-1", "T-2"]) == {"T-1": Decimal("1234.50"), "T-2": Decimal("1234.00")}


def test_a_late_proof_of_the_decimal_mark_rereads_the_earlier_rows(db, monkeypatch):
    """1.234 comes first and is read with a semicolon file's default, the decimal comma (1234); row 3
    proves a decimal point, so the file is read again and 1.234 is one and a bit."""
    monkeypatch.setattr("analytics.importing.rows.CHUNK", 1)
    data = ("project_id;code;checked_on;value;confidence\n"
            "CE4BIG;SPL;2021-10-01;1.234;on_track\n"
            "CE4BIG;SPL;2021-10-02;0.75;on_track\n").encode()
    result = import_file(db, "checkins", data, actor=LOCAL_ADMIN, file_name="c.csv")
    assert result.ok and result.inserted == 2
    assert "decimal point (as in '0.75')" in result.description
    assert db.execute("SELECT value FROM checkins WHERE checked_on = '2021-10-01'").fetchone()[0] == 1.234


def test_a_model_rule_shows_the_cell_as_written(db):
    data = b"expense_id;project_id;partner;category;amount;spent_on\nT-1;CE4BIG;BioWin;A;12,345;2021-03-04\n"
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name="e.csv")
    assert result.problems == [Problem("e.csv", 2, "amount", "12,345", "must have no more than 2 decimal places")]


def test_numbers_written_both_ways_refuse_only_the_ambiguous(db):
    data = ("expense_id;project_id;partner;category;amount;spent_on\n"
            "T-1;CE4BIG;BioWin;A;1.234,50;2021-03-04\n"
            "T-2;CE4BIG;BioWin;A;2,345.60;2021-03-04\n"
            "T-3;CE4BIG;BioWin;A;3.456;2021-03-04\n").encode()
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name="e.csv")
    assert result.problems == [Problem(
        "e.csv", 4, "amount", "3.456", "could be 3456 or 3.456: this file writes numbers both as 1.234,50 and "
        "as 1,234.50; write this one without a thousands separator")]


def test_headers_in_any_case_with_spaces_units_and_a_title_row(db):
    data = ("Checkins of CE4BIG, exported 2021-10-01\n"
            "\n"
            "  PROJECT ID , Code,Checked-On, Value (plans) ,confidence,Comments\n"
            "CE4BIG,SPL,2021-10-01,3,On Track,ignored\n").encode()
    result = import_file(db, "checkins", data, actor=LOCAL_ADMIN, file_name="c.csv")
    assert result.ok, result.problems
    assert result.warnings == ["rows 1 above the header (row 3) were ignored",
                               "column 'Comments' (F) is not a column of checkins: ignored"]
    assert db.execute("SELECT value, confidence FROM checkins WHERE checked_on = '2021-10-01'").fetchone() \
        == (3.0, "on_track")


def test_a_column_named_twice_is_a_problem(db):
    data = b"project_id,code,checked_on,value,Value,confidence\nCE4BIG,SPL,2021-10-01,3,4,on_track\n"
    result = import_file(db, "checkins", data, actor=LOCAL_ADMIN, file_name="c.csv")
    assert result.problems == [Problem("c.csv", 1, None, None, "names a column twice: value (columns D and E)")]


def _workbook(rows, title="Sheet1", extra_sheets=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for name in extra_sheets:
        wb.create_sheet(name).append(["not", "this"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_excel_cells_dates_numbers_and_serials(db):
    data = _workbook([
        ["expense_id", "project_id", "partner", "category", "amount", "spent_on", "description", "is_sample"],
        ["X-1", "CE4BIG", "BioWin", "C1", 1234.5, datetime(2021, 3, 4), 42, False],
        ["X-2", "CE4BIG", "BioWin", "C1", 7, 44259, "serial day 44259 is 2021-03-04", True],
        ["X-3", "CE4BIG", "BioWin", "C1", "1.234,50", "04.03.2021", "'=SUM(A1)", None],
    ])
    result = import_file(db, "expenses", data, actor=LOCAL_ADMIN, file_name="x.xlsx")
    assert result.ok, result.problems
    rows = db.execute("SELECT expense_id, amount, spent_on, description, is_sample FROM expenses "
                             "WHERE expense_id LIKE 'X-%' ORDER BY 1").fetchall()
    assert rows == [("X-1", Decimal("1234.50"), date(2021, 3, 4), "42", False),
                    ("X-2", Decimal("7.00"), date(2021, 3, 4), "serial day 44259 is 2021-03-04", True),
                    ("X-3", Decimal("1234.50"), date(2021, 3, 4), "=SUM(A1)", False)]


def test_a_formula_never_calculated_is_refused_not_read_as_empty(db):
    """openpyxl (or any script) writes formulas without their values; reading them would lose data."""
    data = _workbook([["project_id", "code", "checked_on", "value", "confidence"],
                      ["CE4BIG", "SPL", date(2021, 10, 1), "=1+2", "on_track"]])
    result = import_file(db, "checkins", data, actor=LOCAL_ADMIN, file_name="f.xlsx")
    assert result.problems == [Problem("f.xlsx", 2, "value", "=1+2",
                                       "is a formula that was never calculated (the workbook was not saved by a "
                                       "spreadsheet program); open it in Excel or LibreOffice, save it and upload it again")]


def test_a_workbook_sheet_by_table_name_by_choice_or_the_first(db):
    rows = [["project_id", "code", "checked_on", "value", "confidence"], ["CE4BIG", "SPL", date(2021, 10, 1), 3, "on_track"]]
    named = _workbook(rows, title="Checkins", extra_sheets=["notes"])
    assert import_file(db, "checkins", named, actor=LOCAL_ADMIN, dry_run=True).warnings == []
    first = _workbook(rows, title="Data", extra_sheets=["notes"])
    assert import_file(db, "checkins", first, actor=LOCAL_ADMIN, dry_run=True).warnings == [
        "read the first sheet, 'Data'; the workbook's other sheets (notes) were not read"]
    chosen = import_file(db, "checkins", first, actor=LOCAL_ADMIN, sheet="notes", dry_run=True)
    assert "has no header row" in chosen.problems[0].reason
    missing = import_file(db, "checkins", first, actor=LOCAL_ADMIN, sheet="Nope", dry_run=True, file_name="w.xlsx")
    assert missing.problems == [Problem("w.xlsx", None, None, None, "has no sheet named 'Nope'; its sheets are: Data, notes")]


def test_competencies_long(db):
    data = b"company_id,sector_id,level,evidence\nDK-001,MECH,3,ISO 9001 and a CERN contract\n"
    assert import_file(db, "competencies", data, actor=LOCAL_ADMIN, file_name="c.csv").ok
    assert db.execute("SELECT level, evidence, is_sample FROM competencies WHERE company_id = 'DK-001' "
                             "AND sector_id = 'MECH'").fetchone() == (3, "ISO 9001 and a CERN contract", False)


def test_competency_matrix_wide(db):
    """One row per company, a column per sector; x is level 1, empty writes nothing."""
    db.execute("UPDATE competencies SET evidence = 'audit 2020' WHERE company_id = 'DK-001' AND sector_id = 'ELEC.BI'")
    data = _workbook([
        ["Company", "Name", "ELEC.BI", "mech", "ENER", "SPACE"],
        ["DK-001", "Bølge Analytics A/S", 3, "x", None, "0"],
        ["DK-002", "Kronborg Aero ApS", None, "X", "2", ""],
    ])
    result = import_file(db, "competencies", data, actor=LOCAL_ADMIN, file_name="matrix.xlsx")
    assert result.ok, result.problems
    assert result.warnings == [
        "column 'Name' describes the company; it belongs to the companies table and was ignored",
        "1 row(s) replace sample rows and are now marked as real data (is_sample false); check their other columns"]
    assert result.rows_read == 2 and result.inserted + result.updated + result.same == 5
    got = db.execute("""SELECT company_id, sector_id, level, evidence FROM competencies
                               WHERE company_id IN ('DK-001', 'DK-002') AND sector_id IN ('ELEC.BI', 'MECH', 'ENER', 'SPACE')
                               ORDER BY 1, 2""").fetchall()
    assert got == [("DK-001", "ELEC.BI", 3, "audit 2020"),  # the matrix has no evidence: the stored one stays
                   ("DK-001", "MECH", 1, None), ("DK-001", "SPACE", 0, None),
                   ("DK-002", "ENER", 2, None), ("DK-002", "MECH", 1, None)]


def test_competency_matrix_unknown_sector_and_bad_mark(db):
    data = b"company_id,ELEC,WARP,MECH\nDK-001,x,1,yes\n"
    result = import_file(db, "competencies", data, actor=LOCAL_ADMIN, file_name="m.csv")
    assert result.problems == [
        Problem("m.csv", 1, "WARP", "WARP", "is not a sector id: no row in sectors with sector_id = WARP"),
        Problem("m.csv", 2, "MECH", "yes", "is not a matrix mark: write x (= 1, basic), 0, 1, 2, 3 or empty"),
    ]


@pytest.mark.parametrize(("where", "found"), [("inside the first block", True), ("across the block boundary", True),
                                              ("at the very end", True), ("nowhere", False)])
def test_a_formula_is_found_in_the_sheet_xml_read_a_megabyte_at_a_time(where, found):
    import zipfile

    from analytics.importing.sheets import _holds

    block = 1 << 20
    body = {"inside the first block": b"a<fb" + b"x" * block,
            "across the block boundary": b"x" * (block - 1) + b"<f" + b"x" * 10,  # '<' ends block one
            "at the very end": b"x" * (2 * block) + b"<f",
            "nowhere": b"x" * (2 * block) + b"<"}[where]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", body)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        assert _holds(archive, "xl/worksheets/sheet1.xml", b"<f") is found
