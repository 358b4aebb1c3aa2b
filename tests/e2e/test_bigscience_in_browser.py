"""The Big Science pages in a real browser: views opened from a shared link, the partner finder and its CSV."""
from __future__ import annotations

import pandas as pd
import pytest

from analytics import gaps, partners, regions
from tests.e2e.conftest import open_page, wait_for_app

pytestmark = pytest.mark.browser

NEED = "pf_bso=ESS&pf_sector=MECH.VAC&pf_level=2&pf_region=Nordic&pf_region=Baltic"


def summary_line(page) -> str:
    return page.locator("[data-testid='stMarkdownContainer']", has_text="or more in").first.inner_text()


def test_partner_finder_from_a_link_then_level_3_and_the_csv(server, page, seeded):
    nordic_baltic = regions.expand(["Nordic", "Baltic"])
    level_2 = partners.find_partners(seeded, sector_id="MECH.VAC", min_level=2, bso_id="ESS", countries=nordic_baltic,
                                     limit=100)
    open_page(page, f"{server}/competencies?{NEED}", "competencies-partner-finder")
    assert summary_line(page).startswith(f"{len(level_2)} companies at level 2 or more in Mechanical engineering › Vacuum")

    with page.expect_download() as download:
        page.locator(".st-key-partner_csv button").click()
    frame = pd.read_csv(download.value.path(), encoding="utf-8-sig")
    assert frame["name"].tolist() == level_2["name"].tolist()
    assert frame["reasons"].tolist() == level_2["reasons"].tolist()
    assert download.value.suggested_filename == "partners-ESS-MECH.VAC-level2.csv"

    level_3 = partners.find_partners(seeded, sector_id="MECH.VAC", min_level=3, bso_id="ESS", countries=nordic_baltic,
                                     limit=100)
    page.locator(".st-key-pf_level").get_by_role("radio", name="3", exact=True).click()
    page.wait_for_function("() => new URL(location.href).searchParams.get('pf_level') === '3'")
    wait_for_app(page)
    assert summary_line(page).startswith(f"{len(level_3)} companies at level 3 or more")
    assert len(level_3) < len(level_2)


def test_gap_view_opened_from_a_link(server, page, seeded):
    clusters = ["BigScience.dk", "INEUSTAR", "LITEK"]
    url = f"{server}/gaps?bso=CERN&bso=ESS&bso=F4E&bso=ITER&" + "&".join(f"cluster={c}" for c in clusters)
    open_page(page, url, "gaps-BIGINN-clusters")
    head = gaps.summary(gaps.gap_scores(seeded, bsos=["CERN", "ESS", "F4E", "ITER"], clusters=clusters))
    metric = page.locator("[data-testid='stMetric']", has_text="Under-supplied sectors")
    assert metric.locator("[data-testid='stMetricValue']").inner_text() == f"{head['under_supplied']} of {head['sectors']}"
    companies = page.locator("[data-testid='stMetric']", has_text="Companies in the selection")
    assert companies.locator("[data-testid='stMetricValue']").inner_text() == str(head["companies"])
