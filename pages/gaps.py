"""Sector gaps: where the Big Science market is under-served, and why (every component of the score shown)."""
import streamlit as st

from analytics import charts_market, gaps, market_tables, partners, returns
from analytics.market_filters import MarketFilters, describe
from analytics.ui import components as ui
from analytics.ui.state import db

con = db()
st.title("Sector gaps")
st.caption("What the Big Science organisations (BSOs) buy, against what cluster companies can supply. "
           "Sectors that are bought much and supplied little score highest.")
ui.sample_badge(gaps.sample_counts(con), where="the Big Science pages")
st.badge("Demand by sector is estimated", icon=":material/calculate:", color="violet",
         help="No public per-sector split of BSO procurement exists; see 'How these numbers are computed'.")

opts = gaps.options(con)
with st.container(border=True):
    c1, c2, c3 = st.columns([4, 3, 2])
    bsos = c1.multiselect("Big Science organisations", opts["bsos"], key="bso", bind="query-params",
                          placeholder="All BSOs", help="Demand and contract awards of these BSOs. Empty = all.")
    years = c2.multiselect("Years", opts["years"], key="year", bind="query-params", placeholder="All years",
                           help="Procurement and award years. Empty = all.")
    granularity = c3.segmented_control("Sectors", ["sub", "top"], key="level", bind="query-params", default="sub",
                                       required=True, format_func={"sub": "Sub-sectors", "top": "Top 5"}.get,
                                       help="Sub-sectors, or the five ENRIITC top sectors they roll up into.")
    c4, c5 = st.columns(2)
    clusters = c4.multiselect("Supplying clusters", opts["clusters"], key="cluster", bind="query-params",
                              placeholder="All clusters", help="Supply: companies of these clusters. Empty = all.")
    countries = c5.multiselect("Supplying countries", opts["countries"], key="country", bind="query-params",
                               placeholder="All countries", help="Supply: companies of these countries. Empty = all.")

defaults = gaps.GapWeights()
with st.expander("Score weights", icon=":material/tune:", expanded=True):
    w1, w2, w3, w4 = st.columns(4)
    slider = dict(min_value=0.0, max_value=1.0, step=0.05, bind="query-params")
    w_demand = w1.slider("Demand size", value=defaults.demand, key="w_demand",
                         help=f"Default {defaults.demand:.2f}. D ÷ the largest D among the sectors shown.", **slider)
    w_gap = w2.slider("Supply gap", value=defaults.supply_gap, key="w_gap",
                      help=f"Default {defaults.supply_gap:.2f}. (G + 1) ÷ 2: 1 when nothing is supplied.", **slider)
    w_coverage = w3.slider("Thin coverage", value=defaults.coverage, key="w_coverage",
                           help=f"Default {defaults.coverage:.2f}. 1 − companies at level ≥ 2 ÷ "
                                f"{defaults.coverage_target}, at least 0.", **slider)
    w_return = w4.slider("Weak return", value=defaults.weak_return, key="w_return",
                         help=f"Default {defaults.weak_return:.2f}. 1 − return coefficient, at least 0.", **slider)
    st.caption(f"Defaults: demand size {defaults.demand:.2f}, supply gap {defaults.supply_gap:.2f}, thin coverage "
               f"{defaults.coverage:.2f}, weak return {defaults.weak_return:.2f}. Only their ratios matter: the score "
               "divides by their sum.")

weights = gaps.make_weights(demand=w_demand, supply_gap=w_gap, coverage=w_coverage, weak_return=w_return)
selected = dict(bsos=bsos, years=years, clusters=clusters, countries=countries)
table = gaps.gap_scores(con, **selected, weights=weights, granularity=granularity)

st.latex(r"\text{gap score} = 100 \times \frac{w_D\,\text{demand size} + w_G\,\frac{G + 1}{2} + w_C\,\text{thin coverage}"
         r" + w_R\,\text{weak return}}{\sum w}, \qquad G = \frac{D - S}{D + S}")
st.caption(f"Selection: {ui.md_escape(describe(MarketFilters.of(**selected)))}")

head = gaps.summary(table)
m1, m2, m3, m4 = st.columns(4)
m1.metric("Demand in the selection", market_tables.eur_compact(head["demand_eur"]), border=True,
          help="Estimated demand of the selected BSOs, summed over the selected years.")
