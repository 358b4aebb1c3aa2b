"""The Big Science seed: facts with their source, and deterministic sample data, flagged.

`python -m analytics.bigscience_sample` rewrites data/seed/{bsos,sectors,bso_demand,companies,
competencies,contributions,awards}.csv. The committed CSVs are the seed; edit this module and
regenerate rather than editing them by hand, so facts, estimates and samples stay apart.

What is a fact (DOMAIN.md, source kept in the row): BSO budgets, the ENRIITC ranking of the five
top sectors, the sub-sectors (what CERN, F4E and ESA buy), CERN's 2009 and ESS's contribution
shares (both marked "check"). Everything else is sample data (is_sample = TRUE):

- Demand by BSO, sector and year (no public per-sector split exists), estimated as
  demand(b, s, y) = V(b, y) × p(b, s) × r(top(s)) ÷ Σ_s' p(b, s') × r(top(s')), where V is the
  BSO's yearly procurement volume (ASSUMED_VOLUMES, each with its reasoning), p the BSO's
  technology profile (1 for what a DOMAIN.md list says it buys, sample weights otherwise) and
  r the ENRIITC rank weight (6 - rank) ÷ 15. ESA's space sub-sectors use its real 2024 programme
  split instead of r × p, and the rest of its volume is spread over the other sectors by r × p.
- Companies, their competencies, the contribution shares not listed in DOMAIN.md and the
  contract awards.
"""
from __future__ import annotations

import csv
import io
import math
import random
from pathlib import Path

from analytics.settings import DATA_DIR

SEED = 20220209  # BIGINN kick-off; a fixed seed keeps the CSVs reproducible
YEARS = (2021, 2022, 2023, 2024)
SAMPLE = "sample data (analytics/bigscience_sample.py)"

CERN_SRC = "procurement.web.cern.ch"
F4E_SRC = "fusion4energy.europa.eu"
ESA_SRC = "esa.int (ESA budget 2024)"
ESS_SRC = "europeanspallationsource.se"
ENRIITC_SRC = "ENRIITC survey ranking, via biginn.eu"

# (id, name, kind, site, yearly budget EUR, budget note, source)
BSOS = [
    ("CERN", "European Organization for Nuclear Research", "particle physics (accelerators)", "CH", None,
     "budget about CHF 1.2 bn (2021); supplies CHF 300-500 M a year; about 30,000 orders a year "
     "(in CHF, not converted)", CERN_SRC),
    ("ITER", "ITER Organization", "fusion", "FR", None,
     "Europe pays about 45 % of ITER construction (through F4E); no yearly ITER figure in our sources",
     F4E_SRC),
    ("F4E", "Fusion for Energy", "fusion (EU domestic agency for ITER)", "ES", 450e6,
     "Europe's contribution to ITER, about EUR 450 M a year; estimate at completion EUR 19.1 bn "
     "(2022 values)", F4E_SRC),
    ("ESS", "European Spallation Source", "neutron source", "SE", None,
     "construction EUR 1.843 bn (2013 prices), over 35 % as in-kind contributions; not a yearly figure",
     ESS_SRC),
    ("ELI", "Extreme Light Infrastructure", "laser", "CZ", None, "no budget figure in our sources", "eli-laser.eu"),
    ("ESA", "European Space Agency", "space", "FR", 7.79e9,
     "2024 budget: Earth observation 30.5 %, navigation 13.5 %, space transportation 13.3 %, "
     "science about 8 %", ESA_SRC),
    ("EMBL", "European Molecular Biology Laboratory", "life sciences laboratory", "DE", None,
     "no budget figure in our sources", "embl.org"),
    ("ESO", "European Southern Observatory", "astronomy", "DE", None, "no budget figure in our sources", "eso.org"),
    ("ESRF", "European Synchrotron Radiation Facility", "synchrotron light source", "FR", None,
     "no budget figure in our sources", "esrf.fr"),
    ("XFEL", "European XFEL", "X-ray free-electron laser", "DE", None, "no budget figure in our sources",
     "xfel.eu"),
    ("ILL", "Institut Laue-Langevin", "neutron source (reactor)", "FR", None, "no budget figure in our sources",
     "ill.eu"),
    ("FAIR", "Facility for Antiproton and Ion Research", "accelerator (ion research)", "DE", None,
     "no budget figure in our sources", "fair-center.eu"),
    ("SKAO", "SKA Observatory", "radio astronomy", "UK", None, "no budget figure in our sources", "skao.int"),
]

