"""The report's charts, drawn by the app's own chart builders (analytics.charts) from ReportData.

The pages feed the builders DataFrames from the analytics functions; here the same columns are
rebuilt from the validated report numbers, so a chart in a file is the chart on screen.
"""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics import charts
from analytics.reports.models import BudgetLine, ReportData


def progress(report: ReportData) -> go.Figure:
    table = pd.DataFrame([k.model_dump(include={"code", "name", "progress", "status"}) for k in report.kpis])
    return charts.progress_bars(table, title="Progress towards target")


def burnup(report: ReportData, code: str) -> go.Figure:
    kpi = next(k for k in report.kpis if k.code == code)
    series = pd.DataFrame([p.model_dump() for p in report.burnup.get(code, [])], columns=["as_of", "actual", "expected"])
    series["as_of"] = pd.to_datetime(series["as_of"])
    return charts.burnup(series, kpi.model_dump(), as_of=report.as_of)


def _budget_frame(lines: list[BudgetLine], dimension: str) -> pd.DataFrame:
    df = pd.DataFrame([line.model_dump() for line in lines], columns=["key", "label", "planned", "spent", "spent_share"])
    if dimension == "category":
        # The builder labels categories as "code name"; the label already is exactly that.
        return df.assign(category=df["key"], category_name=df["label"].str.split(" ", n=1).str[1])
    return df.assign(partner=df["key"])


def planned_vs_spent(report: ReportData, dimension: str) -> go.Figure:
    lines = report.budget_by_category if dimension == "category" else report.budget_by_partner
    title = "By cost category" if dimension == "category" else "By partner"
    return charts.planned_vs_spent(_budget_frame(lines, dimension), dimension=dimension, title=title)


def _burn_frame(report: ReportData) -> pd.DataFrame:
    df = pd.DataFrame([p.model_dump() for p in report.burn_series], columns=["as_of", "spent", "planned_to_date", "burn_index"])
    df["as_of"] = pd.to_datetime(df["as_of"])
    return df


def burn_over_time(report: ReportData) -> go.Figure:
    # As on the budget page: no projection once the project has ended.
    projected = report.budget.projected_spend if report.as_of < report.end_date else None
    return charts.burn_over_time(_burn_frame(report), low=report.burn_low, high=report.burn_high, projected=projected,
                                 planned_total=report.budget.planned, end=report.end_date)


def burn_index(report: ReportData) -> go.Figure:
    return charts.burn_index_line(_burn_frame(report), low=report.burn_low, high=report.burn_high)
