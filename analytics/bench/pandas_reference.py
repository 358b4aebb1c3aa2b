"""The same computations as the product, in vectorised pandas: the benchmark's baseline.

What a capable analyst would write in a notebook: the tables loaded once into DataFrames (with
the text keys already normalised: not timed), then merges, boolean masks and groupbys per call;
loops only over the nine measures and the KPI arithmetic's cases, never over projects or rows.
Formulas as in analytics.kpis, analytics.budget and analytics.portfolio; the agreement with the
product at scale S is a test (tests/analytics/test_bench_generator.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analytics.budget import MIN_DAYS_FOR_BURN_LINE
from analytics.kpis import DAYS_PER_MONTH, month_grid
from analytics.measures import MEASURES

INDIRECT_BASE = ["A", "C1", "C2", "C3"]
LEVEL_RANK = {"bronze": 1, "silver": 2, "gold": 3}
STAY = ["stay_above", "stay_below"]
_TABLES = ("projects", "partners", "kpis", "kpi_milestones", "checkins", "exchanges", "trainings",
           "label_awards", "missions", "budget_lines", "expenses", "deliverables")


@dataclass
class Frames:
    tables: dict[str, pd.DataFrame]
    events: dict[str, pd.DataFrame]  # per measure: project_id, code, partner, entity, level_rank, d, d_end, amount


def load(con: duckdb.DuckDBPyConnection) -> Frames:
    """Every table as a DataFrame, and each measure's records with their keys normalised."""
    t = {name: con.execute(f"SELECT * FROM {name}").df() for name in _TABLES}  # names from this module
    for df in t.values():
        for col in df.columns:
            if df[col].dtype == object and col in ("amount", "total_budget", "eu_rate", "indirect_rate", "lump_sum"):
                df[col] = df[col].astype(float)
    p = t["projects"][["project_id", "indirect_rate"]]
    la = t["label_awards"].merge(t["partners"][["project_id", "organisation"]], on="organisation")
    ex = t["expenses"].merge(p, on="project_id")
    events = {
        "labels_awarded": pd.DataFrame({
            "project_id": la["project_id"], "code": None, "partner": la["organisation"], "entity": la["organisation"],
            "level_rank": la["level"].map(LEVEL_RANK), "d": la["assessed_on"], "d_end": la["valid_until"], "amount": 1.0}),
        "managers_trained": _events(t["trainings"], "trained_on",
                                    t["trainings"]["person"].str.lower() + "|" + t["trainings"]["organisation"].str.lower()),
        "organisations_exchanged": _events(t["exchanges"], "end_date", t["exchanges"]["visitor_org"].str.lower()),
        "exchanges": _events(t["exchanges"], "end_date", t["exchanges"]["exchange_id"]),
        "missions": _events(t["missions"], "end_date", t["missions"]["mission_id"]),
        "mission_participants": _events(t["missions"], "end_date", t["missions"]["mission_id"],
                                        t["missions"]["participants"].astype(float)),
        "budget_spent": _events(ex, "spent_on", ex["expense_id"],
                                ex["amount"] * np.where(ex["category"].isin(INDIRECT_BASE), 1 + ex["indirect_rate"], 1)),
        "deliverables_submitted": _events(t["deliverables"].assign(partner=None), "submitted_on",
                                          t["deliverables"]["code"]).dropna(subset=["d"]),
        "manual": pd.DataFrame({"project_id": t["checkins"]["project_id"], "code": t["checkins"]["code"],
                                "partner": None, "entity": None, "level_rank": np.nan,
                                "d": t["checkins"]["checked_on"], "d_end": pd.NaT, "amount": t["checkins"]["value"]}),
    }
    return Frames(t, events)


def _events(df: pd.DataFrame, day: str, entity: pd.Series, amount=1.0) -> pd.DataFrame:
    return pd.DataFrame({"project_id": df["project_id"], "code": None, "partner": df["partner"], "entity": entity,
                         "level_rank": np.nan, "d": df[day], "d_end": pd.NaT, "amount": amount})


# -- KPIs ------------------------------------------------------------------------------------