TOP_SECTORS = [  # (id, name, ENRIITC rank)
    ("ELEC", "High-end electrical and electronic engineering", 1),
    ("MECH", "Mechanical engineering", 2),
    ("ENER", "Energy", 3),
    ("ICT", "ICT and data", 4),
    ("SPACE", "Space", 5),
]
SUB_SECTORS = [  # (id, name, parent, source)
    ("ELEC.MAG", "Magnets", "ELEC", f"{CERN_SRC}; {F4E_SRC} (magnets and power systems)"),
    ("ELEC.PC", "Power converters", "ELEC", CERN_SRC),
    ("ELEC.RF", "Radio-frequency systems", "ELEC", CERN_SRC),
    ("ELEC.BI", "Beam instrumentation", "ELEC", CERN_SRC),
    ("MECH.VAC", "Vacuum", "MECH", CERN_SRC),
    ("MECH.CRYO", "Cryogenics", "MECH", CERN_SRC),
    ("MECH.PREC", "Precision mechanics", "MECH", f"{CERN_SRC} (mechanical engineering)"),
    ("MECH.STRUCT", "Metal structures", "MECH", CERN_SRC),
    ("MECH.FAB", "Fabrication and inspection", "MECH", F4E_SRC),
    ("MECH.JOIN", "Joining and coating", "MECH", F4E_SRC),
    ("MECH.MAT", "Materials", "MECH", F4E_SRC),
    ("MECH.ROB", "Robotics and remote handling", "MECH", F4E_SRC),
    ("MECH.HANDL", "Transport and handling", "MECH", CERN_SRC),
    ("MECH.CIVIL", "Civil engineering", "MECH",
     f"{CERN_SRC}; {F4E_SRC} (construction); under mechanical engineering here: ENRIITC ranks no construction sector"),
    ("MECH.SHIELD", "Radiation shielding", "MECH", CERN_SRC),
    ("ENER.PWR", "Power distribution and cables", "ENER", CERN_SRC),
    ("ENER.CV", "Cooling and ventilation", "ENER", CERN_SRC),
    ("ENER.HEAT", "Heating systems (fusion)", "ENER", F4E_SRC),
    ("ICT.COMP", "Computing and networking", "ICT", CERN_SRC),
    ("ICT.CTRL", "Controls", "ICT", CERN_SRC),
    ("SPACE.EO", "Earth observation", "SPACE", ESA_SRC),
    ("SPACE.NAV", "Navigation", "SPACE", ESA_SRC),
    ("SPACE.LAUNCH", "Space transportation", "SPACE", ESA_SRC),
    ("SPACE.SCI", "Space science", "SPACE", ESA_SRC),
]
RANK = {sid: rank for sid, _, rank in TOP_SECTORS}
PARENT = {sid: parent for sid, _, parent, _ in SUB_SECTORS}


def rank_weight(rank: int) -> float:
    """ENRIITC gives a ranking, not shares: a Borda weight (6 - rank) / 15 turns it into shares."""
    return (6 - rank) / 15