m2.metric("Companies in the selection", ui.number(head["companies"]), border=True,
          help="Companies of the selected clusters and countries; their competencies make the supply.")
m3.metric("Under-supplied sectors", f"{head['under_supplied']} of {head['sectors']}", border=True,
          help="Sectors with gap index G > 0: a larger share of demand than of supply.")
m4.metric("Single-supplier risks", head["single_supplier_risks"], border=True,
          help="Sectors with fewer than 2 companies at level 2 (proven) or more.")

st.plotly_chart(charts_market.gap_score_bars(table), width="stretch")
labels = market_tables.COLUMN_LABELS
st.dataframe(
    market_tables.gap_table(table), hide_index=True, width="stretch",
    column_config={
        "rank": st.column_config.NumberColumn(labels["rank"], format="%d", width=45),
        "sector": st.column_config.TextColumn(labels["sector"], width=170),
        "demand_eur": st.column_config.NumberColumn("Demand", format="€%,.0f", width=115),
        "demand_pct": st.column_config.NumberColumn("Demand share", format="%.1f %%", width=95,
                                                    help="D: the sector's share of the selected demand."),
        "supply_pct": st.column_config.NumberColumn("Supply share", format="%.1f %%", width=90,
                                                    help="S: the sector's share of the selected companies' capacity."),
        "gap_index": st.column_config.NumberColumn("Gap index", format="%+.2f", width=70, help="G = (D − S) ÷ (D + S)"),
        "coverage": st.column_config.NumberColumn("At level ≥ 2", format="%d", width=80,
                                                  help="Companies at level 2 (proven) or more."),
        "single_supplier_risk": st.column_config.CheckboxColumn("Single supplier", width=75,
                                                                help="Fewer than 2 companies at level ≥ 2."),
        "return_coefficient": st.column_config.NumberColumn("Return", format="%.2f", width=55,
                                                            help="Return coefficient; empty where no awards exist."),
        "return_class": st.column_config.TextColumn(labels["return_class"], width=115),
        "score": st.column_config.ProgressColumn(labels["score"], format="%.0f", min_value=0, max_value=100, width=95),
    },
)

st.plotly_chart(charts_market.demand_heatmap(gaps.demand_matrix(con, bsos=bsos, years=years, granularity=granularity),
                                             sector_order=gaps.sector_order(table)), width="stretch")

left, right = st.columns(2)
left.plotly_chart(charts_market.share_quadrant(table), width="stretch")
by_country = returns.by_country(con, bsos=bsos, years=years, countries=countries)
if by_country.empty:
    right.info("No contract awards with contribution shares for this selection, so no return coefficients.")
else:
    right.plotly_chart(charts_market.return_bars(by_country), width="stretch")
    right.caption("CERN classes (supplies): " + "; ".join(f"{k} {v}" for k, v in returns.CLASS_RULES.items()) + ".")

st.subheader("Cross-sector opportunities")
st.caption("Companies strong in one top sector whose skills sit next to an under-supplied sector of another: "
           "the natural candidates to grow into the gap.")
opportunities = partners.cross_sector_opportunities(con, **selected, gaps=None if granularity == "top" else table)
if opportunities.empty:
    st.info("No company in the selection is strong in a sector adjacent to an under-supplied one.")
else:
    st.dataframe(
        market_tables.opportunity_table(opportunities), hide_index=True, width="stretch",
        column_config={
            "name": st.column_config.TextColumn(labels["name"], width=190),
            "country": st.column_config.TextColumn(labels["country"], width=60),
            "strong_in": st.column_config.TextColumn(labels["strong_in"], width=170),
            "strong_level": st.column_config.NumberColumn(labels["strong_level"], format="%d", width=70),
            "target_sector": st.column_config.TextColumn("Could grow into", width=170,
                                                         help="An under-supplied sector (gap index above 0)."),
            "current_level": st.column_config.NumberColumn(labels["current_level"], format="%d", width=70),
            "gap_index": st.column_config.NumberColumn(labels["gap_index"], format="%+.2f", width=80),
            "proximity": st.column_config.NumberColumn(labels["proximity"], format="%.2f", width=85,
                                                       help="Companies strong in both ÷ those strong in the more "
                                                            "common of the two sectors."),
            "cluster": st.column_config.TextColumn(labels["cluster"]),
        },
    )

ui.formulas(market_tables.gap_formulas(con, weights, bsos=bsos, years=years))