def evaluate(fr: Frames, dates: list[date], projects: list[str] | None = None,
             on_track: float = 0.9, at_risk: float = 0.7) -> pd.DataFrame:
    """actual, expected, progress, pace, status, forecast per KPI and date (analytics.kpis)."""
    k = fr.tables["kpis"].merge(fr.tables["projects"][["project_id", "start_date", "end_date"]], on="project_id")
    if projects is not None:
        k = k[k["project_id"].isin(projects)]
    k["due"] = k["due_date"].fillna(k["end_date"])
    k["aggregate"] = k["measure"].map({n: m.aggregate for n, m in MEASURES.items()})
    k["min_rank"] = k["min_label_level"].map(LEVEL_RANK)
    kt = k.merge(pd.DataFrame({"as_of": pd.to_datetime(dates)}), how="cross")
    kt = kt.merge(_actuals(fr, kt), on=["project_id", "code", "as_of"], how="left")
    kt = kt.merge(_brackets(fr, kt), on=["project_id", "code", "as_of"], how="left")
    return _arithmetic(kt, on_track, at_risk)


def _actuals(fr: Frames, kt: pd.DataFrame) -> pd.DataFrame:
    keys = ["project_id", "code", "as_of"]
    out = []
    for name, measure in MEASURES.items():  # nine measures, each vectorised over KPIs and dates
        km = kt.loc[kt["measure"] == name, keys + ["min_rank", "baseline", "due"]]
        if km.empty:
            continue
        ev = fr.events[name]
        ev = ev[ev["project_id"].isin(km["project_id"].unique())]
        j = km.merge(ev, on="project_id", suffixes=("", "_ev"))
        j = j[(j["code_ev"].isna() | (j["code_ev"] == j["code"])) & (j["d"] <= j["as_of"])
              & (j["min_rank"].isna() | (j["level_rank"] >= j["min_rank"]))]
        g = j.groupby(keys, sort=False)
        agg = measure.aggregate
        if agg == "distinct":
            value = g["entity"].nunique()
        elif agg == "count":
            value = g.size()
        elif agg == "sum":
            value = g["amount"].sum()
        elif agg == "latest":
            value = j.sort_values("d").groupby(keys, sort=False)["amount"].last()
        else:  # valid_at
            on = j[["as_of", "due"]].min(axis=1)  # held on the date, never later than the due date
            value = j[(j["d"] <= on) & (j["d_end"] >= on)].groupby(keys, sort=False)["entity"].nunique()
        res = km[keys + ["baseline"]].merge(value.rename("actual").reset_index(), on=keys, how="left")
        res = res.merge(g.size().rename("records").reset_index(), on=keys, how="left")
        res["actual"] = res["actual"].fillna(res["baseline"] if agg == "latest" else 0.0)
        res["records"] = res["records"].fillna(0)
        out.append(res.drop(columns="baseline"))
    return pd.concat(out, ignore_index=True)


def _brackets(fr: Frames, kt: pd.DataFrame) -> pd.DataFrame:
    """Milestone KPIs: the points (start, milestones, due) either side of each date."""
    keys = ["project_id", "code", "as_of"]
    ms = fr.tables["kpi_milestones"][["project_id", "code", "on_date", "expected"]].rename(
        columns={"on_date": "d", "expected": "v"})
    with_ms = kt.merge(ms[["project_id", "code"]].drop_duplicates(), on=["project_id", "code"])
    k = with_ms[keys + ["start_date", "baseline", "due", "target"]]
    points = pd.concat([
        k[keys + ["due"]].merge(ms, on=["project_id", "code"]),
        k.assign(d=k["start_date"], v=k["baseline"])[keys + ["due", "d", "v"]],
        k.assign(d=k["due"], v=k["target"])[keys + ["due", "d", "v"]],
    ])
    points = points[points["d"] <= points["due"]].sort_values("d")
    before = points[points["d"] <= points["as_of"]].groupby(keys).last()[["d", "v"]].rename(columns={"d": "d0", "v": "v0"})
    after = points[points["d"] > points["as_of"]].groupby(keys).first()[["d", "v"]].rename(columns={"d": "d1", "v": "v1"})
    b = before.join(after, how="outer").reset_index()
    b["has_ms"] = True
    return b


