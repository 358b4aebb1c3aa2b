"""AppTest of the participation pages and the Portfolio's "Needs attention" list, on the seed."""
from __future__ import annotations

from datetime import date


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_exchanges_page_shows_biginn_participation_and_the_65_percent_sme_share(app):
    at = app("pages/exchanges.py", project="BIGINN", as_of=date(2024, 1, 31))
    assert at.title[0].value == "BIGINN · Exchanges and missions"
    m = metrics(at)
    assert m["Participations"] == "55"
    assert m["Organisations"] == "51"
    assert m["Mission participants"] == "180"
    assert m["SME share of participants"] == "65%"
    # Over the cap: XC022 460, XC017, XC025, XC048, XC050 70 each; XC055 390 (150 km, paid in full).
    assert m["Paid above the rule"] == "€1,130"
    warnings = at.dataframe[0].value
    assert set(warnings["title"]) >= {"Counted by a project that did not pay", "Stay shorter than 3 working days",
                                      "Stay longer than a month", "Lump sum above the rule",
                                      "Organisation visiting again"}
    assert any("Sample data" in md.value for md in at.markdown)


def test_exchanges_page_all_projects_toggle(app):
    at = app("pages/exchanges.py", project="BIGINN", as_of=date(2024, 1, 31))
    at.toggle(key="exchanges_all").set_value(True).run()
    assert not at.exception
    assert at.title[0].value == "All projects · Exchanges and missions"
    assert metrics(at)["Participations"] == "103"  # 55 BIGINN + 48 CE4BIG (XC001-XC047 and XC900)


def test_labels_page_warns_of_the_lapsing_bronze(app):
    at = app("pages/labels.py", project="BIGINN", as_of=date(2023, 1, 1))
    assert at.title[0].value == "BIGINN · Labels"
    m = metrics(at)
    assert m["Clusters holding a valid label"] == "3 of 3"
    assert m["Lapsed or lapsing before the end"] == "1"
    assert any("INEUSTAR" in w.value and "lapses on 01" in w.value for w in at.warning)  # markdown-escaped dots
    status = at.dataframe[0].value.set_index("organisation")
    assert not status.loc["LITEK", "upgrade_reachable"]  # silver not before 07.05.2024


def test_labels_page_shows_the_labels_kpi_card(app):
    at = app("pages/labels.py", project="CE4BIG", as_of=date(2022, 2, 2))
    assert metrics(at)["Clusters"] == "4 of 4"  # the LAB card


def test_deliverables_page_counts_and_due_soon(app):
    at = app("pages/deliverables.py", project="BIGINN", as_of=date(2023, 6, 30))
    assert at.title[0].value == "BIGINN · Deliverables"
    assert "project month M17 of M24" in at.caption[0].value
    m = metrics(at)
    assert (m["Submitted on time"], m["Submitted late"], m["Overdue"]) == ("6", "1", "0")
    assert m["Due in the next 30 days"] == "1"
    assert at.dataframe[0].value["code"].tolist() == ["MS3"]  # due today, not late yet


def test_deliverables_page_flags_the_overdue_deliverable(app):
    at = app("pages/deliverables.py", project="CE4BIG", as_of=date(2021, 6, 30))
    assert any("Cluster benchmarking action plans" in w.value and "59 days late" in w.value for w in at.warning)


def test_portfolio_needs_attention_list(app):
    at = app(as_of=date(2021, 6, 30))
    assert "Needs attention" in [h.value for h in at.subheader]
    findings = at.dataframe[1].value
    first = findings.iloc[0]
    assert (first["project_id"], first["severity"], first["area"]) == ("CE4BIG", "high", "KPIs")
    assert any(findings["what"].str.startswith("D2.2 Cluster benchmarking action plans"))
    assert findings["link"].iloc[0] == "kpis?project=CE4BIG&as_of=2021-06-30"


def test_a_long_attention_list_shows_counts_the_first_rows_and_downloads_all(app, monkeypatch):
    from analytics import attention

    monkeypatch.setattr(attention, "ROWS_SHOWN", 3)  # the seed has 10 findings on 30.06.2021
    at = app(as_of=date(2021, 6, 30))
    counts, listed = at.dataframe[1].value, at.dataframe[2].value
    assert counts["findings"].sum() == 10
    assert dict(zip(zip(counts["severity"], counts["area"]), counts["findings"]))[("high", "KPIs")] == 1
    assert len(listed) == 3
    assert any("10 findings (2 high, 7 medium, 1 low)" in c.value for c in at.caption)
    assert any("The first 3 of them" in c.value for c in at.caption)
    assert at.get("download_button")[0].proto.label == "Download all 10 findings (CSV)"