# Yearly procurement volume in EUR (2024) and its yearly growth: assumptions, written down.
ASSUMED_VOLUMES = {
    "CERN": (380e6, 0.02, "supplies CHF 300-500 M a year: midpoint CHF 400 M at an assumed 0.95 EUR/CHF"),
    "F4E": (450e6, 0.02, "Europe's ITER contribution, about EUR 450 M a year (fact), all procured"),
    "ITER": (100e6, 0.02, "assumed: the ITER Organization's own procurement"),
    "ESS": (100e6, -0.08, "assumed: EUR 1.843 bn construction, 65 % in cash, over about 12 years, tapering"),
    "ESA": (3.9e9, 0.02, "assumed: half of the EUR 7.79 bn 2024 budget procured from industry"),
    "ELI": (20e6, 0.02, "assumed"),
    "EMBL": (25e6, 0.02, "assumed"),
    "ESO": (120e6, 0.03, "assumed (telescope construction)"),
    "ESRF": (40e6, 0.02, "assumed"),
    "XFEL": (30e6, 0.02, "assumed"),
    "ILL": (25e6, 0.02, "assumed"),
    "FAIR": (150e6, 0.05, "assumed (construction)"),
    "SKAO": (120e6, 0.15, "assumed (construction ramping up)"),
}

_CERN_BUYS = ["MECH.CIVIL", "ENER.CV", "ENER.PWR", "MECH.STRUCT", "MECH.PREC", "MECH.SHIELD", "MECH.HANDL",
              "ICT.COMP", "ELEC.MAG", "MECH.CRYO", "MECH.VAC", "ELEC.RF", "ELEC.PC", "ELEC.BI", "ICT.CTRL"]
_F4E_BUYS = ["ELEC.MAG", "ELEC.PC", "MECH.ROB", "ENER.HEAT", "MECH.MAT", "MECH.JOIN", "MECH.FAB", "MECH.CIVIL"]
ESA_PROGRAMMES = {"SPACE.EO": 0.305, "SPACE.NAV": 0.135, "SPACE.LAUNCH": 0.133, "SPACE.SCI": 0.08}


def _profile(*pairs) -> dict[str, float]:
    return {s: w for group, w in pairs for s in group}


# Technology profile p(b, s): 1 where a DOMAIN.md list says the BSO buys it; sample weights otherwise.
PROFILES: dict[str, dict[str, float]] = {
    "CERN": {s: 1.0 for s in _CERN_BUYS},
    "F4E": {s: 1.0 for s in _F4E_BUYS},
    "ITER": _profile((_F4E_BUYS, 1.0), (["MECH.VAC", "MECH.CRYO", "ICT.CTRL", "ENER.CV"], 0.5)),
    "ESS": _profile((["MECH.VAC", "MECH.CRYO", "ELEC.RF", "ELEC.BI", "ELEC.PC", "MECH.SHIELD", "ICT.CTRL"], 1.0),
                    (["MECH.CIVIL", "ENER.CV", "ENER.PWR", "MECH.PREC", "ICT.COMP", "MECH.HANDL"], 0.5)),
    "ELI": _profile((["MECH.PREC", "MECH.VAC", "ICT.CTRL", "ELEC.BI"], 1.0), (["ENER.CV", "MECH.CIVIL"], 0.5)),
    "EMBL": _profile((["ICT.COMP", "ICT.CTRL", "MECH.PREC"], 1.0), (["ELEC.BI", "MECH.ROB"], 0.5)),
    "ESO": _profile((["MECH.STRUCT", "MECH.PREC", "MECH.CIVIL"], 1.0),
                    (["ICT.CTRL", "MECH.CRYO", "ICT.COMP", "MECH.MAT"], 0.5)),
    "ESRF": _profile((["MECH.VAC", "ELEC.MAG", "ELEC.BI", "MECH.PREC"], 1.0), (["ELEC.RF", "ICT.CTRL", "ENER.CV"], 0.5)),
    "XFEL": _profile((["ELEC.RF", "MECH.CRYO", "MECH.VAC", "ELEC.BI"], 1.0), (["ELEC.MAG", "ICT.CTRL"], 0.5)),
    "ILL": _profile((["MECH.SHIELD", "MECH.VAC", "ELEC.BI", "MECH.PREC"], 1.0), (["ICT.CTRL", "MECH.HANDL"], 0.5)),
    "FAIR": _profile((["ELEC.MAG", "ELEC.PC", "MECH.CRYO", "MECH.VAC", "MECH.CIVIL"], 1.0),
                     (["ELEC.RF", "ELEC.BI", "ENER.PWR", "ENER.CV", "MECH.SHIELD"], 0.5)),
    "SKAO": _profile((["ICT.COMP", "ELEC.RF", "MECH.STRUCT"], 1.0), (["ENER.PWR", "ICT.CTRL", "MECH.CIVIL"], 0.5)),
    "ESA": _profile((["ELEC.RF", "MECH.MAT", "MECH.PREC", "ICT.COMP", "ICT.CTRL"], 1.0),
                    (["ELEC.PC", "MECH.FAB", "MECH.JOIN"], 0.5)),
}
FACT_PROFILES = {"CERN", "F4E"}