def _days(a: pd.Series, b: pd.Series) -> pd.Series:
    return (b - a).dt.days.astype(float)


def _arithmetic(kt: pd.DataFrame, on_track: float, at_risk: float) -> pd.DataFrame:
    a, t, base, s, due = kt["actual"], kt["target"], kt["baseline"], kt["start_date"], kt["due"]
    stay = kt["direction"].isin(STAY)
    ramp = base + (t - base) * _days(s, kt["as_of"]) / _days(s, due)
    between = kt["v0"] + (kt["v1"] - kt["v0"]) * _days(kt["d0"], kt["as_of"]) / _days(kt["d0"], kt["d1"])
    has_ms = kt["has_ms"].fillna(False).astype(bool)
    kt["expected"] = np.select(
        [stay, kt["as_of"] < s, kt["as_of"] >= due, ~has_ms, kt["interpolation"] == "step"],
        [t, base, t, ramp, kt["v0"]], between)
    met = np.where(kt["direction"].isin(["increase", "stay_above"]), a >= t, a <= t)
    kt["target_met"] = met
    kt["progress"] = ((a - base) / (t - base)).where(~stay)
    kt["pace"] = ((a - base) / (kt["expected"] - base)).where(~stay & (kt["expected"] != base))
    late = kt["as_of"] > due
    kt["status"] = np.select(
        [kt["as_of"] < s,
         stay & met & (kt["as_of"] >= due), stay & met, stay & late, stay,
         met, late, kt["pace"].isna() | (kt["pace"] >= on_track), kt["pace"] >= at_risk],
        ["not_started", "achieved", "on_track", "overdue", "off_track",
         "achieved", "overdue", "on_track", "at_risk"], "off_track")
    kt["forecast"] = np.where(
        stay | (kt["as_of"] >= due), a,
        np.where(kt["as_of"] <= s, np.nan, base + (a - base) * _days(s, due) / _days(s, kt["as_of"])))
    months_left = _days(np.maximum(kt["as_of"], s), due) / DAYS_PER_MONTH
    kt["required_rate_per_month"] = np.select(
        [stay, met, kt["as_of"] >= due], [np.nan, 0.0, np.nan], (t - a) / months_left)
    kt["days_left"] = _days(kt["as_of"], due)
    return kt.sort_values(["project_id", "code", "as_of"]).reset_index(drop=True)


def kpi_series(fr: Frames, project: str, as_of: date) -> pd.DataFrame:
    p = fr.tables["projects"].set_index("project_id").loc[project]
    k = fr.tables["kpis"]
    dues = k.loc[k["project_id"] == project, "due_date"].fillna(p["end_date"]).max()
    end = max(p["end_date"], dues).date() if pd.notna(dues) else p["end_date"].date()
    df = evaluate(fr, month_grid(p["start_date"].date(), end, as_of), [project])
    df.loc[df["as_of"] > pd.Timestamp(as_of), "actual"] = np.nan
    return df[["code", "as_of", "actual", "expected"]]


# -- budget ----------------------------------------------------------------------------------

def _spent(fr: Frames, dates: list[date], projects: list[str] | None) -> pd.DataFrame:
    """Spent per project, date, partner and category, with the flat-rate E rows."""
    ex = fr.tables["expenses"]
    if projects is not None:
        ex = ex[ex["project_id"].isin(projects)]
    j = ex.merge(pd.DataFrame({"as_of": pd.to_datetime(dates)}), how="cross")
    j = j[j["spent_on"] <= j["as_of"]]
    direct = j.groupby(["project_id", "as_of", "partner", "category"], as_index=False)["amount"].sum()
    rates = fr.tables["projects"][["project_id", "indirect_rate"]]
    e = direct[direct["category"].isin(INDIRECT_BASE)].groupby(["project_id", "as_of", "partner"], as_index=False)["amount"].sum()
    e = e.merge(rates, on="project_id")
    # E is kept in cents per partner, as the product's decimal columns do (half away from zero)
    e = e.assign(category="E", amount=np.floor(e["amount"] * e["indirect_rate"] * 100 + 0.5) / 100)
    e = e.drop(columns="indirect_rate")
    return pd.concat([direct, e], ignore_index=True).rename(columns={"amount": "spent"})


