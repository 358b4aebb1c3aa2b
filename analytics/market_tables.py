"""The Big Science tables as people read them: the columns that matter, shares in percent.

Pages and the CSV download show these frames. Shares become percentages (45.0 for 45 %) so every
table can print them as "45.0 %"; the analytics keep fractions, which is what the formulas use.
Headers are set by the page's column configuration (COLUMN_LABELS), not by renaming here, so a
CSV keeps stable column names.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from analytics import gaps, partners, returns

COLUMN_LABELS = {
    "rank": "Rank",
    "sector": "Sector",
    "top_sector": "Top sector",
    "demand_eur": "Demand",
    "demand_pct": "Demand share D",
    "supply_pct": "Supply share S",
    "gap_index": "Gap index G",
    "coverage": "Companies at level ≥ 2",
    "single_supplier_risk": "Single-supplier risk",
    "return_coefficient": "Return coefficient",
    "return_class": "CERN class",
    "score": "Gap score",
    "name": "Company",
    "country": "Country",
    "cluster": "Cluster",
    "level": "Level",
    "best_sector": "In sector",
    "match_score": "Match score",
    "reasons": "Why",
    "prior_bso_supplier": "Prior BSO supplier",
    "employees": "Employees",
    "strong_in": "Strong in",
    "strong_level": "Level there",
    "target_sector": "Under-supplied sector",
    "current_level": "Level now",
    "proximity": "Proximity φ",
}


def _blank_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Missing text (a company in no cluster) as an empty cell, not 'None'."""
    for c in columns:
        frame[c] = frame[c].astype(object).where(frame[c].notna(), "")
    return frame


def gap_table(gaps: pd.DataFrame) -> pd.DataFrame:
    out = gaps[["rank", "sector", "demand_eur", "demand_share", "supply_share", "gap_index", "coverage",
                "single_supplier_risk", "return_coefficient", "return_class", "score"]].copy()
    out["demand_pct"] = out.pop("demand_share") * 100
    out["supply_pct"] = out.pop("supply_share") * 100
    out = _blank_text(out, ["return_class"])
    return out[["rank", "sector", "demand_eur", "demand_pct", "supply_pct", "gap_index", "coverage",
                "single_supplier_risk", "return_coefficient", "return_class", "score"]]


def partner_table(found: pd.DataFrame) -> pd.DataFrame:
    out = found[["match_score", "name", "country", "level", "pts_level", "pts_prior", "pts_related", "pts_member",
                 "related", "best_sector", "cluster", "employees", "reasons"]].copy()
    return _blank_text(out, ["cluster", "related"])


def opportunity_table(opportunities: pd.DataFrame) -> pd.DataFrame:
    out = opportunities[["name", "country", "strong_in", "strong_level", "target_sector", "current_level", "gap_index",
                         "proximity", "cluster"]].copy()
    return _blank_text(out, ["cluster"])


def eur_compact(value: float | None) -> str:
    """Money for a headline: €21.2 bn, €450.0 M, €12,345."""
    if value is None or value != value:
        return "–"
    if abs(value) >= 1e9:
        return f"€{value / 1e9:,.1f} bn"
    if abs(value) >= 1e6:
        return f"€{value / 1e6:,.1f} M"
    return f"€{value:,.0f}"


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens names such as Øresund or Kuršių correctly."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def gap_formulas(con: duckdb.DuckDBPyConnection, weights: gaps.GapWeights, *, bsos=None, years=None) -> dict[str, str]:
    """Every definition behind the gap page, with the weights in force and where the demand comes from."""
    cross = {k: v for k, v in partners.formulas().items() if k in ("proximity φ(a, b)", "opportunity")}
    sources = {f"demand of {r.bso_id}": ("estimate; " if r.is_estimate else "") + str(r.source)
               for r in gaps.demand_sources(con, bsos=bsos, years=years).itertuples()}
    return gaps.formulas(weights) | returns.FORMULAS | cross | sources
