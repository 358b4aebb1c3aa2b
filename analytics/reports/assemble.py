"""Assemble ReportData for one project at an as-of date from the analytics functions.

No number is computed here that the app does not compute: KPIs come from analytics.kpis, money
from analytics.budget, sample flags from analytics.sample. This module only gathers and types them.
"""
from __future__ import annotations

import math
import re
from datetime import date, datetime

import duckdb
import pandas as pd

from analytics import budget, kpis, sample, store
from analytics.measures import MEASURES
from analytics.models.codes import COST_CATEGORIES
from analytics.projects import project_info, projects_overview
from analytics.reports import extras, findings, fmt
from analytics.reports.models import (
    BudgetLine, BudgetSummary, BurnPoint, DataSource, KpiRow, Partner, ReportData, SeriesPoint,
)
from analytics.settings import BurnThresholds, StatusThresholds

# The EU's standard acknowledgement for funded projects; the programme and grant agreement number
# are filled in from the project, the disclaimer is the one the Commission asks for.
ACKNOWLEDGEMENT = (
    "Funded by the European Union. This project has received funding from the European Union's "
    "{programme} programme under grant agreement No {ga}. Views and opinions expressed are however "
    "those of the author(s) only and do not necessarily reflect those of the European Union or the "
    "granting authority. Neither the European Union nor the granting authority can be held "
    "responsible for them."
)


def _value(v):
    """pandas' missing values (NaN, NaT, pd.NA) as None, timestamps as dates."""
    if v is None or v is pd.NaT or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, pd.Timestamp):
        return v.date()
    return v


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: _value(v) for k, v in row.items()} for row in df.to_dict("records")]


