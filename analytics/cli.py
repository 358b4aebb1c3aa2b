"""`python -m analytics COMMAND`: the command-line contract of DESIGN.md.

Each command is a module in analytics.commands with ``add_parser(subparsers)`` and
``run(args) -> int``. Expected failures (ClusterBoardError) print one line to stderr and exit 1;
no traceback reaches the user.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys

import duckdb

from analytics.errors import ClusterBoardError

# One line per command module; the order is the order in --help.
COMMANDS = ("init", "kpis", "budget", "user", "gaps", "report", "import_", "export", "dictionary", "bench")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="ClusterBoard command line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"analytics.commands.{name}")
        command = module.add_parser(sub)
        command.add_argument("--db", help="database file (default: $CLUSTERBOARD_DB or data/clusterboard.duckdb)")
        command.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except ClusterBoardError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except duckdb.IOException as exc:
        print(f"error: cannot open the database: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; nothing half-written (every write is one transaction)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader left (`... --json | head`): not an error of ours. Point stdout at /dev/null
        # so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
