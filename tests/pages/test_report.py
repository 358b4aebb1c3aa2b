"""Report page: formats, the one-click download, the presenter link; nothing built on a rerun."""
from __future__ import annotations

from datetime import date

from analytics import reports


def test_report_page_offers_the_download_and_the_presenter_link(app, monkeypatch):
    built = []
    monkeypatch.setattr(reports, "render", lambda *a, **k: built.append(a) or b"")
    at = app("pages/report.py")
    assert at.title[0].value == "CE4BIG · Report"
    assert "as of 30 June 2021" in at.caption[0].value
    assert at.get("download_button")[0].proto.label == "Download the PDF report"
    links = [p.proto for p in at.get("page_link")]
    assert any("present" in link.page and "step=1" in link.query_string for link in links), links
    assert "/present?project=CE4BIG&as_of=2021-06-30&step=1" in at.code[0].value
    assert not built  # rendering the page built no file


def test_picking_several_formats_offers_one_zip(app):
    at = app("pages/report.py")
    at.pills(key="report-formats").set_value(["pdf", "pptx"]).run()
    button = at.get("download_button")[0].proto
    assert button.label == "Download PDF, PPTX (ZIP)"


def test_unknown_project_is_a_message_not_a_traceback(app):
    at = app("pages/present.py", state={})
    at.query_params["project"] = "NOPE"
    at.run()
    assert not at.exception
    assert at.error[0].value.replace("\\", "") == "unknown project 'NOPE'; known projects: BIGINN, CE4BIG"