def budget_breakdown(fr: Frames, project: str, as_of: date) -> pd.DataFrame:
    s = _spent(fr, [as_of], [project])[["partner", "category", "spent"]]
    bl = fr.tables["budget_lines"]
    pl = bl.loc[bl["project_id"] == project, ["partner", "category", "amount"]].rename(columns={"amount": "planned"})
    out = pl.merge(s, on=["partner", "category"], how="outer").fillna({"planned": 0.0, "spent": 0.0})
    out["spent"] = out["spent"].round(2)
    return out.sort_values(["partner", "category"]).reset_index(drop=True)


def budget_summary(fr: Frames, project: str, as_of: date) -> dict:
    p = fr.tables["projects"].set_index("project_id").loc[project]
    s = _spent(fr, [as_of], [project])
    bl = fr.tables["budget_lines"]
    planned = float(bl.loc[bl["project_id"] == project, "amount"].sum())
    spent, fstp = float(s["spent"].sum()), float(s.loc[s["category"] == "D1", "spent"].sum())
    duration = (p["end_date"] - p["start_date"]).days + 1
    elapsed = min(max((pd.Timestamp(as_of) - p["start_date"]).days + 1, 0), duration)
    share = elapsed / duration
    shown = round(spent, 2)  # the product derives the ratios from the rounded figure
    spent_share = shown / planned if planned else None
    return {"planned": planned, "spent": shown, "elapsed_share": share,
            "burn_index": spent_share / share if spent_share is not None and share > 0 else None,
            "eu_contribution": round(p["eu_rate"] * (spent - fstp) + fstp, 2),
            "projected_spend": shown / share if share > 0 else None}


def burn_series(fr: Frames, project: str, as_of: date) -> pd.DataFrame:
    p = fr.tables["projects"].set_index("project_id").loc[project]
    grid = [d for d in month_grid(p["start_date"].date(), p["end_date"].date(), as_of) if d <= as_of]
    s = _spent(fr, grid, [project]).groupby("as_of")["spent"].sum()
    out = pd.DataFrame({"as_of": pd.to_datetime(grid)})
    out["spent"] = out["as_of"].map(s).fillna(0.0).round(2)
    bl = fr.tables["budget_lines"]
    planned = float(bl.loc[bl["project_id"] == project, "amount"].sum())
    share = ((out["as_of"] - p["start_date"]).dt.days + 1) / ((p["end_date"] - p["start_date"]).days + 1)
    out["planned_to_date"] = planned * share
    days = (out["as_of"] - p["start_date"]).dt.days + 1
    out["burn_index"] = (out["spent"] / out["planned_to_date"]).where(
        (out["planned_to_date"] > 0) & (days >= MIN_DAYS_FOR_BURN_LINE))
    return out


def budget_burn(fr: Frames, as_of: date) -> pd.DataFrame:
    """Every project's planned, spent and burn index (analytics.portfolio.budget_burn)."""
    p = fr.tables["projects"][["project_id", "start_date", "end_date"]].copy()
    spent = _spent(fr, [as_of], None).groupby("project_id")["spent"].sum()
    planned = fr.tables["budget_lines"].groupby("project_id")["amount"].sum()
    p["planned"] = p["project_id"].map(planned).fillna(0.0)
    p["spent"] = p["project_id"].map(spent).fillna(0.0).round(2)
    duration = (p["end_date"] - p["start_date"]).dt.days + 1
    elapsed = ((pd.Timestamp(as_of) - p["start_date"]).dt.days + 1).clip(lower=0).clip(upper=duration)
    p["elapsed_share"] = elapsed / duration
    share = (p["project_id"].map(spent).fillna(0.0) / p["planned"]).where(p["planned"] > 0)
    p["burn_index"] = (share / p["elapsed_share"]).where(elapsed > 0)
    return p.sort_values("project_id").reset_index(drop=True)


def portfolio(fr: Frames, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(KPI matrix, one row per project with KPI counts by status and the budget burn)."""
    matrix = evaluate(fr, [as_of])
    counts = pd.crosstab(matrix["project_id"], matrix["status"]).reset_index()
    return matrix, budget_burn(fr, as_of).merge(counts, on="project_id", how="left")
