"""Rows for the participation tests (stays, missions, labels, deliverables), written through the
real loader by tests.analytics.builders.build, so every row is validated as an import would be."""
from __future__ import annotations

from tests.analytics.builders import PROJECT


def project(project_id: str = "TEST", start: str = "2021-01-01", end: str = "2021-12-31") -> dict:
    return PROJECT | {"project_id": project_id, "start_date": start, "end_date": end}


def partner(organisation: str, project_id: str = "TEST", country: str = "DK") -> dict:
    return {"project_id": project_id, "organisation": organisation, "country": country, "org_type": "cluster",
            "role": "partner"}


def stay(exchange_id: str, visitor: str, start: str, end: str, days: int, km: float | None, paid: str | None,
         **extra) -> dict:
    return {"exchange_id": exchange_id, "project_id": "TEST", "partner": "Alpha Cluster", "visitor_org": visitor,
            "visitor_country": "FI", "visitor_type": "sme", "host_org": "Host Org", "host_country": "SE",
            "start_date": start, "end_date": end, "working_days": days, "distance_km": km, "lump_sum": paid} | extra


def mission(mission_id: str, participants: int, smes: int, end: str = "2021-05-03", **extra) -> dict:
    return {"mission_id": mission_id, "project_id": "TEST", "partner": "Alpha Cluster", "title": f"Mission {mission_id}",
            "kind": "bso_visit", "destination_country": "CH", "start_date": "2021-05-01", "end_date": end,
            "participants": participants, "sme_participants": smes} | extra


def label(organisation: str, level: str, assessed: str, valid_until: str) -> dict:
    return {"organisation": organisation, "level": level, "assessed_on": assessed, "valid_until": valid_until}


def deliverable(code: str, month: int, submitted: str | None = None, *, status: str | None = None, **extra) -> dict:
    return {"project_id": "TEST", "code": code, "title": f"Deliverable {code}", "work_package": "WP1",
            "due_month": month, "submitted_on": submitted,
            "status": status or ("submitted" if submitted else "pending")} | extra
