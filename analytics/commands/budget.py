"""budget PROJECT [--as-of DATE] [--json]: planned against spent, burn index, projection."""
from __future__ import annotations

from datetime import date

from analytics import budget
from analytics.commands.common import iso_date, open_existing, print_json, print_table, records


def add_parser(sub):
    p = sub.add_parser("budget", help="budget burn of a project at a date")
    p.add_argument("project")
    p.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return p


def run(args) -> int:
    con = open_existing(args)
    as_of = args.as_of or date.today()
    summary = budget.summary(con, args.project, as_of)
    categories = records(budget.by(con, args.project, as_of, "category"),
                         ["category", "category_name", "planned", "spent", "spent_share"])
    partners = records(budget.by(con, args.project, as_of, "partner"), ["partner", "planned", "spent", "spent_share"])
    summary = {k: (v.isoformat()[:10] if hasattr(v, "isoformat") else v) for k, v in summary.items()}
    if args.json:
        print_json({"summary": summary, "by_category": categories, "by_partner": partners})
        return 0
    print(f"{args.project} budget as of {as_of}")
    print(f"  planned {summary['planned']:,.2f} EUR, spent {summary['spent']:,.2f} EUR "
          f"({(summary['spent_share'] or 0):.1%}) after {summary['elapsed_share']:.1%} of the time")
    burn = summary["burn_index"]
    print(f"  burn index {'-' if burn is None else format(burn, '.2f')} ({summary['burn_flag']}); "
          f"projected at end {(summary['projected_spend'] or 0):,.2f} EUR; "
          f"EU contribution {summary['eu_contribution']:,.2f} EUR")
    print()
    print_table(categories, {"planned": ",.2f", "spent": ",.2f", "spent_share": ".1%"})
    print()
    print_table(partners, {"planned": ",.2f", "spent": ",.2f", "spent_share": ".1%"})
    return 0
