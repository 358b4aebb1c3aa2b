"""The Data page in AppTest: upload a file with errors and see them, upload the fixed file, import
it, then find the new number on the KPI page; a form save; exports and templates on offer."""
from __future__ import annotations

from datetime import date

import duckdb

from analytics.ui.components import md_escape

BAD = (b"project_id;code;checked_on;value;confidence\n"
       b"CE4BIG;SPL;30.09.2021;3,5;on track\n"
       b"CE4BIG;NOPE;2021-10-01;x;maybe\n")
FIXED = b"project_id;code;checked_on;value;confidence\nCE4BIG;SPL;30.09.2021;3;on track\n"


def _table_with(at, column):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _data_page(app):
    at = app("pages/data.py", as_of=date(2021, 10, 31))
    assert [t.value for t in at.title] == ["Data"]
    return at


def test_upload_see_errors_fix_import_and_see_the_number_on_the_kpi_page(app, seeded_db_file):
    at = _data_page(app)
    assert "Files up to **50 MB**: **100,000 rows** of a CSV, **50,000** of a workbook" in " ".join(
        c.value for c in at.caption)
    at.selectbox(key="import_table").set_value("checkins").run()
    at.file_uploader[0].set_value(("checkins.csv", BAD, "text/csv")).run()
    assert not at.exception
    problems = _table_with(at, "reason")
    assert problems.values.tolist() == [
        [3, "value", "x", "is not a number"],
        [3, "confidence", "maybe", "must be one of 'on_track', 'at_risk' or 'off_track'"],
        [3, "project_id, code", "CE4BIG/NOPE", "unknown KPI: no row in kpis with project_id, code = CE4BIG/NOPE"],
    ]
    assert [b.key for b in at.button if b.key == "import_commit"] == []  # nothing to commit
    at.file_uploader[0].set_value(("checkins.csv", FIXED, "text/csv")).run()
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    at.button(key="import_commit").click().run()
    assert not at.exception
    assert at.success[0].value.startswith(md_escape("checkins.csv: 1 row read; inserted 1"))
    con = duckdb.connect(str(seeded_db_file))
    assert con.execute("SELECT value FROM checkins WHERE code = 'SPL' AND checked_on = '2021-09-30'").fetchone() == (3.0,)
    assert con.execute("SELECT result FROM import_log").fetchall() == [("ok",)]
    con.close()
    at.switch_page("pages/kpis.py").run()
    assert "3 of 4" in [m.value for m in at.metric]  # SPL, the manual KPI, reports the latest check-in


def test_a_checkin_form_saves_and_shows_in_the_history(app, seeded_db_file):
    at = _data_page(app)
    at.selectbox(key="checkin_code").set_value("EUP")
    at.number_input(key="checkin_value").set_value(1)
    at.text_input(key="checkin_evidence").input("https://example.org/agreement")
    at.button(key="FormSubmitter:entry_checkin-Save check-in").click().run()
    assert not at.exception
    assert at.success[0].value == md_escape("Check-in for EUP on 31.10.2021: inserted.")
    history = _table_with(at, "what")
    assert history.iloc[0]["row_key"] == "CE4BIG / EUP / 2021-10-31" and history.iloc[0]["action"] == "insert"


def test_a_form_error_is_shown_and_nothing_saved(app, seeded_db_file):
    at = _data_page(app)
    con = duckdb.connect(str(seeded_db_file))
    before = con.execute("SELECT * FROM kpis ORDER BY ALL").fetchall()
    at.number_input(key="kpi_EUP_target").set_value(-1)  # the manual KPIs come first: EUP, then SPL
    at.button(key="FormSubmitter:entry_kpi_EUP-Save KPI").click().run()
    assert md_escape("an increasing KPI needs target > baseline (-1 < 0)") in at.error[0].value
    assert con.execute("SELECT * FROM kpis ORDER BY ALL").fetchall() == before
    assert con.execute("SELECT count(*) FROM change_log").fetchone() == (0,)
    con.close()


def test_exports_and_templates_are_offered(app):
    at = _data_page(app)
    labels = [b.proto.label for b in at.get("download_button")]
    assert {"Download projects.csv", "Download every table (CSV, zipped)", "CSV template", "Excel template"} <= set(labels)
    fields = _table_with(at, "allowed values")
    assert fields["column"].tolist()[:3] == ["project_id", "title", "programme"]


def test_remove_sample_data_after_confirming(app, seeded_db_file):
    at = _data_page(app)
    at.button(key="sample_remove").click().run()
    at.button(key="sample_confirm").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Removed ")
    con = duckdb.connect(str(seeded_db_file))
    assert con.execute("SELECT count(*) FROM kpis WHERE is_sample").fetchone() == (0,)
    con.close()


def test_a_file_past_the_pages_row_bound_is_refused_with_the_command_that_takes_it(app, seeded_db_file, monkeypatch):
    # the page's bound, lowered so the file stays small: the check refuses it and names the row
    from analytics.ui import data_import

    from analytics.settings import RowLimits

    monkeypatch.setattr(data_import, "WEB_IMPORT_MAX_ROWS", RowLimits(csv=2, xlsx=2))
    at = _data_page(app)
    at.selectbox(key="import_table").set_value("checkins").run()
    rows = "".join(f"CE4BIG;SPL;2021-09-{day:02d};3;on track\n" for day in (1, 2, 3))
    at.file_uploader[0].set_value(("checkins.csv", ("project_id;code;checked_on;value;confidence\n" + rows).encode(),
                                   "text/csv")).run()
    assert not at.exception
    assert any("problem(s)" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert problems["row"].tolist() == [4]
    assert "the Data page imports up to 2 rows a file" in problems["reason"].iloc[0]
    assert not [b for b in at.button if b.label.startswith("Import")]
