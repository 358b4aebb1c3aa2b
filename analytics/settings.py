"""Settings: where the database lives and the thresholds the KPI status uses.

Thresholds are product settings (DESIGN.md), not constants, so they sit in one validated model.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field, model_validator

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "clusterboard.duckdb"


@dataclass(frozen=True)
class RowLimits:
    """At most this many data rows a file, by kind: a workbook costs more memory and ten times the
    time a row (openpyxl makes every cell a Python object)."""
    csv: int
    xlsx: int

    def of(self, kind: str) -> int:
        return self.xlsx if kind == "xlsx" else self.csv


# The Data page imports files of at most these many data rows: the import runs inside the shared
# server, and its memory grows with the rows, not the bytes (a workbook is a tenth of its CSV).
# Larger files go through `python -m analytics import`, in a process of its own. Measured at L on
# a server that has served every page (README, Performance): 100,000 expense rows of a CSV peak at
# 563-572 MB, 200,000 at ~610, and 100,000 of a workbook at 596-605, hence half as many for those.
# Most of the peak is DuckDB rebuilding the kept tables of every project the file touches, much
# the same whatever the file's size.
WEB_IMPORT_MAX_ROWS = RowLimits(csv=100_000, xlsx=50_000)


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """--db PATH, else $CLUSTERBOARD_DB, else data/clusterboard.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CLUSTERBOARD_DB")
    return Path(env) if env else DEFAULT_DB


def read_only_mode() -> bool:
    """CLUSTERBOARD_READ_ONLY=1: funder screens; the database is opened read-only."""
    return os.environ.get("CLUSTERBOARD_READ_ONLY", "").strip().lower() in {"1", "true", "yes"}


class StatusThresholds(BaseModel):
    """Pace thresholds for the KPI status (pace = progress made / progress expected by now)."""

    on_track: float = Field(0.9, gt=0, description="pace at or above this is 'on track'")
    at_risk: float = Field(0.7, gt=0, description="pace at or above this (and below on_track) is 'at risk'")

    @model_validator(mode="after")
    def _ordered(self) -> "StatusThresholds":
        if self.at_risk > self.on_track:
            raise ValueError("the at-risk threshold must not exceed the on-track threshold")
        return self


class BurnThresholds(BaseModel):
    """Burn index outside [low, high] is flagged (DESIGN.md: 0.7 and 1.2)."""

    low: float = Field(0.7, gt=0)
    high: float = Field(1.2, gt=0)
