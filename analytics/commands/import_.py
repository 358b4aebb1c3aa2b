"""import TABLE FILE [--sheet NAME] [--dry-run] [--encoding ENC]: validate and load a CSV or XLSX.

On any problem every one is printed (file, row, column, value, reason), nothing is written and the
exit status is 1. Progress goes to standard error: a line updated in place on a terminal, a line
per phase otherwise (logs stay short).
"""
from __future__ import annotations

import sys

from analytics.access import LOCAL_ADMIN
from analytics.commands.common import open_existing
from analytics.importing import import_file
from analytics.importing.encoding import CHOICES
from analytics.models import TABLE_MODELS


def add_parser(sub):
    p = sub.add_parser("import", help="validate and load a CSV or XLSX file into a table (all or nothing)")
    p.add_argument("table", choices=list(TABLE_MODELS), metavar="TABLE", help=f"one of: {', '.join(TABLE_MODELS)}")
    p.add_argument("file", help="a .csv or .xlsx file")
    p.add_argument("--sheet", help="the workbook sheet to read (default: the one named like the table, else the first)")
    p.add_argument("--dry-run", action="store_true", help="check and report only; write nothing")
    p.add_argument("--encoding", choices=CHOICES, help="the CSV's character encoding (default: detected)")
    return p


class _ProgressLine:
    def __init__(self, stream=sys.stderr):
        self.stream, self.tty, self.phase = stream, stream.isatty(), None

    def __call__(self, fraction: float, message: str) -> None:
        if self.tty:
            self.stream.write(f"\r{fraction:4.0%} {message:<60}")
            self.stream.flush()
            return
        phase = message.split(" ")[0]
        if phase != self.phase:  # one line per phase when logged to a file
            self.phase = phase
            print(f"{fraction:4.0%} {message}", file=self.stream)

    def close(self) -> None:
        if self.tty:
            self.stream.write("\r" + " " * 66 + "\r")


def run(args) -> int:
    con = open_existing(args, read_only=args.dry_run)
    progress = _ProgressLine()
    try:
        result = import_file(con, args.table, args.file, actor=LOCAL_ADMIN, sheet=args.sheet,
                             dry_run=args.dry_run, progress=progress, encoding=args.encoding)
    finally:
        progress.close()
        con.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in result.problems:
        print(problem)
    if result.description:
        print(f"read as {result.description}", file=sys.stderr)
    print(result.summary() + (" (dry run: nothing written)" if args.dry_run and result.ok else ""))
    return 0 if result.ok else 1
