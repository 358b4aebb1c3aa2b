"""Export then import into an empty database reproduces every table exactly, in CSV and in XLSX;
formulas are neutralised on the way out and restored on the way in."""
from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest

from analytics import exporting, store
from analytics.access import LOCAL_ADMIN, Actor
from analytics.importing import import_file
from analytics.models import TABLE_MODELS
from tests.analytics.import_helpers import db, db_path, seeded_file_template  # noqa: F401 (fixtures)

# Values a spreadsheet would run, and values that only look like them.
TRICKY_NOTES = {"2020-11-30": "=HYPERLINK(\"http://evil\",\"x\")", "2021-06-30": "+49 89 1234",
                "2022-01-28": "'=already quoted", "2021-03-31": "-5 days late", "2021-12-15": "@SUM(A1)"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory, seeded_file_template):
    """The seed with formula-like notes, exported once in each format, and an empty database per format."""
    source = store.memory()  # a private copy of the seed, to add the tricky notes to
    source.execute(f"ATTACH '{seeded_file_template}' AS seeded (READ_ONLY)")
    for table in TABLE_MODELS:
        source.execute(f"INSERT INTO {table} SELECT * FROM seeded.{table}")
    source.execute("DETACH seeded")
    for day, note in TRICKY_NOTES.items():
        source.execute("UPDATE checkins SET note = ? WHERE checked_on = ?", [note, day])
    # a correction: a negative amount must stay a number, not become the text '-120.5
    source.execute("UPDATE expenses SET amount = -amount WHERE expense_id = (SELECT min(expense_id) FROM expenses)")
    out = {}
    for fmt in exporting.FORMATS:
        folder = tmp_path_factory.mktemp(fmt)
        counts = exporting.export_all(source, folder, fmt)
        target = store.memory()
        for table in TABLE_MODELS:  # dependency order
            result = import_file(target, table, folder / f"{table}.{fmt}", actor=LOCAL_ADMIN)
            assert result.ok, (table, result.problems[:3])
        out[fmt] = (folder, counts, target)
    yield source, out


def _rows(con, table):
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


@pytest.mark.parametrize("fmt", exporting.FORMATS)
@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_every_table_round_trips_exactly(exported, table, fmt):
    source, out = exported
    _folder, counts, target = out[fmt]
    assert counts[table] == len(_rows(source, table)) > 0  # every table has rows in the seed
    assert _rows(target, table) == _rows(source, table)


def test_formula_cells_are_neutralised_in_csv(exported):
    _source, out = exported
    folder = out["csv"][0]
    raw = (folder / "checkins.csv").read_bytes()
    assert raw.startswith(exporting.BOM)
    notes = {r["checked_on"]: r["note"] for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))}
    assert {day: notes[day] for day in TRICKY_NOTES} == {
        "2020-11-30": "'=HYPERLINK(\"http://evil\",\"x\")", "2021-06-30": "'+49 89 1234",
        "2022-01-28": "''=already quoted", "2021-03-31": "'-5 days late", "2021-12-15": "'@SUM(A1)"}


def test_formula_cells_are_text_in_xlsx_and_negative_amounts_stay_numbers(exported):
    _source, out = exported
    folder = out["xlsx"][0]
    ws = openpyxl.load_workbook(folder / "checkins.xlsx")["checkins"]
    notes = [c.value for c in ws["F"][1:] if isinstance(c.value, str)]
    assert all(c.data_type != "f" for c in ws["F"])
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in notes
    expenses = openpyxl.load_workbook(folder / "expenses.xlsx")["expenses"]
    amounts = [c.value for c in expenses["E"][1:]]
    assert all(isinstance(v, (int, float)) for v in amounts) and min(amounts) < 0


def test_neutralise_is_undone_by_the_import():
    assert exporting.neutralise("=1+2") == "'=1+2"
    assert exporting.neutralise("'=1+2") == "''=1+2"
    assert exporting.neutralise("'plain") == "'plain"
    assert exporting.neutralise("plain") == "plain"


def test_zip_of_everything(db):
    with zipfile.ZipFile(io.BytesIO(exporting.zip_bytes(db, "csv"))) as archive:
        assert archive.namelist() == [f"{t}.csv" for t in TABLE_MODELS]


def test_an_editor_exports_their_projects_and_the_shared_data(db):
    editor = Actor("eve", "editor", frozenset({"BIGINN"}))
    projects = exporting.projects_in_scope(db, editor)
    assert projects == ["BIGINN"]
    kpis = exporting.table_bytes(db, "kpis", "csv", projects).decode("utf-8-sig").splitlines()
    assert len(kpis) == 1 + 6 and all(line.startswith("BIGINN,") for line in kpis[1:])
    sectors = exporting.table_bytes(db, "sectors", "csv", projects).decode("utf-8-sig").splitlines()
    assert len(sectors) == 1 + db.execute("SELECT count(*) FROM sectors").fetchone()[0]
    assert exporting.projects_in_scope(db, LOCAL_ADMIN) is None


def test_a_frame_shown_on_a_page_downloads_neutralised_with_a_bom():
    import pandas as pd

    from analytics.exporting import frame_csv

    data = frame_csv(pd.DataFrame({"what": ["=HYPERLINK(\"x\")", "plain", None], "n": [-1, 2, 3]}))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == ["what,n", "\"'=HYPERLINK(\"\"x\"\")\",-1", "plain,2", ",3"]
