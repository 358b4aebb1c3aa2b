"""Big Science rows: organisations, sectors, demand, companies and their competencies."""
from __future__ import annotations

from pydantic import Field

from analytics.models.base import Country, Row, SampleFlag, Source, Text
from analytics.models.codes import COMPANY_TYPES
from typing import Literal

BsoRef = ((("bso_id",), "bsos", ("bso_id",)),)
SectorRef = ((("sector_id",), "sectors", ("sector_id",)),)


class Bso(Row):
    table = "bsos"
    key = ("bso_id",)

    bso_id: Text = Field(description="short id, e.g. CERN")
    name: Text = Field(description="full name")
    kind: Text = Field(description="accelerator, fusion, neutron source, laser, space, ...")
    site_country: Country = Field(description="host country of the main site")
    yearly_budget_eur: float | None = Field(None, ge=0, description="yearly budget in EUR (see budget_note)")
    budget_note: str | None = Field(None, description="what the budget figure is and its year")
    source: Source
    is_sample: SampleFlag


class Sector(Row):
    table = "sectors"
    key = ("sector_id",)

    sector_id: Text = Field(description="short id, e.g. ELEC or ELEC.RF")
    name: Text = Field(description="sector name")
    parent_id: str | None = Field(None, description="top sector for a sub-sector; empty for the five ENRIITC top sectors")
    enriitc_rank: int | None = Field(None, ge=1, le=5, description="ENRIITC survey rank of a top sector (1 = most needed)")
    source: Source
    is_sample: SampleFlag


class BsoDemand(Row):
    table = "bso_demand"
    key = ("bso_id", "sector_id", "year")
    references = BsoRef + SectorRef

    bso_id: Text = Field(description="Big Science organisation")
    sector_id: Text = Field(description="sector bought")
    year: int = Field(ge=1990, le=2100, description="procurement year")
    demand_eur: float | None = Field(None, ge=0, description=(
        "procurement in EUR; where is_estimate, the seed estimates it as yearly procurement volume × ENRIITC "
        "rank weight (6 - rank) / 15 × the BSO's technology profile, and source says so row by row"))
    tender_count: int | None = Field(None, ge=0, description="number of tenders")
    source: Source
    is_estimate: bool = Field(True, description="TRUE when the split by sector is estimated (no public split exists)")
    is_sample: SampleFlag


class Company(Row):
    table = "companies"
    key = ("company_id",)

    company_id: Text = Field(description="unique company id")
    name: Text = Field(description="company name")
    country: Country = Field(description="ISO alpha-2 country")
    cluster: str | None = Field(None, description="cluster the company is a member of")
    company_type: Literal[COMPANY_TYPES] = Field(description="sme, large or research")
    employees: int | None = Field(None, ge=0, description="head count")
    prior_bso_supplier: bool = Field(False, description="has supplied a Big Science organisation before")
    is_sample: SampleFlag


class Competency(Row):
    table = "competencies"
    key = ("company_id", "sector_id")
    references = ((("company_id",), "companies", ("company_id",)),) + SectorRef

    company_id: Text = Field(description="company")
    sector_id: Text = Field(description="sector or sub-sector")
    level: int = Field(ge=0, le=3, description="0 none, 1 basic, 2 proven, 3 BSO-qualified")
    evidence: str | None = Field(None, description="reference, certificate or past contract")
    is_sample: SampleFlag


class Contribution(Row):
    table = "contributions"
    key = ("bso_id", "country", "year")
    references = BsoRef

    bso_id: Text = Field(description="Big Science organisation")
    country: Country = Field(description="member country")
    year: int = Field(ge=1990, le=2100, description="budget year")
    share: float = Field(ge=0, le=1, description="country's share of the BSO budget (0..1)")
    source: Source
    is_sample: SampleFlag


class Award(Row):
    table = "awards"
    key = ("bso_id", "country", "sector_id", "year")
    references = BsoRef + SectorRef

    bso_id: Text = Field(description="Big Science organisation")
    country: Country = Field(description="country of the supplier")
    sector_id: Text = Field(description="sector of the contracts")
    year: int = Field(ge=1990, le=2100, description="award year")
    value_eur: float = Field(ge=0, description="contract value won in EUR")
    source: Source
    is_sample: SampleFlag
