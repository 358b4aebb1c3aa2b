"""AppTest of the Competency matrix page: paging, flags and the partner finder with its CSV."""
from __future__ import annotations

from analytics import competencies, partners, regions

PAGE = "pages/competencies.py"
NORDIC_BALTIC = regions.expand(["Nordic", "Baltic"])


def test_page_opens_on_the_example_need(app, seeded):
    at = app(PAGE)
    assert at.title[0].value == "Competency matrix"
    assert not at.error
    # the default need is the example: ESS, vacuum, level 2 or more, Nordic or Baltic countries
    expected = partners.find_partners(seeded, sector_id="MECH.VAC", min_level=2, bso_id="ESS", countries=NORDIC_BALTIC,
                                      limit=100)
    results = at.dataframe[-1].value
    assert results["name"].tolist() == expected["name"].tolist()
    assert results["match_score"].tolist() == expected["match_score"].tolist()
    assert results["reasons"].iloc[0] == expected["reasons"].iloc[0]
    assert any("Sample data" in m.value for m in at.markdown)


def test_csv_download_is_offered(app):
    at = app(PAGE)
    button = at.download_button(key="partner_csv")
    assert button.label == "Download as CSV"
    assert button.proto.url.endswith(".csv")  # the content is checked in the browser test, which downloads it


def test_changing_the_need_reranks(app, seeded):
    at = app(PAGE)
    at.segmented_control(key="pf_level").set_value(3).run()
    at.pills(key="pf_region").set_value(["Iberian"]).run()
    expected = partners.find_partners(seeded, sector_id="MECH.VAC", min_level=3, bso_id="ESS", countries=["ES", "PT"],
                                      limit=100)
    assert at.dataframe[-1].value["name"].tolist() == expected["name"].tolist()


def test_need_nobody_meets_says_so(app):
    at = app(PAGE)
    at.selectbox(key="pf_sector").set_value("ENER.HEAT").run()
    at.segmented_control(key="pf_level").set_value(3).run()
    assert not at.exception and not at.error
    assert any("No company at level 3 or more" in i.value for i in at.info)


def test_matrix_pages_through_the_companies(app, seeded):
    at = app(PAGE)
    total = competencies.company_count(seeded)
    assert at.selectbox(key="cm_page").options == [str(p) for p in range(1, -(-total // 40) + 1)]
    assert any(f"Companies 1–40 of {total}" in m.value for m in at.markdown)
    at.selectbox(key="cm_page").set_value(2).run()
    assert any(f"Companies 41–80 of {total}" in m.value for m in at.markdown)


def test_single_supplier_flags(app, seeded):
    at = app(PAGE)
    risks = at.dataframe[0].value  # the first table on the page is the single-supplier list
    expected = competencies.single_supplier_risks(competencies.level_distribution(seeded))
    assert risks["sector"].tolist() == expected["sector"].tolist() == ["Heating systems (fusion)"]
