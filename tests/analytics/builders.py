"""Tiny databases for hand-computed tests, written through the real loader (so rows validate)."""
from __future__ import annotations

from analytics import loader, store

PROJECT = {
    "project_id": "TEST", "title": "Test project", "programme": "COSME", "start_date": "2021-01-01",
    "end_date": "2021-12-31", "total_budget": "12700.00", "eu_rate": "0.75", "indirect_rate": "0.07",
}
PARTNERS = [
    {"project_id": "TEST", "organisation": "Alpha Cluster", "country": "DK", "org_type": "cluster", "role": "coordinator"},
    {"project_id": "TEST", "organisation": "Beta Cluster", "country": "ES", "org_type": "cluster", "role": "partner"},
]


def kpi(code: str, measure: str, target: float, **extra) -> dict:
    return {"project_id": "TEST", "code": code, "name": f"{code} KPI", "unit": "units", "measure": measure,
            "target": target} | extra


def build(**tables: list[dict]):
    """A fresh in-memory database holding the test project, its partners and the given rows."""
    con = store.memory()
    sources = {"projects": ("projects.csv", [PROJECT], 2), "partners": ("partners.csv", PARTNERS, 2)}
    for table, rows in tables.items():
        sources[table] = (f"{table}.csv", rows, 2)
    loader.load(con, sources)
    return con


def training(person: str, on: str, partner: str = "Alpha Cluster", course: str = "Course") -> dict:
    return {"project_id": "TEST", "partner": partner, "person": person, "organisation": partner,
            "course": course, "trained_on": on, "hours": 7}
