"""What the benchmark times: the analytics calls the pages make, grouped into the answers the
issue names, with the pandas reference and the hand-written limit query for each answer."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import duckdb

from analytics import attention, budget, competencies, gaps, kpis, partners, portfolio, projects, sample
from analytics.bench import limits, pandas_market, pandas_reference


@dataclass(frozen=True)
class Call:
    page: str
    name: str
    run: Callable[[duckdb.DuckDBPyConnection], object]


@dataclass(frozen=True)
class Answer:
    """One answer a page shows, computed three ways (ClusterBoard as the pages call it)."""

    name: str
    calls: tuple[str, ...]  # the ClusterBoard calls that produce it, summed
    pandas: Callable[[object], object]  # given the loaded frames
    limit: Callable[[duckdb.DuckDBPyConnection], object]


PARTNER_SECTOR = "ELEC"
# The competency matrix narrowed to one top sector: the generator's first (enriitc_rank 1), the
# first of the page's sector picker at every scale.
MATRIX_TOP = "ELEC"


def bench_project(con: duckdb.DuckDBPyConnection, as_of: date) -> str:
    """The project the project pages are timed on, by the same rule at every scale: the first
    running on the date that started at least a year before it (per-project data is the same
    size at every scale, so S and L time the same amount of work per project)."""
    row = con.execute(
        "SELECT project_id FROM projects WHERE start_date <= CAST($d AS DATE) - INTERVAL 1 YEAR AND end_date >= $d "
        "ORDER BY project_id LIMIT 1", {"d": as_of}).fetchone()
    return row[0] if row else con.execute("SELECT min(project_id) FROM projects").fetchone()[0]


def page_calls(project: str, day: date) -> list[Call]:
    return [
        Call("portfolio", "sample.sample_counts", lambda c: sample.sample_counts(c)),
        Call("portfolio", "portfolio.overview", lambda c: portfolio.overview(c, day)),
        Call("portfolio", "portfolio.kpi_matrix", lambda c: portfolio.kpi_matrix(c, day)),
        Call("portfolio", "attention.summary", lambda c: attention.summary(c, day)),
        Call("kpis", "projects.project_info", lambda c: projects.project_info(c, project)),
        Call("kpis", "sample.sample_counts(project)", lambda c: sample.sample_counts(c, project)),
        Call("kpis", "kpis.project_kpis", lambda c: kpis.project_kpis(c, project, day)),
        Call("kpis", "kpis.partner_breakdown", lambda c: kpis.partner_breakdown(c, project, day)),
        Call("kpis", "kpis.checkin_history", lambda c: kpis.checkin_history(c, project, day)),
        Call("budget", "budget.project_budget", lambda c: budget.project_budget(c, project, day)),
        Call("gaps", "gaps.gap_scores", lambda c: gaps.gap_scores(c)),
        Call("gaps", "partners.find_partners", lambda c: partners.find_partners(c, sector_id=PARTNER_SECTOR, min_level=2)),
        # pages/competencies.py as it opens: no filter, strongest first, page 1 of 40 companies
        Call("competencies", "competencies.company_count", lambda c: competencies.company_count(c)),
        Call("competencies", "competencies.matrix", lambda c: competencies.matrix(c, sort="strength", page=1, page_size=40)),
        Call("competencies", "competencies.level_distribution", lambda c: competencies.level_distribution(c)),
        Call("competencies", "competencies.company_count(top sector)",
             lambda c: competencies.company_count(c, top_sector=MATRIX_TOP)),
        Call("competencies", "competencies.matrix(top sector)",
             lambda c: competencies.matrix(c, top_sector=MATRIX_TOP, sort="strength", page=1, page_size=40)),
        Call("competencies", "competencies.level_distribution(top sector)",
             lambda c: competencies.level_distribution(c, top_sector=MATRIX_TOP)),
    ]


def answers(con: duckdb.DuckDBPyConnection, project: str, day: date) -> list[Answer]:
    start, end = projects.require_project(con, project)
    dues = con.execute("SELECT max(coalesce(due_date, ?)) FROM kpis WHERE project_id = ?", [end, project]).fetchone()[0]
    kpi_grid = kpis.month_grid(start, max(end, dues or end), day)
    budget_grid = [d for d in kpis.month_grid(start, end, day) if d <= day]
    ref = pandas_reference
    return [
        Answer("portfolio status", ("portfolio.overview",),
               lambda f: ref.portfolio(f["grant"], day), lambda c: limits.portfolio(c, day)),
        Answer("project KPIs with series", ("kpis.project_kpis",),
               lambda f: ref.evaluate(f["grant"], kpi_grid, [project]), lambda c: limits.project_kpis(c, project, kpi_grid)),
        Answer("budget", ("budget.project_budget",),
               lambda f: (ref.budget_summary(f["grant"], project, day), ref.budget_breakdown(f["grant"], project, day),
                          ref.burn_series(f["grant"], project, day)),
               lambda c: limits.project_budget(c, project, day, budget_grid)),
        Answer("gap scores", ("gaps.gap_scores",),
               lambda f: pandas_market.gap_scores(f["market"]), limits.gap_scores),
        Answer("partner finder", ("partners.find_partners",),
               lambda f: pandas_market.find_partners(f["market"], PARTNER_SECTOR, 2),
               lambda c: limits.find_partners(c, PARTNER_SECTOR, 2)),
    ]


def load_frames(con: duckdb.DuckDBPyConnection) -> dict:
    return {"grant": pandas_reference.load(con), "market": pandas_market.load(con)}
