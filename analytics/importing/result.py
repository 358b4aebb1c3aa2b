"""What an import did, or would do: counts, every problem, warnings and a preview."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analytics.loader import Problem

PROBLEM_COLUMNS = ["row", "column", "value", "reason"]


@dataclass
class ImportResult:
    table: str
    file_name: str
    sha256: str
    dry_run: bool
    description: str = ""  # how the file was read: format, encoding, delimiter, decimal mark
    rows_read: int = 0  # data rows in the file (a wide matrix row counts once)
    inserted: int = 0  # new keys (in a dry run: would be inserted)
    updated: int = 0  # existing keys whose values change
    same: int = 0  # existing keys whose values are already as in the file
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    outcome: str = "checked"  # ok, unchanged, rejected, refused; checked for a clean dry run
    import_id: int | None = None
    seconds: float = 0.0
    preview: pd.DataFrame | None = None  # the first rows as they will be stored, with their state

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def unchanged(self) -> bool:
        """The file holds nothing the database does not already hold."""
        return self.ok and self.inserted == 0 and self.updated == 0

    def problems_frame(self) -> pd.DataFrame:
        return pd.DataFrame([{k: p.as_dict()[k] for k in PROBLEM_COLUMNS} for p in self.problems],
                            columns=PROBLEM_COLUMNS)

    def summary(self) -> str:
        rows = f"{self.rows_read:,} row{'' if self.rows_read == 1 else 's'}"
        if self.problems:
            return f"{self.file_name}: {len(self.problems):,} problem(s) in {rows}; nothing was written"
        verb = "would insert" if self.dry_run else "inserted"
        return (f"{self.file_name}: {rows} read; {verb} {self.inserted:,}, "
                f"{'would update' if self.dry_run else 'updated'} {self.updated:,}, "
                f"{self.same:,} already as in the file")
