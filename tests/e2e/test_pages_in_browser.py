"""Every page in a real browser: no exception box, no error, a screenshot each."""
from __future__ import annotations

import pytest

from analytics.ui.navigation import PAGES
from tests.e2e.conftest import open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders(server, page, spec):
    result = open_page(page, f"{server}/{spec.url_path}?project=CE4BIG&as_of=2021-06-30", f"{spec.url_path}-CE4BIG")
    assert page.locator("h1").first.inner_text().strip() != ""
    assert not result["js_errors"], result["js_errors"]


def test_as_of_in_url_changes_the_numbers(server, page):
    open_page(page, f"{server}/kpis?project=CE4BIG&as_of=2020-06-30", "kpis-CE4BIG-early")
    early = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    open_page(page, f"{server}/kpis?project=CE4BIG&as_of=2022-02-02", "kpis-CE4BIG-end")
    final = page.locator("[data-testid='stMetricValue']").all_inner_texts()
    assert early != final
    assert "4 of 4" in final  # labels, C2C missions and strategic plans all reached by the end


def test_biginn_pages(server, page):
    for spec in PAGES:
        if spec.uses_project:
            open_page(page, f"{server}/{spec.url_path}?project=BIGINN&as_of=2023-06-30", f"{spec.url_path}-BIGINN")


@pytest.mark.parametrize("query", ["project=NOPE", "project=%27%3B%20DROP%20TABLE%20projects%3B%20--", "as_of=not-a-date"])
def test_bad_url_parameters_fall_back_without_error(server, page, query):
    open_page(page, f"{server}/kpis?{query}", f"kpis-bad-url-{abs(hash(query)) % 1000}")
    assert page.locator("h1").first.inner_text().endswith("KPIs")


def test_the_root_url_opens_the_portfolio_at_its_own_url(server, page):
    open_page(page, f"{server}/?project=CE4BIG&as_of=2021-06-30", "root-CE4BIG")
    assert page.url.endswith("/portfolio?project=CE4BIG&as_of=2021-06-30")
    assert page.locator("h1").first.inner_text().startswith("Portfolio")