def measure_tables(measure: str) -> set[str]:
    """The tables a measure counts from, read off its event SQL (one source of truth)."""
    return set(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", MEASURES[measure].events, flags=re.IGNORECASE))


def data_source(con: duckdb.DuckDBPyConnection, facts_source: str | None) -> DataSource:
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    name = path.replace("\\", "/").rsplit("/", 1)[-1] if path else "in-memory database"
    last = con.execute(
        """SELECT count(*), max(imported_at), arg_max(file_name, imported_at), arg_max(table_name, imported_at)
           FROM import_log WHERE result = 'ok'"""
    ).fetchone()
    if last[0]:
        loaded = (f"seed (data/seed) and {last[0]} import(s); latest {last[1]:%d.%m.%Y %H:%M} "
                  f"({last[2]} into {last[3]})")
    else:
        loaded = "seed files in data/seed, loaded by python -m analytics init; no imports since"
    return DataSource(database=name, schema_version=store.schema_version(con), loaded=loaded,
                      facts_source=facts_source, generated_at=datetime.now().replace(microsecond=0))


def _kpi_rows(table: pd.DataFrame, sample_tables: dict[str, int]) -> list[KpiRow]:
    rows = []
    for r in _records(table):
        measure = MEASURES[r["measure"]]
        rows.append(KpiRow(
            code=r["code"], name=r["name"], unit=r["unit"], measure_title=measure.title,
            explanation=measure.explanation, target=r["target"], baseline=r["baseline"], actual=r["actual"],
            expected=r["expected"], progress=r["progress"], pace=r["pace"], status=r["status"],
            status_label=kpis.STATUS_LABELS[r["status"]], confidence=r["confidence"], forecast=r["forecast"],
            required_rate_per_month=r["required_rate_per_month"], due=r["due"], interpolation=r["interpolation"],
            is_placeholder=bool(r["is_placeholder"]), is_sample=bool(r["is_sample"]),
            sample_inputs=sorted(measure_tables(r["measure"]) & set(sample_tables)), source=r["source"],
        ))
    return rows


def _budget_lines(df: pd.DataFrame, dimension: str) -> list[BudgetLine]:
    lines = []
    for r in _records(df):
        key = r[dimension]
        label = f"{key} {COST_CATEGORIES[key]}" if dimension == "category" else key
        lines.append(BudgetLine(key=key, label=label, planned=r["planned"], spent=r["spent"],
                                spent_share=r["spent_share"]))
    return lines


def filters_used(project_id: str, as_of: date, status: StatusThresholds, burn: BurnThresholds) -> dict[str, str]:
    return {
        "Project": project_id,
        "As of": f"{fmt.day(as_of)} (records dated on or before this day)",
        "KPI status": f"on track at pace ≥ {status.on_track:.0%}, at risk at ≥ {status.at_risk:.0%}, else off track",
        "Burn index flagged": f"below {burn.low:g} or above {burn.high:g}",
        "Partners": "all",
    }


def report_data(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    as_of: date,
    *,
    status: StatusThresholds | None = None,
    burn: BurnThresholds | None = None,
) -> ReportData:
    """Every number of the report for one project at the as-of date (UnknownProject if none)."""
    status = status or StatusThresholds()
    burn = burn or BurnThresholds()
    info = project_info(con, project_id)
    overview = projects_overview(con, as_of).set_index("project_id").loc[project_id]
    partners = con.execute(
        "SELECT organisation, country, role FROM partners WHERE project_id = ? ORDER BY role <> 'coordinator', organisation",
        [project_id],
    ).fetchall()
    kpi_view = kpis.project_kpis(con, project_id, as_of, status)
    table = kpi_view.table
    # Only the tables this report draws on: the project's own and those its KPIs count from
    # (label awards have no project column but make the label KPI).
    relevant = set(sample.PROJECT_TABLES).union(*(measure_tables(m) for m in table["measure"].unique()))
    sample_tables = {t: n for t, n in sample.sample_counts(con, project_id).items() if t in relevant}

    kpi_rows = _kpi_rows(table, sample_tables)
    series = kpi_view.series
    burnup = {code: [SeriesPoint(**p) for p in _records(group.drop(columns="code"))]
              for code, group in series.groupby("code", sort=True)}

    money = budget.project_budget(con, project_id, as_of, burn)
    s = money.summary
    summary = BudgetSummary(**{k: _value(s[k]) for k in BudgetSummary.model_fields})
    burn_points = [BurnPoint(**{k: p[k] for k in BurnPoint.model_fields})
                   for p in _records(money.burn_series)]

    ga = info["grant_agreement"]
    extra_sections, extra_sample = extras.sections(con, project_id, as_of, _value(info["start_date"]), _value(info["end_date"]))
    sample_tables |= {t: n for t, n in extra_sample.items() if n and t not in sample_tables}
    return ReportData(
        project_id=project_id, title=info["title"], programme=info["programme"], call_id=_value(info["call_id"]),
        grant_agreement=_value(ga), start_date=_value(info["start_date"]), end_date=_value(info["end_date"]),
        original_end_date=_value(info["original_end_date"]),
        partners=[Partner(organisation=o, country=c, role=r) for o, c, r in partners],
        as_of=as_of, project_month=_value(overview["project_month"]), months=int(overview["months"]),
        filters=filters_used(project_id, as_of, status, burn),
        source=data_source(con, _value(info["source"])),
        sample_tables=sample_tables, project_is_sample=bool(info["is_sample"]),
        kpis=kpi_rows, burnup=burnup, budget=summary,
        budget_by_category=_budget_lines(money.by_category, "category"),
        budget_by_partner=_budget_lines(money.by_partner, "partner"),
        burn_series=burn_points, burn_low=burn.low, burn_high=burn.high,
        highlights=findings.highlights(kpi_rows, summary),
        risks=findings.risks(kpi_rows, summary, as_of=as_of, end=_value(info["end_date"]), burn=burn),
        formulas=kpis.formulas(status) | budget.FORMULAS,
        acknowledgement=ACKNOWLEDGEMENT.format(programme=info["programme"], ga=ga or "(not recorded)"),
        extra_sections=extra_sections,
    )
