"""Competency matrix: which companies can do what, at which level, and who could meet a given need."""
import streamlit as st

from analytics import charts_market, competencies, gaps, market_tables, partners, regions
from analytics.ui import components as ui
from analytics.ui.state import db

PAGE_SIZE = 40

con = db()
st.title("Competency matrix")
st.caption("The Business Competency Matrix: each company's level per sector, 0 none, 1 basic, 2 proven, "
           "3 BSO-qualified (has delivered to a Big Science organisation).")
ui.sample_badge(gaps.sample_counts(con), where="the Big Science pages")

opts = gaps.options(con)
tops = competencies.top_sectors(con)
top_names = dict(zip(tops["sector_id"], tops["name"]))
with st.container(border=True):
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    clusters = c1.multiselect("Clusters", opts["clusters"], key="cm_cluster", bind="query-params",
                              placeholder="All clusters", help="Empty = all.")
    countries = c2.multiselect("Countries", opts["countries"], key="cm_country", bind="query-params",
                               placeholder="All countries", help="Empty = all.")
    top_sector = c3.selectbox("Sector", list(top_names), index=None, key="cm_sector", bind="query-params",
                              format_func=top_names.get, placeholder="All sectors",
                              help="Show the sub-sectors of one top sector.")
    sort = c4.selectbox("Sort", list(competencies.SORT_LABELS), key="cm_sort", bind="query-params",
                        format_func=competencies.SORT_LABELS.get,
                        help="Strongest first: the highest sum of levels over the sectors shown.")

total = competencies.company_count(con, clusters=clusters, countries=countries, top_sector=top_sector)
left, right = st.columns([4, 1])
page = right.selectbox("Page", list(range(1, max(1, -(-total // PAGE_SIZE)) + 1)), key="cm_page",
                       bind="query-params", help=f"{PAGE_SIZE} companies a page.")
cells = competencies.matrix(con, clusters=clusters, countries=countries, top_sector=top_sector, sort=sort,
                            page=page, page_size=PAGE_SIZE)
if cells.empty:
    left.info("No company in this selection has a competency in these sectors.")
else:
    first = int(cells["row_no"].min())
    last = int(cells["row_no"].max())
    left.markdown(f"**Companies {first}–{last} of {total}**, {competencies.SORT_LABELS[sort].lower()}; "
                  "hover a cell for the company, sector and level.")
    st.plotly_chart(charts_market.competency_heatmap(cells), width="stretch")

distribution = competencies.level_distribution(con, clusters=clusters, countries=countries, top_sector=top_sector)
left, right = st.columns([1, 1])
left.plotly_chart(charts_market.level_bars(distribution), width="stretch")
with right:
    st.markdown("**Single-supplier risks**")
    st.caption("Sectors where fewer than 2 companies of the selection are at level 2 (proven) or more.")
    risks = competencies.single_supplier_risks(distribution)
    if risks.empty:
        st.success("Every sector shown has at least 2 companies at level 2 or more.", icon=":material/check:")
    else:
        st.dataframe(risks, hide_index=True, width="stretch", column_config={
            "sector": st.column_config.TextColumn("Sector"),
            "coverage": st.column_config.NumberColumn("At level ≥ 2", format="%d"),
            "sole_supplier": st.column_config.TextColumn("The only supplier"),
        })

st.subheader("Partner finder")
st.caption("Describe a need, for example ESS, vacuum, level 2 or more, Nordic or Baltic countries, and get the "
           "companies that could meet it, best match first, with the reasons for each score.")
bso_ids = opts["bsos"]
sector_list = competencies.sector_choices(con)
sector_labels = dict(zip(sector_list["sector_id"], sector_list["label"]))
with st.container(border=True):
    f1, f2, f3 = st.columns([2, 4, 2])
    bso = f1.selectbox("For BSO", bso_ids, index=bso_ids.index("ESS") if "ESS" in bso_ids else None,
                       key="pf_bso", bind="query-params", placeholder="Any BSO",
                       help="Companies from countries that fund this BSO score higher.")
    sector = f2.selectbox("Sector needed", list(sector_labels), key="pf_sector", bind="query-params",
                          index=list(sector_labels).index("MECH.VAC") if "MECH.VAC" in sector_labels else 0,
                          format_func=sector_labels.get)
    min_level = f3.segmented_control("Minimum level", [1, 2, 3], default=2, required=True, key="pf_level",
                                     bind="query-params", help="1 basic, 2 proven, 3 BSO-qualified")
    g1, g2 = st.columns([3, 2])
    chosen_regions = g1.pills("Regions", list(regions.REGIONS), selection_mode="multi", key="pf_region",
                              bind="query-params", default=["Nordic", "Baltic"],
                              help="; ".join(f"{r}: {', '.join(c)}" for r, c in regions.REGIONS.items()))
    extra = g2.multiselect("and countries", opts["countries"], key="pf_country", bind="query-params",
                           placeholder="No other countries",
                           help="Added to the regions. No region and no country = all countries.")

found = partners.find_partners(con, sector_id=sector, min_level=min_level, bso_id=bso, limit=100,
                               countries=regions.expand(chosen_regions, extra))
where = ", ".join(chosen_regions + extra) or "all countries"
if found.empty:
    st.info(f"No company at level {min_level} or more in {sector_labels[sector]} from {where}.")
else:
    st.markdown(f"**{len(found)} {'company' if len(found) == 1 else 'companies'}** at level {min_level} or more in "
                f"{ui.md_escape(sector_labels[sector])} from {ui.md_escape(where)}"
                + (f", scored for {ui.md_escape(bso)}" if bso else "") + ".")
    shown = market_tables.partner_table(found)
    st.dataframe(shown, hide_index=True, width="stretch", key="partner_results", column_config={
        "match_score": st.column_config.ProgressColumn("Match score", format="%.0f", min_value=0, max_value=100,
                                                       width=105),
        "name": st.column_config.TextColumn("Company", width=185),
        "country": st.column_config.TextColumn("Country", width=60),
        "level": st.column_config.NumberColumn("Level", format="%d", width=45),
        "best_sector": st.column_config.TextColumn("In sector", width=110),
        "pts_level": st.column_config.NumberColumn("Level pts", format="+%d", width=70,
                                                   help="Points for the level in the sector."),
        "pts_prior": st.column_config.NumberColumn("Supplied a BSO", format="+%d", width=100,
                                                   help="Points for having supplied a Big Science organisation."),
        "pts_related": st.column_config.NumberColumn("Related pts", format="+%d", width=80,
                                                     help="Points for other sub-sectors of the same top sector "
                                                          "at level 2 or more (listed next)."),
        "related": st.column_config.TextColumn("Also proven in", width=160),
        "pts_member": st.column_config.NumberColumn("Funds the BSO", format="+%d", width=95,
                                                    help="Points when the company's country contributes to the BSO."),
        "cluster": st.column_config.TextColumn("Cluster", width=110),
        "employees": st.column_config.NumberColumn("Employees", format="%d"),
        "reasons": st.column_config.TextColumn("Why, in words", width="large"),
    })
    st.download_button("Download as CSV", market_tables.to_csv(shown), icon=":material/download:",
                       file_name=f"partners-{bso or 'any'}-{sector}-level{min_level}.csv", mime="text/csv",
                       key="partner_csv")

ui.formulas(partners.formulas() | competencies.FORMULAS)