# Contribution shares (0..1). Facts from DOMAIN.md, marked "check" there.
CERN_2009 = {"DE": 0.1988, "FR": 0.1534, "UK": 0.1470, "IT": 0.1151, "ES": 0.0852, "NL": 0.0479, "CH": 0.0301,
             "PL": 0.0285, "BE": 0.0277, "SE": 0.0276, "NO": 0.0253, "AT": 0.0224, "GR": 0.0196}
ESS_SHARES = {"SE": 0.35, "DK": 0.125, "UK": 0.10, "FR": 0.08, "IT": 0.06, "ES": 0.05}
# The rest of each budget, sample shares, so that every member with companies has a coefficient.
SAMPLE_SHARES = {
    ("CERN", 2009): {"DK": 0.0176, "FI": 0.0139, "PT": 0.0113, "CZ": 0.0098, "HU": 0.0070, "SK": 0.0050,
                     "BG": 0.0068},
    ("ESS", 2013): {"DE": 0.11, "NO": 0.025, "PL": 0.025, "CZ": 0.02, "HU": 0.01, "EE": 0.0025, "CH": 0.025,
                    "BE": 0.01, "NL": 0.0025, "LT": 0.0050},
    ("F4E", 2021): {"DE": 0.20, "FR": 0.16, "IT": 0.12, "ES": 0.08, "NL": 0.05, "PL": 0.04, "SE": 0.035, "BE": 0.03,
                    "AT": 0.025, "CH": 0.02, "DK": 0.02, "FI": 0.015, "CZ": 0.015, "PT": 0.012, "LT": 0.003,
                    "LV": 0.002, "EE": 0.002, "GR": 0.01, "HU": 0.01, "RO": 0.012, "IE": 0.012, "SK": 0.006},
    ("ESA", 2021): {"DE": 0.22, "FR": 0.20, "IT": 0.16, "UK": 0.08, "ES": 0.05, "BE": 0.04, "NL": 0.03, "CH": 0.03,
                    "SE": 0.025, "NO": 0.02, "AT": 0.015, "DK": 0.012, "FI": 0.01, "PL": 0.01, "CZ": 0.007,
                    "PT": 0.004, "EE": 0.001, "LT": 0.001},
}
AWARD_BSOS = ("CERN", "ESS", "F4E", "ESA")
SITE_BONUS = {"CERN": {"CH": 2.5, "FR": 1.5}, "ESS": {"SE": 2.0, "DK": 1.5}, "F4E": {"FR": 1.5, "ES": 1.3},
              "ESA": {}}

