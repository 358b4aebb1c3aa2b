"""dictionary [--out PATH]: write the data dictionary (data/dictionary.md) from the models."""
from __future__ import annotations

from pathlib import Path

from analytics import dictionary


def add_parser(sub):
    p = sub.add_parser("dictionary", help="write the data dictionary generated from the models")
    p.add_argument("--out", default=str(dictionary.DICTIONARY_PATH), help="default: data/dictionary.md")
    return p


def run(args) -> int:
    print(f"wrote {dictionary.write(Path(args.out))}")
    return 0
