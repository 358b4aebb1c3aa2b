"""The HTML report opened from disk, and presentation mode, in a real browser."""
from __future__ import annotations

from datetime import date

import pytest

from analytics import reports, seed, store
from tests.e2e.conftest import SCREENSHOTS, open_page, screenshot

pytestmark = pytest.mark.browser


def test_html_report_opens_from_a_file_without_errors(tmp_path, page):
    con = store.memory()
    seed.seed(con)
    path = tmp_path / "CE4BIG-report.html"
    html = reports.build(con, "CE4BIG", "html", as_of=date(2021, 6, 30))
    path.write_bytes(html)
    # Every chart the file embeds must be drawn: 11 core charts plus the optional sections present.
    embedded = html.decode("utf-8").count('class="plotly-graph-div"')
    assert embedded >= 11
    errors, requests = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: requests.append(req.url))
    page.goto(path.as_uri())
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {embedded}", timeout=60_000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "report-html-CE4BIG.png"), full_page=True)
    assert not errors, errors
    assert all(url.startswith("file:") or url.startswith("data:") for url in requests), requests  # nothing fetched
    assert page.locator(".js-plotly-plot").count() == embedded
    assert "SAMPLE DATA INCLUDED" in page.locator("header.bar").inner_text()


def test_presentation_opens_at_a_step_and_moves_with_the_keyboard(server, page):
    result = open_page(page, f"{server}/present?project=CE4BIG&as_of=2022-02-02&step=3", "present-CE4BIG-step3")
    assert not result["js_errors"], result["js_errors"]
    assert page.locator("h1").first.inner_text().strip() == "Progress towards target"
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('step=4')", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('Highlights')",
        timeout=30_000)
    page.wait_for_timeout(800)  # plotly draws after the script finishes
    screenshot(page, SCREENSHOTS / "present-CE4BIG-step4.png")
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("() => location.search.includes('step=3')", timeout=30_000)


def test_report_page_links_to_the_presentation(server, page):
    open_page(page, f"{server}/report?project=BIGINN&as_of=2023-06-30", "report-BIGINN")
    link = page.get_by_role("link", name="Open presentation mode")
    assert "step=1" in link.get_attribute("href")
    link.click()
    page.wait_for_function("() => location.pathname.endsWith('/present')", timeout=30_000)
    page.wait_for_function(
        "() => document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('BIGINN')", timeout=30_000)
    page.wait_for_timeout(500)
    screenshot(page, SCREENSHOTS / "present-BIGINN-cover.png")
