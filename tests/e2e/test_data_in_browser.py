"""The upload flow in a real browser: a file with an error shows the problems, the fixed file
imports, and the KPI page shows the new number."""
from __future__ import annotations

import subprocess

import pytest

from analytics import seed, store
from tests.e2e.conftest import SCREENSHOTS, open_page, screenshot, start_server, wait_for_app

pytestmark = pytest.mark.browser

BAD = ("project_id;code;checked_on;value;confidence\n"
       "CE4BIG;SPL;30.09.2021;3;on track\n"
       "CE4BIG;NOPE;2021-10-01;x;maybe\n")
FIXED = "project_id;code;checked_on;value;confidence\nCE4BIG;SPL;30.09.2021;3;on track\n"


@pytest.fixture(scope="module")
def data_server(tmp_path_factory):
    """A server of its own: this test writes to its database."""
    path = tmp_path_factory.mktemp("e2e-data") / "clusterboard.duckdb"
    con = store.connect(path, read_only=False)
    seed.seed(con)
    con.close()
    proc, url, _log = start_server(path)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _upload(page, path) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    wait_for_app(page)


def test_upload_errors_fix_import_then_the_kpi_page(data_server, page, tmp_path):
    result = open_page(page, f"{data_server}/data?project=CE4BIG&as_of=2021-10-31", "data-CE4BIG")
    assert not result["js_errors"]
    page.get_by_test_id("stSelectbox").filter(has_text="Table to load into").click()
    page.get_by_role("option", name="KPI check-ins (checkins)").click()
    wait_for_app(page)

    bad = tmp_path / "checkins.csv"
    bad.write_text(BAD, encoding="utf-8")
    _upload(page, bad)
    page.get_by_text("3 problem(s)").wait_for()
    assert page.get_by_test_id("stDataFrame").first.is_visible()
    screenshot(page, SCREENSHOTS / "data-upload-errors.png")

    fixed = tmp_path / "checkins-fixed.csv"
    fixed.write_text(FIXED, encoding="utf-8")
    _upload(page, fixed)
    screenshot(page, SCREENSHOTS / "data-upload-preview.png")
    page.get_by_role("button", name="Import 1 row into checkins").click()
    page.get_by_text("inserted 1").wait_for()
    wait_for_app(page)
    screenshot(page, SCREENSHOTS / "data-upload-imported.png")

    open_page(page, f"{data_server}/kpis?project=CE4BIG&as_of=2021-10-31", "kpis-CE4BIG-after-import")
    assert "3 of 4" in page.get_by_test_id("stMetricValue").all_inner_texts()


@pytest.mark.parametrize("tab", ["Enter updates", "Export", "Templates", "History", "Sample data"])
def test_every_tab_renders(data_server, page, tab):
    open_page(page, f"{data_server}/data?project=CE4BIG&as_of=2021-10-31", "data-CE4BIG")
    page.get_by_role("tab", name=tab).click()
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    screenshot(page, SCREENSHOTS / f"data-tab-{tab.lower().replace(' ', '-')}.png")


def test_an_export_downloads_on_click(data_server, page):
    open_page(page, f"{data_server}/data?project=CE4BIG&as_of=2021-10-31", "data-CE4BIG")
    page.get_by_role("tab", name="Export").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download projects.csv").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("project_id,title,programme,")
    assert "CE4BIG,\"Cluster Excellence for Business, Innovation and Growth in the health sector\"" in text
