"""kpis PROJECT [--as-of DATE] [--json]: one row per KPI with its progress and status."""
from __future__ import annotations

from datetime import date

from analytics import kpis
from analytics.commands.common import iso_date, open_existing, print_json, print_table, records

COLUMNS = ["code", "name", "unit", "target", "actual", "expected", "progress", "pace", "status",
           "forecast", "required_rate_per_month", "confidence", "is_placeholder", "is_sample"]


def add_parser(sub):
    p = sub.add_parser("kpis", help="KPI progress of a project at a date")
    p.add_argument("project")
    p.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return p


def run(args) -> int:
    con = open_existing(args)
    as_of = args.as_of or date.today()
    rows = records(kpis.kpi_table(con, args.project, as_of), COLUMNS)
    if args.json:
        print_json({"project": args.project, "as_of": as_of.isoformat(), "kpis": rows})
    else:
        print(f"{args.project} KPIs as of {as_of}")
        short = [{k: r[k] for k in ("code", "target", "actual", "expected", "progress", "pace", "status", "forecast")}
                 | {"note": ("placeholder target" if r["is_placeholder"] else "") + (" sample" if r["is_sample"] else "")}
                 for r in rows]
        print_table(short, {"target": ",.0f", "actual": ",.1f", "expected": ",.1f", "progress": ".0%",
                            "pace": ".2f", "forecast": ",.1f"})
    return 0
