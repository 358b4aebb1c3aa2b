"""report PROJECT --format pdf|pptx|html --out FILE [--as-of DATE]: the funder's report as a file."""
from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from analytics import reports
from analytics.commands.common import iso_date, open_existing
from analytics.errors import ClusterBoardError


def add_parser(sub):
    p = sub.add_parser("report", help="write a project's report (PDF, PowerPoint or HTML)")
    p.add_argument("project")
    p.add_argument("--format", required=True, choices=list(reports.FORMATS), dest="fmt")
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument("--as-of", type=iso_date, default=None, help="YYYY-MM-DD (default: today)")
    return p


def _write(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a cron job never leaves half a report behind."""
    if not path.parent.is_dir():
        raise ClusterBoardError(f"--out {path}: the folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args) -> int:
    con = open_existing(args)
    as_of = args.as_of or date.today()
    data = reports.build(con, args.project, args.fmt, as_of=as_of)
    out = Path(args.out)
    _write(out, data)
    print(f"{out}: {reports.FORMATS[args.fmt][2]} of {args.project} as of {as_of}, {len(data):,} bytes")
    return 0
