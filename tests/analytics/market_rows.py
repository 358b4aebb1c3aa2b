"""A tiny Big Science market for hand-computed tests, written through the real loader.

Sectors: top A (rank 1) with A.1 and A.2, top B (rank 2) with B.1, B.2 and B.3.
Demand 2023: X buys A.1 500 and A.2 200, Y buys B.1 200 and B.2 100 (total 1000); 2022: X buys A.1 100.
Companies and levels (capacity weights 0, 1/3, 2/3, 1):
    c1 DK K1: A.1 3, B.1 2      c2 DK K1: A.2 2, B.1 1
    c3 SE K2: B.1 3             c4 SE K3: A.1 0 (a row at level 0 only)
Capacity: A.1 1, A.2 2/3, B.1 2/3 + 1/3 + 1 = 2, B.2 0, B.3 0; total 11/3.
Contributions to X: DK 0.20 (2009) then 0.25 (2023), SE 0.10 (2009), CH 0.65 (2009).
Awards by X: 2023 A.1 DK 100, CH 300; 2023 A.2 CH 100; 2022 A.1 DK 50, CH 50.
"""
from __future__ import annotations

from analytics import loader, store

SECTORS = [
    {"sector_id": "A", "name": "Alpha", "enriitc_rank": 1},
    {"sector_id": "A.1", "name": "Alpha one", "parent_id": "A"},
    {"sector_id": "A.2", "name": "Alpha two", "parent_id": "A"},
    {"sector_id": "B", "name": "Beta", "enriitc_rank": 2},
    {"sector_id": "B.1", "name": "Beta one", "parent_id": "B"},
    {"sector_id": "B.2", "name": "Beta two", "parent_id": "B"},
    {"sector_id": "B.3", "name": "Beta three", "parent_id": "B"},
]
BSOS = [
    {"bso_id": "X", "name": "Lab X", "kind": "accelerator", "site_country": "CH"},
    {"bso_id": "Y", "name": "Source Y", "kind": "neutron source", "site_country": "SE"},
]
DEMAND = [
    {"bso_id": "X", "sector_id": "A.1", "year": 2023, "demand_eur": 500},
    {"bso_id": "X", "sector_id": "A.2", "year": 2023, "demand_eur": 200},
    {"bso_id": "Y", "sector_id": "B.1", "year": 2023, "demand_eur": 200},
    {"bso_id": "Y", "sector_id": "B.2", "year": 2023, "demand_eur": 100},
    {"bso_id": "X", "sector_id": "A.1", "year": 2022, "demand_eur": 100},
]
COMPANIES = [
    {"company_id": "c1", "name": "One ApS", "country": "DK", "cluster": "K1", "company_type": "sme", "employees": 10,
     "prior_bso_supplier": "true"},
    {"company_id": "c2", "name": "Two ApS", "country": "DK", "cluster": "K1", "company_type": "sme", "employees": 20},
    {"company_id": "c3", "name": "Three AB", "country": "SE", "cluster": "K2", "company_type": "large",
     "employees": 900},
    {"company_id": "c4", "name": "Four AB", "country": "SE", "cluster": "K3", "company_type": "sme", "employees": 5},
]
COMPETENCIES = [
    {"company_id": "c1", "sector_id": "A.1", "level": 3},
    {"company_id": "c1", "sector_id": "B.1", "level": 2},
    {"company_id": "c2", "sector_id": "A.2", "level": 2},
    {"company_id": "c2", "sector_id": "B.1", "level": 1},
    {"company_id": "c3", "sector_id": "B.1", "level": 3},
    {"company_id": "c4", "sector_id": "A.1", "level": 0},
]
CONTRIBUTIONS = [
    {"bso_id": "X", "country": "DK", "year": 2009, "share": 0.20},
    {"bso_id": "X", "country": "DK", "year": 2023, "share": 0.25},
    {"bso_id": "X", "country": "SE", "year": 2009, "share": 0.10},
    {"bso_id": "X", "country": "CH", "year": 2009, "share": 0.65},
]
AWARDS = [
    {"bso_id": "X", "country": "DK", "sector_id": "A.1", "year": 2023, "value_eur": 100},
    {"bso_id": "X", "country": "CH", "sector_id": "A.1", "year": 2023, "value_eur": 300},
    {"bso_id": "X", "country": "CH", "sector_id": "A.2", "year": 2023, "value_eur": 100},
    {"bso_id": "X", "country": "DK", "sector_id": "A.1", "year": 2022, "value_eur": 50},
    {"bso_id": "X", "country": "CH", "sector_id": "A.1", "year": 2022, "value_eur": 50},
]


def build(**tables: list[dict]):
    """The market above, with any table replaced by the rows given."""
    rows = {"bsos": BSOS, "sectors": SECTORS, "bso_demand": DEMAND, "companies": COMPANIES,
            "competencies": COMPETENCIES, "contributions": CONTRIBUTIONS, "awards": AWARDS} | tables
    con = store.memory()
    loader.load(con, {t: (f"{t}.csv", r, 2) for t, r in rows.items()})
    return con
