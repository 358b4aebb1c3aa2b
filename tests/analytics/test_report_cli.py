"""`python -m analytics report`: the file a cron job gets, and its errors."""
from __future__ import annotations

import io

from pptx import Presentation

from tests.analytics.test_cli import cli


def test_report_writes_the_file_and_says_what_it_wrote(seeded_db_file, tmp_path):
    out = tmp_path / "ce4big.pptx"
    run = cli("report", "CE4BIG", "--format", "pptx", "--out", str(out), "--as-of", "2022-02-02", "--db", str(seeded_db_file))
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(f"{out}: PowerPoint deck (editable charts) of CE4BIG as of 2022-02-02, ")
    deck = Presentation(io.BytesIO(out.read_bytes()))
    glance = next(s for s in deck.slides if s.shapes.title.text == "KPIs at a glance")
    table = next(s for s in glance.shapes if s.has_table).table
    assert table.cell(3, 2).text == "4 of 4 clusters" and table.cell(3, 6).text == "Achieved"  # LAB at the end
    assert not list(tmp_path.glob(".*.part"))  # written beside, then renamed


def test_html_report_from_the_command_line(seeded_db_file, tmp_path):
    out = tmp_path / "biginn.html"
    run = cli("report", "BIGINN", "--format", "html", "--out", str(out), "--as-of", "2023-06-30", "--db", str(seeded_db_file))
    assert run.returncode == 0, run.stderr
    html = out.read_text(encoding="utf-8")
    assert "as of 30 June 2023" in html and "145 of 180 participants" in html


def test_unknown_project_is_one_line_and_exit_1(seeded_db_file, tmp_path):
    out = tmp_path / "x.pdf"
    run = cli("report", "NOPE", "--format", "pdf", "--out", str(out), "--db", str(seeded_db_file))
    assert run.returncode == 1
    assert run.stderr.strip() == "error: unknown project 'NOPE'; known projects: BIGINN, CE4BIG"
    assert not out.exists()


def test_missing_folder_and_bad_format_are_named(seeded_db_file, tmp_path):
    run = cli("report", "CE4BIG", "--format", "pptx", "--out", str(tmp_path / "no" / "x.pptx"), "--db", str(seeded_db_file))
    assert run.returncode == 1 and "the folder" in run.stderr and "does not exist" in run.stderr
    run = cli("report", "CE4BIG", "--format", "docx", "--out", str(tmp_path / "x.docx"), "--db", str(seeded_db_file))
    assert run.returncode == 2 and "invalid choice: 'docx'" in run.stderr