# Companies: how many per country, their cluster (the three BIGINN clusters are real; members are sample).
COUNTRIES = {  # country: (companies, cluster, legal suffixes, first words)
    "DK": (70, "BigScience.dk", ["ApS", "A/S"],
           ["Nordlys", "Fjord", "Kyst", "Lyngby", "Skagen", "Vester", "Øresund", "Hede", "Bølge", "Kronborg"]),
    "ES": (80, "INEUSTAR", ["S.L.", "S.A."],
           ["Iberia", "Sierra", "Meseta", "Atlántica", "Levante", "Nervión", "Ebro", "Castilla", "Bahía", "Tajo"]),
    "LT": (45, "LITEK", ["UAB"], ["Baltic", "Nemunas", "Vilnelė", "Gintaras", "Neris", "Aukštai", "Kuršių", "Dainava"]),
    "SE": (30, None, ["AB"], ["Norr", "Väster", "Lund", "Skåne", "Fjäll", "Mälar"]),
    "FI": (20, None, ["Oy"], ["Revontuli", "Saimaa", "Kaleva", "Tapio", "Pohjola"]),
    "DE": (35, None, ["GmbH"], ["Rhein", "Elbe", "Harz", "Isar", "Bodensee", "Spree", "Main"]),
    "FR": (30, None, ["SAS", "S.A."], ["Rhône", "Alpes", "Loire", "Provence", "Dauphiné", "Jura"]),
    "PL": (20, None, ["Sp. z o.o."], ["Wisła", "Tatry", "Mazury", "Odra", "Bałtyk"]),
    "CZ": (15, None, ["s.r.o."], ["Vltava", "Morava", "Šumava", "Krkonoše"]),
    "IT": (25, None, ["S.r.l.", "S.p.A."], ["Adriatica", "Dolomiti", "Tirrena", "Etna", "Ligure", "Padana"]),
    "NL": (15, None, ["B.V."], ["Delta", "Polder", "Zeeland", "Veluwe"]),
    "BE": (10, None, ["NV", "SRL"], ["Schelde", "Ardenne", "Maas"]),
    "NO": (10, None, ["AS"], ["Fjell", "Nordkapp", "Trolltind"]),
    "EE": (8, None, ["OÜ"], ["Saaremaa", "Peipsi", "Toompea"]),
    "LV": (7, None, ["SIA"], ["Daugava", "Gauja", "Kurzeme"]),
}
CLUSTER_SHARE = 0.85  # share of a BIGINN country's sample companies that are cluster members

# Capability profiles: the sectors a kind of company works in, strongest first, and the words
# its name may carry.
COMPANY_PROFILES = {
    "vacuum": (["MECH.VAC", "MECH.CRYO", "MECH.JOIN", "MECH.FAB"], ["Vacuum", "Cryotech", "Vakuum"]),
    "magnets": (["ELEC.MAG", "ELEC.PC", "ENER.PWR"], ["Magnetics", "Power", "Electro"]),
    "rf": (["ELEC.RF", "ELEC.BI", "ICT.CTRL"], ["Microwave", "Signal", "Photonics"]),
    "machining": (["MECH.PREC", "MECH.STRUCT", "MECH.FAB", "MECH.JOIN", "MECH.MAT"],
                  ["Precision", "Mekanik", "Machining", "Metalworks"]),
    "construction": (["MECH.CIVIL", "MECH.SHIELD", "MECH.STRUCT", "MECH.HANDL", "ENER.CV"],
                     ["Construction", "Build", "Structures"]),
    "software": (["ICT.COMP", "ICT.CTRL", "ELEC.BI"], ["Data", "Software", "Systems", "Analytics"]),
    "space": (["SPACE.EO", "SPACE.SCI", "SPACE.NAV", "MECH.MAT", "SPACE.LAUNCH"], ["Space", "Orbital", "Aero"]),
    "robotics": (["MECH.ROB", "MECH.HANDL", "ICT.CTRL"], ["Robotics", "Automation", "Motion"]),
    "energy": (["ENER.CV", "ENER.PWR", "ENER.HEAT"], ["Energy", "Thermal", "Klima"]),
}
# Which kinds of company each country's sample leans to (relative weights).
COUNTRY_MIX = {
    "DK": {"software": 3, "vacuum": 2, "machining": 2, "energy": 2, "magnets": 1, "robotics": 1, "construction": 1,
           "space": 1, "rf": 0.5},
    "ES": {"space": 3, "machining": 3, "construction": 2, "magnets": 2, "energy": 1, "software": 1, "rf": 1,
           "vacuum": 0.5},
    "LT": {"software": 3, "rf": 1.5, "machining": 2, "space": 1, "energy": 1},
}
DEFAULT_MIX = {k: 1.0 for k in COMPANY_PROFILES}
# A deliberately thin sector, so that the single-supplier flag shows in the sample.
THIN_SECTORS = {"ENER.HEAT": 1}


