"""Funder-facing output: every format for each seeded project, read back and checked.

The files are built once per module (a PDF takes seconds) and kept under tests/artifacts/report/
with the PDF's pages as PNG, to be looked at.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from html.parser import HTMLParser

import pytest
from pptx import Presentation
from pypdf import PdfReader

from analytics import reports, seed, store
from analytics.errors import ClusterBoardError, UnknownProject
from analytics.reports import deck_charts, document, fmt
from analytics.reports.blocks import Chart
from analytics.reports.deck import deck_slides
from tests.conftest import ARTIFACTS

OUT = ARTIFACTS / "report"
CASES = {"CE4BIG": date(2021, 6, 30), "BIGINN": date(2023, 6, 30)}


class Tags(HTMLParser):
    """Script tags, and any that would load something from elsewhere."""

    def __init__(self):
        super().__init__()
        self.scripts, self.external = 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.scripts += tag == "script"
        if (tag == "script" and attrs.get("src")) or (tag == "link" and attrs.get("href")):
            self.external.append((tag, attrs))


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def built(seeded):
    """project -> (ReportData, {format: bytes}); files and PDF page images saved as artefacts."""
    OUT.mkdir(parents=True, exist_ok=True)
    result = {}
    for project, as_of in CASES.items():
        data = reports.report_data(seeded, project, as_of)
        files = {f: reports.build(seeded, project, f, as_of=as_of) for f in reports.FORMATS}
        for f, content in files.items():
            (OUT / reports.file_name(project, f, as_of)).write_bytes(content)
        result[project] = (data, files)
    return result


@pytest.mark.parametrize("project", CASES)
def test_pdf_states_every_kpi_with_value_and_status(built, project):
    data, files = built[project]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(files["pdf"])).pages]
    text = squash(" ".join(pages))
    assert len(data.kpis) == 6
    # Burn-up pages: the KPIs' headings in order, and their key figures in the same order.
    seen = []
    for page in map(squash, pages):
        headings = [k for k in data.kpis if f"{k.code}: {k.name} SAMPLE DATA" in page]
        figures = re.findall(r"ACTUAL (\S+ of \S+) (?:(?!ACTUAL ).)*?STATUS (Achieved|On track|At risk|Off track|Overdue|Not started)", page)
        if headings and figures:
            headings.sort(key=lambda k: page.index(f"{k.code}: {k.name}"))
            seen += [(k.code, k.n_of_n, k.status_label) for k in headings]
            assert [(v, s) for v, s in figures] == [(k.n_of_n, k.status_label) for k in headings]
    assert [code for code, *_ in seen] == [k.code for k in data.kpis]
    for k in data.kpis:
        assert f"{k.n_of_n} {k.unit}" in text  # the KPI table's "actual of target"
    for f in data.highlights + data.risks:
        assert squash(f.text)[:60] in text


@pytest.mark.parametrize("project", CASES)
def test_pdf_every_page_carries_date_source_sample_mark_and_number(built, project):
    data, files = built[project]
    pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(files["pdf"])).pages]
    assert 8 <= len(pages) <= 18
    for n, page in enumerate(pages, start=1):
        assert f"as of {fmt.day(data.as_of)}" in page
        assert "data: in-memory database" in page
        assert "contains sample data" in page
        assert f"Page {n} of {len(pages)}" in page
    cover = pages[0]
    assert "Funded by the European Union" in cover and "grant agreement No" in cover
    assert data.grant_agreement in cover and "Sample data included" in cover
    assert "KPI status: on track at pace ≥ 90%" in cover  # the filters used


@pytest.mark.parametrize("project", CASES)
def test_pdf_pages_rendered_as_png_artefacts(built, project):
    if not shutil.which("pdftoppm"):
        pytest.fail("pdftoppm (poppler-utils) missing: `make test` installs it")
    as_of = CASES[project]
    pdf = OUT / reports.file_name(project, "pdf", as_of)
    for old in OUT.glob(f"{project}-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(OUT / f"{project}-page")], check=True, timeout=120)
    pngs = sorted(OUT.glob(f"{project}-page-*.png"))
    assert len(pngs) == len(PdfReader(pdf).pages)
    assert all(p.stat().st_size > 10_000 for p in pngs)


def _charts(slide):
    return [s.chart for s in slide.shapes if s.has_chart]


@pytest.mark.parametrize("project", CASES)
def test_pptx_has_a_slide_per_topic_with_native_charts(built, project):
    data, files = built[project]
    prs = Presentation(io.BytesIO(files["pptx"]))
    expected = deck_slides(reports.outline(data))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles[0] == project
    assert titles[1:] == [slide.title for _, slide in expected[1:]]
    assert titles[1:5] == ["KPIs at a glance", "Progress towards target", "Highlights and risks",
                           f"{data.kpis[0].code}: {data.kpis[0].name}"]
    core = [b for section, slide in expected if section.key in ("kpis", "burnup", "budget")
            for b in slide.blocks if isinstance(b, Chart)]
    assert len(core) == 1 + 6 + 4  # progress, a burn-up per KPI, budget over time / category / partner / burn index
    assert all(deck_charts.native(b.figure) is not None for b in core)  # the core charts are all native
    # Every chart is on its slide: natively where PowerPoint has the type, else as a picture.
    for (section, spec), slide in zip(expected, prs.slides):
        charts = [b for b in spec.blocks if isinstance(b, Chart)]
        native = sum(deck_charts.native(b.figure) is not None for b in charts)
        assert len(_charts(slide)) == native, spec.title
        assert sum(s.shape_type == 13 for s in slide.shapes) == len(charts) - native, spec.title  # 13: picture


@pytest.mark.parametrize("project", CASES)
def test_pptx_numbers_are_the_reports(built, project):
    data, files = built[project]
    prs = Presentation(io.BytesIO(files["pptx"]))
    slides = {s.shapes.title.text: s for s in prs.slides}
    table = next(s for s in slides["KPIs at a glance"].shapes if s.has_table).table
    rows = {table.cell(i, 0).text: [c.text for c in table.rows[i].cells] for i in range(1, len(table.rows))}
    for k in data.kpis:
        assert rows[k.code][2] == f"{k.n_of_n} {k.unit}" and rows[k.code][6] == k.status_label
        chart = _charts(slides[f"{k.code}: {k.name}"])[0]
        actual = next(s for s in chart.plots[0].series if s.name == "actual")
        expected_points = [p.actual for p in data.burnup[k.code] if p.actual is not None]
        # The step line holds each value until the next date: its distinct runs are the values.
        runs = [v for i, v in enumerate(actual.values) if i == 0 or v != actual.values[i - 1]]
        assert runs == [v for i, v in enumerate(expected_points) if i == 0 or v != expected_points[i - 1]]
        target = next(s for s in chart.plots[0].series if s.name.startswith("target"))
        assert set(target.values) == {k.target}
    category = _charts(slides["Budget by cost category"])[0].plots[0]
    # Bar charts list their categories bottom-up: the report's order (top-down) reversed.
    assert list(category.categories) == [line.label for line in reversed(data.budget_by_category)]
    planned = next(s for s in category.series if s.name == "planned")
    assert list(planned.values) == pytest.approx([line.planned for line in reversed(data.budget_by_category)])
    progress = _charts(slides["Progress towards target"])[0].plots[0]
    labels = [p.data_label.text_frame.text for p in progress.series[0].points]
    assert labels == [fmt.percent(k.progress) for k in sorted(data.kpis, key=lambda k: k.code, reverse=True)]
    texts = [sh.text_frame.text for sh in slides["KPIs at a glance"].shapes if sh.has_text_frame]
    assert "SAMPLE DATA" in texts and any(f"as of {fmt.day(data.as_of)}" in t for t in texts)


@pytest.mark.parametrize("project", CASES)
def test_html_is_one_self_contained_file_with_interactive_charts(built, project):
    data, files = built[project]
    html = files["html"].decode("utf-8")
    tags = Tags()
    tags.feed(html)
    assert tags.external == [] and tags.scripts >= 12  # plotly.js inlined once, a script per chart
    sections = reports.outline(data)
    assert html.count('class="plotly-graph-div"') == len(document.charts_in(sections)) >= 11
    assert "SAMPLE DATA INCLUDED" in html and f"as of {fmt.day(data.as_of)}" in html
    for k in data.kpis:
        assert f"{k.n_of_n} {k.unit}" in html and k.status_label in html
    assert "KPI status" in html and "Burn index flagged" in html  # the filters used


def test_highlights_and_risks_name_their_numbers(built):
    data, _ = built["CE4BIG"]
    risks = {f.subject: f for f in data.risks}
    assert risks["EUP"].status == "off_track"
    assert "0 of 1 partnership, off track: 0.7 expected by now (pace 0.00)" in risks["EUP"].text
    assert "Owner's latest check-in: at risk" in risks["EUP"].text
    assert "would reach 39.8 of 52" in next(f.text for f in data.risks if f.subject == "XCH")
    assert [f.subject for f in data.highlights if f.status == "achieved"] == ["TRN"]
    assert data.budget.burn_flag == "in line" and data.highlights[-1].subject == "Budget"


def test_sample_tables_are_the_ones_this_report_draws_on(built):
    data, _ = built["CE4BIG"]
    assert set(data.sample_tables) >= {"exchanges", "label_awards", "expenses", "budget_lines"}
    assert not set(data.sample_tables) & {"companies", "bso_demand", "awards"}  # no Big Science section for health
    assert "gaps" not in [s.key for s in data.extra_sections]
    lab = next(k for k in data.kpis if k.code == "LAB")
    assert lab.sample_inputs == ["label_awards"] and not lab.is_sample


def test_big_science_project_gets_the_participation_and_gap_views(built):
    data, _ = built["BIGINN"]
    keys = [s.key for s in data.extra_sections]
    assert keys == ["participation", "labels", "deliverables", "gaps"]
    assert {"companies", "bso_demand"} <= set(data.sample_tables)  # the gap view's sample rows are declared


def test_a_failing_optional_view_drops_its_section_only(seeded, monkeypatch):
    from analytics.reports import extras

    def broken(*args):
        raise RuntimeError("module half-built")

    monkeypatch.setattr(extras, "VIEWS", (broken, extras.deliverable_schedule))
    data = reports.report_data(seeded, "CE4BIG", date(2021, 6, 30))
    assert [s.key for s in data.extra_sections] == ["deliverables"]


def test_facts_only_database_has_no_sample_mark():
    con = store.memory()
    seed.seed(con, include_sample=False)
    data = reports.report_data(con, "CE4BIG", date(2021, 6, 30))
    assert not data.has_sample and data.sample_note == ""
    html = reports.render(data, "html").decode()
    assert "SAMPLE DATA INCLUDED" not in html and 'class="sample-chip"' not in html and "contains sample data" not in html
    assert "none: every row is a reported fact" in html
    deck = Presentation(io.BytesIO(reports.render(data, "pptx")))
    assert not any(sh.name == "Sample data mark" for s in deck.slides for sh in s.shapes)
    assert data.budget.planned == 0 and "The budget lines add up to €0" in data.risks[-1].text


def test_unknown_project_and_format_are_clear_errors(seeded):
    with pytest.raises(UnknownProject):
        reports.build(seeded, "NOPE", "pdf", as_of=date(2021, 6, 30))
    with pytest.raises(ClusterBoardError, match="unknown report format 'docx'"):
        reports.build(seeded, "CE4BIG", "docx", as_of=date(2021, 6, 30))


def test_before_the_start_nothing_has_started(seeded):
    data = reports.report_data(seeded, "CE4BIG", date(2019, 12, 31))
    assert {k.status for k in data.kpis} == {"not_started"} and data.burn_series == []
    assert data.highlights == [] and data.project_month is None
    deck = Presentation(io.BytesIO(reports.render(data, "pptx")))
    titles = [s.shapes.title.text for s in deck.slides]
    assert "Burn index over time" not in titles and "Budget overview" in titles


def test_chart_translation_formats_and_steps():
    import plotly.graph_objects as go

    axis = go.layout.XAxis(tickformat=",.0f", ticksuffix=" €")
    assert deck_charts.number_format(axis) == '#,##0" €"'
    assert deck_charts.number_format(go.layout.XAxis(tickformat=".0%")) == "0%"
    assert deck_charts._step([1, 2, 3], [0, 5, 7]) == ([1, 2, 2, 3, 3], [0, 0, 5, 5, 7])
    assert deck_charts.native(go.Figure(go.Heatmap(z=[[1]]))) is None  # drawn as a picture instead
