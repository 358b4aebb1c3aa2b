"""Chart builders and display tables of the Big Science pages: what they draw from the analytics' frames."""
from __future__ import annotations

import pandas as pd
import plotly.io as pio
import pytest

from analytics import charts_market, competencies, gaps, market_tables, returns
from analytics.charts import TEMPLATE
from tests.analytics.market_rows import build


@pytest.fixture(scope="module")
def market():
    con = build()
    yield con
    con.close()


def test_gap_bars_stack_the_component_points_in_rank_order(market):
    table = gaps.gap_scores(market, years=[2023])
    fig = charts_market.gap_score_bars(table)
    assert fig.layout.template.layout.font.family == pio.templates[TEMPLATE].layout.font.family
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Demand size", "Supply gap", "Thin coverage", "Weak return"]
    assert list(bars[0].y) == ["Alpha one", "Beta two", "Alpha two", "Beta one"]  # B.3 has no score: not drawn
    totals = [sum(b.x[i] for b in bars) for i in range(4)]
    assert totals == pytest.approx(table["score"].dropna().tolist())
    assert fig.data[-1].text[0] == " 76"  # the score written at the end of the bar


def test_quadrant_axes_in_percent_and_zero_shares_on_the_floor(market):
    fig = charts_market.share_quadrant(gaps.gap_scores(market, years=[2023]))
    points = fig.data[-1]
    assert len(points.x) == 4  # B.3 has no gap index
    assert fig.layout.xaxis.type == "log" and all(t.endswith(" %") for t in fig.layout.xaxis.ticktext)
    # B.2 has no supply: drawn at the floor (half the smallest share), and its hover says 0.0 %
    b2 = list(points.customdata[:, 0]).index("Beta two")
    assert points.x[b2] == pytest.approx(min(10.0, 100 * 2 / 11) / 2)
    assert points.customdata[b2][3] == 0


def test_quadrant_labels_never_overlap():
    positions = charts_market._place_labels([0.5, 0.52], [0.5, 0.5], ["A long sector name", "Another one"], [1, 2], 2,
                                            plot_px=(400, 400))
    assert positions[0] is not None
    assert positions[1] is None or positions[1] != positions[0]


def test_demand_heatmap_in_millions_with_a_log_colour(market):
    fig = charts_market.demand_heatmap(gaps.demand_matrix(market, years=[2023]))
    heat = fig.data[0]
    assert list(heat.y) == ["X", "Y"]  # biggest buyer first
    assert heat.customdata[0][0] == pytest.approx(500 / 1e6)
    assert heat.text[0][0] == "<0.1"  # € 500 is not shown as a misleading 0.0


def test_return_bars_coloured_by_class_with_the_boundaries(market):
    fig = charts_market.return_bars(returns.by_country(market))
    assert {t.name for t in fig.data} == {"well balanced", "very poorly balanced"}
    assert sorted(s.x0 for s in fig.layout.shapes) == [0.40, 1.00]


def test_competency_heatmap_and_level_bars(market):
    cells = competencies.matrix(market)
    fig = charts_market.competency_heatmap(cells)
    assert list(fig.data[0].y) == ["One ApS (DK)", "Three AB (SE)", "Two ApS (DK)"]
    assert fig.data[0].z[0].tolist() == [3, 0, 2, 0, 0]
    assert [s.x0 for s in fig.layout.shapes] == [1.5]  # the line between top sectors A and B
    bars = charts_market.level_bars(competencies.level_distribution(market))
    warnings = [t for t in bars.data if t.type == "scatter"][0]
    assert list(warnings.text) == ["  ⚠ 1 at level ≥ 2", "  ⚠ 1 at level ≥ 2", "  ⚠ 0 at level ≥ 2", "  ⚠ 0 at level ≥ 2"]


def test_gap_table_in_percent_without_raw_missing_values(market):
    table = market_tables.gap_table(gaps.gap_scores(market, years=[2023]))
    row = table.set_index("sector").loc["Alpha one"]
    assert row["demand_pct"] == pytest.approx(50.0) and row["supply_pct"] == pytest.approx(100 * 3 / 11)
    assert table.set_index("sector").loc["Beta one", "return_class"] == ""


@pytest.mark.parametrize("value, text", [
    (21_170_061_000, "€21.2 bn"), (450_000_000, "€450.0 M"), (12_345, "€12,345"), (None, "–"), (float("nan"), "–"),
])
def test_eur_compact(value, text):
    assert market_tables.eur_compact(value) == text


def test_csv_opens_in_excel_with_accents():
    data = market_tables.to_csv(pd.DataFrame({"name": ["Øresund Vakuum ApS", "Kuršių UAB"]}))
    assert data.startswith("\ufeff".encode()) and "Kuršių".encode() in data