def bso_rows() -> list[dict]:
    return [dict(bso_id=b, name=n, kind=k, site_country=c, yearly_budget_eur=_num(v), budget_note=note,
                 source=src, is_sample="false") for b, n, k, c, v, note, src in BSOS]


def sector_rows() -> list[dict]:
    rows = [dict(sector_id=s, name=n, parent_id="", enriitc_rank=r, source=ENRIITC_SRC, is_sample="false")
            for s, n, r in TOP_SECTORS]
    rows += [dict(sector_id=s, name=n, parent_id=p, enriitc_rank="", source=src, is_sample="false")
             for s, n, p, src in SUB_SECTORS]
    return rows


def sector_split(bso: str) -> dict[str, float]:
    """Share of a BSO's procurement per sub-sector (sums to 1): the estimation method above."""
    profile = PROFILES[bso]
    if bso == "ESA":
        rest = 1 - sum(ESA_PROGRAMMES.values())
        weights = {s: p * rank_weight(RANK[PARENT[s]]) for s, p in profile.items()}
        total = sum(weights.values())
        return ESA_PROGRAMMES | {s: rest * w / total for s, w in weights.items()}
    weights = {s: p * rank_weight(RANK[PARENT[s]]) for s, p in profile.items()}
    total = sum(weights.values())
    return {s: w / total for s, w in weights.items()}


def demand_rows() -> list[dict]:
    rows = []
    for bso, (volume, growth, why) in ASSUMED_VOLUMES.items():
        method = ("fact" if bso in FACT_PROFILES else "sample") + " profile"
        source = (f"estimate: yearly volume ({why}) × ENRIITC rank weight × {bso} technology profile ({method}); "
                  "see analytics/bigscience_sample.py")
        for year in YEARS:
            v = volume * (1 + growth) ** (year - 2024)
            for sector, share in sorted(sector_split(bso).items()):
                rows.append(dict(bso_id=bso, sector_id=sector, year=year, demand_eur=round(v * share, -3),
                                 tender_count="", source=source, is_estimate="true", is_sample="true"))
    return rows


def contribution_rows() -> list[dict]:
    rows = [dict(bso_id="CERN", country=c, year=2009, share=s,
                 source="CERN contribution shares 2009, second-hand (check)", is_sample="false")
            for c, s in CERN_2009.items()]
    rows += [dict(bso_id="ESS", country=c, year=2013, share=s,
                  source="ESS construction shares, 2013 prices (check); " + ESS_SRC, is_sample="false")
             for c, s in ESS_SHARES.items()]
    for (bso, year), shares in SAMPLE_SHARES.items():
        rows += [dict(bso_id=bso, country=c, year=year, share=s, source=SAMPLE, is_sample="true")
                 for c, s in shares.items()]
    return rows


def _shares_of(bso: str) -> dict[str, float]:
    shares: dict[str, float] = {}
    if bso == "CERN":
        shares |= CERN_2009
    if bso == "ESS":
        shares |= ESS_SHARES
    for (b, _), extra in SAMPLE_SHARES.items():
        if b == bso:
            shares |= extra
    return shares


