"""Big Science computations in vectorised pandas, for the benchmark: gap scores (all BSOs, years
and companies, sub-sectors) and the partner finder (a sector and a minimum level), with the
formulas of analytics.gaps, analytics.returns and analytics.partners.
"""
from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from analytics.gaps import GapWeights, LevelWeights
from analytics.partners import MatchPoints
from analytics.returns import POORLY_BELOW, VERY_POORLY_BELOW

TABLES = ("bsos", "sectors", "bso_demand", "companies", "competencies", "contributions", "awards")


def load(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    return {t: con.execute(f"SELECT * FROM {t}").df() for t in TABLES}  # names from this module


def _fair_return(t: dict[str, pd.DataFrame], claimants: np.ndarray) -> pd.DataFrame:
    """Per sector: awards won by the claimant countries, and their fair value (analytics.returns)."""
    aw = t["awards"]
    total = aw.groupby(["bso_id", "year", "sector_id"], as_index=False)["value_eur"].sum()
    won = (aw[aw["country"].isin(claimants)].groupby(["bso_id", "year", "sector_id"], as_index=False)["value_eur"].sum()
           .rename(columns={"value_eur": "won"}))
    keys = total[["bso_id", "year"]].drop_duplicates().merge(pd.DataFrame({"country": claimants}), how="cross")
    contrib = t["contributions"][["bso_id", "country", "year", "share"]].rename(columns={"year": "c_year"})
    keys = keys.sort_values("year")
    contrib = contrib.sort_values("c_year")
    # the share in force: the latest one recorded for a year on or before the award year
    asof = pd.merge_asof(keys, contrib, left_on="year", right_on="c_year", by=["bso_id", "country"])
    share = asof.groupby(["bso_id", "year"], as_index=False)["share"].sum(min_count=1)
    j = total.merge(share, on=["bso_id", "year"]).merge(won, on=["bso_id", "year", "sector_id"], how="left")
    j = j[j["share"] > 0]
    j["fair"] = j["value_eur"] * j["share"]
    return j.groupby("sector_id").agg(won_eur=("won", lambda s: s.fillna(0).sum()), fair_eur=("fair", "sum"))


def gap_scores(t: dict[str, pd.DataFrame], weights: GapWeights | None = None,
               levels: LevelWeights | None = None) -> pd.DataFrame:
    w, lv = weights or GapWeights(), levels or LevelWeights()
    sectors = t["sectors"]
    leaf = sectors.loc[~sectors["sector_id"].isin(sectors["parent_id"].dropna()), "sector_id"]
    d = t["bso_demand"].dropna(subset=["demand_eur"])
    dem = d.groupby("sector_id").agg(demand_eur=("demand_eur", "sum"))
    comp = t["competencies"]
    comp = comp.assign(weight=comp["level"].map(dict(enumerate(lv.as_list()))))
    cap = comp.groupby("sector_id").agg(capacity=("weight", "sum"))
    cap["coverage"] = comp[comp["level"] >= 2].groupby("sector_id")["company_id"].nunique()
    cap["companies"] = comp[comp["level"] >= 1].groupby("sector_id")["company_id"].nunique()
    fr = _fair_return(t, t["companies"]["country"].unique())
    rows = pd.Index(pd.concat([leaf, pd.Series(dem.index), pd.Series(cap.index)]).unique(), name="sector_id")
    b = pd.DataFrame(index=rows).join(dem).join(cap).join(fr)
    b[["demand_eur", "capacity", "coverage", "companies"]] = b[["demand_eur", "capacity", "coverage", "companies"]].fillna(0)
    b["demand_share"] = b["demand_eur"] / dem["demand_eur"].sum()
    b["supply_share"] = b["capacity"] / cap["capacity"].sum()
    b["return_coefficient"] = (b["won_eur"] / b["fair_eur"]).where(b["fair_eur"] > 0)
    dsum = b["demand_share"] + b["supply_share"]
    b["gap_index"] = ((b["demand_share"] - b["supply_share"]) / dsum).where(dsum > 0)
    has = b["gap_index"].notna()
    b["c_demand"] = (b["demand_share"] / b["demand_share"].max()).where(has)
    b["c_supply_gap"] = (b["gap_index"] + 1) / 2
    b["c_coverage"] = np.where(~has, np.nan, np.where(b["demand_share"] == 0, 0.0,
                                                       np.maximum(0.0, 1.0 - b["coverage"] / w.coverage_target)))
    b["c_weak_return"] = np.maximum(0.0, 1.0 - b["return_coefficient"]).where(has & b["return_coefficient"].notna())
    w_sum = w.demand + w.supply_gap + w.coverage + np.where(b["c_weak_return"].notna(), w.weak_return, 0)
    b["score"] = (100 * (w.demand * b["c_demand"] + w.supply_gap * b["c_supply_gap"] + w.coverage * b["c_coverage"]
                         + (w.weak_return * b["c_weak_return"]).fillna(0)) / w_sum).where(has)
    b["return_class"] = np.select(
        [b["return_coefficient"].isna(), b["return_coefficient"] < VERY_POORLY_BELOW, b["return_coefficient"] < POORLY_BELOW],
        [None, "very poorly balanced", "poorly balanced"], "well balanced")
    b = b.reset_index().sort_values(["score", "demand_share", "sector_id"], ascending=[False, False, True],
                                    na_position="last")
    b.insert(0, "rank", range(1, len(b) + 1))
    return b.reset_index(drop=True)


def find_partners(t: dict[str, pd.DataFrame], sector_id: str, min_level: int = 2, limit: int = 50,
                  points: MatchPoints | None = None) -> pd.DataFrame:
    """Companies at or above the level in the sector (or its sub-sectors), best match first."""
    p = points or MatchPoints()
    s = t["sectors"]
    target = s.loc[(s["sector_id"] == sector_id) | (s["parent_id"] == sector_id), "sector_id"]
    top = s.loc[s["sector_id"] == sector_id, "parent_id"].fillna(sector_id).iloc[0]
    comp = t["competencies"]
    inside = comp[comp["sector_id"].isin(target)].sort_values("level", ascending=False)
    best = inside.groupby("company_id").agg(level=("level", "max"), best_sector=("sector_id", "first"))
    best = best[best["level"] >= min_level]
    cand = t["companies"].merge(best, left_on="company_id", right_index=True)
    tops = s.assign(top=s["parent_id"].fillna(s["sector_id"]))[["sector_id", "top"]]
    rel = comp[(comp["level"] >= 2) & ~comp["sector_id"].isin(target) & comp["company_id"].isin(cand["company_id"])]
    rel = rel.merge(tops, on="sector_id")
    n_related = rel[rel["top"] == top].groupby("company_id").size()
    cand["n_related"] = cand["company_id"].map(n_related).fillna(0)
    cand["pts_level"] = cand["level"].map({3: p.level_3, 2: p.level_2, 1: p.level_1})
    cand["pts_prior"] = np.where(cand["prior_bso_supplier"], p.prior_supplier, 0)
    cand["pts_related"] = np.minimum(p.related_each * cand["n_related"], p.related_max)
    cand["points"] = cand["pts_level"] + cand["pts_prior"] + cand["pts_related"]
    cand["match_score"] = (100.0 * cand["points"] / max(p.maximum(False), 1)).round(1)
    cand = cand.sort_values(["match_score", "level", "prior_bso_supplier", "employees", "name"],
                            ascending=[False, False, False, False, True], na_position="last")
    return cand.head(limit).reset_index(drop=True)
