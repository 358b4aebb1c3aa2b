"""bench [--scale S|M|L] [--out FILE]: the performance benchmark (issue 8).

Generates its own databases under tests/artifacts/bench/ (the --db database is not touched),
prints a table and writes the figures as JSON.
"""
from __future__ import annotations

from pathlib import Path

from analytics.bench import report, runner
from analytics.bench.generator import SCALES


def add_parser(sub):
    p = sub.add_parser("bench", help="performance benchmark at a scale: analytics calls, pandas, limits, "
                                     "import, page renders, server memory")
    p.add_argument("--scale", choices=list(SCALES), default="S",
                   help="S: 10 projects, 10k records; M: 200 projects, 200k; L: 1,000 projects, 1M (default S)")
    p.add_argument("--out", type=Path, default=None, help="JSON file (default tests/artifacts/bench/bench-SCALE.json)")
    p.add_argument("--repeats", type=int, default=7, help="timed runs per analytics call; the median is reported")
    p.add_argument("--no-browser", action="store_true", help="skip the page renders and the server memory")
    p.add_argument("--no-import", action="store_true", help="skip the CSV import")
    return p


def run(args) -> int:
    result = runner.run(args.scale, out=args.out, repeats=max(args.repeats, 1),
                        with_browser=not args.no_browser, with_import=not args.no_import)
    print("\n".join(report.lines(result)))
    print(f"\nfigures written to {result['out']}")
    return 0
