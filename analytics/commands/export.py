"""export DIR [--format csv|xlsx]: every table into DIR, in a form `import` reads back exactly."""
from __future__ import annotations

from pathlib import Path

from analytics import exporting
from analytics.commands.common import open_existing


def add_parser(sub):
    p = sub.add_parser("export", help="write every table to DIR as TABLE.csv (or .xlsx)")
    p.add_argument("dir", help="folder to write into (created if missing)")
    p.add_argument("--format", choices=exporting.FORMATS, default="csv")
    return p


def run(args) -> int:
    con = open_existing(args)
    try:
        counts = exporting.export_all(con, Path(args.dir), args.format)
    finally:
        con.close()
    for table, rows in counts.items():
        print(f"{table:16} {rows:>9,} rows")
    print(f"wrote {len(counts)} files to {args.dir}; import them back in this order with "
          f"`python -m analytics import TABLE {args.dir}/TABLE.{args.format}`")
    return 0
