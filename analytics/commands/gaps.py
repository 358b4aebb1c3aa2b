"""gaps [--bso ID ...] [--country CC ...] [--cluster NAME ...] [--year YYYY ...] [--top] [--json]:
sector gap scores, one row per sector, best opportunity first."""
from __future__ import annotations

from analytics import gaps
from analytics.commands.common import open_existing, print_json, print_table, records
from analytics.market_filters import MarketFilters, describe

COLUMNS = ["rank", "sector_id", "sector", "demand_eur", "demand_share", "supply_share", "gap_index", "coverage",
           "single_supplier_risk", "return_coefficient", "return_class", "score"]
SHORT = {"demand_share": "D", "supply_share": "S", "gap_index": "G", "return_coefficient": "return",
         "return_class": "class", "single_supplier_risk": "single"}


def add_parser(sub):
    p = sub.add_parser("gaps", help="Big Science sector gap scores (demand share, supply share, gap index, score)")
    p.add_argument("--bso", action="append", metavar="ID", help="a Big Science organisation (repeat for more; default all)")
    p.add_argument("--country", action="append", metavar="CC", help="supplier country, ISO alpha-2 (repeatable)")
    p.add_argument("--cluster", action="append", metavar="NAME", help="supplier cluster (repeatable)")
    p.add_argument("--year", action="append", type=int, metavar="YYYY", help="demand and award year (repeatable)")
    p.add_argument("--top", action="store_true", help="the five top sectors instead of the sub-sectors")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return p


def run(args) -> int:
    con = open_existing(args)
    selected = dict(bsos=args.bso, years=args.year, clusters=args.cluster, countries=args.country)
    table = gaps.gap_scores(con, **selected, granularity="top" if args.top else "sub")
    rows = records(table, COLUMNS)
    scope = describe(MarketFilters.of(**selected))
    if args.json:
        print_json({"selection": MarketFilters.of(**selected).model_dump(), "weights": gaps.GapWeights().model_dump(),
                    "sectors": rows})
        return 0
    print(f"Sector gap scores · {scope}")
    print_table(
        [{SHORT.get(k, k): v for k, v in r.items() if k not in ("sector", "demand_eur")} for r in rows],
        {"D": ".1%", "S": ".1%", "G": "+.2f", "return": ".2f", "score": ".1f"},
    )
    print("\nD demand share, S supply share, G = (D - S) / (D + S), coverage = companies at level >= 2, "
          "return = CERN return coefficient (- where no awards), score 0-100 with the default weights.")
    return 0
