"""Templates and the data dictionary come from the models; a filled template imports."""
from __future__ import annotations

import io

import openpyxl
import pytest

from analytics import dictionary, templates
from analytics.access import LOCAL_ADMIN
from analytics.columns import columns
from analytics.importing import import_file
from analytics.models import TABLE_MODELS
from tests.analytics.import_helpers import db, db_path, seeded_file_template  # noqa: F401 (fixtures)


def test_the_committed_dictionary_is_current():
    """data/dictionary.md is generated: run `python -m analytics dictionary` after changing a model."""
    assert dictionary.DICTIONARY_PATH.read_text(encoding="utf-8") == dictionary.markdown()


def test_the_dictionary_names_every_column_of_every_table():
    text = dictionary.markdown()
    for table in TABLE_MODELS:
        assert f"## {table}\n" in text
        for col in columns(table):
            assert f"| {col.name} |" in text


def test_field_rows_say_type_rules_and_meaning():
    rows = {r["column"]: r for r in dictionary.field_rows("checkins")}
    assert rows["confidence"] == {"column": "confidence", "type": "one of a list", "required": "yes",
                                  "allowed values": "on_track, at_risk, off_track", "limits": "", "default": "",
                                  "description": "owner's confidence: on_track, at_risk or off_track"}
    assert rows["is_sample"]["default"] == "false"
    assert dictionary.field_rows("projects")[0]["limits"] == "at most 40 characters"


@pytest.mark.parametrize("table", list(TABLE_MODELS))
def test_csv_template_is_the_header(table):
    assert templates.template_csv(table).decode("utf-8-sig").strip() == ",".join(c.name for c in columns(table))


def test_a_filled_csv_template_imports(db):
    text = templates.template_csv("checkins").decode("utf-8-sig").strip()
    filled = (text + "\r\nCE4BIG,SPL,30.09.2021,3,on_track,from the template,,me,\r\n").encode("utf-8-sig")
    result = import_file(db, "checkins", filled, actor=LOCAL_ADMIN, file_name="t.csv")
    assert result.ok and result.inserted == 1 and result.warnings == []


def test_a_filled_excel_template_imports(db):
    wb = openpyxl.load_workbook(io.BytesIO(templates.template_xlsx("checkins")))
    assert wb.sheetnames == ["checkins", "dictionary"]
    ws = wb["checkins"]
    assert ws["E1"].comment.text.startswith("owner's confidence")
    ws.append(["CE4BIG", "SPL", "2021-09-30", 3, "on_track"])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = import_file(db, "checkins", buffer.getvalue(), actor=LOCAL_ADMIN, file_name="t.xlsx")
    assert result.ok and result.inserted == 1 and result.warnings == []