def award_rows(rng: random.Random) -> list[dict]:
    """Contracts won by country: 80 % of the estimated demand, split by contribution share with noise."""
    rows = []
    for bso in AWARD_BSOS:
        volume, growth, _ = ASSUMED_VOLUMES[bso]
        shares = _shares_of(bso)
        # How well each country's industry competes at this BSO, the same in every sector and year.
        strength = {c: math.exp(rng.gauss(0, 0.6)) for c in sorted(shares)}
        for year in YEARS:
            v = volume * (1 + growth) ** (year - 2024) * 0.8
            for sector, share in sorted(sector_split(bso).items()):
                weights = {c: s * strength[c] * SITE_BONUS[bso].get(c, 1.0) * math.exp(rng.gauss(0, 0.5))
                           for c, s in shares.items()}
                total = sum(weights.values())
                for country, w in sorted(weights.items()):
                    value = round(v * share * w / total, -3)
                    if value >= 10_000:
                        rows.append(dict(bso_id=bso, country=country, sector_id=sector, year=year, value_eur=value,
                                         source=SAMPLE, is_sample="true"))
    return rows


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def company_rows(rng: random.Random) -> tuple[list[dict], list[dict]]:
    companies, competencies, names = [], [], set()
    for country, (count, cluster, suffixes, words) in COUNTRIES.items():
        mix = COUNTRY_MIX.get(country, DEFAULT_MIX)
        for n in range(1, count + 1):
            kind = _pick(rng, mix)
            sectors, nouns = COMPANY_PROFILES[kind]
            company_type = rng.choices(["sme", "large", "research"], weights=[80, 10, 10])[0]
            while True:
                name = f"{rng.choice(words)} {rng.choice(nouns)} {rng.choice(suffixes)}"
                if company_type == "research":
                    name = f"{rng.choice(words)} {rng.choice(nouns)} Institute"
                if name not in names:
                    names.add(name)
                    break
            employees = {"sme": rng.randint(5, 249), "large": rng.randint(250, 4000),
                         "research": rng.randint(40, 800)}[company_type]
            boost = 1 if company_type == "large" else 0
            levels = {}
            for i, sector in enumerate(sectors):
                if i >= 2 and rng.random() < 0.45:
                    continue
                weights = [25, 50, 25] if i < 2 else [50, 40, 10]
                levels[sector] = min(3, rng.choices([1, 2, 3], weights=weights)[0] + (boost if i == 0 else 0))
            if rng.random() < 0.3:  # a side line outside the profile, at a basic level
                other = rng.choice(sorted(PARENT))
                levels.setdefault(other, 1)
            prior = rng.random() < (0.7 if 3 in levels.values() else 0.12)
            cid = f"{country}-{n:03d}"
            member = cluster if cluster and rng.random() < CLUSTER_SHARE else None
            companies.append(dict(company_id=cid, name=name, country=country, cluster=member or "",
                                  company_type=company_type, employees=employees,
                                  prior_bso_supplier=str(prior).lower(), is_sample="true"))
            for sector, level in sorted(levels.items()):
                competencies.append(dict(company_id=cid, sector_id=sector, level=level,
                                         evidence="self-assessment (sample)" if level < 3 else "BSO contract (sample)",
                                         is_sample="true"))
    for sector, keep in THIN_SECTORS.items():
        strong = [c for c in competencies if c["sector_id"] == sector and c["level"] >= 2]
        for c in strong[keep:]:
            c["level"], c["evidence"] = 1, "self-assessment (sample)"
    return companies, competencies


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def tables() -> dict[str, list[dict]]:
    rng = random.Random(SEED)
    companies, competencies = company_rows(rng)
    return {
        "bsos": bso_rows(),
        "sectors": sector_rows(),
        "bso_demand": demand_rows(),
        "companies": companies,
        "competencies": competencies,
        "contributions": contribution_rows(),
        "awards": award_rows(rng),
    }


def render(rows: list[dict]) -> str:
    """One table as CSV text, as committed (Unix line ends, like the other seed files)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write(seed_dir: Path = DATA_DIR / "seed") -> dict[str, int]:
    counts = {}
    for table, rows in tables().items():
        (seed_dir / f"{table}.csv").write_text(render(rows), encoding="utf-8", newline="")
        counts[table] = len(rows)
    return counts


if __name__ == "__main__":
    for table, n in write().items():
        print(f"{table}: {n} rows")
