"""Time the import of a large expenses CSV, validation included, the way the Data page and the
CLI import it (analytics.importing.import_file), into a copy of the benchmark database.

Run in its own process (``python -m analytics.bench.import_timing DB CSV``) so its time and peak
memory are the import's alone; prints one JSON line.
"""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb


# ``rows`` new expenses, each a copy of a stored one under a new id: valid by construction (known
# project and partner, a date inside the project), as a partner's ledger export would be.
_NEW_EXPENSES = """
    SELECT printf('IMP%08d', i) AS expense_id, e.project_id, e.partner, e.category,
           CAST(e.amount AS VARCHAR) AS amount, e.spent_on, 'imported ledger line' AS description
    FROM (SELECT i, i % (SELECT count(*) FROM expenses) AS n FROM range($rows) r(i)) r
    JOIN (SELECT *, row_number() OVER (ORDER BY expense_id) - 1 AS n FROM expenses) e USING (n)
    ORDER BY i
"""


def write_csv(db_path: Path, csv_path: Path, rows: int) -> None:
    """A CSV of ``rows`` new expenses (_NEW_EXPENSES)."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        # the path is ours, not user input
        con.execute(f"COPY ({_NEW_EXPENSES}) TO '{csv_path}' (HEADER, DELIMITER ',')", {"rows": rows})


def write_xlsx(db_path: Path, xlsx_path: Path, rows: int) -> None:
    """The same expenses as an Excel workbook (one sheet named expenses), as a spreadsheet saves them."""
    from openpyxl import Workbook

    with duckdb.connect(str(db_path), read_only=True) as con:
        result = con.execute(_NEW_EXPENSES, {"rows": rows})
        wb = Workbook(write_only=True)
        sheet = wb.create_sheet("expenses")
        sheet.append([d[0] for d in result.description])
        while batch := result.fetchmany(10_000):
            for expense_id, project, partner, category, amount, spent_on, description in batch:
                sheet.append([expense_id, project, partner, category, float(amount), spent_on, description])
        wb.save(xlsx_path)


def measure(db_path: Path, csv_path: Path, rows: int, work: Path) -> dict:
    """Copy the database, write the CSV, import it in a child process; seconds and peak memory."""
    copy = work / f"import-{db_path.name}"
    shutil.copyfile(db_path, copy)
    write_csv(db_path, csv_path, rows)
    done = subprocess.run([sys.executable, "-m", "analytics.bench.import_timing", str(copy), str(csv_path)],
                          capture_output=True, text=True, check=False)
    copy.unlink(missing_ok=True)
    if done.returncode != 0:
        return {"rows": rows, "error": done.stderr[-2000:]}
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"rows": rows, "file_mb": csv_path.stat().st_size / 2**20}


def _peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries that
    across exec from the forked copy of the parent, so a benchmark parent holding the pandas
    frames made a 650 MB import read as 914 MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: the best there is


def _main(db: str, csv: str) -> None:
    from analytics import store
    from analytics.access import LOCAL_ADMIN
    from analytics.importing import import_file

    con = store.connect(db)  # as the server opens it: the same bounded buffer pool
    started = time.perf_counter()
    result = import_file(con, "expenses", csv, actor=LOCAL_ADMIN)
    seconds = time.perf_counter() - started
    con.close()
    print(json.dumps({
        "seconds": seconds, "outcome": result.outcome, "inserted": result.inserted,
        "problems": [str(p) for p in result.problems[:5]],
        "peak_mb": _peak_mb(),
        "via": "analytics.importing.import_file",
    }))


if __name__ == "__main__":
    _main(*sys.argv[1:3])
